// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Matching;

/// One interval (or versions-list entry) of an affected entry that contains the installed version.
internal sealed record AffectedHit(string? RangeType, string? Introduced, string? Fixed, string? LastAffected, string? Limit, string Explanation);

/// Parsed versions of one scheme, each string parsed once per match run (event values repeat across records and packages).
internal sealed class VersionCache(VersionScheme scheme)
{
    private readonly Dictionary<string, IComparable?> _parsed = new(StringComparer.Ordinal);

    public VersionScheme Scheme { get; } = scheme;

    public IComparable? Parse(string text)
    {
        if (_parsed.TryGetValue(text, out var v)) return v;
        v = Scheme.TryParse(text, out var parsed) ? parsed : null;
        _parsed[text] = v;
        return v;
    }
}

/// One ECOSYSTEM or SEMVER range with its events parsed and sorted once per scheme, or the reason it cannot be evaluated.
internal sealed class PreparedRange
{
    internal enum EventKind { Introduced, Fixed, LastAffected, Limit }

    /// Rank -1 is introduced "0" (below everything), 1 is limit "*" (above everything), 0 a parsed version.
    internal readonly record struct Event(EventKind Kind, string Text, IComparable? Value, int Rank, int Order);

    private PreparedRange(string type, Event[] events, string? problem)
    {
        Type = type;
        Events = events;
        Problem = problem;
        foreach (var e in events) if (e.Kind == EventKind.Limit) HasLimit = true;
    }

    public string Type { get; }
    public Event[] Events { get; }
    public string? Problem { get; }
    public bool HasLimit { get; }

    /// <paramref name="entryIndex"/> and <paramref name="rangeIndex"/> say where the range is, for a problem's message.
    public static PreparedRange Prepare(OsvRange range, VersionCache cache, int entryIndex, int rangeIndex)
    {
        var events = new Event[range.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = range.Events[i];
            var (kind, text) = e.Introduced is { } intro ? (EventKind.Introduced, intro)
                : e.Fixed is { } fix ? (EventKind.Fixed, fix)
                : e.LastAffected is { } last ? (EventKind.LastAffected, last)
                : (EventKind.Limit, e.Limit!);
            // "0" (introduced) is below every version; "*" (limit) above every version (OSV schema)
            if (kind == EventKind.Introduced && text == "0") { events[i] = new Event(kind, text, null, -1, i); continue; }
            if (kind == EventKind.Limit && text == "*") { events[i] = new Event(kind, text, null, 1, i); continue; }
            if (cache.Parse(text) is not { } value)
                return new PreparedRange(range.Type, [],
                    $"affected[{entryIndex}].ranges[{rangeIndex}]: {Label(kind)} '{text}' is not a valid {cache.Scheme.Name} version, so the range was not evaluated");
            events[i] = new Event(kind, text, value, 0, i);
        }
        // sorted by version, "0" lowest; equal versions keep the record's order
        Array.Sort(events, static (a, b) =>
            a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank)
            : a.Rank == 0 && a.Value!.CompareTo(b.Value) is var c and not 0 ? c
            : a.Order.CompareTo(b.Order));
        return new PreparedRange(range.Type, events, null);
    }

    internal static string Label(EventKind kind) => kind switch
    {
        EventKind.Introduced => "introduced",
        EventKind.Fixed => "fixed",
        EventKind.LastAffected => "last_affected",
        _ => "limit",
    };
}

/// One affected entry prepared for repeated evaluation: its ranges parsed and sorted, its versions list as a set.
internal sealed class PreparedEntry
{
    private PreparedEntry(OsvAffected entry, int index, PreparedRange[] ranges, HashSet<string> versions)
    {
        Entry = entry;
        Index = index;
        Ranges = ranges;
        Versions = versions;
    }

    public OsvAffected Entry { get; }
    public int Index { get; }
    public string Ecosystem => Entry.Package!.Ecosystem;
    public PreparedRange[] Ranges { get; }
    public HashSet<string> Versions { get; }

    // shared by every entry without a versions list; never modified
    private static readonly HashSet<string> NoVersions = new(StringComparer.Ordinal);

