// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core;

/// A package ecosystem: the one table mapping OSV ecosystem names to purl types and back (STYLE.md, Naming).
public sealed record Ecosystem(string OsvName, string PurlType, string DisplayName)
{
    public static readonly Ecosystem Npm = new("npm", "npm", "npm");
    public static readonly Ecosystem PyPI = new("PyPI", "pypi", "Python");
    public static readonly Ecosystem Maven = new("Maven", "maven", "Java (Maven)");
    public static readonly Ecosystem NuGet = new("NuGet", "nuget", ".NET (NuGet)");
    public static readonly Ecosystem Go = new("Go", "golang", "Go");
    public static readonly Ecosystem Cargo = new("crates.io", "cargo", "Rust (crates.io)");
    public static readonly Ecosystem RubyGems = new("RubyGems", "gem", "Ruby");
    public static readonly Ecosystem Packagist = new("Packagist", "composer", "PHP (Composer)");
    public static readonly Ecosystem Pub = new("Pub", "pub", "Dart (pub)");
    public static readonly Ecosystem Hex = new("Hex", "hex", "Elixir/Erlang (Hex)");
    public static readonly Ecosystem SwiftUrl = new("SwiftURL", "swift", "Swift");
    public static readonly Ecosystem CocoaPods = new("CocoaPods", "cocoapods", "CocoaPods");
    public static readonly Ecosystem GitHubActions = new("GitHub Actions", "githubactions", "GitHub Actions");
    public static readonly Ecosystem Debian = new("Debian", "deb", "Debian");
    public static readonly Ecosystem Alpine = new("Alpine", "apk", "Alpine");
    public static readonly Ecosystem Rpm = new("Red Hat", "rpm", "RPM");
    public static readonly Ecosystem Generic = new("", "generic", "Other");

    public static IReadOnlyList<Ecosystem> All { get; } =
        [Npm, PyPI, Maven, NuGet, Go, Cargo, RubyGems, Packagist, Pub, Hex, SwiftUrl, CocoaPods, GitHubActions, Debian, Alpine, Rpm, Generic];

    public static Ecosystem? FromPurlType(string purlType) =>
        All.FirstOrDefault(e => e.PurlType.Equals(purlType, StringComparison.OrdinalIgnoreCase));

    public static Ecosystem? FromOsvName(string osvName)
    {
        var baseName = osvName.Split(':')[0];
        return All.FirstOrDefault(e => e.OsvName.Length > 0 && e.OsvName.Equals(baseName, StringComparison.Ordinal));
    }

    /// Splits an ecosystem-native package name into purl namespace and name.
    public (string? Namespace, string Name) SplitName(string fullName)
    {
        switch (PurlType)
        {
            case "maven":
            {
                var colon = fullName.IndexOf(':');
                return colon > 0 ? (fullName[..colon], fullName[(colon + 1)..]) : (null, fullName);
            }
            case "npm":
                if (fullName.StartsWith('@'))
                {
                    var slash = fullName.IndexOf('/');
                    if (slash > 0) return (fullName[..slash], fullName[(slash + 1)..]);
                }
                return (null, fullName);
            case "golang" or "composer" or "githubactions" or "swift":
            {
                var slash = fullName.LastIndexOf('/');
                return slash > 0 ? (fullName[..slash], fullName[(slash + 1)..]) : (null, fullName);
            }
            default:
                return (null, fullName);
        }
    }

    public Purl PurlFor(string fullName, string? version, IEnumerable<KeyValuePair<string, string>>? qualifiers = null)
    {
        var (ns, name) = SplitName(fullName);
        return new Purl(PurlType, ns, name, version, qualifiers);
    }

    public override string ToString() => DisplayName;
}
