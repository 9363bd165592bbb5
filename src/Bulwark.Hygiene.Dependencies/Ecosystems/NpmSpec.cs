// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Versions.Semver;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// Where an npm dependency specifier (the value in package.json's "dependencies") fetches from
/// (https://docs.npmjs.com/cli/configuring-npm/package-json#dependencies).
internal enum NpmSource
{
    Registry,
    Git,
    Url,
    Path,
    Workspace,
}

/// A dependency specifier, classified: for the registry, the range (of the real package for an "npm:" alias).
internal sealed partial record NpmSpec(NpmSource Source, string Text, string? Range, string? RealName)
{
    public static NpmSpec Parse(string spec)
    {
        var s = spec.Trim();
        if (s.StartsWith("npm:", StringComparison.Ordinal))
        {
            var rest = s[4..];
            var at = rest.LastIndexOf('@');
            return at > 0 ? new(NpmSource.Registry, s, rest[(at + 1)..], rest[..at]) : new(NpmSource.Registry, s, "*", rest);
        }
        if (s.StartsWith("workspace:", StringComparison.Ordinal)) return new(NpmSource.Workspace, s, null, null);
        if (s.StartsWith("file:", StringComparison.Ordinal) || s.StartsWith("link:", StringComparison.Ordinal)
            || s.StartsWith("./", StringComparison.Ordinal) || s.StartsWith("../", StringComparison.Ordinal)
            || s.StartsWith('/') || s.StartsWith("~/", StringComparison.Ordinal) || s is "." or "..")
            return new(NpmSource.Path, s, null, null);
        if (IsGit(s)) return new(NpmSource.Git, s, null, null);
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return new(NpmSource.Url, s, null, null);
        // "user/repo" and "user/repo#ref" are GitHub shorthands
        if (GitHubShorthand().IsMatch(s)) return new(NpmSource.Git, s, null, null);
        return new(NpmSource.Registry, s, s.Length == 0 ? "*" : s, null);
    }

    /// The path of a "file:" or "link:" specifier, as written.
    public string LocalPath => Text.StartsWith("file:", StringComparison.Ordinal) || Text.StartsWith("link:", StringComparison.Ordinal) ? Text[5..] : Text;

    /// True for a registry specifier that names one exact version ("1.2.3", "=1.2.3", "v1.2.3").
    public bool IsExact => Source == NpmSource.Registry && Range is { } r && SemVersion.TryParse(r.Trim().TrimStart('=').TrimStart('v').Trim(), out _);

    public static bool IsGit(string s) =>
        s.StartsWith("git+", StringComparison.Ordinal) || s.StartsWith("git://", StringComparison.Ordinal)
        || s.StartsWith("git@", StringComparison.Ordinal) || s.StartsWith("github:", StringComparison.Ordinal)
        || s.StartsWith("gitlab:", StringComparison.Ordinal) || s.StartsWith("bitbucket:", StringComparison.Ordinal)
        || s.StartsWith("gist:", StringComparison.Ordinal)
        || ((s.StartsWith("http://", StringComparison.Ordinal) || s.StartsWith("https://", StringComparison.Ordinal))
            && (s.Split('#')[0].EndsWith(".git", StringComparison.Ordinal)));

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(#\S*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubShorthand();
}
