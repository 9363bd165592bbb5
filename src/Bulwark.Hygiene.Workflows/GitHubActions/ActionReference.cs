// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Workflows.GitHubActions;

/// A remote `uses:` value, `owner/repo[/path]@ref`: an action or a reusable workflow in another repository.
public sealed partial record ActionReference(string Owner, string Repo, string? Subpath, string Ref)
{
    /// owner/repo
    public string Repository => $"{Owner}/{Repo}";

    /// Pinned means a full commit SHA: GitHub resolves a 40-hex ref as a commit, never as a tag or branch.
    public bool IsPinned => FullSha().IsMatch(Ref);

    /// Null for what is not a remote reference: a local `./action`, `docker://image`, an expression, no `@ref`.
    public static ActionReference? TryParse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.StartsWith('.') || v.StartsWith("docker://", StringComparison.Ordinal) || v.Contains("${{", StringComparison.Ordinal)) return null;
        var at = v.LastIndexOf('@');
        if (at <= 0 || at == v.Length - 1) return null;
        var segments = v[..at].Split('/');
        if (segments.Length < 2 || segments.Any(s => s.Length == 0)) return null;
        var subpath = segments.Length > 2 ? string.Join('/', segments[2..]) : null;
        return new ActionReference(segments[0], segments[1], subpath, v[(at + 1)..]);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    internal static partial Regex FullSha();
}

/// Container image references.
public static partial class ImageReference
{
    /// True when the reference names its image by a sha256 digest.
    public static bool IsPinned(string image) => Digest().IsMatch(image);

    [GeneratedRegex("@sha256:[0-9a-f]{64}$")]
    private static partial Regex Digest();
}
