// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions;

/// The one map from OSV ecosystem names to version schemes. An unknown ecosystem is an error, never string order.
public static class VersionSchemes
{
    /// Maven's ComparableVersion order (Maven 3.8).
    public static VersionScheme Maven { get; } = VersionScheme.Of<Versions.Maven.MavenVersion>("Maven", Versions.Maven.MavenVersion.Parse, Versions.Maven.MavenVersion.TryParse);

    /// NuGet.Versioning's order.
    public static VersionScheme NuGet { get; } = VersionScheme.Of<Versions.NuGet.NuGetPackageVersion>("NuGet", Versions.NuGet.NuGetPackageVersion.Parse, Versions.NuGet.NuGetPackageVersion.TryParse);

    /// RubyGems' Gem::Version order.
    public static VersionScheme RubyGems { get; } = VersionScheme.Of<Versions.RubyGems.RubyGemsVersion>("RubyGems", Versions.RubyGems.RubyGemsVersion.Parse, Versions.RubyGems.RubyGemsVersion.TryParse);

    /// composer/semver's order (OSV calls the ecosystem Packagist).
    public static VersionScheme Packagist { get; } = VersionScheme.Of<Versions.Composer.ComposerVersion>("Packagist", Versions.Composer.ComposerVersion.Parse, Versions.Composer.ComposerVersion.TryParse);

    /// Dart pub_semver's order.
    public static VersionScheme Pub { get; } = VersionScheme.Of<Versions.Pub.PubVersion>("Pub", Versions.Pub.PubVersion.Parse, Versions.Pub.PubVersion.TryParse);

    /// The scheme for an OSV ecosystem ("npm", "PyPI", "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS").
    public static VersionScheme For(string osvEcosystem) => osvEcosystem.Split(':')[0] switch
    {
        // each scheme engineer adds their lines here, e.g.: "Debian" or "Ubuntu" => Debian,
        "Maven" => Maven,
        "NuGet" => NuGet,
        "RubyGems" => RubyGems,
        "Packagist" => Packagist,
        "Pub" => Pub,
        _ => throw new UnsupportedEcosystemException(osvEcosystem),
    };
}
