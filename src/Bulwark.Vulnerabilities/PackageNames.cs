// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Vulnerabilities;

/// The one place package names are normalised per OSV ecosystem, for both the database index and matching.
public static class PackageNames
{
    /// The key under which a package of this OSV ecosystem ("PyPI", "Debian:12", …) is indexed and looked up.
    public static string Normalise(string ecosystem, string name)
    {
        ArgumentNullException.ThrowIfNull(ecosystem);
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        return BaseEcosystem(ecosystem) switch
        {
            // PEP 503: lowercase, and runs of '-', '_' and '.' are one '-'
            "PyPI" => Pep503(name),
            // group:artifact; purls and some SBOMs spell it group/artifact. Maven Central treats coordinates as case-sensitive.
            "Maven" => name.Replace('/', ':'),
            // npm names are lowercase (legacy mixed-case names resolve case-insensitively on the registry); "@scope/name" kept whole
            "npm" => name.ToLowerInvariant(),
            // NuGet ids are case-insensitive
            "NuGet" => name.ToLowerInvariant(),
            // crates.io and Packagist names are case-insensitive on their registries
            "crates.io" or "Packagist" => name.ToLowerInvariant(),
            // Go module paths are case-sensitive and compared as written; RubyGems names too
            // Debian/Ubuntu records name the source package and Alpine records the origin package:
            // the caller passes the source/origin name, which is compared as written (lowercase by policy)
            _ => name,
        };
    }

    /// "Debian:12" → "Debian", "Ubuntu:Pro:14.04:LTS" → "Ubuntu": the folder a record sits in.
    public static string BaseEcosystem(string ecosystem)
    {
        ArgumentNullException.ThrowIfNull(ecosystem);
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? ecosystem : ecosystem[..colon];
    }

    private static string Pep503(string name)
    {
        var builder = new StringBuilder(name.Length);
        var inRun = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (!inRun) builder.Append('-');
                inRun = true;
            }
            else
            {
                builder.Append(char.ToLowerInvariant(c));
                inRun = false;
            }
        }
        return builder.ToString();
    }
}
