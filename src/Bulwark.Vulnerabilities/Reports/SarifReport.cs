// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Reports;

/// Writes a scan as SARIF 2.1.0 for GitHub code scanning (`--format sarif`): one run; one rule per vulnerability id;
/// one result per (finding, file the package was found in). GitHub's conventions followed here: rule
/// properties.tags include "security" and properties."security-severity" is a numeric string (GitHub sorts and
/// labels alerts by it); artifact URIs are relative to the repository root; partialFingerprints keep an alert the same
/// alert across runs. Suppressed findings are written with a SARIF suppression (kind external, status accepted).
public static class SarifReport
{
    public const string SchemaUri = SarifLog.SchemaUri;

    /// The partialFingerprints key: versioned, so a change in how it is computed starts new alerts instead of mixing.
    public const string FingerprintKey = "bulwarkFinding/v1";

    public static void Write(ScanReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var entries = report.Findings.Select(f => (Finding: f, Suppression: (Vex.SuppressedFinding?)null))
            .Concat(report.Suppressed.Select(s => (s.Finding, (Vex.SuppressedFinding?)s)))
            .ToList();
        // rules: one per id, sorted; a rule's severity is the highest of its findings (an id can hit several packages)
        var rules = entries.GroupBy(e => e.Finding.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Select(e => e.Finding).ToList())
            .ToList();
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++) ruleIndex[rules[i][0].Id] = i;

        using var w = new Utf8JsonWriter(output, JsonScanReport.Options);
        SarifLog.StartRun(w, report.ToolVersion);
        foreach (var findings in rules) WriteRule(w, findings);
        SarifLog.EndDriver(w);

