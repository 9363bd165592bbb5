// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// SPDX element ids derived from content, so the same SBOM always gets the same ids (DESIGN.md: deterministic output).
internal static class SpdxIds
{
    private const int MaxNameLength = 64;

    /// "SPDXRef-Package-npm-core-1a2b3c4d": purl type, name, and the first 8 hex digits of SHA-256 over the whole purl.
    public static string ForPackage(Core.Purl purl) =>
        $"SPDXRef-Package-{Sanitise(purl.Type)}-{Sanitise(purl.Name)}-{ShortHash(purl.ToString())}";

    public static string ForSubject(SbomSubject subject) => $"SPDXRef-DocumentRoot-{subject.Kind}-{Sanitise(subject.Name)}";

    /// Keeps the characters an SPDX id allows (letters, digits, '.', '-'); runs of others become one '-'.
    public static string Sanitise(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '.') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var s = sb.ToString().Trim('-');
        if (s.Length > MaxNameLength) s = s[..MaxNameLength].TrimEnd('-');
        return s.Length == 0 ? "unnamed" : s;
    }

    public static string ShortHash(string text) => Convert.ToHexStringLower(ContentHash.Sha256(text))[..8];
}
