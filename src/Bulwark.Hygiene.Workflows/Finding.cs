// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Workflows;

/// One rule broken at one place: <paramref name="Path"/> is relative to the audited root with '/' separators; line and
/// column start at 1 (the column counts UTF-16 code units, as SARIF's default columnKind does).
public sealed record Finding(Rule Rule, string Path, int Line, int Column, string Message) : IRuleFinding
{
    int? IRuleFinding.Line => Line;
    int? IRuleFinding.Column => Column;
    IReadOnlyList<KeyValuePair<string, string?>> IRuleFinding.Properties => [];

    /// The report order: file, line, column, rule.
    public static int Compare(Finding? a, Finding? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var c = string.CompareOrdinal(a.Path, b.Path);
        if (c == 0) c = a.Line.CompareTo(b.Line);
        if (c == 0) c = a.Column.CompareTo(b.Column);
        if (c == 0) c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        return c == 0 ? string.CompareOrdinal(a.Message, b.Message) : c;
    }
}

/// The result of auditing one tree; a file that could not be audited (too large, not UTF-8, not YAML, an alias bomb)
/// is listed in <paramref name="Unreadable"/>, never a finding.
public sealed record AuditReport(string Root, IReadOnlyList<string> Files, IReadOnlyList<Finding> Findings, IReadOnlyList<UnreadableFile> Unreadable)
    : IRuleReport<Finding>;
