// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace Bulwark.Versions.Semver;

/// One primitive npm comparator after desugaring (an operator and a full version); Any matches every version.
public readonly record struct NpmComparator(NpmOperator Operator, SemVersion Version)
{
    public bool Test(SemVersion v) => Operator switch
    {
        NpmOperator.Any => true,
        NpmOperator.Less => v < Version,
        NpmOperator.LessOrEqual => v <= Version,
        NpmOperator.Greater => v > Version,
        NpmOperator.GreaterOrEqual => v >= Version,
        _ => v == Version,
    };

    public override string ToString() => Operator switch
    {
        NpmOperator.Any => "*",
        NpmOperator.Less => "<" + Version.ToStringWithoutBuild(),
        NpmOperator.LessOrEqual => "<=" + Version.ToStringWithoutBuild(),
        NpmOperator.Greater => ">" + Version.ToStringWithoutBuild(),
        NpmOperator.GreaterOrEqual => ">=" + Version.ToStringWithoutBuild(),
        _ => Version.ToStringWithoutBuild(),
    };
}

/// A primitive comparison in an npm range.
public enum NpmOperator { Any, Equal, Less, LessOrEqual, Greater, GreaterOrEqual }

/// An npm (node-semver) range: comparator sets joined by "||", each a space-separated AND of comparators, with
/// hyphen ranges, x-ranges ("1.x", "1.2.*", "1"), tilde, caret and primitive operators desugared as node-semver 7 does.
/// A pre-release version satisfies a set only when some comparator of the set names a pre-release of the same
/// MAJOR.MINOR.PATCH, unless <see cref="IncludePrerelease"/> is set.
public sealed class NpmRange
{
    private NpmRange(IReadOnlyList<IReadOnlyList<NpmComparator>> sets, bool includePrerelease, string text)
    {
        Sets = sets;
        IncludePrerelease = includePrerelease;
        Text = text;
    }

    /// The OR of ANDs, after desugaring.
    public IReadOnlyList<IReadOnlyList<NpmComparator>> Sets { get; }

    public bool IncludePrerelease { get; }

    /// The range as written.
    public string Text { get; }

    public static NpmRange Parse(string text, bool includePrerelease = false) =>
        TryParse(text, includePrerelease, out var r, out var reason) ? r : throw new InvalidVersionException("npm range", text, reason);

    public static bool TryParse(string text, out NpmRange range) => TryParse(text, false, out range, out _);

    public static bool TryParse(string text, bool includePrerelease, out NpmRange range) => TryParse(text, includePrerelease, out range, out _);

    /// Whether a version satisfies the range (node-semver's satisfies).
    public bool Satisfies(SemVersion version)
    {
        foreach (var set in Sets)
            if (TestSet(set, version)) return true;
        return false;
    }

    /// Parses the version loosely (as node-semver's satisfies does with loose) and tests it; false when it doesn't parse.
    public bool Satisfies(string version) =>
        SemVersion.TryParse(version, SemVersionStyles.LeadingV | SemVersionStyles.Loose, out var v) && Satisfies(v);

    private bool TestSet(IReadOnlyList<NpmComparator> set, SemVersion version)
    {
        foreach (var c in set)
            if (!c.Test(version)) return false;
        if (!version.IsPrerelease || IncludePrerelease) return true;
        foreach (var c in set)
        {
            if (c.Operator == NpmOperator.Any || !c.Version.IsPrerelease) continue;
            if (c.Version.Major == version.Major && c.Version.Minor == version.Minor && c.Version.Patch == version.Patch) return true;
        }
        return false;
    }

    public override string ToString() => string.Join("||", Sets.Select(s => string.Join(' ', s)));

    private static bool TryParse(string? text, bool includePrerelease, out NpmRange range, out string? reason)
    {
        range = null!;
        reason = null;
        if (text is null) { reason = "no text"; return false; }
        var sets = new List<IReadOnlyList<NpmComparator>>();
        foreach (var part in text.Split("||"))
        {
            var set = new List<NpmComparator>();
            if (!ParseSet(part, includePrerelease, set, out reason)) return false;
            // node-semver drops the match-anything comparator from a set that has others
            if (set.Count > 1) set.RemoveAll(c => c.Operator == NpmOperator.Any);
            sets.Add(set);
        }
        range = new NpmRange(sets, includePrerelease, text);
        return true;
    }

