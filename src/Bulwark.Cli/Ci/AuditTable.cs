// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Workflows;
using Bulwark.Hygiene.Workflows.Reports;

namespace Bulwark.Cli.Ci;

/// The human `--format table` output of `bulwark ci audit`: findings grouped by file in report order, each with its
/// position, severity, rule, what was found and how to fix it; then the files not audited and a summary line.
internal static class AuditTable
{
    public static void Render(AuditReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (report.Findings.Count == 0) output.WriteLine("No CI findings.");
        var positionWidth = report.Findings.Select(Position).Select(p => p.Length).DefaultIfEmpty(0).Max();
        foreach (var file in report.Findings.GroupBy(f => f.Path, StringComparer.Ordinal))
        {
            output.WriteLine(file.Key);
            foreach (var f in file)
            {
                var indent = new string(' ', 2 + positionWidth + 2);
                output.WriteLine($"  {Position(f).PadRight(positionWidth)}  {AuditJson.Name(f.Rule.Severity),-8}  {f.Rule.Id}  {f.Rule.Title}");
                output.WriteLine($"{indent}{f.Message}");
                output.WriteLine($"{indent}fix: {f.Rule.Fix}");
            }
            output.WriteLine();
        }
        if (report.Unreadable.Count > 0)
        {
            output.WriteLine("Not audited:");
            foreach (var u in report.Unreadable) output.WriteLine($"  {u.Path}: {u.Reason}");
            output.WriteLine();
        }
        output.WriteLine(Summary(report));
    }

    private static string Position(Finding f) => $"{f.Line}:{f.Column}";

    /// "5 findings (1 critical, 2 high, 2 medium, 0 low) in 3 CI files; 1 file not audited."
    public static string Summary(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = string.Join(", ", Enum.GetValues<Severity>().Reverse().Select(s => $"{report.Findings.Count(f => f.Rule.Severity == s)} {AuditJson.Name(s)}"));
        var findings = report.Findings.Count == 1 ? "1 finding" : $"{report.Findings.Count} findings";
        var files = report.Files.Count == 1 ? "1 CI file" : $"{report.Files.Count} CI files";
        var unreadable = report.Unreadable.Count switch
        {
            0 => "",
            1 => "; 1 file not audited",
            var n => $"; {n} files not audited",
        };
        return $"{findings} ({counts}) in {files}{unreadable}.";
    }
}
