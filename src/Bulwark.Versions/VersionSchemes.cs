// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions;

/// The one map from OSV ecosystem names to version schemes. An unknown ecosystem is an error, never string order.
public static class VersionSchemes
{
    /// The scheme for an OSV ecosystem ("npm", "PyPI", "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS").
    public static VersionScheme For(string osvEcosystem) => osvEcosystem.Split(':')[0] switch
    {
        // each scheme engineer adds their lines here, e.g.: "Debian" or "Ubuntu" => Debian,
        "Debian" or "Ubuntu" => Debian.DebianVersion.Scheme,
        "Alpine" or "Wolfi" or "Chainguard" => Apk.ApkVersion.Scheme,
        "Red Hat" or "AlmaLinux" or "Rocky Linux" or "openSUSE" or "SUSE" or "Mageia" => Rpm.RpmVersion.Scheme,
        _ => throw new UnsupportedEcosystemException(osvEcosystem),
    };
}
