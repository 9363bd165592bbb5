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

    /// Called with "targets" when every package's match target is known, "lookup" when the records are read and
    /// "evaluate" when every package is evaluated (phase timing).
    public Action<string>? PhaseEnded { get; init; }

    /// Every finding, unmatchable package and record problem for the SBOM, sorted and deterministic.
    public MatchResult Match(Bulwark.Sbom.Sbom sbom, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        // each package's target is independent of the others (a version parse, a purl read): worked out on all cores,
        // then collected in the SBOM's order
        var packages = sbom.Packages;
        var resolved = new (MatchTarget? Target, UnmatchablePackage? Unmatchable)[packages.Length];
        RunParallel(packages.Length, ct, i =>
        {
            var package = packages[i];
            // the operating system itself ("debian 12") is matched through its packages, not as a component of its own
            if (package.Kind == PackageKind.OperatingSystem) return;
            resolved[i] = MatchTargets.For(package, out var reason, out var detail) is { } target
                ? (target, null)
                : (null, new UnmatchablePackage(package, reason, detail));
        });
        var unmatchable = new List<UnmatchablePackage>();
        var targets = new List<(Package Package, MatchTarget Target)>(packages.Length);
        for (var i = 0; i < resolved.Length; i++)
        {
            if (resolved[i].Target is { } target) targets.Add((packages[i], target));
            else if (resolved[i].Unmatchable is { } u) unmatchable.Add(u);
        }

        PhaseEnded?.Invoke("targets");

        // the dependency graph needs only the SBOM: it is built on another core while the records are read
        var graphTask = Task.Run(() => DependencyGraph.From(sbom), ct);
        var records = _database.LookupMany(targets.Select(t => (t.Target.Folder, t.Target.Name)), ct);
        var graph = graphTask.GetAwaiter().GetResult();
        PhaseEnded?.Invoke("lookup");

        // packages of one (folder, name) share their records, prepared once; names are independent, so they run on all cores
        // and the results are sorted afterwards
        var byName = targets.GroupBy(t => (t.Target.Folder, t.Target.Name)).ToArray();
        var storedByName = new IReadOnlyList<StoredRecord>?[byName.Length];
        for (var i = 0; i < byName.Length; i++)
            if (records.TryGetValue(byName[i].Key, out var stored) && stored.Count > 0) storedByName[i] = stored;
        var warnings = ReleaseCoverage(targets, records);
        records = null!;
        var perName = new (List<Finding> Findings, List<MatchProblem> Problems)[byName.Length];
        // many records carry the same CVSS vectors: each distinct list of severities is scored once per scan
        var verdicts = new System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict>(StringComparer.Ordinal);
        RunParallel(byName.Length, ct, i =>
        {
            // a name's records are let go once it is matched (findings keep only their strings): a collection in the
            // middle of a large scan then traces only the records still to come, not every record read
            var stored = storedByName[i];
            storedByName[i] = null;
            perName[i] = stored is not null ? MatchName([.. byName[i]], stored, graph, verdicts) : ([], []);
        });
        PhaseEnded?.Invoke("evaluate");
        // one array of the right size, sorted in place and handed over as the result: a large scan's list of findings is
        // a large object, and every copy of one counts toward a full collection of a heap that is full by now
        var findings = new Finding[perName.Sum(p => p.Findings.Count)];
        var at = 0;
        foreach (var (found, _) in perName)
        {
            found.CopyTo(findings, at);
            at += found.Count;
        }
        var problems = perName.SelectMany(p => p.Problems).ToList();

        Array.Sort(findings, Finding.Compare);
        unmatchable.Sort((a, b) => string.CompareOrdinal(a.Package.Purl.ToString(), b.Package.Purl.ToString()));
        problems.Sort((a, b) =>
            string.CompareOrdinal(a.Package.ToString(), b.Package.ToString()) is var c and not 0 ? c
            : string.CompareOrdinal(a.RecordId, b.RecordId) is var d and not 0 ? d
            : string.CompareOrdinal(a.Detail, b.Detail));
        return new MatchResult
        {
            Warnings = warnings,
            Findings = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(findings),
            Unmatchable = [.. unmatchable],
            Problems = [.. problems.Distinct()],
            PackagesMatched = targets.Count,
        };
    }

    /// Does ahead of time the one-time work of a first match (version schemes, the database statements, the record
    /// reader, the CVSS calculator, the code of every step), so a caller can run it on an idle core while it reads its
    /// input. It matches made-up packages against a made-up record and returns nothing; it must not overlap another use
    /// of the database, whose connection is single-threaded.
    public static void WarmUp(VulnerabilityDatabase database, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        const string name = "bulwark-warm-up";
        ImmutableArray<Package> packages =
        [
            Package.Create(Ecosystem.Npm, name, "1.0.0"), Package.Create(Ecosystem.PyPI, name, "1.0.0"),
            Package.Create(Ecosystem.Maven, "bulwark:warm-up", "1.0.0"), Package.Create(Ecosystem.NuGet, name, "1.0.0"),
            Package.Create(Ecosystem.Go, "example.invalid/warm-up", "v1.0.0"), Package.Create(Ecosystem.Cargo, name, "1.0.0"),
            Package.Create(Ecosystem.RubyGems, name, "1.0.0"), Package.Create(Ecosystem.Packagist, "bulwark/warm-up", "1.0.0"),
            Package.Create(Ecosystem.Pub, name, "1.0.0"), Package.Create(Ecosystem.Hex, name, "1.0.0"),
            Package.Create(Ecosystem.Debian, name, "1.0-1", purlQualifiers: [new("distro", "debian-12")]),
        ];
        var sbom = new Bulwark.Sbom.Sbom { Subject = new Bulwark.Sbom.SbomSubject { Name = name }, Packages = packages, Created = DateTimeOffset.UnixEpoch };
        new Matcher(database).Match(sbom, ct);   // no record names these packages: targets, lookup and sort only
        var record = Osv.OsvReader.ParseStored("""
            {"id":"GHSA-0000-0000-0000","modified":"2024-01-01T00:00:00Z","published":"2024-01-01T00:00:00Z","aliases":["CVE-0000-0000"],
            "summary":"warm-up","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N"},{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"}],
            "references":[{"type":"ADVISORY","url":"https://example.invalid/"}],"database_specific":{"severity":"HIGH"},
            "affected":[{"package":{"ecosystem":"npm","name":"bulwark-warm-up"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}],"versions":["1.0"]}]}
            """u8, "GHSA-0000-0000-0000");
        var package = packages[0];
        if (MatchTargets.For(package, out _, out _) is { } target)
        {
            MatchName([(package, target), (package, target)], [new StoredRecord(record.Id, RecordKind.Vulnerability, "npm", false, record)],
                DependencyGraph.From(sbom), new System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict>(StringComparer.Ordinal));
        }
    }

    /// Runs body(0..count-1) on all cores; the first failure in index order is rethrown as itself, not wrapped.
    private static void RunParallel(int count, CancellationToken ct, Action<int> body) =>
        OrderedParallel.For(count, body, sequentialBelow: 2, ct);

    /// Distro releases that none of the records naming the scanned packages covers: the database has data for those
    /// packages (other releases) but nothing for this one, so its fix state is unknown rather than clean.
    private static ImmutableArray<string> ReleaseCoverage(List<(Package Package, MatchTarget Target)> targets,
        IReadOnlyDictionary<(string Ecosystem, string Name), IReadOnlyList<StoredRecord>> records)
    {
        var warnings = new List<string>();
        foreach (var release in targets.Where(t => t.Target.IsDistro).GroupBy(t => t.Target.StandardEcosystems[0]))
        {
            var ecosystems = release.First().Target.StandardEcosystems.Concat(release.First().Target.ExtendedEcosystems).ToHashSet(StringComparer.Ordinal);
            var named = 0;
            var covered = false;
            foreach (var key in release.Select(t => (t.Target.Folder, t.Target.Name)).Distinct())
            {
                if (!records.TryGetValue(key, out var stored)) continue;
                named += stored.Count;
                covered = stored.Any(r => r.Record.Affected.Any(a => a.Package is { } p && ecosystems.Contains(p.Ecosystem)));
                if (covered) break;
            }
            if (!covered && named > 0)
                warnings.Add($"None of the {named} advisories naming the {release.Count()} {release.Key} packages covers {release.Key}: "
                    + "the database has no data for this release, so these packages were not effectively checked.");
        }
        warnings.Sort(StringComparer.Ordinal);
        return [.. warnings];
    }

    /// Matches every package of one (folder, name) against that name's records.
    private static (List<Finding> Findings, List<MatchProblem> Problems) MatchName(
        List<(Package Package, MatchTarget Target)> packages, IReadOnlyList<StoredRecord> stored, DependencyGraph graph,
        System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict> verdicts)
    {
        var findings = new List<Finding>();
        var problems = new List<MatchProblem>();
        var cache = new VersionCache(packages[0].Target.Scheme);
        var candidates = Prepare(stored, packages[0].Target, cache);
        if (candidates.Records.Count == 0) return (findings, problems);
        // facts are shared between versions of the name; with one version there is nothing to share, so no cache
        var facts = packages.Count > 1 ? new Dictionary<GroupKey, GroupFacts>() : null;
        var entryHits = new List<AffectedHit>();
        var entryProblems = new List<string>();
        foreach (var (package, target) in packages)
        {
            var equivalents = new Equivalents(candidates.Listed, target.ParsedVersion);
            var matches = new List<RecordMatch>();
            foreach (var record in candidates.Records)
                if (Evaluate(record, target, equivalents, problems, package.Purl, entryHits, entryProblems) is { } match) matches.Add(match);
            if (matches.Count > 0) findings.AddRange(Merge(package, target, matches, cache, graph, facts, verdicts));
        }
        return (findings, problems);
    }

    private sealed record RecordMatch(StoredRecord Stored, List<(Osv.OsvAffected Entry, AffectedHit Hit)> Hits);

    /// A record with the affected entries that name one (folder, name), prepared once for every package of that name.
    private sealed record PreparedRecord(StoredRecord Stored, List<PreparedEntry> Entries);

    /// The prepared records of one (folder, name) and every version their entries list.
    private sealed record PreparedName(List<PreparedRecord> Records, ListedVersions Listed);

    private static PreparedName Prepare(IReadOnlyList<StoredRecord> stored, MatchTarget target, VersionCache cache)
    {
        var result = new List<PreparedRecord>(stored.Count);
        foreach (var record in stored)
        {
            // withdrawn records are kept in the database to explain why a finding went away, never to produce one
            if (record.Withdrawn || record.Record.IsWithdrawn) continue;
            var entries = new List<PreparedEntry>();
            for (var a = 0; a < record.Record.Affected.Count; a++)
            {
                var entry = record.Record.Affected[a];
                if (entry.Package is { } p && SameName(target, p)) entries.Add(PreparedEntry.Prepare(entry, a, cache));
            }
            if (entries.Count > 0) result.Add(new PreparedRecord(record, entries));
        }
        return new PreparedName(result, new ListedVersions(result.SelectMany(r => r.Entries).SelectMany(e => e.Entry.Versions), cache));
    }

    private static RecordMatch? Evaluate(PreparedRecord prepared, MatchTarget target, Equivalents equivalents, List<MatchProblem> problems, Purl purl,
        List<AffectedHit> entryHits, List<string> entryProblems)
    {
        // a record may name the package in the release itself and in its extended-support stream (Ubuntu Pro); the latter,
        // when present, is the later word on what is fixed for that release
        var best = ReleaseFit.None;
        foreach (var entry in prepared.Entries)
        {
            var fit = target.Fit(entry.Ecosystem);
            if (fit > best) best = fit;
        }
        if (best == ReleaseFit.None) return null;

        List<(Osv.OsvAffected, AffectedHit)>? hits = null;
        foreach (var entry in prepared.Entries)
        {
            if (target.Fit(entry.Ecosystem) != best) continue;
            entryHits.Clear();
            entryProblems.Clear();
            AffectedEvaluator.Evaluate(entry, target.DisplayName, target.Version, target.ParsedVersion, equivalents, entryHits, entryProblems);
            foreach (var h in entryHits) (hits ??= []).Add((entry.Entry, h));
            foreach (var text in entryProblems) problems.Add(new MatchProblem(purl, prepared.Stored.Id, text));
        }
        return hits is null ? null : new RecordMatch(prepared.Stored, hits);
    }

    private static bool SameName(MatchTarget target, Osv.OsvPackage package)
    {
        // compared without allocating first: most entries spell the ecosystem and name as the index does
        var ecosystem = package.Ecosystem.AsSpan();
        if (ecosystem.IndexOf(':') is var colon and >= 0) ecosystem = ecosystem[..colon];
        if (!ecosystem.SequenceEqual(target.Folder)) return false;
        // Normalise is idempotent and the target's name is normalised, so an identical spelling is the same name
        return string.Equals(package.Name, target.Name, StringComparison.Ordinal) || PackageNames.Normalise(package.Ecosystem, package.Name) == target.Name;
    }

    /// What a finding takes from its records alone, the same for every package version that matches the same entries.
    private sealed record GroupFacts(string Id, ImmutableArray<string> Ids, FindingKind Kind, string? Summary, SeverityRating? Severity,
        ImmutableArray<SeverityRating> Ratings, ImmutableArray<string> References, DateTimeOffset? Published, DateTimeOffset? Modified);

    /// What a group's facts depend on: its records (one name's records, so compared by identity) and which of their
    /// entries matched, in order (entry-level severities depend on that).
    private sealed class GroupKey : IEquatable<GroupKey>
    {
        private readonly StoredRecord[] _records;
        private readonly int[] _entries;   // per record: its matched entries' indexes, then -1
        private readonly int _hash;

        public GroupKey(List<RecordMatch> group)
        {
            _records = new StoredRecord[group.Count];
            var entries = 0;
            foreach (var m in group) entries += m.Hits.Count + 1;
            _entries = new int[entries];
            var hash = new HashCode();
            var e = 0;
            for (var i = 0; i < group.Count; i++)
            {
                var m = group[i];
                _records[i] = m.Stored;
                hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(m.Stored));
                foreach (var (entry, _) in m.Hits) hash.Add(_entries[e++] = EntryIndex(m.Stored.Record, entry));
                _entries[e++] = -1;
            }
            _hash = hash.ToHashCode();
        }

        public bool Equals(GroupKey? other)
        {
            if (other is null || other._hash != _hash || other._records.Length != _records.Length || !other._entries.AsSpan().SequenceEqual(_entries)) return false;
            for (var i = 0; i < _records.Length; i++) if (!ReferenceEquals(_records[i], other._records[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as GroupKey);
        public override int GetHashCode() => _hash;
    }

    /// Groups a package's matched records into findings: records whose ids or aliases overlap, transitively, are one finding.
    private static IEnumerable<Finding> Merge(Package package, MatchTarget target, List<RecordMatch> matches, VersionCache cache, DependencyGraph graph,
        Dictionary<GroupKey, GroupFacts>? factsCache, System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict> verdicts)
    {
        var groups = AliasGroups.Group(matches, static m => m.Stored.Id, static m => m.Stored.Record.Aliases);
        var (direct, path) = graph.PathTo(package.Purl);
        foreach (var group in groups)
        {
            group.Sort((a, b) => string.CompareOrdinal(a.Stored.Id, b.Stored.Id) is var c and not 0 ? c : a.Stored.Kind.CompareTo(b.Stored.Kind));
            var facts = Facts(target.Folder, group, factsCache, verdicts);
            var evidence = new List<MatchEvidence>();
            string? fixedVersion = null;
            IComparable? fixedValue = null;
            var unfixed = false;
            foreach (var m in group)
            {
                foreach (var (entry, hit) in m.Hits)
                {
                    evidence.Add(new MatchEvidence(m.Stored.Id, entry.Package!.Ecosystem, entry.Package.Name, hit.RangeType,
                        hit.Introduced, hit.Fixed, hit.LastAffected, hit.Limit, hit.Explanation));
                    // The version to upgrade to must leave EVERY matched interval: each one's fixed event is above the
                    // installed version, so that is the largest of them. A range interval with no fixed event (open, or
                    // closed only by last_affected) means some record knows no fix, and none is claimed. A hit from a
                    // versions list says nothing about fixes either way.
                    if (hit.RangeType is null) continue;
                    if (hit.Fixed is not { } f || cache.Parse(f) is not { } fv) unfixed = true;
                    else if (fixedValue is null || fv.CompareTo(fixedValue) > 0)
                    {
                        fixedValue = fv;
                        fixedVersion = f;
                    }
                }
            }
            if (unfixed) fixedVersion = null;
            evidence.Sort(CompareEvidence);
            yield return new Finding
            {
                Id = facts.Id,
                Ids = facts.Ids,
                Kind = facts.Kind,
                Package = package,
                InstalledVersion = target.Version,
                Summary = facts.Summary,
                Severity = facts.Severity,
                Ratings = facts.Ratings,
                FixedVersion = fixedVersion,
                Evidence = evidence.Count == 1 ? [evidence[0]] : [.. evidence.Distinct()],
                References = facts.References,
                Direct = direct,
                DependencyPath = path,
                Published = facts.Published,
                Modified = facts.Modified,
            };
        }
    }

    private static GroupFacts Facts(string folder, List<RecordMatch> group, Dictionary<GroupKey, GroupFacts>? cache,
        System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict> verdicts)
    {
        GroupKey? key = null;
        if (cache is not null)
        {
            key = new GroupKey(group);
            if (cache.TryGetValue(key, out var known)) return known;
        }

        var ids = new List<string>();
        var severities = new List<(string Type, string Score)>();
        var advisories = new List<string>();
        var others = new List<string>();
        DateTimeOffset? published = null, modified = null;
        RecordMatch? withSummary = null, primaryWithSummary = null;
        var primary = PrimaryId(folder, group);
        var malicious = false;
        foreach (var m in group)
        {
            var record = m.Stored.Record;
            ids.Add(m.Stored.Id);
            ids.AddRange(record.Aliases);
            foreach (var s in record.Severity) severities.Add((s.Type, s.Score));
            if (DatabaseSpecificSeverity(record.DatabaseSpecific) is { } word) severities.Add(("database_specific", word));
            // each matched entry once, by reference: record equality would hash every field, JsonElement ones by reflection
            for (var h = 0; h < m.Hits.Count; h++)
            {
                var entry = m.Hits[h].Entry;
                var seen = false;
                for (var k = 0; k < h && !seen; k++) seen = ReferenceEquals(m.Hits[k].Entry, entry);
                if (!seen) foreach (var s in entry.Severity) severities.Add((s.Type, s.Score));
            }
            foreach (var r in record.References)
                if (!string.IsNullOrWhiteSpace(r.Url)) (r.Type == "ADVISORY" ? advisories : others).Add(r.Url);
            if (record.Published is { } p && (published is null || p < published)) published = p;
            if (modified is null || record.Modified > modified) modified = record.Modified;
            malicious |= m.Stored.Kind == RecordKind.Malicious || m.Stored.Id.StartsWith("MAL-", StringComparison.Ordinal);
            if (!string.IsNullOrWhiteSpace(record.Summary))
            {
                withSummary ??= m;
                if (primaryWithSummary is null && m.Stored.Id == primary) primaryWithSummary = m;
            }
        }
        var summary = primaryWithSummary ?? withSummary;
        var verdict = Assess(Distinct(severities), verdicts);
        // advisories first, then the other references; each URL once, each part in ordinal order
        var advisorySet = SortedDistinct(advisories);
        others.RemoveAll(new HashSet<string>(advisorySet, StringComparer.Ordinal).Contains);
        string[] references = [.. advisorySet, .. SortedDistinct(others)];
        var facts = new GroupFacts(primary, [.. SortedDistinct(ids)], malicious ? FindingKind.Malicious : FindingKind.Vulnerability,
            summary?.Stored.Record.Summary?.Trim() ?? SummaryFromDetails(group, primary),
            verdict.Highest,
            [.. verdict.Ratings],
            [.. references],
            published, modified);
        if (cache is not null) cache[key!] = facts;
        return facts;
    }

    /// The strings sorted ordinally, each once.
    private static List<string> SortedDistinct(List<string> items)
    {
        items.Sort(StringComparer.Ordinal);
        var w = 0;
        for (var i = 0; i < items.Count; i++) if (w == 0 || items[i] != items[w - 1]) items[w++] = items[i];
        items.RemoveRange(w, items.Count - w);
        return items;
    }

    /// The pairs in their first-seen order, each once.
    private static List<(string Type, string Score)> Distinct(List<(string Type, string Score)> items)
    {
        if (items.Count < 2) return items;
        var seen = new HashSet<(string, string)>(items.Count);
        var w = 0;
        for (var i = 0; i < items.Count; i++) if (seen.Add(items[i])) items[w++] = items[i];
        items.RemoveRange(w, items.Count - w);
        return items;
    }

    /// The verdict for one list of (type, score) severities, computed once per distinct list (verdicts are immutable).
    private static SeverityVerdict Assess(List<(string Type, string Score)> severities,
        System.Collections.Concurrent.ConcurrentDictionary<string, SeverityVerdict> verdicts)
    {
        if (severities.Count == 0) return SeverityAssessment.Assess(severities);
        var key = new System.Text.StringBuilder();
        foreach (var (type, score) in severities) key.Append(type).Append('\u0001').Append(score).Append('\u0002');
        var text = key.ToString();
        return verdicts.TryGetValue(text, out var known) ? known : verdicts.GetOrAdd(text, SeverityAssessment.Assess(severities));
    }

    /// Records without a summary (most PYSEC, many converted ones) still have details: their opening words, at most
    /// 120 characters cut at a word boundary, stand in, so no finding is shown without a description.
    private static string? SummaryFromDetails(List<RecordMatch> group, string primary)
    {
        string? first = null;
        foreach (var m in group)
        {
            var details = m.Stored.Record.Details;
            if (string.IsNullOrWhiteSpace(details)) continue;
            if (m.Stored.Id == primary) return Opening(details);
            first ??= details;
        }
        return first is null ? null : Opening(first);
    }

    /// The details' opening words with runs of spaces, tabs and line breaks made one space, at most
    /// <paramref name="max"/> characters cut at a word boundary ("…" marks the cut). Reads only as far as it needs:
    /// details run to many kilobytes.
    internal static string Opening(string details, int max = 120)
    {
        // the first max + 1 characters of the collapsed text tell whether it is longer than max
        var text = new System.Text.StringBuilder(Math.Min(details.Length, max + 1));
        var space = false;
        foreach (var ch in details)
        {
            if (ch is '\r' or '\n' or '\t' or ' ')
            {
                space = text.Length > 0;
                continue;
            }
            if (space)
            {
                text.Append(' ');
                space = false;
                if (text.Length > max) break;
            }
            text.Append(ch);
            if (text.Length > max) break;
        }
        if (text.Length <= max) return text.ToString();
        var cut = LastSpace(text, max - 1);
        return text.ToString(0, cut > max / 2 ? cut : max - 1).TrimEnd(',', ';', ':') + "…";
    }

    private static int LastSpace(System.Text.StringBuilder text, int from)
    {
        for (var i = from; i >= 0; i--) if (text[i] == ' ') return i;
        return -1;
    }

    private static int EntryIndex(Osv.OsvRecord record, Osv.OsvAffected entry)
    {
        for (var i = 0; i < record.Affected.Count; i++) if (ReferenceEquals(record.Affected[i], entry)) return i;
        return -1;
    }

    private static int CompareEvidence(MatchEvidence a, MatchEvidence b) =>
        string.CompareOrdinal(a.RecordId, b.RecordId) is var c and not 0 ? c
        : string.CompareOrdinal(a.Ecosystem, b.Ecosystem) is var d and not 0 ? d
        : string.CompareOrdinal(a.Explanation, b.Explanation);

    // GHSA writes database_specific.severity ("MODERATE"); the Ubuntu tracker conversion writes its priority
    // ("medium") as database_specific.ubuntu_priority; both are used only when no CVSS vector applies
    private static string? DatabaseSpecificSeverity(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } e) return null;
        foreach (var key in (ReadOnlySpan<string>)["severity", "ubuntu_priority"])
            if (e.TryGetProperty(key, out var s) && s.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(s.GetString()))
                return s.GetString();
        return null;
    }

    /// The id shown first: the ecosystem's own advisory source (PYSEC for PyPI, GO for Go, RUSTSEC for crates.io, DSA/DLA
    /// for Debian, …), then GHSA, then any other non-CVE id, then a CVE; ties broken ordinally.
    private static string PrimaryId(string folder, List<RecordMatch> group)
    {
        var ids = new string[group.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = group[i].Stored.Id;
        return PrimaryId(folder, ids);
    }

    internal static string PrimaryId(string folder, IEnumerable<string> matchedIds)
    {
        // the smallest (rank, id): one pass, no sort (called once per finding)
        string? best = null;
        var bestRank = int.MaxValue;
        foreach (var id in matchedIds)
        {
            var rank = Rank(folder, id);
            if (best is null || rank < bestRank || (rank == bestRank && string.CompareOrdinal(id, best) < 0))
            {
                best = id;
                bestRank = rank;
            }
        }
        return best ?? throw new ArgumentException("No record id to choose from.", nameof(matchedIds));
    }

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
