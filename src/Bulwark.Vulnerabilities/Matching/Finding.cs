// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;
using Bulwark.Core.Cvss;

namespace Bulwark.Vulnerabilities.Matching;

/// Whether a finding is a known vulnerability or a package reported as malicious (OSSF malicious-packages, MAL-…).
public enum FindingKind { Vulnerability = 0, Malicious = 1 }

/// Why one record matched one package: the affected entry and the range event (or versions-list entry) that applied.
/// <param name="RecordId">The OSV record that matched ("GHSA-…", "DSA-5432-1", "MAL-2024-1").</param>
/// <param name="Ecosystem">The affected entry's ecosystem as the record spells it ("npm", "Debian:12").</param>
/// <param name="Name">The affected entry's package name as the record spells it (for Debian, the source package).</param>
/// <param name="RangeType">ECOSYSTEM or SEMVER; null when the version was found in the entry's <c>versions</c> list.</param>
/// <param name="Introduced">The introduced event of the interval that contains the installed version ("0" = every earlier version).</param>
/// <param name="Fixed">The fixed event closing that interval, if any.</param>
/// <param name="LastAffected">The last_affected event closing that interval, if any.</param>
/// <param name="Limit">The limit event closing that interval, if any.</param>
/// <param name="Explanation">One sentence a user can check by hand: "2.36-9 is at or above 0 and below 2.36-9+deb12u3 (fixed)".</param>
public sealed record MatchEvidence(
    string RecordId,
    string Ecosystem,
    string Name,
    string? RangeType,
    string? Introduced,
    string? Fixed,
    string? LastAffected,
    string? Limit,
    string Explanation);

/// One vulnerability (all its aliases merged) in one package. Findings are values: sorted, comparable, deterministic.
public sealed record Finding
{
    /// The id shown first: the id of the record that matched, preferring the source's own advisory over an alias
    /// (GHSA-…, PYSEC-…, GO-…, DSA-…, RUSTSEC-…); CVE ids appear in <see cref="Ids"/>.
    public required string Id { get; init; }
    /// Every id this vulnerability is known by (matched records' ids and their aliases), sorted ordinally, Id included.
    public required ImmutableArray<string> Ids { get; init; }
    public required FindingKind Kind { get; init; }
    /// The package as the SBOM (or cataloger) described it, locations and layers included.
    public required Package Package { get; init; }
    /// The installed version that was compared (the package's version, or the source package's for distro packages).
    public required string InstalledVersion { get; init; }
    public string? Summary { get; init; }
    /// The winning severity (highest applicable; computed from CVSS vectors first), null when no record states one.
    public SeverityRating? Severity { get; init; }
    /// Every rating considered, for "why this severity".
    public ImmutableArray<SeverityRating> Ratings { get; init; } = [];
    /// The first version that leaves every matched interval of every merged record (the largest of their fixed events,
    /// all above the installed version); null when any matched interval has no fixed event, i.e. some record knows no fix.
    public string? FixedVersion { get; init; }
    /// One entry per (record, affected entry, interval) that matched, sorted by record id.
    public required ImmutableArray<MatchEvidence> Evidence { get; init; }
    /// Reference URLs from the matched records, advisory first, deduplicated, sorted.
    public ImmutableArray<string> References { get; init; } = [];
    /// True when a project root (or the SBOM subject) depends on the package directly; null when the SBOM has no graph.
    public bool? Direct { get; init; }
    /// One shortest dependency path from a root to the package, root first and the package last; empty when unknown.
    public ImmutableArray<Purl> DependencyPath { get; init; } = [];
    public DateTimeOffset? Published { get; init; }
    public DateTimeOffset? Modified { get; init; }

    /// Sort key: package purl, then id.
    public static int Compare(Finding a, Finding b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var c = string.CompareOrdinal(a.Package.Purl.ToString(), b.Package.Purl.ToString());
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }
}

/// Why a package could not be matched at all: not a silent "no findings".
public enum UnmatchableReason
{
    /// The component has no purl and its name/ecosystem were not enough to make one (e.g. a CPE-only component).
    NoPurl,
    /// The package names no version.
    NoVersion,
    /// The ecosystem has no OSV data or no version ordering here (pkg:generic, pkg:github, …).
    UnsupportedEcosystem,
    /// The version does not parse in the ecosystem's scheme.
    InvalidVersion,
    /// A distro package (deb, apk, rpm) whose purl names no release (no `distro` qualifier) or one OSV has no name for:
    /// advisories are per release ("Debian:12"), so it is not matched rather than matched against every release.
    UnknownRelease,
}

/// A package the matcher could not evaluate, and why.
public sealed record UnmatchablePackage(Package Package, UnmatchableReason Reason, string Detail);

/// A record that names the package but could not be evaluated (a range event that does not parse, say): reported, never guessed.
public sealed record MatchProblem(Purl Package, string RecordId, string Detail);

/// Everything a match of one SBOM against the database produced.
public sealed record MatchResult
{
    /// Findings, sorted by <see cref="Finding.Compare"/>.
    public required ImmutableArray<Finding> Findings { get; init; }
    public ImmutableArray<UnmatchablePackage> Unmatchable { get; init; } = [];
    public ImmutableArray<MatchProblem> Problems { get; init; } = [];
    /// How many packages were looked up.
    public int PackagesMatched { get; init; }
    /// Whole-scan caveats a user must see, sorted: e.g. that no record naming the scanned packages covers their distro
    /// release ("Debian:12"), so an empty result there says nothing about safety.
    public ImmutableArray<string> Warnings { get; init; } = [];
}