    public static PreparedEntry Prepare(OsvAffected entry, int index, VersionCache cache)
    {
        var ranges = new List<PreparedRange>();
        for (var r = 0; r < entry.Ranges.Count; r++)
            if (entry.Ranges[r].Type is "ECOSYSTEM" or "SEMVER")
                ranges.Add(PreparedRange.Prepare(entry.Ranges[r], cache, index, r));
        return new PreparedEntry(entry, index, [.. ranges], entry.Versions.Count == 0 ? NoVersions : new HashSet<string>(entry.Versions, StringComparer.Ordinal));
    }
}

/// Every version string listed by the entries of one package name, sorted in the scheme, to find the listed spellings
/// equal to an installed version ("2.30" and "2.30.0" are one PEP 440 version) with one binary search per package.
/// Parsed and sorted on first use: most packages are decided by the exact text or by ranges alone.
internal sealed class ListedVersions(IEnumerable<string> listed, VersionCache cache)
{
    private (IComparable Value, string Text)[]? _sorted;

    private (IComparable Value, string Text)[] Sorted()
    {
        if (_sorted is not null) return _sorted;
        var sorted = new List<(IComparable, string)>();
        // a listed version the scheme cannot parse can still match by its exact text
        foreach (var text in listed.Distinct(StringComparer.Ordinal)) if (cache.Parse(text) is { } value) sorted.Add((value, text));
        sorted.Sort(static (a, b) => a.Item1.CompareTo(b.Item1) is var c and not 0 ? c : string.CompareOrdinal(a.Item2, b.Item2));
        return _sorted = [.. sorted];
    }

    /// The listed spellings equal to the version in the scheme, in ordinal order.
    public IReadOnlyList<string> EqualTo(IComparable version)
    {
        var sortedVersions = Sorted();
        int lo = 0, hi = sortedVersions.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = sortedVersions[mid].Value.CompareTo(version);
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        List<string>? equal = null;
        for (var i = lo; i < sortedVersions.Length && sortedVersions[i].Value.CompareTo(version) == 0; i++) (equal ??= []).Add(sortedVersions[i].Text);
        return equal ?? (IReadOnlyList<string>)[];
    }
}

/// The listed spellings equal to one installed version (<see cref="ListedVersions.EqualTo"/>), looked up on first use.
internal sealed class Equivalents(ListedVersions listed, IComparable version)
{
    private IReadOnlyList<string>? _equal;

    public IReadOnlyList<string> Get() => _equal ??= listed.EqualTo(version);
}

/// Evaluates one OSV affected entry against an installed version, following the OSV schema's evaluation: ECOSYSTEM and
/// SEMVER ranges (GIT ignored) with events sorted by version ("0" lowest), introduced inclusive, fixed exclusive,
/// last_affected inclusive, limit an exclusive upper bound ("*" = none); plus the entry's `versions` list.
/// Versions are ordered only by the ecosystem's scheme: an event that does not parse makes its range unevaluable,
/// reported as a problem, never compared as text.
internal static class AffectedEvaluator
{
    public static void Evaluate(OsvAffected entry, string name, string installed, IComparable version, VersionCache cache,
        List<AffectedHit> hits, List<string> problems, int entryIndex) =>
        Evaluate(PreparedEntry.Prepare(entry, entryIndex, cache), name, installed, version,
            new Equivalents(new ListedVersions(entry.Versions, cache), version), hits, problems);

    /// <paramref name="equivalents"/>: the listed spellings equal to the installed version in the scheme (<see cref="ListedVersions"/>).
    public static void Evaluate(PreparedEntry prepared, string name, string installed, IComparable version, Equivalents equivalents,
        List<AffectedHit> hits, List<string> problems)
    {
        var entry = prepared.Entry;
        foreach (var range in prepared.Ranges)
        {
            if (range.Problem is { } problem) problems.Add(problem);
            else EvaluateRange(range, name, installed, version, hits);
        }

        if (entry.Versions.Count > 0)
        {
            // exact text first; then equality in the scheme ("1.0" and "1.0.0" are one PEP 440 version)
            if (prepared.Versions.Contains(installed))
            {
                hits.Add(new AffectedHit(null, null, null, null, null, $"{name} {installed} is listed in the record's affected versions"));
            }
            else
            {
                foreach (var listed in equivalents.Get())
                {
                    if (!prepared.Versions.Contains(listed)) continue;
                    hits.Add(new AffectedHit(null, null, null, null, null, $"{name} {installed} equals {listed}, listed in the record's affected versions"));
                    break;
                }
            }
        }

        if (prepared.Ranges.Length == 0 && entry.Versions.Count == 0)
            problems.Add($"affected[{prepared.Index}] names {name} but has no ECOSYSTEM or SEMVER range and no versions list, so it cannot be evaluated");
    }

