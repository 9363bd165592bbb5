// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Vulnerabilities.Matching;

/// Matches an SBOM's packages against the vulnerability database.
/// <remarks>
/// Per package: <see cref="MatchTargets"/> gives the folder, normalised name, release and version; all packages are looked
/// up in one batched query (<see cref="VulnerabilityDatabase.LookupMany"/>: each block decompressed and each record parsed
/// once); every affected entry of the package's ecosystem (distros: of its release only) is evaluated by
/// <see cref="AffectedEvaluator"/>; records whose ids or aliases overlap are merged into one finding.
/// Withdrawn records never produce findings.
/// </remarks>
public sealed class Matcher(VulnerabilityDatabase database)
{
    private readonly VulnerabilityDatabase _database = database;

    /// Every finding, unmatchable package and record problem for the SBOM, sorted and deterministic.
    public MatchResult Match(Bulwark.Sbom.Sbom sbom, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        var unmatchable = new List<UnmatchablePackage>();
        var targets = new List<(Package Package, MatchTarget Target)>();
        foreach (var package in sbom.Packages)
        {
            if (MatchTargets.For(package, out var reason, out var detail) is { } target) targets.Add((package, target));
            else unmatchable.Add(new UnmatchablePackage(package, reason, detail));
        }

        var records = _database.LookupMany(targets.Select(t => (t.Target.Folder, t.Target.Name)), ct);
        var graph = DependencyGraph.From(sbom);
        var caches = new Dictionary<string, VersionCache>(StringComparer.Ordinal);
        var findings = new List<Finding>();
        var problems = new List<MatchProblem>();
        foreach (var (package, target) in targets)
        {
            ct.ThrowIfCancellationRequested();
            if (!records.TryGetValue((target.Folder, target.Name), out var stored) || stored.Count == 0) continue;
            if (!caches.TryGetValue(target.Scheme.Name, out var cache)) caches[target.Scheme.Name] = cache = new VersionCache(target.Scheme);
            var matches = new List<RecordMatch>();
            foreach (var record in stored)
            {
                if (record.Withdrawn || record.Record.IsWithdrawn) continue;
                if (Evaluate(record, target, cache, problems, package.Purl) is { } match) matches.Add(match);
            }
            if (matches.Count > 0) findings.AddRange(Merge(package, target, matches, cache, graph));
        }

        findings.Sort(Finding.Compare);
        unmatchable.Sort((a, b) => string.CompareOrdinal(a.Package.Purl.ToString(), b.Package.Purl.ToString()));
        problems.Sort((a, b) =>
            string.CompareOrdinal(a.Package.ToString(), b.Package.ToString()) is var c and not 0 ? c
            : string.CompareOrdinal(a.RecordId, b.RecordId) is var d and not 0 ? d
            : string.CompareOrdinal(a.Detail, b.Detail));
        return new MatchResult
        {
            Findings = [.. findings],
            Unmatchable = [.. unmatchable],
            Problems = [.. problems.Distinct()],
            PackagesMatched = targets.Count,
        };
    }

    private sealed record RecordMatch(StoredRecord Stored, List<(Osv.OsvAffected Entry, AffectedHit Hit)> Hits);

    private static RecordMatch? Evaluate(StoredRecord stored, MatchTarget target, VersionCache cache, List<MatchProblem> problems, Purl purl)
    {
        var record = stored.Record;
        // a record may name the package in the release itself and in its extended-support stream (Ubuntu Pro); the latter,
        // when present, is the later word on what is fixed for that release
        var best = ReleaseFit.None;
        for (var a = 0; a < record.Affected.Count; a++)
        {
            if (record.Affected[a].Package is not { } p || !SameName(target, p)) continue;
            var fit = target.Fit(p.Ecosystem);
            if (fit > best) best = fit;
        }
        if (best == ReleaseFit.None) return null;

        var hits = new List<(Osv.OsvAffected, AffectedHit)>();
        var entryHits = new List<AffectedHit>();
        var entryProblems = new List<string>();
        for (var a = 0; a < record.Affected.Count; a++)
        {
            var entry = record.Affected[a];
            if (entry.Package is not { } p || !SameName(target, p) || target.Fit(p.Ecosystem) != best) continue;
            entryHits.Clear();
            entryProblems.Clear();
            AffectedEvaluator.Evaluate(entry, target.DisplayName, target.Version, target.ParsedVersion, cache, entryHits, entryProblems, a);
            foreach (var h in entryHits) hits.Add((entry, h));
            foreach (var text in entryProblems) problems.Add(new MatchProblem(purl, stored.Id, text));
        }
        return hits.Count == 0 ? null : new RecordMatch(stored, hits);
    }

    private static bool SameName(MatchTarget target, Osv.OsvPackage package) =>
        PackageNames.BaseEcosystem(package.Ecosystem) == target.Folder && PackageNames.Normalise(package.Ecosystem, package.Name) == target.Name;

