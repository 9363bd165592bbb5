// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Ruby: Gemfile (read line by line; it is Ruby code, so only the common literal forms are understood) against
/// Gemfile.lock, and the sources both name.
internal static partial class Ruby
{
    public const string Ecosystem = "RubyGems";

    public static void CheckGemfile(DependencyTree tree, string path)
    {
        if (tree.Text(path) is not { } text) return;
        var gems = new List<(string Name, string? Version, int Line)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#')) continue;
            if (SourceLine().Match(line) is { Success: true } s)
            {
                var url = s.Groups["url"].Value;
                if (Registries.Parse(url) is not null && !tree.Registries.IsAllowed(Ecosystem, url))
                    tree.Report(DependencyRules.UnapprovedRegistry, path, i + 1, Ecosystem, null, $"gem source {url} is not an allowed RubyGems registry.");
                continue;
            }
            if (GemLine().Match(line) is not { Success: true } g) continue;
            var name = g.Groups["name"].Value;
            var rest = g.Groups["rest"].Value;
            if ((Option(rest, "git") ?? Option(rest, "github") ?? Option(rest, "gitlab") ?? Option(rest, "bitbucket")) is { } git)
            {
                tree.Report(DependencyRules.GitDependency, path, i + 1, Ecosystem, name, $"{name} is fetched from git: {git}.");
                continue;
            }
            if (Option(rest, "path") is { } local)
            {
                if (!DependencyTree.StaysInside(path, local))
                    tree.Report(DependencyRules.LocalPathDependency, path, i + 1, Ecosystem, name, $"{name} is read from \"{local}\", outside the repository.");
                continue;
            }
            if (Option(rest, "source") is { } source && Registries.Parse(source) is not null && !tree.Registries.IsAllowed(Ecosystem, source))
                tree.Report(DependencyRules.UnapprovedRegistry, path, i + 1, Ecosystem, name, $"{name} comes from {source}, which is not an allowed RubyGems registry.");
            gems.Add((name, FirstVersion().Match(rest) is { Success: true } v ? v.Groups["v"].Value : null, i + 1));
        }
        if (gems.Count == 0) return;
        var lockPath = DependencyTree.Sibling(path, path.EndsWith("gems.rb", StringComparison.Ordinal) ? "gems.locked" : "Gemfile.lock");
        if (!tree.Has(lockPath))
        {
            tree.Report(DependencyRules.MissingLockfile, path, 1, Ecosystem, null,
                $"the Gemfile declares {Npm.Plural(gems.Count, "gem", "gems")} and there is no {new Cataloging.FileSources.FilePath(lockPath).FileName} beside it.");
            foreach (var (name, version, line) in gems)
            {
                // a blank version (gem "a", " ") pins nothing either
                if (version?.TrimStart() is not ['=', ..] and not [>= '0' and <= '9', ..])
                    tree.Report(DependencyRules.FloatingVersion, path, line, Ecosystem, name,
                        version is null ? $"{name} has no version: Bundler installs the newest release." : $"{name} \"{version}\" is a range, and no Gemfile.lock fixes the version installed.");
            }
            return;
        }
        if (tree.Text(lockPath) is not { } lockText) return;
        var locked = new HashSet<string>(StringComparer.Ordinal);
        var inDependencies = false;
        var lockLines = lockText.Split('\n');
        for (var i = 0; i < lockLines.Length; i++)
        {
            var l = lockLines[i].TrimEnd('\r');
            if (l.Length > 0 && !char.IsWhiteSpace(l[0])) inDependencies = l == "DEPENDENCIES";
            else if (inDependencies && l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
                locked.Add(l.Trim().Split(' ', '!')[0]);
            if (l.StartsWith("  remote: ", StringComparison.Ordinal))
            {
                var remote = l["  remote: ".Length..].Trim();
                var section = PreviousSection(lockLines, i);
                if (section == "GIT")
                    tree.Report(DependencyRules.GitDependency, lockPath, i + 1, Ecosystem, null, $"gems are locked to git: {remote}.");
                else if (section == "GEM" && Registries.Parse(remote) is not null && !tree.Registries.IsAllowed(Ecosystem, remote))
                    tree.Report(DependencyRules.UnapprovedRegistry, lockPath, i + 1, Ecosystem, null, $"gems are locked to {remote}, which is not an allowed RubyGems registry.");
            }
        }
        foreach (var (name, _, line) in gems)
        {
            if (!locked.Contains(name))
                tree.Report(DependencyRules.LockfileOutOfSync, path, line, Ecosystem, name, $"{name} is in the Gemfile but not in the DEPENDENCIES of {new Cataloging.FileSources.FilePath(lockPath).FileName}; run 'bundle lock'.");
        }
    }

    private static string? PreviousSection(string[] lines, int i)
    {
        for (var j = i; j >= 0; j--)
        {
            var l = lines[j];
            if (l.Length > 0 && !char.IsWhiteSpace(l[0])) return l.Trim();
        }
        return null;
    }

    private static string? Option(string rest, string name) =>
        Regex.Match(rest, $@"(?:\b{name}:\s*|:{name}\s*=>\s*)[""'](?<v>[^""']+)[""']", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking) is { Success: true } m ? m.Groups["v"].Value : null;

    [GeneratedRegex(@"^source\s*\(?\s*[""'](?<url>[^""']+)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex SourceLine();

    [GeneratedRegex(@"^gem\s*\(?\s*[""'](?<name>[^""']+)[""']\s*(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex GemLine();

    [GeneratedRegex(@"^\s*,\s*[""'](?<v>[^""']+)[""']", RegexOptions.CultureInvariant)]
    private static partial Regex FirstVersion();
}