    /// The first event not below the version and the first above it, in the events' sorted order. Most ranges have two
    /// or three events: those are walked until the first above the version (one or two comparisons); longer ones
    /// are binary-searched.
    private static (int Below, int AtOrBelow) Bounds(PreparedRange.Event[] events, IComparable version)
    {
        if (events.Length > 8) return (Bound(events, version, upper: false), Bound(events, version, upper: true));
        var below = -1;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var c = e.Rank != 0 ? e.Rank : e.Value!.CompareTo(version);
            if (c < 0) continue;
            if (below < 0) below = i;
            if (c > 0) return (below, i);
        }
        return (below < 0 ? events.Length : below, events.Length);
    }

    /// The first event not below the version (upper: the first above it), in the events' sorted order.
    private static int Bound(PreparedRange.Event[] events, IComparable version, bool upper)
    {
        int lo = 0, hi = events.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var e = events[mid];
            var c = e.Rank != 0 ? e.Rank : e.Value!.CompareTo(version);   // the event against the version
            if (c < 0 || (upper && c == 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static void EvaluateRange(PreparedRange range, string name, string installed, IComparable version, List<AffectedHit> hits)
    {
        var events = range.Events;
        // events are sorted by version ("0" first, limit "*" last), so two binary searches find the events below the
        // installed version and those equal to it: a few comparisons per range rather than one per event (a comparison
        // can cost a parse, e.g. Composer's)
        var (below, atOrBelow) = Bounds(events, version);   // events[..below] are below the version, [below..atOrBelow] equal it
        var affected = false;
        var opened = -1;
        for (var i = 0; i < atOrBelow; i++)
        {
            var e = events[i];
            switch (e.Kind)
            {
                // introduced and fixed apply at or above their version; last_affected only above it
                case PreparedRange.EventKind.Introduced:
                    if (!affected) opened = i;
                    affected = true;
                    break;
                case PreparedRange.EventKind.Fixed:
                    affected = false;
                    break;
                case PreparedRange.EventKind.LastAffected when i < below:
                    affected = false;
                    break;
            }
        }
        if (!affected) return;

        // the event closing the open interval: the next fixed or last_affected after the introduced that opened it
        PreparedRange.Event? close = null;
        for (var i = opened + 1; i < events.Length; i++)
            if (events[i].Kind is PreparedRange.EventKind.Fixed or PreparedRange.EventKind.LastAffected) { close = events[i]; break; }
        PreparedRange.Event? limit = null;
        if (range.HasLimit)
        {
            foreach (var e in events)
                if (e.Kind == PreparedRange.EventKind.Limit && (e.Rank > 0 || version.CompareTo(e.Value) < 0)) { limit = e; break; }
            if (limit is null) return; // at or above every limit: outside the range
        }

        var introduced = events[opened];
        // one string per hit, built in one go (a scan of a large SBOM makes tens of thousands)
        var (closeWord, closeText, closeLabel) = close switch
        {
            { Kind: PreparedRange.EventKind.Fixed } f => (" and below ", f.Text, " (fixed)"),
            { Kind: PreparedRange.EventKind.LastAffected } l => (" and at or below ", l.Text, " (last_affected)"),
            _ => (limit is { Rank: 0 } ? "" : " and no fix is known", "", ""),
        };
        var (limitWord, limitText, limitLabel) = limit is { Rank: 0 } lim ? (" and below ", lim.Text, " (limit)") : ("", "", "");
        var sentence = $"{name} {installed} is at or above {introduced.Text} (introduced){closeWord}{closeText}{closeLabel}{limitWord}{limitText}{limitLabel} ({range.Type} range)";
        hits.Add(new AffectedHit(range.Type, introduced.Text,
            close is { Kind: PreparedRange.EventKind.Fixed } ? close.Value.Text : null,
            close is { Kind: PreparedRange.EventKind.LastAffected } ? close.Value.Text : null,
            limit?.Text, sentence));
    }
}
