// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Cli.Scan;

/// The human `--format table` output of `bulwark scan`: findings grouped by package (a header saying which version,
/// where it was found and whether it is a direct dependency, then one row per finding), VEX-suppressed findings when
/// asked for, what could not be matched, and a closing summary line.
internal static class TableReport
{
    private const int SummaryWidth = 90;

    /// Colour only on a terminal and only when NO_COLOR is absent or empty (https://no-color.org).
    public static bool UseColour(bool outputIsTerminal, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return outputIsTerminal && string.IsNullOrEmpty(environment("NO_COLOR"));
    }

    public static void Render(ScanReport report, TextWriter output, bool colour, bool showSuppressed)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var paint = new Paint(colour);
        var annotations = report.Annotated.ToLookup(a => (a.Finding.Id, a.Finding.Package.Purl));
        var kept = report.Findings.Select(f => (f, (VexStatement?)null)).ToList();
        var suppressed = showSuppressed ? report.Suppressed.Select(s => (s.Finding, (VexStatement?)s.Statement)).ToList() : [];
        // column widths over everything shown, so rows line up across packages and sections
        var widths = Widths([.. kept, .. suppressed]);

        if (kept.Count == 0)
            output.WriteLine("No known vulnerable or malicious packages found.");
        else
            RenderGroups(output, paint, kept, annotations, widths);

        if (suppressed.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(paint.Bold("Suppressed by VEX"));
            output.WriteLine();
            RenderGroups(output, paint, suppressed, annotations, widths);
        }

        if (!report.Unmatchable.IsEmpty)
        {
            output.WriteLine();
            output.WriteLine(paint.Bold("Not matched") + paint.Dim(" (no verdict either way)"));
            foreach (var u in report.Unmatchable)
                output.WriteLine($"  {Name(u.Package)}: {Safe(u.Detail)}");
        }

        if (!report.Problems.IsEmpty)
        {
            output.WriteLine();
            output.WriteLine(paint.Bold("Records that could not be evaluated"));
            foreach (var p in report.Problems)
                output.WriteLine($"  {Safe(p.RecordId)} for {Safe(p.Package.ToString())}: {Safe(p.Detail)}");
        }