        w.WriteStartArray("results");
        foreach (var (finding, suppression) in entries.OrderBy(e => e.Finding, Comparer<Finding>.Create(Finding.Compare)))
        {
            foreach (var location in ResultLocations(report, finding))
                WriteResult(w, finding, suppression, location, ruleIndex[finding.Id]);
        }
        w.WriteEndArray();
        w.WriteString("columnKind", "utf16CodeUnits");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, List<Finding> findings)
    {
        var first = findings[0];
        var worst = findings.MaxBy(f => ReportTerms.SecuritySeverity(f) ?? -1)!;
        var title = first.Summary ?? (first.Kind == FindingKind.Malicious ? $"Malicious package ({first.Id})" : first.Id);
        w.WriteStartObject();
        w.WriteString("id", first.Id);
        w.WriteString("name", RuleName(first));
        w.WriteStartObject("shortDescription");
        w.WriteString("text", title);
        w.WriteEndObject();
        w.WriteStartObject("fullDescription");
        w.WriteString("text", FullDescription(first, title));
        w.WriteEndObject();
        w.WriteStartObject("defaultConfiguration");
        w.WriteString("level", Level(worst));
        w.WriteEndObject();
        w.WriteString("helpUri", ReportTerms.OsvUrl(first.Id));
        w.WriteStartObject("help");
        w.WriteString("text", HelpText(findings, markdown: false));
        w.WriteString("markdown", HelpText(findings, markdown: true));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteStartArray("tags");
        w.WriteStringValue("security");
        w.WriteStringValue(ReportTerms.Kind(first.Kind));
        w.WriteEndArray();
        if (ReportTerms.SecuritySeverity(worst) is { } score)
            w.WriteString("security-severity", score.ToString("0.0", CultureInfo.InvariantCulture));
        w.WriteString("severity", ReportTerms.Severity(worst.Severity));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // a readable identifier: "Vulnerability/GHSA-…" reads oddly; GitHub shows the name in rule lists, so use the kind
    private static string RuleName(Finding f) =>
        (f.Kind == FindingKind.Malicious ? "MaliciousPackage" : "VulnerablePackage") + "/" + f.Id;

    private static string FullDescription(Finding f, string title)
    {
        var aliases = f.Ids.Where(i => i != f.Id).ToList();
        return aliases.Count == 0 ? title : $"{title} (also known as {string.Join(", ", aliases)})";
    }

    private static string HelpText(List<Finding> findings, bool markdown)
    {
        var first = findings[0];
        var sb = new StringBuilder();
        sb.Append(markdown ? $"**{Escape(first.Id)}**" : first.Id);
        if (first.Summary is { } summary) sb.Append(": ").Append(markdown ? Escape(summary) : summary);
        sb.Append('\n');
        if (first.Severity is { } s) sb.Append('\n').Append("Severity: ").Append(markdown ? Escape(s.ToString()) : s.ToString()).Append('\n');
        foreach (var f in findings.DistinctBy(f => f.Package.Purl))
        {
            sb.Append('\n');
            var pkg = $"{f.Package.Name} {f.InstalledVersion}";
            sb.Append(markdown ? $"- `{pkg}`: " : $"{pkg}: ");
            sb.Append(markdown ? Escape(ReportTerms.Fix(f)) : ReportTerms.Fix(f)).Append('\n');
            foreach (var e in f.Evidence)
            {
                var line = $"{e.RecordId} ({e.Ecosystem} {e.Name}): {e.Explanation}";
                sb.Append(markdown ? "  - " + Escape(line) : "  " + line).Append('\n');
            }
        }
        sb.Append('\n').Append(markdown ? $"[{Escape(first.Id)} on OSV]({ReportTerms.OsvUrl(first.Id)})" : ReportTerms.OsvUrl(first.Id)).Append('\n');
        // only well-formed web links: a reference is advisory data and must not break out of the Markdown link syntax
        foreach (var r in first.References.Where(ReportTerms.IsHttpUrl).Where(r => !r.Contains('>', StringComparison.Ordinal)).Take(10))
            sb.Append(markdown ? $"- <{r}>\n" : r + "\n");
        return sb.ToString();
    }

    // Markdown special characters in advisory text must not turn into markup (or links) in GitHub's alert view
    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// GitHub's levels: error for high and critical (and malicious), warning for medium, note for low and none;
    /// an unrated vulnerability is a warning, so it is neither hidden nor overstated.
    internal static string Level(Finding f) =>
        f.Kind == FindingKind.Malicious ? "error"
        : f.Severity?.Severity switch
        {
            CvssSeverity.Critical or CvssSeverity.High => "error",
            CvssSeverity.Medium => "warning",
            CvssSeverity.Low or CvssSeverity.None => "note",
            _ => "warning",
        };

    private sealed record ResultLocation(string Uri, int? Line, string? Layer);

    // one per distinct file; a package found nowhere in particular (an SBOM input) points at the target itself
    private static IEnumerable<ResultLocation> ResultLocations(ScanReport report, Finding f)
    {
        var locations = ReportTerms.Locations(f.Package)
            .GroupBy(l => l.Path, StringComparer.Ordinal)
            .Select(g => g.OrderBy(l => l).First())
            .Select(l => new ResultLocation(RelativeUri(l.Path), l.Line is > 0 ? l.Line : null, l.Layer))
            .ToList();
        return locations.Count > 0 ? locations : [new ResultLocation(RelativeUri(report.Target), null, null)];
    }

    private static void WriteResult(Utf8JsonWriter w, Finding f, Vex.SuppressedFinding? suppression, ResultLocation location, int ruleIndex)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.Id);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", Level(f));
        w.WriteStartObject("message");
        w.WriteString("text", Message(f, location));
        w.WriteEndObject();
        SarifLog.WriteLocation(w, location.Uri, location.Line, column: null, FingerprintKey, Fingerprint(f, location));
        if (suppression is not null)
        {
            var s = suppression.Statement;
            w.WriteStartArray("suppressions");
            w.WriteStartObject();
            w.WriteString("kind", "external");
            w.WriteString("status", "accepted");
            w.WriteString("justification", $"VEX {ReportTerms.Status(s.Status)}"
                + (s.Justification is { } j ? $" ({j})" : "")
                + (s.ImpactStatement is { } i ? $": {i}" : "")
                + $" [{s.Source}]");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteStartObject("properties");
        w.WriteString("purl", f.Package.Purl.ToString());
        w.WriteString("installedVersion", f.InstalledVersion);
        if (f.FixedVersion is { } fixedVersion) w.WriteString("fixedVersion", fixedVersion);
        if (location.Layer is { } layer) w.WriteString("layer", layer);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Message(Finding f, ResultLocation location)
    {
        var sb = new StringBuilder();
        sb.Append(f.Package.Name).Append(' ').Append(f.InstalledVersion);
        if (f.Kind == FindingKind.Malicious) sb.Append(" is reported as malicious (").Append(f.Id).Append(").");
        else sb.Append(" is affected by ").Append(f.Id).Append(" (severity ").Append(ReportTerms.Severity(f.Severity)).Append(").");
        if (f.Summary is { } summary) sb.Append(' ').Append(summary.TrimEnd('.')).Append('.');
        sb.Append(' ').Append(ReportTerms.Fix(f));
        if (location.Layer is { } layer) sb.Append(" Found in image layer ").Append(layer).Append('.');
        if (f.Direct == true) sb.Append(" Direct dependency.");
        if (f.Direct == false)
        {
            sb.Append(" Transitive dependency");
            if (f.DependencyPath.Length > 1) sb.Append(": ").Append(string.Join(" > ", f.DependencyPath.Select(p => p.ToString())));
            sb.Append('.');
        }
        return sb.ToString();
    }

    // stable across runs and machines: what the finding is and where, nothing about time or order
    private static string Fingerprint(Finding f, ResultLocation location)
    {
        var key = $"{f.Id}\n{f.Package.Purl}\n{location.Uri}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }

    internal static string RelativeUri(string path) => SarifLog.RelativeUri(path);
}
