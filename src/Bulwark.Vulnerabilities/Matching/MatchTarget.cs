// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Core;
using Bulwark.Versions;

namespace Bulwark.Vulnerabilities.Matching;

/// How an affected entry's ecosystem relates to a package: not at all, the package's release, or that release's
/// extended-support stream (Ubuntu Pro/ESM), which is the later word on the release when a record has both.
internal enum ReleaseFit { None = 0, Standard = 1, ExtendedSupport = 2 }

/// What one package is looked up and compared as: the database folder and normalised name, which affected ecosystems
/// apply, the version compared (for Debian/Ubuntu the source package's) and the scheme that orders it.
internal sealed record MatchTarget(
    string Folder,
    string Name,
    string DisplayName,
    string Version,
    IComparable ParsedVersion,
    VersionScheme Scheme,
    bool IsDistro,
    IReadOnlyList<string> StandardEcosystems,
    IReadOnlyList<string> ExtendedEcosystems)
{
    /// Whether an affected entry's ecosystem string applies to this package. Distro packages only see their own release.
    public ReleaseFit Fit(string ecosystem)
    {
        if (!IsDistro)
        {
            // the base ecosystem ("npm" of "npm", "Debian" of "Debian:12"), compared without cutting a new string
            var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
            return ecosystem.AsSpan(0, colon < 0 ? ecosystem.Length : colon).SequenceEqual(Folder) ? ReleaseFit.Standard : ReleaseFit.None;
        }
        // indexed: an interface foreach would allocate an enumerator per call (called per entry per package)
        for (var i = 0; i < StandardEcosystems.Count; i++) if (StandardEcosystems[i] == ecosystem) return ReleaseFit.Standard;
        for (var i = 0; i < ExtendedEcosystems.Count; i++) if (ExtendedEcosystems[i] == ecosystem) return ReleaseFit.ExtendedSupport;
        return ReleaseFit.None;
    }
}

/// Maps a package to its <see cref="MatchTarget"/>, or says why it cannot be matched.
/// <remarks>
/// Distro packages (pkg:deb, pkg:apk, pkg:rpm) are matched only against their own release: the `distro` qualifier
/// (ours and Syft's "debian-12", "alpine-3.19.1", "almalinux-9.3"; Trivy's "debian-12.2" and bare "3.19.1") names it, and OSV
/// spells it "Debian:12", "Ubuntu:22.04:LTS" (or "Ubuntu:23.10", and "Ubuntu:Pro:18.04:LTS" for ESM), "Alpine:v3.19",
/// "AlmaLinux:9", "Rocky Linux:9". A distro package whose purl names no release is reported unmatchable
/// (<see cref="UnmatchableReason.UnknownRelease"/>) rather than matched against every release: another release's fix
/// state would be wrong for it either way (a false "fixed" or a false "affected").
/// Debian and Ubuntu records name source packages, so the `upstream` qualifier ("glibc" or "glibc@2.36-9") gives the
/// name, and its version (when given) is the one compared; Alpine records name the origin package (`upstream` too).
/// AlmaLinux and Rocky records name binary rpms with "epoch:version-release", so the `epoch` qualifier is put back.
/// </remarks>
internal static class MatchTargets
{
    public static MatchTarget? For(Package package, out UnmatchableReason reason, out string detail)
    {
        reason = default;
        detail = "";
        var purl = package.Purl;
        if (package.PurlIsSynthetic)
        {
            reason = UnmatchableReason.NoPurl;
            detail = package.Cpes.IsDefaultOrEmpty
                ? "The component has no package URL, so its ecosystem is unknown; add a purl to match it."
                : $"The component is identified only by CPE ({package.Cpes[0]}); CPEs are not matched against OSV data, which is keyed by package URL.";
            return null;
        }

        var version = purl.Version ?? (package.Version.Length > 0 ? package.Version : null);
        return purl.Type switch
        {
            "deb" => Debian(package, version, out reason, out detail),
            "apk" => Alpine(package, version, out reason, out detail),
            "rpm" => Rpm(package, version, out reason, out detail),
            _ => Language(package, version, out reason, out detail),
        };
    }

