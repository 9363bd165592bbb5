// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Sbom.Normalisation;

/// Repairs and normalises the purls of an SBOM read from another tool, never guessing an ecosystem the document does not state.
/// - A component without a usable purl (the readers' synthetic pkg:generic) gets one when the document says which
///   ecosystem it belongs to: purl text that did not parse, an SPDX package-manager reference, a tool's own type
///   property (Syft, Trivy, cdxgen), or a registry URL as download location, supplier or homepage. Hints that
///   disagree, or one that names no ecosystem (Syft's "binary"), leave it unmatchable, as do a CPE or a name alone.
/// - A purl the document stated is only respelled (Go module path, npm scope or Maven coordinate in the name, a Go
///   version without its 'v'); case, PyPI '_' and percent-encoding are already canonical once <see cref="Purl"/> parses it.
/// - A deb, apk or rpm purl without a distro qualifier gets the one the SBOM's operating-system component names
///   (debian 12 → distro=debian-12), so the matcher can pick the release's data, when exactly one such OS fits.
public static class SbomNormaliser
{
    /// Records how a repaired purl was made, on the package itself, so a finding can say where its purl came from.
    public const string PurlSourceProperty = "bulwark:purl-from";

    // what the CycloneDX readers keep when a component's purl does not parse
    private const string InvalidCycloneDxPurl = "bulwark:cyclonedx-purl";

    public static NormalisedSbom Normalise(Sbom sbom)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        var systems = OperatingSystems(sbom.Packages);
        var changes = new List<PurlChange>();
        var unmatchable = new List<UnmatchableComponent>();
        var renamed = new Dictionary<Purl, Purl>();
        // sized up front: a large SBOM's tables are large objects, and each regrowth of one counts toward a full collection
        var packages = new Dictionary<Purl, Package>(sbom.Packages.Length);

        foreach (var original in sbom.Packages)
        {
            var p = original;
            var before = original.PurlIsSynthetic ? DocumentPurlText(original) : original.Purl.ToString();
            var steps = new List<(PurlChangeKind Kind, string Detail)>();
            string? reason = null;
            if (original.PurlIsSynthetic)
            {
                // the OS component itself is where distro qualifiers come from, not a package to match
                if (!IsOperatingSystem(original))
                {
                    if (Repair(original, systems, out var detail) is { } purl)
                    {
                        p = WithPurl(original, purl).WithProperty(PurlSourceProperty, detail);
                        steps.Add((PurlChangeKind.Repaired, detail));
                    }
                    else reason = detail;
                }
            }
            else
            {
                var respelled = PurlText.Respell(original.Purl);
                if (!respelled.Equals(original.Purl))
                {
                    p = WithPurl(original, respelled);
                    steps.Add((PurlChangeKind.Respelled, $"respelled {before} as {respelled}"));
                }
            }

            if (!p.PurlIsSynthetic && Distro(p.Purl, systems) is { } distro)
            {
                p = WithPurl(p, p.Purl.WithQualifier("distro", distro));
                var added = $"added distro={distro} from the SBOM's operating-system component";
                // a repaired purl is one change: how it was made, distro included
                if (steps is [(PurlChangeKind.Repaired, var how)])
                {
                    steps[0] = (PurlChangeKind.Repaired, $"{how}; {added}");
                    p = p.WithProperty(PurlSourceProperty, steps[0].Detail);
                }
                else steps.Add((PurlChangeKind.DistroAdded, added));
            }

            if (!p.Purl.Equals(original.Purl)) renamed[original.Purl] = p.Purl;
            packages[p.Purl] = packages.TryGetValue(p.Purl, out var seen) ? seen.Merge(p) : p;
            foreach (var (kind, detail) in steps) changes.Add(new PurlChange(before, p, kind, detail));
            if (reason is not null) unmatchable.Add(new UnmatchableComponent(p, reason));
        }

        if (renamed.Count == 0)
            return new NormalisedSbom(sbom, [.. changes], [.. unmatchable.OrderBy(u => u.Package.Purl)]);

