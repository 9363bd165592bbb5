// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets;

/// Acknowledged findings (`--baseline FILE`, written by `--write-baseline FILE`): their fingerprints, with the rule,
/// path and line for the reader. The secret itself is never stored.
/// <code>
/// {"version": 1, "findings": [{"fingerprint": "…", "rule": "aws-access-key-id", "path": "deploy/env", "line": 3}]}
/// </code>
public sealed class SecretBaseline
{
    public const int Version = 1;

    private readonly HashSet<string> _fingerprints;

    private SecretBaseline(IEnumerable<string> fingerprints) => _fingerprints = new HashSet<string>(fingerprints, StringComparer.Ordinal);

    public static SecretBaseline Empty { get; } = new([]);

    public int Count => _fingerprints.Count;

    public bool Contains(SecretFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return _fingerprints.Contains(finding.Fingerprint);
    }

    public static SecretBaseline Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputException($"Cannot read baseline {path}: no such file. Create it with --write-baseline {path}.");
        try
        {
            // strings that are not text (invalid UTF-8, an unpaired surrogate escape) are refused as not JSON here,
            // not met later as InvalidOperationException when a fingerprint is read (settings.secrets-baseline target)
            using var doc = JsonText.ParseReadable(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != Version)
                throw new InputException($"Cannot read baseline {path}: not a Bulwark secrets baseline version {Version}. Rewrite it with --write-baseline.");
            if (!root.TryGetProperty("findings", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InputException($"Cannot read baseline {path}: 'findings' must be an array.");
            var fingerprints = new List<string>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("fingerprint", out var fp) || fp.ValueKind != JsonValueKind.String)
                    throw new InputException($"Cannot read baseline {path}: finding {fingerprints.Count + 1} has no 'fingerprint' string.");
                fingerprints.Add(fp.GetString()!);
            }
            return new SecretBaseline(fingerprints);
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read baseline {path}: not JSON ({e.Message}). Rewrite it with --write-baseline.", e);
        }
        catch (FormatException e)
        {
            throw new InputException($"Cannot read baseline {path}: 'version' is not an integer.", e);
        }
    }

    /// Writes every finding's fingerprint, sorted as reported, so the file diffs cleanly.
    public static void Write(IEnumerable<SecretFinding> findings, Stream output)
    {
        ArgumentNullException.ThrowIfNull(findings);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("version", Version);
        w.WriteStartArray("findings");
        foreach (var f in findings.DistinctBy(f => f.Fingerprint).OrderBy(f => f, Comparer<SecretFinding>.Create(SecretFinding.Compare)))
        {
            w.WriteStartObject();
            w.WriteString("fingerprint", f.Fingerprint);
            w.WriteString("rule", f.RuleId);
            w.WriteString("path", f.Path);
            w.WriteNumber("line", f.Line);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
