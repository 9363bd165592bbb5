// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Hygiene.Findings;

namespace Bulwark.Cli.Output;

/// The human `--format table` output of a rule-catalogue verb (`ci audit`, `deps check`): findings grouped by file in
/// report order, each with its position (line:column, the line, or "-" where the format gives none), severity, rule,
/// what was found and how to fix it; then the files not checked and a summary line.
/// <param name="Catalogue">the verb's rules; its word for checking a file names the unreadable ones ("Not audited:")</param>
/// <param name="NoFindings">the line for a clean tree: "No CI findings."</param>
/// <param name="OneFile">what the verb reads, one and many: "CI file"</param>
/// <param name="ManyFiles">"CI files"</param>
internal sealed record RuleTable(RuleCatalogue Catalogue, string NoFindings, string OneFile, string ManyFiles)
{
    public void Render(IRuleReport<IRuleFinding> report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (report.Findings.Count == 0) output.WriteLine(NoFindings);
        var positionWidth = report.Findings.Select(Position).Select(p => p.Length).DefaultIfEmpty(0).Max();
        foreach (var file in report.Findings.GroupBy(f => f.Path, StringComparer.Ordinal))
        {
            output.WriteLine(file.Key);
            foreach (var f in file)
            {
                var indent = new string(' ', 2 + positionWidth + 2);
                output.WriteLine($"  {Position(f).PadRight(positionWidth)}  {Severities.Name(f.Rule.Severity),-8}  {f.Rule.Id}  {f.Rule.Title}");
                output.WriteLine($"{indent}{f.Message}");
                output.WriteLine($"{indent}fix: {f.Rule.Fix}");
            }
            output.WriteLine();
        }
        if (report.Unreadable.Count > 0)
        {
            output.WriteLine($"Not {Catalogue.Checked}:");
            foreach (var u in report.Unreadable) output.WriteLine($"  {u.Path}: {u.Reason}");
            output.WriteLine();
        }
        output.WriteLine(Summary(report));
    }

    private static string Position(IRuleFinding f) => f switch
    {
        { Line: { } line, Column: { } column } => string.Create(CultureInfo.InvariantCulture, $"{line}:{column}"),
        { Line: { } line } => line.ToString(CultureInfo.InvariantCulture),
        _ => "-",
    };

    /// "5 findings (1 critical, 2 high, 2 medium, 0 low) in 3 CI files; 1 file not audited."
    public string Summary(IRuleReport<IRuleFinding> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = string.Join(", ", Enum.GetValues<Severity>().Reverse().Select(s => $"{report.Findings.Count(f => f.Rule.Severity == s)} {Severities.Name(s)}"));
        var findings = report.Findings.Count == 1 ? "1 finding" : $"{report.Findings.Count} findings";
        var files = report.Files.Count == 1 ? $"1 {OneFile}" : $"{report.Files.Count} {ManyFiles}";
        var unreadable = report.Unreadable.Count switch
        {
            0 => "",
            1 => $"; 1 file not {Catalogue.Checked}",
            var n => $"; {n} files not {Catalogue.Checked}",
        };
        return $"{findings} ({counts}) in {files}{unreadable}.";
    }
}