    /// Groups a package's matched records into findings: records whose ids or aliases overlap, transitively, are one finding.
    private static IEnumerable<Finding> Merge(Package package, MatchTarget target, List<RecordMatch> matches, VersionCache cache, DependencyGraph graph)
    {
        var groups = AliasGroups.Group(matches, m => [m.Stored.Id, .. m.Stored.Record.Aliases]);
        var (direct, path) = graph.PathTo(package.Purl);
        foreach (var group in groups)
        {
            group.Sort((a, b) => string.CompareOrdinal(a.Stored.Id, b.Stored.Id) is var c and not 0 ? c : a.Stored.Kind.CompareTo(b.Stored.Kind));
            var ids = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var m in group)
            {
                ids.Add(m.Stored.Id);
                foreach (var alias in m.Stored.Record.Aliases) ids.Add(alias);
            }
            var primary = PrimaryId(target.Folder, group.Select(m => m.Stored.Id));
            var malicious = group.Any(m => m.Stored.Kind == RecordKind.Malicious || m.Stored.Id.StartsWith("MAL-", StringComparison.Ordinal));

            var evidence = new List<MatchEvidence>();
            string? fixedVersion = null;
            IComparable? fixedValue = null;
            var severities = new List<(string Type, string Score)>();
            var references = new HashSet<(bool Advisory, string Url)>();
            DateTimeOffset? published = null, modified = null;
            foreach (var m in group)
            {
                var record = m.Stored.Record;
                foreach (var s in record.Severity) severities.Add((s.Type, s.Score));
                if (DatabaseSpecificSeverity(record.DatabaseSpecific) is { } word) severities.Add(("database_specific", word));
                var seenEntries = new HashSet<Osv.OsvAffected>(ReferenceEqualityComparer.Instance);
                foreach (var (entry, hit) in m.Hits)
                {
                    if (seenEntries.Add(entry)) foreach (var s in entry.Severity) severities.Add((s.Type, s.Score));
                    evidence.Add(new MatchEvidence(m.Stored.Id, entry.Package!.Ecosystem, entry.Package.Name, hit.RangeType,
                        hit.Introduced, hit.Fixed, hit.LastAffected, hit.Limit, hit.Explanation));
                    if (hit.Fixed is { } f && cache.Parse(f) is { } fv && (fixedValue is null || fv.CompareTo(fixedValue) < 0))
                    {
                        fixedValue = fv;
                        fixedVersion = f;
                    }
                }
                foreach (var r in record.References)
                    if (!string.IsNullOrWhiteSpace(r.Url)) references.Add((r.Type == "ADVISORY", r.Url));
                if (record.Published is { } p && (published is null || p < published)) published = p;
                if (modified is null || record.Modified > modified) modified = record.Modified;
            }

            var verdict = SeverityAssessment.Assess(severities.Distinct());
            var summaryRecord = group.FirstOrDefault(m => m.Stored.Id == primary && !string.IsNullOrWhiteSpace(m.Stored.Record.Summary))
                ?? group.FirstOrDefault(m => !string.IsNullOrWhiteSpace(m.Stored.Record.Summary));
            evidence.Sort(CompareEvidence);
            yield return new Finding
            {
                Id = primary,
                Ids = [.. ids],
                Kind = malicious ? FindingKind.Malicious : FindingKind.Vulnerability,
                Package = package,
                InstalledVersion = target.Version,
                Summary = summaryRecord?.Stored.Record.Summary?.Trim(),
                Severity = verdict.Highest,
                Ratings = [.. verdict.Ratings],
                FixedVersion = fixedVersion,
                Evidence = [.. evidence.Distinct()],
                References = [.. references.Where(r => r.Advisory).Select(r => r.Url).Order(StringComparer.Ordinal),
                    .. references.Where(r => !r.Advisory && !references.Contains((true, r.Url))).Select(r => r.Url).Order(StringComparer.Ordinal)],
                Direct = direct,
                DependencyPath = path,
                Published = published,
                Modified = modified,
            };
        }
    }

    private static int CompareEvidence(MatchEvidence a, MatchEvidence b) =>
        string.CompareOrdinal(a.RecordId, b.RecordId) is var c and not 0 ? c
        : string.CompareOrdinal(a.Ecosystem, b.Ecosystem) is var d and not 0 ? d
        : string.CompareOrdinal(a.Explanation, b.Explanation);

    // GHSA writes database_specific.severity ("MODERATE"); other sources use other keys or none
    private static string? DatabaseSpecificSeverity(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("severity", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;

    /// The id shown first: the ecosystem's own advisory source (PYSEC for PyPI, GO for Go, RUSTSEC for crates.io, DSA/DLA
    /// for Debian, …), then GHSA, then any other non-CVE id, then a CVE; ties broken ordinally.
    internal static string PrimaryId(string folder, IEnumerable<string> matchedIds) =>
        matchedIds.OrderBy(id => Rank(folder, id)).ThenBy(id => id, StringComparer.Ordinal).First();

    private static int Rank(string folder, string id)
    {
        var prefix = id.IndexOf('-') is var dash and > 0 ? id[..dash] : id;
        var own = folder switch
        {
            "PyPI" => prefix is "PYSEC",
            "Go" => prefix is "GO",
            "crates.io" => prefix is "RUSTSEC",
            "Debian" => prefix is "DSA" or "DLA" or "DTSA" or "DEBIAN",
            "Ubuntu" => prefix is "USN" or "UBUNTU",
            "Alpine" => prefix is "ALPINE",
            "AlmaLinux" => prefix is "ALSA" or "ALBA" or "ALEA",
            "Rocky Linux" => prefix is "RLSA" or "RXSA",
            "RubyGems" => prefix is "x_RUBYSEC",
            "Packagist" => prefix is "x_PHPSEC",
            _ => false,
        };
        if (prefix == "MAL") return 0;
        if (own) return 1;
        if (prefix == "GHSA") return 2;
        return prefix == "CVE" ? 4 : 3;
    }
}
