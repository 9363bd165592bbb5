// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Dependencies;

/// One rule broken at one place: <paramref name="Path"/> is relative to the checked root with '/' separators;
/// <paramref name="Line"/> starts at 1 and is null where the file format gives none; <paramref name="Package"/> is the
/// dependency concerned (null for a finding about a whole file, such as a missing lockfile).
public sealed record Finding(Rule Rule, string Path, int? Line, string Ecosystem, string? Package, string Message) : IRuleFinding
{
    int? IRuleFinding.Column => null;
    IReadOnlyList<KeyValuePair<string, string?>> IRuleFinding.Properties => [new("ecosystem", Ecosystem), new("package", Package)];

    /// The report order: file, line, rule, package, message.
    public static int Compare(Finding? a, Finding? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var c = string.CompareOrdinal(a.Path, b.Path);
        if (c == 0) c = (a.Line ?? 0).CompareTo(b.Line ?? 0);
        if (c == 0) c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        if (c == 0) c = string.CompareOrdinal(a.Package, b.Package);
        return c == 0 ? string.CompareOrdinal(a.Message, b.Message) : c;
    }
}

/// The result of checking one tree: the manifests and lockfiles read, the findings, and the files that could not be
/// checked (not valid JSON/TOML/YAML/XML, too large), which are reported, never findings.
public sealed record DependencyReport(string Root, IReadOnlyList<string> Files, IReadOnlyList<Finding> Findings, IReadOnlyList<UnreadableFile> Unreadable)
    : IRuleReport<Finding>;
