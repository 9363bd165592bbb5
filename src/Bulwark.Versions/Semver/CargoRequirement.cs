// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace Bulwark.Versions.Semver;

/// A Cargo version requirement ("^1.2", "~1.2.3", ">=1.0, <2", "1.*", "*"), matched as the semver crate matches it:
/// a bare version means caret; every comma-separated comparator must match; a pre-release version matches only when
/// some comparator names a pre-release of the same MAJOR.MINOR.PATCH.
public sealed class CargoRequirement
{
    private readonly IReadOnlyList<CargoComparator> _comparators;

    private CargoRequirement(IReadOnlyList<CargoComparator> comparators, string text)
    {
        _comparators = comparators;
        Text = text;
    }

    /// The requirement as written.
    public string Text { get; }

    public static CargoRequirement Parse(string text) =>
        TryParse(text, out var r, out var reason) ? r : throw new InvalidVersionException("Cargo requirement", text, reason);

    public static bool TryParse(string text, out CargoRequirement requirement) => TryParse(text, out requirement, out _);

    public bool Matches(SemVersion version)
    {
        foreach (var c in _comparators)
            if (!c.Matches(version)) return false;
        if (!version.IsPrerelease) return true;
        foreach (var c in _comparators)
            if (c.Major == version.Major && c.Minor == version.Minor && c.Patch == version.Patch && c.Prerelease.Length > 0) return true;
        return false;
    }

    public override string ToString() => Text;

    private static bool TryParse(string? text, out CargoRequirement requirement, out string? reason)
    {
        requirement = null!;
        reason = null;
        if (text is null) { reason = "no text"; return false; }
        var list = new List<CargoComparator>();
        var trimmed = text.Trim();
        if (trimmed is "*" or "x" or "X")
        {
            requirement = new CargoRequirement(list, text);
            return true;
        }
        foreach (var raw in trimmed.Split(','))
        {
            var s = raw.Trim();
            var op = s.StartsWith(">=", StringComparison.Ordinal) ? ">="
                : s.StartsWith("<=", StringComparison.Ordinal) ? "<="
                : s.Length > 0 && s[0] is '=' or '>' or '<' or '~' or '^' ? s[..1]
                : "";
            if (!ParseComparator(op, s[op.Length..].TrimStart(), out var c, out reason)) return false;
            list.Add(c);
        }
        requirement = new CargoRequirement(list, text);
        return true;
    }

    private static bool ParseComparator(string op, string s, out CargoComparator comparator, out string? reason)
    {
        comparator = default;
        reason = null;
        ulong?[] parts = [null, null, null];
        var pos = 0;
        var wildcard = false;
        for (var i = 0; i < 3; i++)
        {
            var start = pos;
            if (pos < s.Length && s[pos] is '*' or 'x' or 'X')
            {
                if (i == 0) { reason = "a wildcard major version must stand alone"; return false; }
                wildcard = true;
                pos++;
            }
            else
            {
                while (pos < s.Length && char.IsAsciiDigit(s[pos])) pos++;
                if (pos == start) { reason = $"expected a number in '{s}'"; return false; }
                if (pos - start > 1 && s[start] == '0') { reason = "numbers must not have leading zeros"; return false; }
                if (wildcard) { reason = "a number cannot follow a wildcard"; return false; }
                if (!ulong.TryParse(s.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    reason = "a version number is too large";
                    return false;
                }
                parts[i] = n;
            }
            if (i < 2 && pos < s.Length && s[pos] == '.') pos++;
            else break;
        }
        var pre = "";
        if (pos < s.Length && s[pos] is '-' or '+')
        {
            if (parts[2] is null) { reason = "a pre-release needs MAJOR.MINOR.PATCH"; return false; }
            if (!SemVersion.TryParse("0.0.0" + s[pos..], out var tail)) { reason = $"bad pre-release or build in '{s}'"; return false; }
            pre = tail.Prerelease;
            pos = s.Length;
        }
        if (pos != s.Length) { reason = $"unexpected '{s[pos]}' in '{s}'"; return false; }
        var kind = op switch
        {
            "=" => CargoOp.Exact,
            ">" => CargoOp.Greater,
            ">=" => CargoOp.GreaterEq,
            "<" => CargoOp.Less,
            "<=" => CargoOp.LessEq,
            "~" => CargoOp.Tilde,
            _ => wildcard ? CargoOp.Exact : CargoOp.Caret,
        };
        comparator = new CargoComparator(kind, parts[0]!.Value, parts[1], parts[2], pre);
        return true;
    }

    private enum CargoOp { Exact, Greater, GreaterEq, Less, LessEq, Tilde, Caret }

    // semver crate semantics: missing minor or patch are wildcards, not zeros
    private readonly record struct CargoComparator(CargoOp Op, ulong Major, ulong? Minor, ulong? Patch, string Prerelease)
    {
        public bool Matches(SemVersion v) => Op switch
        {
            CargoOp.Exact => Exact(v),
            CargoOp.Greater => Greater(v),
            CargoOp.GreaterEq => Exact(v) || Greater(v),
            CargoOp.Less => Less(v),
            CargoOp.LessEq => Exact(v) || Less(v),
            CargoOp.Tilde => Tilde(v),
            _ => Caret(v),
        };

        private int Pre(SemVersion v) => SemVersion.ComparePrerelease(v.Prerelease, Prerelease);

        private bool Exact(SemVersion v) =>
            v.Major == Major && (Minor is not { } m || v.Minor == m) && (Patch is not { } p || v.Patch == p) && Pre(v) == 0;

        private bool Greater(SemVersion v)
        {
            if (v.Major != Major) return v.Major > Major;
            if (Minor is not { } m) return false;
            if (v.Minor != m) return v.Minor > m;
            if (Patch is not { } p) return false;
            if (v.Patch != p) return v.Patch > p;
            return Pre(v) > 0;
        }

        private bool Less(SemVersion v)
        {
            if (v.Major != Major) return v.Major < Major;
            if (Minor is not { } m) return false;
            if (v.Minor != m) return v.Minor < m;
            if (Patch is not { } p) return false;
            if (v.Patch != p) return v.Patch < p;
            return Pre(v) < 0;
        }

        private bool Tilde(SemVersion v)
        {
            if (v.Major != Major) return false;
            if (Minor is { } m && v.Minor != m) return false;
            if (Patch is { } p && v.Patch != p) return v.Patch > p;
            return Pre(v) >= 0;
        }

        private bool Caret(SemVersion v)
        {
            if (v.Major != Major) return false;
            if (Minor is not { } m) return true;
            if (Patch is not { } p) return Major > 0 ? v.Minor >= m : v.Minor == m;
            if (Major > 0)
            {
                if (v.Minor != m) return v.Minor > m;
                if (v.Patch != p) return v.Patch > p;
            }
            else if (m > 0)
            {
                if (v.Minor != m) return false;
                if (v.Patch != p) return v.Patch > p;
            }
            else if (v.Minor != m || v.Patch != p) return false;
            return Pre(v) >= 0;
        }
    }
}
