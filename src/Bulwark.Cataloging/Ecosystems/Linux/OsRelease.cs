// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Linux;

/// The distribution a root filesystem says it is, from os-release(5): ID, VERSION_ID, VERSION_CODENAME, PRETTY_NAME, ID_LIKE.
public sealed record OsRelease(string Id, string? VersionId, string? Codename, string? PrettyName, IReadOnlyList<string> IdLike, string Path)
{
    /// Where os-release(5) says to look, in order: /etc/os-release wins, /usr/lib/os-release is the fallback.
    public static readonly FilePath[] Paths = ["etc/os-release", "usr/lib/os-release"];

    private const int MaxSize = 64 * 1024;
    private static readonly ConditionalWeakTable<IFileTree, ConcurrentDictionary<string, Lazy<OsRelease?>>> Cache = new();

    /// The purl `distro` qualifier: "debian-12", "alpine-3.19.1"; just the ID when there is no VERSION_ID.
    public string Distro => string.IsNullOrEmpty(VersionId) ? Id : $"{Id}-{VersionId}";

    /// True when the distribution is <paramref name="id"/> or says it is like it (ID_LIKE).
    public bool IsLike(string id) => Id == id || IdLike.Contains(id);

    /// True for a path os-release may be read from, at the root or under a root filesystem inside the tree
    /// (for <see cref="IReadsNeighbours"/>).
    public static bool IsOsReleasePath(FilePath path) =>
        path.Value.EndsWith("etc/os-release", StringComparison.Ordinal) || path.Value.EndsWith("usr/lib/os-release", StringComparison.Ordinal);

    /// The os-release of the root filesystem at <paramref name="root"/> ("" for the tree's root, else "dir/" with the
    /// slash), read once per tree instance and cached; null when there is none or it names no ID.
    public static OsRelease? For(IFileTree tree, string root = "") =>
        Cache.GetValue(tree, _ => new(StringComparer.Ordinal))
            .GetOrAdd(root, r => new Lazy<OsRelease?>(() => Read(tree, r), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static OsRelease? Read(IFileTree tree, string root)
    {
        foreach (var relative in Paths)
        {
            FilePath path = root + relative.Value;
            using var stream = tree.TryOpen(path);
            if (stream is null) continue;
            var buffer = new byte[MaxSize];
            var length = 0;
            int n;
            while (length < buffer.Length && (n = stream.Read(buffer, length, buffer.Length - length)) > 0) length += n;
            // every OS package cataloger asks for this file, so a strange one must not make their databases unreadable:
            // only the first 64 KiB are read (the keys that matter are a few lines at the top) and nothing here throws
            return Parse(Encoding.UTF8.GetString(buffer, 0, length), path.Value);
        }
        return null;
    }

    /// Parses os-release text; null when it has no ID (os-release(5) then says "linux", but that names no distribution we can match).
    public static OsRelease? Parse(string text, string path = "etc/os-release")
    {
        var values = ParseAssignments(text);
        if (!values.TryGetValue("ID", out var id) || id.Length == 0) return null;
        return new OsRelease(
            id.ToLowerInvariant(),
            Blank(values.GetValueOrDefault("VERSION_ID")),
            Blank(values.GetValueOrDefault("VERSION_CODENAME")),
            Blank(values.GetValueOrDefault("PRETTY_NAME")),
            (values.GetValueOrDefault("ID_LIKE") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.ToLowerInvariant()).ToArray(),
            path);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// KEY=value lines in the shell-compatible subset os-release(5) allows: values unquoted, in double quotes (with
    /// \" \\ \$ \` escapes) or single quotes (no escapes); '#' lines are comments. A malformed line is skipped, as
    /// systemd does.
    internal static Dictionary<string, string> ParseAssignments(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            if (TryUnquote(line[(eq + 1)..], out var value)) values[key] = value;
        }
        return values;
    }

    private static bool TryUnquote(string s, out string value)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= s.Length) { value = ""; return false; } // unterminated quote
                    c = s[i];
                    if (c == '"') { i++; break; }
                    if (c == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`') { sb.Append(s[i + 1]); i += 2; continue; }
                    sb.Append(c);
                    i++;
                }
            }
            else if (c == '\'')
            {
                var end = s.IndexOf('\'', i + 1);
                if (end < 0) { value = ""; return false; }
                sb.Append(s, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '\\' && i + 1 < s.Length)
            {
                sb.Append(s[i + 1]);
                i += 2;
            }
            else if (char.IsWhiteSpace(c))
            {
                // an unquoted blank ends the value ("ID=debian # comment")
                break;
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }
        value = sb.ToString();
        return true;
    }
}