    private static MatchTarget? Language(Package package, string? version, out UnmatchableReason reason, out string detail)
    {
        var purl = package.Purl;
        var ecosystem = Ecosystem.FromPurlType(purl.Type);
        if (ecosystem is null || ecosystem.OsvName.Length == 0)
        {
            reason = UnmatchableReason.UnsupportedEcosystem;
            detail = $"Package type '{purl.Type}' has no OSV ecosystem, so there is no advisory data to match it against.";
            return null;
        }
        var name = purl.Type switch
        {
            "maven" => purl.Namespace is null ? purl.Name : $"{purl.Namespace}:{purl.Name}",
            _ => purl.Namespace is null ? purl.Name : $"{purl.Namespace}/{purl.Name}",
        };
        // Go's standard library and toolchain are versioned "go1.21.3" by some tools; OSV writes "1.21.3"
        if (purl.Type == "golang" && name is "stdlib" or "toolchain" && version is not null && version.StartsWith("go", StringComparison.Ordinal))
            version = version[2..];
        return Make(ecosystem.OsvName, name, name, version, isDistro: false, [], [], out reason, out detail);
    }

    private static MatchTarget? Debian(Package package, string? version, out UnmatchableReason reason, out string detail)
    {
        var purl = package.Purl;
        var (sourceName, sourceVersion) = Upstream(purl.Qualifier("upstream"));
        var name = sourceName ?? purl.Name;
        version = sourceVersion ?? WithEpoch(version, purl.Qualifier("epoch"));
        var (id, release) = Distro(purl);
        switch (id)
        {
            case "debian":
                if (release is null) return NoRelease(package, "Debian", "debian-12", out reason, out detail);
                var debian = DebianRelease(release);
                if (debian is null) return BadRelease(package, release, "Debian", out reason, out detail);
                return Make("Debian", name, Shown(purl.Name, name), version, isDistro: true, [$"Debian:{debian}"], [], out reason, out detail);
            case "ubuntu":
                if (release is null) return NoRelease(package, "Ubuntu", "ubuntu-22.04", out reason, out detail);
                var ubuntu = UbuntuRelease(release);
                if (ubuntu is null) return BadRelease(package, release, "Ubuntu", out reason, out detail);
                return Make("Ubuntu", name, Shown(purl.Name, name), version, isDistro: true,
                    [$"Ubuntu:{ubuntu}", $"Ubuntu:{ubuntu}:LTS"], [$"Ubuntu:Pro:{ubuntu}:LTS"], out reason, out detail);
            default:
                return Unsupported(package, id, out reason, out detail);
        }
    }

    private static MatchTarget? Alpine(Package package, string? version, out UnmatchableReason reason, out string detail)
    {
        var purl = package.Purl;
        var (origin, _) = Upstream(purl.Qualifier("upstream"));
        var name = origin ?? purl.Name;
        var (id, release) = Distro(purl);
        switch (id)
        {
            case "alpine":
                if (release is null) return NoRelease(package, "Alpine", "alpine-3.19.1", out reason, out detail);
                var parts = release.Split('.');
                if (parts.Length < 2 || !IsNumber(parts[0]) || !IsNumber(Digits(parts[1])))
                    return BadRelease(package, release, "Alpine", out reason, out detail);
                return Make("Alpine", name, Shown(purl.Name, name), version, isDistro: true,
                    [$"Alpine:v{int.Parse(parts[0], CultureInfo.InvariantCulture)}.{int.Parse(Digits(parts[1]), CultureInfo.InvariantCulture)}"], [], out reason, out detail);
            case "wolfi" or "chainguard":
                // Wolfi and Chainguard are rolling: OSV names no release
                var rolling = id == "wolfi" ? "Wolfi" : "Chainguard";
                return Make(rolling, name, Shown(purl.Name, name), version, isDistro: true, [rolling], [], out reason, out detail);
            default:
                return Unsupported(package, id, out reason, out detail);
        }
    }

