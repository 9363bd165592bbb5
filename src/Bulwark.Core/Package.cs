// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;

namespace Bulwark.Core;

/// How a package is needed by the project that declares it. Order matters: a lower value is the stronger need.
public enum Scope { Required = 0, Optional = 1, Dev = 2 }

/// What kind of thing a package is, as CycloneDX's component type names it.
public enum PackageKind { Library, Application, Framework, OperatingSystem, Container, File, Firmware, Device, Platform, Data, Other }

/// An external reference to a package: a homepage, repository, distribution URL, advisory…
public sealed record ExternalReference(string Type, string Url) : IComparable<ExternalReference>
{
    public int CompareTo(ExternalReference? other) =>
        other is null ? 1 : string.CompareOrdinal(Type, other.Type) is var c and not 0 ? c : string.CompareOrdinal(Url, other.Url);
}

/// One software package. Its identity is its normalised purl (DESIGN.md): packages with equal purls are the same
/// package, and <see cref="Merge"/> combines what each sighting knows.
public sealed record Package
{
    public required Ecosystem Ecosystem { get; init; }
    /// The name as the ecosystem writes it: "@babel/core", "org.apache.logging.log4j:log4j-core", "github.com/a/b".
    public required string Name { get; init; }
    /// The version as the source states it; empty when the source states none.
    public required string Version { get; init; }
    public required Purl Purl { get; init; }
    /// True when the purl was made up by a reader because the source gave none (pkg:generic/…); writers omit it.
    public bool PurlIsSynthetic { get; init; }
    public PackageKind Kind { get; init; } = PackageKind.Library;
    public Scope Scope { get; init; } = Scope.Required;
    /// True for a project's own root (the package a lockfile or manifest describes), not a dependency.
    public bool IsRoot { get; init; }
    public ImmutableArray<Digest> Hashes { get; init; } = [];
    /// Declared licenses as SPDX license expressions (or LicenseRef-… for unknown text).
    public ImmutableArray<string> Licenses { get; init; } = [];
    /// A license a reviewer or tool concluded, when a read SBOM says so.
    public string? ConcludedLicense { get; init; }
    public ImmutableArray<FileLocation> Locations { get; init; } = [];
    /// Direct dependencies of this package, by purl.
    public ImmutableArray<Purl> DependsOn { get; init; } = [];
    public ImmutableArray<ExternalReference> ExternalReferences { get; init; } = [];
    public ImmutableArray<string> Cpes { get; init; } = [];
    /// Names of the catalogers (or readers) that reported this package.
    public ImmutableArray<string> FoundBy { get; init; } = [];
    public string? Description { get; init; }
    public string? Supplier { get; init; }
    public string? Author { get; init; }
    public string? Copyright { get; init; }
    /// Extra facts as name/value pairs ("bulwark:source" = "git", "npm:alias" = "…"), sorted by name.
    public ImmutableSortedDictionary<string, string> Properties { get; init; } = OrdinalMap.Empty;

    /// Creates a package of an ecosystem from its native name and version, found at one location.
    public static Package Create(Ecosystem ecosystem, string name, string? version, FileLocation? location = null,
        IEnumerable<KeyValuePair<string, string>>? purlQualifiers = null) => new()
        {
            Ecosystem = ecosystem,
            Name = name,
            Version = version ?? "",
            Purl = ecosystem.PurlFor(name, string.IsNullOrEmpty(version) ? null : version, purlQualifiers),
            Locations = location is null ? [] : [location],
        };

    public Package WithProperty(string name, string? value) =>
        string.IsNullOrEmpty(value) ? this : this with { Properties = Properties.SetItem(name, value) };

