// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// Version and hash spellings of the Go toolchain and module system.
internal static partial class GoVersions
{
    /// The toolchain version as a module-style semantic version, which is how vulnerability databases name the
    /// standard library ("stdlib"): go1.22.1 → v1.22.1, go1.21 → v1.21.0, go1.21rc2 → v1.21.0-rc.2.
    /// Experiment suffixes (" X:loopvar") are dropped; development builds ("devel go1.23-…") give null.
    public static string? ToolchainToSemver(string goVersion)
    {
        var v = goVersion.Trim();
        var space = v.IndexOf(' ');
        if (space >= 0) v = v[..space];
        var m = GoTag().Match(v);
        if (!m.Success) return null;
        var patch = m.Groups["patch"].Success ? m.Groups["patch"].Value : "0";
        var pre = m.Groups["pre"].Success ? $"-{m.Groups["pre"].Value}.{m.Groups["n"].Value}" : "";
        return $"v{m.Groups["major"].Value}.{m.Groups["minor"].Value}.{patch}{pre}";
    }

    /// The pseudo-version Go gives an untagged commit (https://go.dev/ref/mod#pseudo-versions):
    /// v0.0.0-yyyymmddhhmmss-abcdefabcdef, from the vcs.revision and vcs.time build settings.
    public static string? PseudoVersion(string? revision, string? time)
    {
        if (string.IsNullOrEmpty(revision) || revision.Length < 12 || string.IsNullOrEmpty(time)) return null;
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return null;
        return $"v0.0.0-{t.UtcDateTime:yyyyMMddHHmmss}-{revision[..12]}";
    }

    /// Decodes a go.sum or build-info hash "h1:&lt;base64&gt;": the SHA-256 of the module's file list and
    /// file hashes (golang.org/x/mod/sumdb/dirhash Hash1), so a SHA-256 digest, though not of any one file.
    public static bool TryParseH1(string? sum, out Digest digest)
    {
        digest = default;
        if (sum is null || !sum.StartsWith("h1:", StringComparison.Ordinal)) return false;
        Span<byte> buffer = stackalloc byte[48];
        if (!Convert.TryFromBase64String(sum[3..], buffer, out var written) || written != 32) return false;
        return Digest.TryCreate("sha256", Convert.ToHexStringLower(buffer[..written]), out digest);
    }

    /// True for a replacement target that is a directory, not a module: "./x", "../x", "/abs", "C:\x".
    public static bool IsLocalPath(string path) =>
        path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal)
        || path.StartsWith(".\\", StringComparison.Ordinal) || path.StartsWith("..\\", StringComparison.Ordinal)
        || path is "." or ".." || path.StartsWith('/') || (path.Length > 2 && path[1] == ':' && path[2] is '\\' or '/');

    [GeneratedRegex(@"^go(?<major>\d+)\.(?<minor>\d+)(?:\.(?<patch>\d+))?(?:(?<pre>beta|rc)(?<n>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex GoTag();
}
