// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Go;
using Bulwark.Versions.Pep440;
using Bulwark.Versions.Semver;

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
        // OSV SEMVER data: strict SemVer 2.0.0 in the records, parsed leniently so "introduced: 0" and "v1.2" work
        "npm" or "crates.io" or "Hex" or "SwiftURL" or "GitHub Actions" => SemVer,
        "PyPI" => Pep440,
        "Go" => Go,
        "Debian" or "Ubuntu" => Debian.DebianVersion.Scheme,
        "Alpine" or "Wolfi" or "Chainguard" => Apk.ApkVersion.Scheme,
        "Red Hat" or "AlmaLinux" or "Rocky Linux" or "openSUSE" or "SUSE" or "Mageia" => Rpm.RpmVersion.Scheme,
        "Maven" => Maven,
        "NuGet" => NuGet,
        "RubyGems" => RubyGems,
        "Packagist" => Packagist,
        "Pub" => Pub,
        _ => throw new UnsupportedEcosystemException(osvEcosystem),
    };

    /// SemVer 2.0.0 precedence, parsing with <see cref="SemVersionStyles.Lenient"/>.
    public static VersionScheme SemVer { get; } = VersionScheme.Of<SemVersion>("SemVer", SemVersion.ParseLenient, SemVersion.TryParseLenient);

    /// PEP 440.
    public static VersionScheme Pep440 { get; } = VersionScheme.Of<Pep440Version>("PEP 440", Pep440Version.Parse, Pep440Version.TryParse);

    /// Go module versions, with or without the "v".
    public static VersionScheme Go { get; } = VersionScheme.Of<GoVersion>("Go", GoVersion.Parse, GoVersion.TryParse);
}
