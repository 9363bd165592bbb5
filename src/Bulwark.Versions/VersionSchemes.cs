// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Go;
using Bulwark.Versions.Pep440;
using Bulwark.Versions.Semver;

namespace Bulwark.Versions;

/// The one map from OSV ecosystem names to version schemes. An unknown ecosystem is an error, never string order.
public static class VersionSchemes
{
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
        _ => throw new UnsupportedEcosystemException(osvEcosystem),
    };

    /// SemVer 2.0.0 precedence, parsing with <see cref="SemVersionStyles.Lenient"/>.
    public static VersionScheme SemVer { get; } = VersionScheme.Of<SemVersion>("SemVer", SemVersion.ParseLenient, SemVersion.TryParseLenient);

    /// PEP 440.
    public static VersionScheme Pep440 { get; } = VersionScheme.Of<Pep440Version>("PEP 440", Pep440Version.Parse, Pep440Version.TryParse);

    /// Go module versions, with or without the "v".
    public static VersionScheme Go { get; } = VersionScheme.Of<GoVersion>("Go", GoVersion.Parse, GoVersion.TryParse);
}