    private static bool ParseSet(string text, bool incPre, List<NpmComparator> set, out string? reason)
    {
        reason = null;
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) { set.Add(default); return true; }   // "" matches anything
        if (tokens.Length == 3 && tokens[1] == "-")
        {
            if (!Partial.TryParse(tokens[0], out var from, out reason) || !Partial.TryParse(tokens[2], out var to, out reason)) return false;
            Hyphen(from, to, incPre, set);
            return true;
        }
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            // ">= 1.2.3", "~ 1.2", "^ 1": node-semver joins an operator to the version after it
            if (token.AsSpan().TrimStart("<>=~^").IsEmpty && i + 1 < tokens.Length) token += tokens[++i];
            if (!ParseComparator(token, incPre, set, out reason)) return false;
        }
        return true;
    }

    private static bool ParseComparator(string token, bool incPre, List<NpmComparator> set, out string? reason)
    {
        var op = token.StartsWith("~>", StringComparison.Ordinal) ? "~>"
            : token.StartsWith(">=", StringComparison.Ordinal) ? ">="
            : token.StartsWith("<=", StringComparison.Ordinal) ? "<="
            : token.Length > 0 && token[0] is '~' or '^' or '>' or '<' or '=' ? token[..1]
            : "";
        if (!Partial.TryParse(token[op.Length..], out var p, out reason)) return false;
        switch (op)
        {
            case "~" or "~>": Tilde(p, set); break;
            case "^": Caret(p, incPre, set); break;
            default: XRange(op, p, incPre, set); break;
        }
        return true;
    }

    private static SemVersion V(ulong major, ulong minor, ulong patch, string pre = "") => new(major, minor, patch, pre);

    private static void Add(List<NpmComparator> set, NpmOperator op, SemVersion v) => set.Add(new NpmComparator(op, v));

    private static void Tilde(Partial p, List<NpmComparator> set)
    {
        if (p.Major is not { } M) { set.Add(default); return; }
        if (p.Minor is not { } m) { Add(set, NpmOperator.GreaterOrEqual, V(M, 0, 0)); Add(set, NpmOperator.Less, V(M + 1, 0, 0, "0")); return; }
        Add(set, NpmOperator.GreaterOrEqual, V(M, m, p.Patch ?? 0, p.Patch is null ? "" : p.Prerelease));
        Add(set, NpmOperator.Less, V(M, m + 1, 0, "0"));
    }

    private static void Caret(Partial p, bool incPre, List<NpmComparator> set)
    {
        var z = incPre ? "0" : "";
        if (p.Major is not { } M) { set.Add(default); return; }
        if (p.Minor is not { } m) { Add(set, NpmOperator.GreaterOrEqual, V(M, 0, 0, z)); Add(set, NpmOperator.Less, V(M + 1, 0, 0, "0")); return; }
        if (p.Patch is not { } pa)
        {
            Add(set, NpmOperator.GreaterOrEqual, V(M, m, 0, z));
            Add(set, NpmOperator.Less, M == 0 ? V(M, m + 1, 0, "0") : V(M + 1, 0, 0, "0"));
            return;
        }
        Add(set, NpmOperator.GreaterOrEqual, V(M, m, pa, p.Prerelease.Length > 0 ? p.Prerelease : z));
        Add(set, NpmOperator.Less, M == 0 ? (m == 0 ? V(M, m, pa + 1, "0") : V(M, m + 1, 0, "0")) : V(M + 1, 0, 0, "0"));
    }

    private static void XRange(string op, Partial p, bool incPre, List<NpmComparator> set)
    {
        var xm = p.Minor is null;
        var xp = p.Patch is null;
        if (op == "=" && xp) op = "";
        if (p.Major is not { } M)
        {
            if (op is ">" or "<") Add(set, NpmOperator.Less, V(0, 0, 0, "0"));   // nothing
            else set.Add(default);
            return;
        }
        var pr = incPre ? "0" : "";
        ulong m = p.Minor ?? 0, pa = p.Patch ?? 0;
        if (op.Length > 0 && xp)
        {
            if (op == ">")
            {
                op = ">=";
                if (xm) { M++; m = 0; } else m++;
                pa = 0;
            }
            else if (op == "<=")
            {
                op = "<";
                if (xm) { M++; m = 0; } else m++;
                pa = 0;
            }
            if (op == "<") pr = "0";
            Add(set, op switch { ">=" => NpmOperator.GreaterOrEqual, "<" => NpmOperator.Less, _ => NpmOperator.Less }, V(M, m, pa, pr));
            return;
        }
        if (xm) { Add(set, NpmOperator.GreaterOrEqual, V(M, 0, 0, pr)); Add(set, NpmOperator.Less, V(M + 1, 0, 0, "0")); return; }
        if (xp) { Add(set, NpmOperator.GreaterOrEqual, V(M, m, 0, pr)); Add(set, NpmOperator.Less, V(M, m + 1, 0, "0")); return; }
        var v = V(M, m, pa, p.Prerelease);
        Add(set, op switch
        {
            "<" => NpmOperator.Less,
            "<=" => NpmOperator.LessOrEqual,
            ">" => NpmOperator.Greater,
            ">=" => NpmOperator.GreaterOrEqual,
            _ => NpmOperator.Equal,
        }, v);
    }

    private static void Hyphen(Partial from, Partial to, bool incPre, List<NpmComparator> set)
    {
        var z = incPre ? "0" : "";
        if (from.Major is { } fM)
            Add(set, NpmOperator.GreaterOrEqual, from.Minor is not { } fm ? V(fM, 0, 0, z)
                : from.Patch is not { } fp ? V(fM, fm, 0, z) : V(fM, fm, fp, from.Prerelease));
        if (to.Major is { } tM)
        {
            if (to.Minor is not { } tm) Add(set, NpmOperator.Less, V(tM + 1, 0, 0, "0"));
            else if (to.Patch is not { } tp) Add(set, NpmOperator.Less, V(tM, tm + 1, 0, "0"));
            else if (to.Prerelease.Length > 0) Add(set, NpmOperator.LessOrEqual, V(tM, tm, tp, to.Prerelease));
            else if (incPre) Add(set, NpmOperator.Less, V(tM, tm, tp + 1, "0"));
            else Add(set, NpmOperator.LessOrEqual, V(tM, tm, tp));
        }
        if (set.Count == 0) set.Add(default);
    }

    /// A version with parts left out or written as x, X or * (node-semver's XRANGEPLAIN, leading "v" and "=" allowed).
    private readonly record struct Partial(ulong? Major, ulong? Minor, ulong? Patch, string Prerelease)
    {
        public static bool TryParse(string text, out Partial partial, out string? reason)
        {
            partial = default;
            reason = null;
            var s = text.AsSpan().TrimStart("v=");
            ulong?[] parts = [null, null, null];
            var pos = 0;
            for (var i = 0; i < 3; i++)
            {
                var start = pos;
                if (pos < s.Length && s[pos] is 'x' or 'X' or '*') pos++;
                else
                {
                    while (pos < s.Length && char.IsAsciiDigit(s[pos])) pos++;
                    if (pos == start) { reason = $"expected a number, x or * in '{text}'"; return false; }
                    if (!ulong.TryParse(s[start..pos], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        reason = "a version number is too large";
                        return false;
                    }
                    // a number after a wildcard is still a wildcard in node-semver ("1.x.3" = "1.x")
                    if (i == 0 || parts[i - 1] is not null) parts[i] = n;
                }
                if (i < 2 && pos < s.Length && s[pos] == '.') pos++;
                else break;
            }
            var pre = "";
            if (pos < s.Length && (s[pos] is '-' or '+') && parts[2] is not null)
            {
                if (!SemVersion.TryParse($"0.0.0{s[pos..]}", SemVersionStyles.Loose, out var tail))
                {
                    reason = $"bad pre-release or build in '{text}'";
                    return false;
                }
                pre = tail.Prerelease;
                pos = s.Length;
            }
            if (pos != s.Length) { reason = $"unexpected '{s[pos]}' in '{text}'"; return false; }
            partial = new Partial(parts[0], parts[0] is null ? null : parts[1], parts[1] is null ? null : parts[2], pre);
            return true;
        }
    }
}
