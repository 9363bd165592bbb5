// SPDX-License-Identifier: Apache-2.0
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Reports;

namespace Bulwark.Vulnerabilities.Vex;

/// Turns a scan report into an OpenVEX document (`bulwark scan --format openvex`).
/// <remarks>
/// One statement per finding, for the package's purl, named by the finding's id with its other ids as aliases, sorted
/// like findings (package purl, then id). A standing finding is affected, with an action statement naming the smallest
/// fixed version; a standing finding that a VEX statement annotated keeps that statement's status (affected or
/// under_investigation) and action statement, so the report does not contradict the triage it was given. A suppressed
/// finding carries its statement's status, justification and statements, and status notes naming where it came from.
/// A report with no findings at all gives an empty statements list: OpenVEX's schema asks for at least one statement,
/// but there is nothing true to state.
/// </remarks>
public static class OpenVexReport
{
    /// Writes the report's findings as affected statements and its suppressed findings with their VEX status.
    public static void Write(ScanReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var annotations = new Dictionary<Finding, VexStatement>(ReferenceEqualityComparer.Instance);
        foreach (var a in report.Annotated) annotations.TryAdd(a.Finding, a.Statement);

        var rows = new List<(Finding Finding, VexStatement Statement)>();
        foreach (var finding in report.Findings)
        {
            var scan = $"bulwark scan of {report.Target}";
            var statement = annotations.TryGetValue(finding, out var vex)
                ? For(finding, vex.Status, null, null, vex.ActionStatement ?? (vex.Status == VexStatus.Affected ? Action(finding) : null), vex.Timestamp ?? report.Created, vex.Source)
                    with { StatusNotes = vex.StatusNotes ?? $"Found by {scan}; {vex.Source} says {OpenVexWriter.Status(vex.Status)}." }
                : For(finding, VexStatus.Affected, null, null, Action(finding), report.Created, scan);
            rows.Add((finding, statement));
        }
        foreach (var s in report.Suppressed)
        {
            var vex = s.Statement;
            rows.Add((s.Finding, For(s.Finding, vex.Status, vex.Justification, vex.ImpactStatement, vex.ActionStatement, vex.Timestamp ?? report.Created, vex.Source)
                with { StatusNotes = vex.StatusNotes ?? $"Suppressed in bulwark scan of {report.Target} by {vex.Source}." }));
        }
        rows.Sort((a, b) => Finding.Compare(a.Finding, b.Finding));

        var info = new OpenVexDocumentInfo("Bulwark", null, null, report.Created, 1, $"bulwark {report.ToolVersion}");
        OpenVexWriter.Write(info, rows.Select(r => r.Statement), output);
    }

    private static VexStatement For(Finding f, VexStatus status, string? justification, string? impact, string? action, DateTimeOffset time, string source) =>
        new(f.Id, [.. f.Ids.Where(i => i != f.Id)], [f.Package.Purl], status, justification, impact, action, time, source);

    private static string Action(Finding f) => f switch
    {
        { Kind: FindingKind.Malicious } => $"Remove {f.Package.Name} {f.InstalledVersion}: it is reported as malicious ({f.Id}).",
        { FixedVersion: { } fixedVersion } => $"Update {f.Package.Name} from {f.InstalledVersion} to {fixedVersion} or later.",
        _ => $"No fixed version of {f.Package.Name} is known; remove it, replace it or mitigate {f.Id}.",
    };
}
