// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// The parts of a yarn.lock (v1 or berry) this check needs, read line by line: the specifiers each entry was
/// resolved for (the unindented keys) and where each entry was resolved from (v1 "resolved", berry "resolution").
internal sealed class YarnLock
{
    public HashSet<string> Specifiers { get; } = new(StringComparer.Ordinal);

    /// The version each specifier was resolved to ("left-pad@^1.3.0" → "1.3.0").
    public Dictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);

    /// Berry: each workspace's dependencies as locked ("packages/app" → name → "npm:^1.0.0"); "." is the root.
    public Dictionary<string, Dictionary<string, string>> Workspaces { get; } = new(StringComparer.Ordinal);

    /// (package name, URL or resolution, line) for each entry.
    public List<(string Name, string Resolved, int Line)> Resolved { get; } = [];

    public static YarnLock Parse(byte[] bytes)
    {
        var text = DependencyTree.DecodeUtf8(bytes);
        var result = new YarnLock();
        var lineNumber = 0;
        string? current = null;
        List<string> keys = [];
        Dictionary<string, string>? workspace = null;
        var inDependencies = false;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                if (!line.EndsWith(':')) continue;
                keys = [.. line[..^1].Split(',').Select(k => k.Trim().Trim('"')).Where(k => k.Length > 0)];
                foreach (var k in keys) result.Specifiers.Add(k);
                current = keys.Count > 0 ? NameOf(keys[0]) : null;
                workspace = null;
                var ws = keys.Count > 0 ? keys[0].IndexOf("@workspace:", 1, StringComparison.Ordinal) : -1;
                if (ws > 0) result.Workspaces[keys[0][(ws + "@workspace:".Length)..]] = workspace = new(StringComparer.Ordinal);
                continue;
            }
            if (current is null) continue;
            var t = line.Trim();
            var indent = line.Length - line.TrimStart().Length;
            if (indent == 2) inDependencies = t is "dependencies:" or "peerDependencies:";
            else if (indent == 4 && inDependencies && workspace is not null && t.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
                workspace[Unquote(t[..colon])] = Unquote(t[(colon + 2)..].Trim());
            // v1: version "1.3.0"; berry: version: 1.3.0
            if (indent == 2 && (t.StartsWith("version ", StringComparison.Ordinal) || t.StartsWith("version:", StringComparison.Ordinal)))
                foreach (var k in keys) result.Versions[k] = Unquote(t["version".Length..].TrimStart(':').Trim());
            if (t.StartsWith("resolved ", StringComparison.Ordinal))
                result.Resolved.Add((current, Unquote(t["resolved ".Length..].Trim()), lineNumber));
            else if (t.StartsWith("resolution:", StringComparison.Ordinal))
            {
                // berry: "name@npm:1.2.3" (the configured registry), "name@https://…", "name@git+…", "name@file:…"
                var resolution = Unquote(t["resolution:".Length..].Trim());
                var at = resolution.Length > 1 ? resolution.IndexOf('@', 1) : -1;
                var source = at > 0 ? resolution[(at + 1)..] : resolution;
                if (!source.StartsWith("npm:", StringComparison.Ordinal) && !source.StartsWith("workspace:", StringComparison.Ordinal)
                    && !source.StartsWith("patch:", StringComparison.Ordinal) && !source.StartsWith("portal:", StringComparison.Ordinal)
                    && !source.StartsWith("link:", StringComparison.Ordinal))
                    result.Resolved.Add((current, source, lineNumber));
            }
        }
        return result;
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;

    private static string NameOf(string specifier)
    {
        var at = specifier.IndexOf('@', 1);
        return at > 0 ? specifier[..at] : specifier;
    }
}
