// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Dependencies;
using Bulwark.Hygiene.Dependencies.Reports;

namespace Bulwark.Cli.Deps;

/// The human `--format table` output of `bulwark deps check`: findings grouped by file in report order, each with its
/// line, severity, rule, what was found and how to fix it; then the files not checked and a summary line.
internal static class DepsTable
{
    public static void Render(DependencyReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (report.Findings.Count == 0) output.WriteLine("No dependency findings.");
        var positionWidth = report.Findings.Select(Position).Select(p => p.Length).DefaultIfEmpty(0).Max();
        foreach (var file in report.Findings.GroupBy(f => f.Path, StringComparer.Ordinal))
        {
            output.WriteLine(file.Key);
            foreach (var f in file)
            {
                var indent = new string(' ', 2 + positionWidth + 2);
                output.WriteLine($"  {Position(f).PadRight(positionWidth)}  {DepsJson.Name(f.Rule.Severity),-8}  {f.Rule.Id}  {f.Rule.Title}");
                output.WriteLine($"{indent}{f.Message}");
                output.WriteLine($"{indent}fix: {f.Rule.Fix}");
            }
            output.WriteLine();
        }
        if (report.Unreadable.Count > 0)
        {
            output.WriteLine("Not checked:");
            foreach (var u in report.Unreadable) output.WriteLine($"  {u.Path}: {u.Reason}");
            output.WriteLine();
        }
        output.WriteLine(Summary(report));
    }

    private static string Position(Finding f) => f.Line is { } line ? line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";

    /// "5 findings (0 critical, 2 high, 2 medium, 1 low) in 4 manifests and lockfiles; 1 file not checked."
    public static string Summary(DependencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = string.Join(", ", Enum.GetValues<Severity>().Reverse().Select(s => $"{report.Findings.Count(f => f.Rule.Severity == s)} {DepsJson.Name(s)}"));
        var findings = report.Findings.Count == 1 ? "1 finding" : $"{report.Findings.Count} findings";
        var files = report.Files.Count == 1 ? "1 manifest or lockfile" : $"{report.Files.Count} manifests and lockfiles";
        var unreadable = report.Unreadable.Count switch
        {
            0 => "",
            1 => "; 1 file not checked",
            var n => $"; {n} files not checked",
        };
        return $"{findings} ({counts}) in {files}{unreadable}.";
    }
}
