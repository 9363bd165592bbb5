// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// One package as an npm-family lockfile records it, before edges are turned into purls. Every npm cataloger
/// (package-lock, yarn, pnpm, node_modules) fills these and hands them to <see cref="ToPackages"/>.
internal sealed class NpmEntry(string name, string version)
{
    /// The real package name (the target of an alias, not the alias).
    public string Name { get; set; } = name;
    public string Version { get; set; } = version;
    public int? Line { get; set; }
    public Scope Scope { get; set; } = Scope.Required;
    /// The scope came from the lockfile itself; graph-derived scopes must not override it.
    public bool ScopeIsStated { get; set; }
    public bool IsRoot { get; set; }
    /// The name this package is installed under when it differs from <see cref="Name"/> ("npm:real@1.2.3").
    public string? Alias { get; set; }
    public string? Integrity { get; set; }
    /// Where the package was fetched from: a tarball URL, a git URL, a path.
    public string? Resolved { get; set; }
    /// bulwark:source for sources that are not the registry; null for the registry.
    public string? Source { get; set; }
    public List<string> Licenses { get; } = [];
    public List<Digest> Hashes { get; } = [];
    // a plain dictionary: the package's own property map sorts them (a SortedDictionary's enumerator is JIT-compiled)
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);
    /// Direct dependencies, resolved to other entries of the same file.
    public List<NpmEntry> DependsOn { get; } = [];

    public Purl Purl => _purl ??= Ecosystem.Npm.PurlFor(Name, Version.Length == 0 ? null : Version);
    private Purl? _purl;

    /// Builds one package per distinct purl: sightings of the same name and version (npm's duplicated installs,
    /// pnpm's peer variants) are merged, the stronger scope winning.
    public static IReadOnlyList<Package> ToPackages(IEnumerable<NpmEntry> entries, CatalogInput input)
    {
        var byPurl = new Dictionary<Purl, Package>();
        foreach (var e in entries)
        {
            var location = e.Line is { } line ? input.LocationAt(line) : input.Location;
            var p = Package.Create(Ecosystem.Npm, e.Name, e.Version, location) with
            {
                Scope = e.Scope,
                IsRoot = e.IsRoot,
                Kind = e.IsRoot ? PackageKind.Application : PackageKind.Library,
                Licenses = [.. e.Licenses],
                Hashes = [.. e.Hashes],
                DependsOn = [.. e.DependsOn.Select(d => d.Purl).Where(d => !d.Equals(e.Purl)).Distinct()],
                ExternalReferences = References(e),
            };
            if (e.Integrity is not null && Digest.TryParseIntegrity(e.Integrity, out var digest) && !HasHash(e.Hashes, digest))
                p = p with { Hashes = p.Hashes.Add(digest) };
            p = p.WithProperty("bulwark:source", e.Source).WithProperty("npm:alias", e.Alias);
            foreach (var (k, v) in e.Properties) p = p.WithProperty(k, v);
            byPurl[p.Purl] = byPurl.TryGetValue(p.Purl, out var seen) ? seen.Merge(p) : p;
        }
        return [.. byPurl.Values.OrderBy(p => p.Purl)];
    }

    // field by field: Contains would build EqualityComparer<Digest>.Default by reflection (and JIT-compile it) at start
    private static bool HasHash(List<Digest> hashes, Digest digest)
    {
        foreach (var h in hashes)
            if (h.Algorithm == digest.Algorithm && string.Equals(h.Hex, digest.Hex, StringComparison.Ordinal)) return true;
        return false;
    }

    private static ImmutableArray<ExternalReference> References(NpmEntry e)
    {
        if (string.IsNullOrEmpty(e.Resolved)) return [];
        return e.Source switch
        {
            // a commit archive is both: the repository at a commit, downloaded as a tarball
            "git" when NpmSources.GitHubArchiveRepository(e.Resolved) is { } repository =>
                [new("vcs", repository), new("distribution", e.Resolved)],
            "git" => [new("vcs", e.Resolved)],
            "path" or "workspace" => [],
            _ => [new("distribution", StripFragment(e.Resolved))],
        };
    }

    /// yarn appends "#sha1" to tarball URLs; the fragment is a checksum, not part of the address.
    internal static string StripFragment(string url)
    {
        var hash = url.IndexOf('#');
        return hash < 0 ? url : url[..hash];
    }

    /// Adds a license as the source states it; blank values are ignored.
    public void AddLicense(string? license)
    {
        if (!string.IsNullOrWhiteSpace(license) && !Licenses.Contains(license.Trim())) Licenses.Add(license.Trim());
    }
}