    private static MatchTarget? Rpm(Package package, string? version, out UnmatchableReason reason, out string detail)
    {
        var purl = package.Purl;
        version = WithEpoch(version, purl.Qualifier("epoch"));
        var (id, release) = Distro(purl);
        var osv = id switch { "almalinux" => "AlmaLinux", "rocky" or "rocky-linux" => "Rocky Linux", _ => null };
        if (osv is null) return Unsupported(package, id, out reason, out detail);
        if (release is null) return NoRelease(package, osv, id + "-9.3", out reason, out detail);
        var major = release.Split('.')[0];
        if (!IsNumber(major)) return BadRelease(package, release, osv, out reason, out detail);
        return Make(osv, purl.Name, purl.Name, version, isDistro: true, [$"{osv}:{int.Parse(major, CultureInfo.InvariantCulture)}"], [], out reason, out detail);
    }

    private static MatchTarget? Make(string folder, string name, string displayName, string? version, bool isDistro,
        IReadOnlyList<string> standard, IReadOnlyList<string> extended, out UnmatchableReason reason, out string detail)
    {
        reason = default;
        detail = "";
        VersionScheme scheme;
        try
        {
            scheme = VersionSchemes.For(folder);
        }
        catch (UnsupportedEcosystemException e)
        {
            reason = UnmatchableReason.UnsupportedEcosystem;
            detail = e.Message;
            return null;
        }
        if (string.IsNullOrWhiteSpace(version))
        {
            reason = UnmatchableReason.NoVersion;
            detail = $"{displayName} names no version, so no advisory range can be evaluated; pin or record the installed version.";
            return null;
        }
        if (!scheme.TryParse(version, out var parsed))
        {
            reason = UnmatchableReason.InvalidVersion;
            detail = $"'{version}' is not a valid {scheme.Name} version, so it cannot be compared with {folder} advisories.";
            return null;
        }
        return new MatchTarget(folder, PackageNames.Normalise(folder, name), displayName, version, parsed, scheme, isDistro, standard, extended);
    }

    private static MatchTarget? NoRelease(Package package, string distro, string example, out UnmatchableReason reason, out string detail)
    {
        reason = UnmatchableReason.UnknownRelease;
        detail = $"{package.Purl} names no {distro} release (no 'distro' qualifier such as distro={example}); "
            + "advisories are per release, so it is not matched rather than matched against every release.";
        return null;
    }

    private static MatchTarget? BadRelease(Package package, string release, string distro, out UnmatchableReason reason, out string detail)
    {
        reason = UnmatchableReason.UnknownRelease;
        detail = $"{package.Purl}: '{release}' is not a {distro} release this matcher knows how to name in OSV, so it is not matched.";
        return null;
    }

    private static MatchTarget? Unsupported(Package package, string distro, out UnmatchableReason reason, out string detail)
    {
        reason = UnmatchableReason.UnsupportedEcosystem;
        detail = $"{package.Purl}: there is no OSV advisory data for '{distro}' packages here.";
        return null;
    }

    private static string Shown(string binary, string source) => binary == source ? binary : $"{binary} (source {source})";

    // "glibc@2.36-9" → (glibc, 2.36-9); "glibc" → (glibc, null)
    private static (string? Name, string? Version) Upstream(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (null, null);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return (value.Trim(), null);
        var name = value[..at].Trim();
        var version = value[(at + 1)..].Trim();
        return (name.Length == 0 ? null : name, version.Length == 0 ? null : version);
    }

