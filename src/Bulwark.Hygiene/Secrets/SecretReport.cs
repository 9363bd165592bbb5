// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;

namespace Bulwark.Hygiene.Secrets;

/// What `bulwark secrets` reports: new findings, findings the baseline acknowledges, and files not scanned.
public sealed record SecretReport
{
    public required string Target { get; init; }
    public required ImmutableArray<SecretFinding> Findings { get; init; }
    public ImmutableArray<SecretFinding> Baselined { get; init; } = [];
    public ImmutableArray<SkippedFile> Skipped { get; init; } = [];
    public int FilesScanned { get; init; }
    public int BinaryFiles { get; init; }
    public long BytesScanned { get; init; }
    /// History scans: how many commits were listed (null for the working tree and the index).
    public int? CommitsScanned { get; init; }
    public required string ToolVersion { get; init; }
    /// Secrets shown as their first 4 characters and "…" (the default); false shows them whole.
    public bool Redact { get; init; } = true;

    public const string InformationUri = Bulwark.Core.SarifLog.InformationUri;

    internal static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        // paths and secrets are user data: keep them readable ("+", "'") but escaped where JSON needs it
        Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance,
    };

    /// Findings and acknowledged findings together, in report order, each with whether the baseline holds it.
    public IEnumerable<(SecretFinding Finding, bool Baselined)> All() =>
        Findings.Select(f => (f, false)).Concat(Baselined.Select(f => (f, true)))
            .OrderBy(e => e.Item1, Comparer<SecretFinding>.Create(SecretFinding.Compare));

    /// The JSON report: `{"tool", "target", "summary", "findings": [...], "skipped": [...]}`.
    public void WriteJson(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, JsonOptions);
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", ToolVersion);
        w.WriteEndObject();
        w.WriteString("target", Target);
        w.WriteBoolean("redacted", Redact);
        w.WriteStartObject("summary");
        w.WriteNumber("findings", Findings.Length);
        w.WriteNumber("baselined", Baselined.Length);
        w.WriteNumber("filesScanned", FilesScanned);
        w.WriteNumber("bytesScanned", BytesScanned);
        w.WriteNumber("binaryFiles", BinaryFiles);
        w.WriteNumber("filesSkipped", Skipped.Length);
        if (CommitsScanned is { } commits) w.WriteNumber("commitsScanned", commits);
        w.WriteEndObject();
        w.WriteStartArray("findings");
        foreach (var (f, baselined) in All())
        {
            w.WriteStartObject();
            w.WriteString("rule", f.RuleId);
            w.WriteString("description", f.Description);
            w.WriteString("path", f.Path);
            w.WriteNumber("line", f.Line);
            w.WriteNumber("column", f.Column);
            w.WriteString("secret", f.Shown(Redact));
            w.WriteString("fingerprint", f.Fingerprint);
            w.WriteBoolean("baselined", baselined);
            if (f.Commit is { } c)
            {
                w.WriteStartObject("commit");
                w.WriteString("sha", c.Sha);
                w.WriteString("author", c.Author);
                w.WriteString("date", c.Date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("skipped");
        foreach (var s in Skipped)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Path);
            w.WriteString("reason", s.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