        output.WriteLine();
        output.WriteLine(SummaryLine(report, showSuppressed));
    }

    /// "7 findings: 1 malicious, 1 critical, 3 high, 1 medium, 1 low; 2 suppressed by VEX; 1 package unmatchable".
    /// Malicious packages are counted apart and the severity bands count vulnerabilities, so the parts add up to N.
    internal static string SummaryLine(ScanReport report, bool showSuppressed)
    {
        var s = ScanSummary.Of(report);
        var vulnerabilities = report.Findings.Where(f => f.Kind == FindingKind.Vulnerability).ToList();
        int Band(CvssSeverity severity) => vulnerabilities.Count(f => f.Severity?.Severity == severity);
        var sb = new StringBuilder();
        sb.Append(Plural(s.Findings, "finding"));
        if (s.Findings > 0)
        {
            var parts = new List<string>();
            if (s.Malicious > 0) parts.Add($"{s.Malicious} malicious");
            parts.Add($"{Band(CvssSeverity.Critical)} critical");
            parts.Add($"{Band(CvssSeverity.High)} high");
            parts.Add($"{Band(CvssSeverity.Medium)} medium");
            parts.Add($"{Band(CvssSeverity.Low)} low");
            if (Band(CvssSeverity.None) is var none and > 0) parts.Add($"{none} none");
            if (vulnerabilities.Count(f => f.Severity is null) is var unrated and > 0) parts.Add($"{unrated} unrated");
            sb.Append(": ").Append(string.Join(", ", parts));
        }
        if (s.Suppressed > 0)
        {
            sb.Append("; ").Append(s.Suppressed).Append(" suppressed by VEX");
            if (!showSuppressed) sb.Append(" (--show-suppressed lists them)");
        }
        if (s.Unmatchable > 0) sb.Append("; ").Append(Plural(s.Unmatchable, "package")).Append(" unmatchable");
        if (s.Problems > 0) sb.Append("; ").Append(Plural(s.Problems, "record")).Append(" not evaluated");
        return sb.ToString();
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private readonly record struct ColumnWidths(int Id, int Severity, int Fix);

    private static ColumnWidths Widths(List<(Finding Finding, VexStatement? Statement)> rows) => rows.Count == 0 ? default : new(
        rows.Max(r => Safe(r.Finding.Id).Length), rows.Max(r => SeverityLabel(r.Finding).Length), rows.Max(r => FixLabel(r.Finding).Length));

    private static void RenderGroups(TextWriter output, Paint paint, List<(Finding Finding, VexStatement? Statement)> rows,
        ILookup<(string, Purl), SuppressedFinding> annotations, ColumnWidths widths)
    {
        var (idWidth, severityWidth, fixWidth) = widths;
        var first = true;
        foreach (var group in rows.GroupBy(r => r.Finding.Package.Purl))
        {
            if (!first) output.WriteLine();
            first = false;
            var package = group.First().Finding.Package;
            output.WriteLine(PackageHeader(paint, group.First().Finding));
            foreach (var (f, statement) in group)
            {
                var severity = SeverityLabel(f);
                output.Write("  ");
                output.Write(Safe(f.Id).PadRight(idWidth));
                output.Write("  ");
                output.Write(paint.Severity(f, severity.PadRight(severityWidth)));
                output.Write("  ");
                output.Write(FixLabel(f).PadRight(fixWidth));
                var summary = Shorten(f.Summary ?? "");
                output.WriteLine(summary.Length > 0 ? "  " + summary : "");
                if (statement is not null) output.WriteLine("    " + paint.Dim(VexLine(statement)));
                foreach (var a in annotations[(f.Id, package.Purl)])
                    output.WriteLine("    " + paint.Dim(VexLine(a.Statement)));
            }
        }
    }

    private static string PackageHeader(Paint paint, Finding f)
    {
        var p = f.Package;
        var sb = new StringBuilder();
        sb.Append(paint.Bold(Safe($"{p.Name} {f.InstalledVersion}")));
        sb.Append(paint.Dim($" ({p.Ecosystem.DisplayName})"));
        if (f.Direct is { } direct) sb.Append(direct ? " · direct" : " · transitive");
        if (f.Direct == false && f.DependencyPath.Length > 2)
            sb.Append(" via ").Append(string.Join(" > ", f.DependencyPath.Skip(1).SkipLast(1).Select(Short)));
        var where = ReportWhere(p);
        if (where.Length > 0) sb.Append(" · ").Append(Safe(where));
        return sb.ToString();
    }

    // "package-lock.json, services/api/package-lock.json:12" / "var/lib/dpkg/status (layer sha256:0123456789ab)"
    private static string ReportWhere(Package p)
    {
        var parts = new List<string>();
        foreach (var l in p.Locations.IsDefaultOrEmpty ? [] : p.Locations.Distinct())
        {
            var text = l.ToString();
            if (l.Layer is { } layer) text += $" (layer {ShortLayer(layer)})";
            parts.Add(text);
        }
        return parts.Count <= 3 ? string.Join(", ", parts) : string.Join(", ", parts.Take(3)) + $" and {parts.Count - 3} more";
    }

    private static string ShortLayer(string layer)
    {
        var colon = layer.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && layer.Length > colon + 13 ? layer[..(colon + 13)] : layer;
    }

    private static string Short(Purl purl) => Safe(purl.Version is null ? purl.Name : $"{purl.Name}@{purl.Version}");

    private static string Name(Package p) => Safe(string.IsNullOrEmpty(p.Version) ? p.Name : $"{p.Name} {p.Version}");

    private static string SeverityLabel(Finding f) =>
        f.Kind == FindingKind.Malicious ? "MALICIOUS"
        : f.Severity is { } s
            ? s.Score is { } score
                ? $"{ReportSeverity(s.Severity)} {score.ToString("0.0", CultureInfo.InvariantCulture)}"
                : ReportSeverity(s.Severity)
            : "UNRATED";

    private static string ReportSeverity(CvssSeverity s) => s.ToString().ToUpperInvariant();

    private static string FixLabel(Finding f) =>
        f.Kind == FindingKind.Malicious ? "remove it" : f.FixedVersion is { } v ? "fixed in " + Safe(v) : "no fix yet";

    private static string VexLine(VexStatement s) => Safe(
        $"VEX {s.Status switch { VexStatus.NotAffected => "not_affected", VexStatus.Fixed => "fixed", VexStatus.Affected => "affected", _ => "under_investigation" }}"
        + (s.Justification is { } j ? $" ({j})" : "")
        + (s.ImpactStatement is { } i ? $": {i}" : "")
        + (s.ActionStatement is { } a ? $"; action: {a}" : "")
        + $" [{s.Source}]");

    private static string Shorten(string text)
    {
        var line = Safe(text.ReplaceLineEndings(" ").Trim());
        return line.Length <= SummaryWidth ? line : line[..(SummaryWidth - 1)].TrimEnd() + "…";
    }

    /// Text from advisories, SBOMs and VEX files is data, not terminal commands: control characters (an escape
    /// sequence could rewrite the screen or hide a finding) and bidirectional overrides (which reorder what is shown)
    /// are replaced with U+FFFD before anything reaches the terminal.
    internal static string Safe(string text)
    {
        if (!text.Any(IsUnsafe)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(IsUnsafe(c) ? '\uFFFD' : c);
        return sb.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// ANSI SGR colouring, or none: colour is a hint, never the only carrier of meaning (the words are always there).
    private readonly struct Paint(bool on)
    {
        public string Bold(string text) => Wrap("1", text);
        public string Dim(string text) => Wrap("2", text);

        public string Severity(Finding f, string text) =>
            f.Kind == FindingKind.Malicious ? Wrap("1;35", text)
            : f.Severity?.Severity switch
            {
                CvssSeverity.Critical => Wrap("1;31", text),
                CvssSeverity.High => Wrap("31", text),
                CvssSeverity.Medium => Wrap("33", text),
                CvssSeverity.Low => Wrap("36", text),
                _ => Wrap("2", text),
            };

        private string Wrap(string code, string text) => on && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
    }
}