    /// Combines two sightings of the same package (same purl): locations, hashes, licenses, edges and sources
    /// are unioned; the stronger scope wins; where the sightings disagree on a single value, the ordinally smaller
    /// one wins. The merge is commutative and associative, so the result does not depend on the order in which
    /// files were read (catalogers run in parallel; output must be deterministic).
    public Package Merge(Package other)
    {
        if (!Purl.Equals(other.Purl))
            throw new ArgumentException($"Cannot merge {other.Purl} into {Purl}: different packages.", nameof(other));
        var props = Properties;
        foreach (var (k, v) in other.Properties)
            if (!props.TryGetValue(k, out var mine) || string.CompareOrdinal(v, mine) < 0) props = props.SetItem(k, v);
        return this with
        {
            Name = Smaller(Name, other.Name)!,
            Version = Smaller(Version, other.Version)!,
            PurlIsSynthetic = PurlIsSynthetic && other.PurlIsSynthetic,
            // a specific kind beats the default Library; two specific kinds: the lower enum value
            Kind = Kind == PackageKind.Library ? other.Kind : other.Kind == PackageKind.Library ? Kind : (PackageKind)Math.Min((int)Kind, (int)other.Kind),
            Scope = (Scope)Math.Min((int)Scope, (int)other.Scope),
            IsRoot = IsRoot || other.IsRoot,
            Hashes = Union(Hashes, other.Hashes, DigestOrder.Instance),
            Licenses = Union(Licenses, other.Licenses, StringComparer.Ordinal),
            ConcludedLicense = Smaller(ConcludedLicense, other.ConcludedLicense),
            Locations = Union(Locations, other.Locations),
            DependsOn = Union(DependsOn, other.DependsOn),
            ExternalReferences = Union(ExternalReferences, other.ExternalReferences),
            Cpes = Union(Cpes, other.Cpes, StringComparer.Ordinal),
            FoundBy = Union(FoundBy, other.FoundBy, StringComparer.Ordinal),
            Description = Smaller(Description, other.Description),
            Supplier = Smaller(Supplier, other.Supplier),
            Author = Smaller(Author, other.Author),
            Copyright = Smaller(Copyright, other.Copyright),
            Properties = props,
        };
    }

    /// Merges sightings of one package. <see cref="Merge"/> is commutative and associative, so merging in a balanced
    /// tree gives the same package as folding left to right, in O(n log n) list work instead of the O(n²) of a fold
    /// when a hostile file names one package n times (a fold copies the growing location list at every step).
    public static Package MergeAll(IReadOnlyList<Package> sightings)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sightings.Count);
        var level = sightings;
        while (level.Count > 1)
        {
            var next = new List<Package>((level.Count + 1) / 2);
            for (var i = 0; i + 1 < level.Count; i += 2) next.Add(level[i].Merge(level[i + 1]));
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }

    // the non-empty one; of two non-empty values the ordinally smaller (null and "" lose)
    private static string? Smaller(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? (string.IsNullOrEmpty(b) ? a ?? b : b)
        : string.IsNullOrEmpty(b) ? a
        : string.CompareOrdinal(a, b) <= 0 ? a : b;

    /// Returns the package with every list sorted and de-duplicated, as writers expect.
    public Package Normalised() => this with
    {
        Hashes = Union(Hashes, [], DigestOrder.Instance),
        Licenses = Union(Licenses, [], StringComparer.Ordinal),
        Locations = Union(Locations, []),
        DependsOn = Union(DependsOn.Where(d => !d.Equals(Purl)).ToImmutableArray(), []),
        ExternalReferences = Union(ExternalReferences, []),
        Cpes = Union(Cpes, [], StringComparer.Ordinal),
        FoundBy = Union(FoundBy, [], StringComparer.Ordinal),
    };

    private static ImmutableArray<T> Union<T>(ImmutableArray<T> a, ImmutableArray<T> b, IComparer<T>? comparer = null)
    {
        var set = new SortedSet<T>(comparer ?? Comparer<T>.Default);
        foreach (var x in a) set.Add(x);
        foreach (var x in b) set.Add(x);
        return [.. set];
    }
}
