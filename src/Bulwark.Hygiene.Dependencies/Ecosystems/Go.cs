// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Go modules: go.mod's requirements against the go.sum beside it, and replacements by local directories.
/// go.sum is Go's lockfile of checksums: every module in the build list needs a "path version/go.mod" line, and every
/// module whose packages are built a "path version h1:…" line (https://go.dev/ref/mod#go-sum-files).
internal static class Go
{
    public const string Ecosystem = "Go";

    private sealed record Require(string Path, string Version, int Line);

    public static void CheckGoMod(DependencyTree tree, string path)
    {
        if (tree.Text(path) is not { } text) return;
        var requires = new List<Require>();
        var replaces = new Dictionary<string, (string Path, string? Version)>(StringComparer.Ordinal);
        string? block = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0) continue;
            if (block is not null)
            {
                if (line == ")")
                {
                    block = null;
                    continue;
                }
                Directive(block, line, i + 1);
                continue;
            }
            var space = line.IndexOfAny([' ', '\t']);
            if (space < 0) continue;
            var verb = line[..space];
            var rest = line[space..].Trim();
            if (rest == "(")
            {
                block = verb;
                continue;
            }
            Directive(verb, rest, i + 1);
        }

        foreach (var (old, (newPath, newVersion)) in replaces)
        {
            if (newVersion is null && !DependencyTree.StaysInside(path, newPath))
                tree.Report(DependencyRules.LocalPathDependency, path, ReplaceLine(lines, old), Ecosystem, old, $"{old} is replaced by the directory \"{newPath}\", outside the repository.");
        }
        // a requirement replaced by a directory downloads nothing, so it needs no checksum
        var downloaded = requires.Count(r => Target(r).Version is not null);
        if (downloaded == 0) return;
        var sumPath = DependencyTree.Sibling(path, "go.sum");
        if (!tree.Has(sumPath))
        {
            tree.Report(DependencyRules.MissingLockfile, path, 1, Ecosystem, null,
                $"go.mod requires {Npm.Plural(downloaded, "module", "modules")} and there is no go.sum beside it; the go command then has no checksums to hold the downloads to.");
            return;
        }
        if (tree.Text(sumPath) is not { } sumText) return;
        var sums = new HashSet<(string, string)>();
        foreach (var l in sumText.Split('\n'))
        {
            var f = l.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 3 || !f[2].StartsWith("h1:", StringComparison.Ordinal)) continue;
            sums.Add((f[0], f[1].EndsWith("/go.mod", StringComparison.Ordinal) ? f[1][..^"/go.mod".Length] : f[1]));
        }
        foreach (var r in requires)
        {
            var (modPath, version) = Target(r);
            if (version is null) continue; // replaced by a directory: nothing is downloaded, nothing to sum
            if (!sums.Contains((modPath, version)))
                tree.Report(DependencyRules.LockfileOutOfSync, path, r.Line, Ecosystem, $"{modPath}@{version}",
                    $"{modPath} {version} is required but go.sum has no checksum for it; run 'go mod tidy'.");
        }

        // what is downloaded for a requirement: the replacement naming its version, one for every version, or itself
        (string Path, string? Version) Target(Require r) =>
            replaces.TryGetValue($"{r.Path}@{r.Version}", out var exact) ? exact
            : replaces.TryGetValue(r.Path, out var any) ? any : (r.Path, r.Version);

        void Directive(string verb, string args, int line)
        {
            var f = args.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Unquote).ToArray();
            if (verb == "require" && f.Length >= 2) requires.Add(new Require(f[0], f[1], line));
            else if (verb == "replace")
            {
                var arrow = Array.IndexOf(f, "=>");
                if (arrow is < 1 or > 2 || arrow + 1 >= f.Length) return;
                var key = arrow == 2 ? $"{f[0]}@{f[1]}" : f[0];
                replaces[key] = (f[arrow + 1], arrow + 2 < f.Length ? f[arrow + 2] : null);
            }
        }
    }

    private static int? ReplaceLine(string[] lines, string old)
    {
        var module = old.Split('@')[0];
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains(module, StringComparison.Ordinal) && lines[i].Contains("=>", StringComparison.Ordinal)) return i + 1;
        return null;
    }

    private static string StripComment(string line)
    {
        var i = line.IndexOf("//", StringComparison.Ordinal);
        return i >= 0 ? line[..i] : line;
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] is '"' or '`' && s[^1] == s[0] ? s[1..^1] : s;
}
