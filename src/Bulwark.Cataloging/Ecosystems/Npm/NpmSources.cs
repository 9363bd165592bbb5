// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Ecosystems.Npm;

/// What npm-family lockfiles write in "resolved"/"version" fields, and how to read it.
internal static class NpmSources
{
    /// Classifies where a package came from: "git", "path", "tarball", "url", or null for the registry.
    public static string? Classify(string? resolved)
    {
        if (string.IsNullOrEmpty(resolved)) return null;
        if (IsGit(resolved)) return "git";
        if (IsTarballName(resolved) && !resolved.Contains("://", StringComparison.Ordinal)) return "tarball"; // file:x.tgz
        if (resolved.StartsWith("file:", StringComparison.Ordinal) || resolved.StartsWith("link:", StringComparison.Ordinal)
            || resolved.StartsWith("portal:", StringComparison.Ordinal) || !resolved.Contains(':'))
            return "path";
        if (resolved.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || resolved.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var url = NpmEntry.StripFragment(resolved);
            if (GitHubArchiveRepository(url) is not null) return "git";
            // registry tarballs live at <registry>/<name>/-/<file>.tgz (npm registry API, "Getting a tarball")
            if (url.Contains("/-/", StringComparison.Ordinal)) return null;
            return IsTarballName(url) ? "tarball" : "url";
        }
        return "url";
    }

    private static bool IsTarballName(string s)
    {
        s = NpmEntry.StripFragment(s);
        return s.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
            || s.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);
    }

    /// For a GitHub commit archive (https://codeload.github.com/owner/repo/tar.gz/commit, how yarn and pnpm fetch
    /// "github:owner/repo" dependencies) the repository and commit as "https://github.com/owner/repo.git#commit".
    public static string? GitHubArchiveRepository(string url)
    {
        const string host = "https://codeload.github.com/";
        if (!url.StartsWith(host, StringComparison.OrdinalIgnoreCase)) return null;
        var parts = url[host.Length..].Split('/');
        return parts.Length == 4 && parts[2] is "tar.gz" or "legacy.tar.gz" or "zip" && parts[0].Length > 0 && parts[1].Length > 0 && parts[3].Length > 0
            ? $"https://github.com/{parts[0]}/{parts[1]}.git#{parts[3]}"
            : null;
    }

    /// git URLs as npm writes them: git+ssh://, git+https://, git://, github:owner/repo, and the shortcut hosts.
    public static bool IsGit(string s) =>
        s.StartsWith("git+", StringComparison.Ordinal) || s.StartsWith("git://", StringComparison.Ordinal)
        || s.StartsWith("git@", StringComparison.Ordinal) || s.StartsWith("github:", StringComparison.Ordinal)
        || s.StartsWith("gitlab:", StringComparison.Ordinal) || s.StartsWith("bitbucket:", StringComparison.Ordinal)
        || s.StartsWith("gist:", StringComparison.Ordinal)
        || (s.Contains(".git#", StringComparison.Ordinal) && !s.StartsWith("file:", StringComparison.Ordinal));

    /// The commit after '#' in a git URL, or null.
    public static string? GitCommit(string url)
    {
        var hash = url.LastIndexOf('#');
        if (hash < 0 || hash == url.Length - 1) return null;
        var frag = url[(hash + 1)..];
        return frag.All(Uri.IsHexDigit) && frag.Length >= 7 ? frag : null;
    }

    /// Splits "npm:real-name@1.2.3" (an alias spec) into name and version; false for anything else.
    public static bool TryParseAlias(string? spec, out string name, out string version)
    {
        name = version = "";
        if (spec is null || !spec.StartsWith("npm:", StringComparison.Ordinal)) return false;
        return TrySplitNameAt(spec[4..], out name, out version) && name.Length > 0;
    }

    /// Splits "name@rest" or "@scope/name@rest" at the '@' after the name.
    public static bool TrySplitNameAt(string text, out string name, out string rest)
    {
        var at = text.IndexOf('@', text.StartsWith('@') ? 1 : 0);
        if (at <= 0)
        {
            name = text;
            rest = "";
            return false;
        }
        name = text[..at];
        rest = text[(at + 1)..];
        return true;
    }

    /// The version in a tarball file name ("…/foo-1.2.3.tgz" for foo gives "1.2.3"), or "".
    public static string VersionFromTarball(string url, string name)
    {
        var file = NpmEntry.StripFragment(url);
        file = file[(file.LastIndexOf('/') + 1)..];
        var bare = name[(name.LastIndexOf('/') + 1)..];
        foreach (var ext in (string[])[".tgz", ".tar.gz"])
        {
            if (file.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && file.StartsWith(bare + "-", StringComparison.Ordinal))
                return file[(bare.Length + 1)..^ext.Length];
        }
        return "";
    }

    /// Directories Node searches for "node_modules/&lt;dep&gt;" when code in <paramref name="packagePath"/> requires it:
    /// the package's own folder, then each parent folder up to the root (Node.js "Loading from node_modules folders").
    /// Folders named node_modules (and scope folders inside them) are skipped, as Node does.
    public static IEnumerable<string> LookupDirectories(string packagePath)
    {
        var dir = packagePath.Trim('/');
        while (true)
        {
            yield return dir;
            if (dir.Length == 0) yield break;
            do
            {
                var slash = dir.LastIndexOf('/');
                dir = slash < 0 ? "" : dir[..slash];
            }
            while (dir.Length > 0 && IsNodeModulesOrScope(dir));
        }
    }

    private static bool IsNodeModulesOrScope(string dir)
    {
        var slash = dir.LastIndexOf('/');
        var last = slash < 0 ? dir : dir[(slash + 1)..];
        if (last == "node_modules") return true;
        return last.StartsWith('@') && slash > 0 && dir[..slash].EndsWith("node_modules", StringComparison.Ordinal);
    }

    /// "dir" + "/node_modules/" + name, without a leading '/' at the root.
    public static string NodeModulesPath(string dir, string name) =>
        dir.Length == 0 ? "node_modules/" + name : dir + "/node_modules/" + name;

    /// The package name for a path ending in node_modules/&lt;name&gt; or node_modules/@scope/&lt;name&gt;, or null.
    public static string? NameFromNodeModulesPath(string path)
    {
        var i = path.LastIndexOf("node_modules/", StringComparison.Ordinal);
        if (i < 0 || (i > 0 && path[i - 1] != '/')) return null;
        var name = path[(i + "node_modules/".Length)..];
        return name.Length == 0 ? null : name;
    }
}