    // Trivy and Syft (rpm) put the epoch in a qualifier; OSV versions carry it as "epoch:"
    private static string? WithEpoch(string? version, string? epoch) =>
        version is null || string.IsNullOrEmpty(epoch) || epoch == "0" || version.Contains(':', StringComparison.Ordinal) ? version : $"{epoch}:{version}";

    /// The distro id and release from the `distro` qualifier: "debian-12" (ours, Syft), "debian-12.2" (Trivy), "3.19.1"
    /// (Trivy's apk: the id is the purl namespace), "bookworm" (a codename). The id falls back to the namespace.
    internal static (string Id, string? Release) Distro(Purl purl)
    {
        var ns = (purl.Namespace ?? "").ToLowerInvariant();
        var distro = purl.Qualifier("distro")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(distro)) return (ns, null);
        if (char.IsAsciiDigit(distro[0])) return (ns, distro);
        var dash = distro.LastIndexOf('-');
        // "rocky-linux-9.3": the release is after the last dash when it starts with a digit
        if (dash > 0 && dash < distro.Length - 1 && char.IsAsciiDigit(distro[dash + 1])) return (distro[..dash], distro[(dash + 1)..]);
        if (dash > 0) return (distro[..dash], distro[(dash + 1)..]);
        // a bare codename ("bookworm") or a bare id with no release ("debian")
        return distro == ns ? (ns, null) : (ns, distro);
    }

    private static readonly Dictionary<string, string> DebianCodenames = new(StringComparer.Ordinal)
    {
        ["woody"] = "3.0", ["sarge"] = "3.1", ["etch"] = "4", ["lenny"] = "5", ["squeeze"] = "6", ["wheezy"] = "7", ["jessie"] = "8",
        ["stretch"] = "9", ["buster"] = "10", ["bullseye"] = "11", ["bookworm"] = "12", ["trixie"] = "13", ["forky"] = "14",
    };

    private static readonly Dictionary<string, string> UbuntuCodenames = new(StringComparer.Ordinal)
    {
        ["precise"] = "12.04", ["trusty"] = "14.04", ["xenial"] = "16.04", ["yakkety"] = "16.10", ["zesty"] = "17.04", ["artful"] = "17.10",
        ["bionic"] = "18.04", ["cosmic"] = "18.10", ["disco"] = "19.04", ["eoan"] = "19.10", ["focal"] = "20.04", ["groovy"] = "20.10",
        ["hirsute"] = "21.04", ["impish"] = "21.10", ["jammy"] = "22.04", ["kinetic"] = "22.10", ["lunar"] = "23.04", ["mantic"] = "23.10",
        ["noble"] = "24.04", ["oracular"] = "24.10", ["plucky"] = "25.04", ["questing"] = "25.10",
    };

    // OSV names Debian releases by major version ("Debian:12"), except 3.0 and 3.1 (woody, sarge)
    private static string? DebianRelease(string release)
    {
        if (DebianCodenames.TryGetValue(release, out var known)) return known;
        var parts = release.Split('.');
        if (!IsNumber(parts[0])) return null;
        var major = int.Parse(parts[0], CultureInfo.InvariantCulture);
        if (major == 3) return parts.Length > 1 && IsNumber(parts[1]) ? $"3.{int.Parse(parts[1], CultureInfo.InvariantCulture)}" : null;
        return major.ToString(CultureInfo.InvariantCulture);
    }

    // "22.04", "22.04.3" → "22.04"
    private static string? UbuntuRelease(string release)
    {
        if (UbuntuCodenames.TryGetValue(release, out var known)) return known;
        var parts = release.Split('.');
        return parts.Length >= 2 && IsNumber(parts[0]) && parts[1].Length == 2 && IsNumber(parts[1]) ? $"{parts[0]}.{parts[1]}" : null;
    }

    private static bool IsNumber(string s) => s.Length is > 0 and < 6 && s.All(char.IsAsciiDigit);

    // "20_alpha20240329" → "20"
    private static string Digits(string s) => new([.. s.TakeWhile(char.IsAsciiDigit)]);
}
