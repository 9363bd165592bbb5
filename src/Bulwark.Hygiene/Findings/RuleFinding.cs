// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Findings;

/// A rule broken at one place, as the shared report writers read it. <see cref="Path"/> is relative to the checked
/// root with '/' separators; line and column start at 1 and are null where the file format gives none.
public interface IRuleFinding
{
    Rule Rule { get; }
    string Path { get; }
    int? Line { get; }
    int? Column { get; }
    string Message { get; }

    /// What else a report says about the finding, by name, in order; null where unknown (JSON writes null, SARIF
    /// leaves the property out).
    IReadOnlyList<KeyValuePair<string, string?>> Properties { get; }
}

/// One tree's findings against a rule catalogue: the files read, the findings in report order, the files that could
/// not be read.
public interface IRuleReport<out TFinding> where TFinding : IRuleFinding
{
    IReadOnlyList<string> Files { get; }
    IReadOnlyList<TFinding> Findings { get; }
    IReadOnlyList<UnreadableFile> Unreadable { get; }
}

/// A file that could not be checked (too large, not UTF-8, not valid in its format): reported, never a finding.
public sealed record UnreadableFile(string Path, string Reason);