        Purl Rename(Purl x) => renamed.TryGetValue(x, out var y) ? y : x;
        var result = sbom with
        {
            Subject = sbom.Subject with { DependsOn = [.. sbom.Subject.DependsOn.Select(Rename).Distinct().Order()] },
            Packages = [.. packages.Values.Select(p => (p with { DependsOn = [.. p.DependsOn.Select(Rename)] }).Normalised()).OrderBy(p => p.Purl)],
        };
        // report the packages as they are in the result (dependencies renamed)
        var byPurl = result.Packages.ToDictionary(p => p.Purl);
        return new NormalisedSbom(
            result,
            [.. changes.Select(c => c with { Package = byPurl[c.Package.Purl] }).OrderBy(c => c.Package.Purl).ThenBy(c => c.Kind)],
            [.. unmatchable.Select(u => u with { Package = byPurl[u.Package.Purl] }).OrderBy(u => u.Package.Purl)]);
    }

    private static string? InvalidText(Package p) => p.Properties.GetValueOrDefault(InvalidCycloneDxPurl);

    // the purl text a document gave for a component whose purl did not parse (CycloneDX purl, SPDX purl reference)
    private static string? DocumentPurlText(Package p) =>
        (InvalidText(p) ?? p.Properties.GetValueOrDefault(EcosystemHints.SpdxPackageManagerPrefix + "purl"))?.Trim();

    private static Package WithPurl(Package p, Purl purl) => p with
    {
        Purl = purl,
        PurlIsSynthetic = false,
        Ecosystem = Ecosystem.FromPurlType(purl.Type) ?? Ecosystem.Generic,
        Name = purl.FullName,
        Version = string.IsNullOrEmpty(p.Version) ? purl.Version ?? "" : p.Version,
    };

    private static bool IsOperatingSystem(Package p) =>
        p.Kind == PackageKind.OperatingSystem || p.Properties.GetValueOrDefault("bulwark:os") == "true";

    /// The operating systems the SBOM lists, as (id, version): "debian", "12".
    private static List<(string Id, string Version)> OperatingSystems(ImmutableArray<Package> packages)
    {
        var list = new List<(string, string)>();
        foreach (var p in packages)
        {
            if (!IsOperatingSystem(p)) continue;
            var id = (p.PurlIsSynthetic || p.Purl.Type == "generic" ? p.Purl.Name : p.Name).Trim().ToLowerInvariant();
            var version = p.Version.Trim();
            if (id.Length > 0 && version.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
                && !list.Contains((id, version)))
                list.Add((id, version));
        }
        return list;
    }

    private static readonly Dictionary<string, string[]> OsIdsByNamespace = new(StringComparer.Ordinal)
    {
        // purl namespaces that differ from the os-release ID (rpm: "redhat" for RHEL)
        ["redhat"] = ["rhel", "redhat"],
        ["almalinux"] = ["almalinux", "alma"],
    };

    /// The distro qualifier for an OS package purl that has none: the one OS of the SBOM its namespace names.
    private static string? Distro(Purl purl, List<(string Id, string Version)> systems)
    {
        if (purl.Type is not ("deb" or "apk" or "rpm") || purl.Qualifier("distro") is not null || systems.Count == 0) return null;
        var fits = systems.Where(s => purl.Namespace is null
            || s.Id == purl.Namespace
            || (OsIdsByNamespace.TryGetValue(purl.Namespace, out var ids) && ids.Contains(s.Id))).Distinct().ToList();
        return fits.Count == 1 ? $"{fits[0].Id}-{fits[0].Version}" : null;
    }

    /// A purl for a component that had none, from what the document says; null with the reason when it says too little.
    private static Purl? Repair(Package p, List<(string Id, string Version)> systems, out string detail)
    {
        var hints = new List<EcosystemHint>();
        if (InvalidText(p) is { } text && PurlText.Repair(text) is { } fromText && Ecosystem.FromPurlType(fromText.Type) is { } textEco)
            hints.Add(new EcosystemHint(textEco, $"the purl text '{text}'") { Purl = fromText });
        hints.AddRange(EcosystemHints.For(p));

        if (hints.Count == 0)
        {
            detail = p.Cpes.Length > 0 ? $"no package URL; only a CPE ({p.Cpes[0]})"
                : string.IsNullOrEmpty(p.Version) ? "no package URL; only a name"
                : "no package URL; only a name and version, which do not say the ecosystem";
            return null;
        }
        var ecosystems = hints.Select(h => h.Ecosystem).Distinct().ToList();
        if (ecosystems.Count > 1)
        {
            detail = "no package URL; the ecosystem hints disagree: " + string.Join(", ", hints.Select(h => $"{h.Source} says {h.Ecosystem?.OsvName ?? "no ecosystem"}"));
            return null;
        }
        if (ecosystems[0] is not { } eco)
        {
            detail = p.Cpes.Length > 0
                ? $"no package URL; only a CPE ({p.Cpes[0]}), and {hints[0].Source} names no package ecosystem"
                : $"no package URL; {hints[0].Source} names no package ecosystem";
            return null;
        }
        if (hints.FirstOrDefault(h => h.Purl is not null) is { Purl: { } statedPurl } statedHint)
        {
            detail = $"from {statedHint.Source}";
            return statedPurl;
        }

        var group = p.PurlIsSynthetic ? p.Purl.Namespace : null;
        var bare = p.PurlIsSynthetic ? p.Purl.Name : p.Name;
        var version = !string.IsNullOrEmpty(p.Version) ? p.Version : p.Purl.Version ?? hints.Select(h => h.Version).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var sources = string.Join(", ", hints.Select(h => h.Source).Distinct());
        var qualifiers = new List<KeyValuePair<string, string>>();
        string? ns;
        string name;
        if (eco == Ecosystem.Debian || eco == Ecosystem.Alpine || eco == Ecosystem.Rpm)
        {
            // OS packages: the namespace is the distribution, from the hint (Trivy's type, Syft's distro) or the SBOM's one OS
            ns = hints.Select(h => h.Namespace).FirstOrDefault(n => !string.IsNullOrEmpty(n))?.ToLowerInvariant()
                 ?? (systems.Count == 1 ? systems[0].Id : null);
            name = bare;
            var source = p.Properties.GetValueOrDefault(EcosystemHints.TrivySourceName) ?? p.Properties.GetValueOrDefault(EcosystemHints.SyftSource);
            // the source package, which Debian advisories name (purl-spec deb type: "upstream" qualifier)
            if (eco == Ecosystem.Debian && !string.IsNullOrEmpty(source) && source != name) qualifiers.Add(new("upstream", source));
        }
        else
        {
            var full = Join(eco, group, bare);
            foreach (var h in hints.Where(h => !string.IsNullOrEmpty(h.Name)))
            {
                var stated = Join(eco, h.Namespace, h.Name!);
                if (SameName(eco, full, stated)) continue;
                var (hintNs, hintName) = eco.SplitName(stated);
                var (pkgNs, pkgName) = eco.SplitName(full);
                if (pkgNs is null && hintNs is not null && string.Equals(pkgName, hintName, StringComparison.OrdinalIgnoreCase))
                {
                    full = stated;   // the hint adds what the component left out (npm scope, Maven group)
                    continue;
                }
                detail = $"no package URL; the name '{full}' disagrees with '{stated}' in {h.Source}";
                return null;
            }
            (ns, name) = eco.SplitName(full);
        }
        if (eco == Ecosystem.Maven && ns is null)
        {
            detail = $"no package URL; {sources} says Maven, but the component gives no groupId";
            return null;
        }
        if (eco == Ecosystem.Go) version = PurlText.GoVersion(ns, name, version);
        try
        {
            var purl = PurlText.Respell(new Purl(eco.PurlType, ns, name, version, qualifiers));
            detail = $"from {sources}";
            return purl;
        }
        catch (InvalidPurlException e)
        {
            detail = $"no package URL; {sources} says {eco.OsvName}, but name '{name}' does not make a valid purl ({e.Reason})";
            return null;
        }
    }

    // the ecosystem's own spelling of a namespace and name: "group:artifact", "@scope/name", "vendor/name"
    private static string Join(Ecosystem eco, string? group, string name)
    {
        if (string.IsNullOrEmpty(group)) return name;
        return eco.PurlType switch
        {
            "maven" => $"{group}:{name}",
            "npm" => $"{(group.StartsWith('@') ? group : "@" + group)}/{name}",
            "golang" or "composer" or "swift" or "githubactions" => $"{group}/{name}",
            _ => name,   // ecosystems without namespaces: a group is a vendor label, not part of the name
        };
    }

    private static bool SameName(Ecosystem eco, string a, string b)
    {
        try
        {
            return eco.PurlFor(a, null).Equals(eco.PurlFor(b, null));
        }
        catch (InvalidPurlException)
        {
            return false;
        }
    }
}
