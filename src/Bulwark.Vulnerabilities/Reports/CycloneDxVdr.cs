// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Reports;

/// Writes a scan as a CycloneDX 1.6 JSON vulnerability disclosure report (VDR, `--format cyclonedx`): the subject as
/// metadata.component, the affected packages as components (bom-ref = purl), and one vulnerabilities[] entry per
/// finding. A finding VEX suppressed is still listed, with an analysis saying why (CycloneDX 1.6 §vulnerability.analysis);
/// an affected/under_investigation statement is listed as the analysis of the finding it speaks about.
public static class CycloneDxVdr
{
    public static void Write(ScanReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var annotations = report.Annotated
            .GroupBy(a => (a.Finding.Id, a.Finding.Package.Purl))
            .ToDictionary(g => g.Key, g => g.First().Statement);
        var entries = report.Findings
            .Select(f => (Finding: f, Statement: annotations.GetValueOrDefault((f.Id, f.Package.Purl))))
            .Concat(report.Suppressed.Select(s => (s.Finding, (VexStatement?)s.Statement)))
            .OrderBy(e => e.Finding, Comparer<Finding>.Create(Finding.Compare))
            .ToList();
        var packages = entries.Select(e => e.Finding.Package).DistinctBy(p => p.Purl).OrderBy(p => p.Purl.ToString(), StringComparer.Ordinal).ToList();
        var subjectRef = report.Sbom.Subject.Purl is { } sp && packages.All(p => !p.Purl.Equals(sp)) ? sp.ToString() : "bulwark:subject";

        using var w = new Utf8JsonWriter(output, JsonScanReport.Options);
        w.WriteStartObject();
        w.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
        w.WriteString("bomFormat", "CycloneDX");
        w.WriteString("specVersion", "1.6");
        w.WriteString("serialNumber", "urn:uuid:" + SerialNumber(report).ToString("D", CultureInfo.InvariantCulture));
        w.WriteNumber("version", 1);
        WriteMetadata(w, report, subjectRef);

        w.WriteStartArray("components");
        foreach (var p in packages)
        {
            w.WriteStartObject();
            w.WriteString("type", p.Kind == PackageKind.OperatingSystem ? "operating-system" : p.Kind == PackageKind.Application ? "application" : "library");
            w.WriteString("bom-ref", p.Purl.ToString());
            w.WriteString("name", p.Name);
            if (!string.IsNullOrEmpty(p.Version)) w.WriteString("version", p.Version);
            w.WriteString("purl", p.Purl.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("vulnerabilities");
        foreach (var (finding, statement) in entries) WriteVulnerability(w, finding, statement);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, ScanReport report, string subjectRef)
    {
        var s = report.Sbom.Subject;
        w.WriteStartObject("metadata");
        w.WriteString("timestamp", ReportTerms.Time(report.Created));
        w.WriteStartObject("tools");
        w.WriteStartArray("components");
        w.WriteStartObject();
        w.WriteString("type", "application");
        w.WriteString("name", "bulwark");
        w.WriteString("version", report.ToolVersion);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("component");
        w.WriteString("type", s.Kind switch
        {
            Bulwark.Sbom.SubjectKind.Image => "container",
            Bulwark.Sbom.SubjectKind.File => "file",
            _ => "application",
        });
        w.WriteString("bom-ref", subjectRef);
        w.WriteString("name", s.Name);
        if (!string.IsNullOrEmpty(s.Version)) w.WriteString("version", s.Version);
        if (s.Purl is not null) w.WriteString("purl", s.Purl.ToString());
        w.WriteEndObject();
        w.WriteStartArray("properties");
        WriteProperty(w, "bulwark:scan-target", report.Target);
        WriteProperty(w, "bulwark:database-source", report.Database.Source);
        WriteProperty(w, "bulwark:database-built", ReportTerms.Time(report.Database.Built));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteVulnerability(Utf8JsonWriter w, Finding f, VexStatement? statement)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        WriteSource(w, "source", f.Id);
        var aliases = f.Ids.Where(i => i != f.Id).ToList();
        if (aliases.Count > 0)
        {
            w.WriteStartArray("references");
            foreach (var alias in aliases)
            {
                w.WriteStartObject();
                w.WriteString("id", alias);
                WriteSource(w, "source", alias);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        var ratings = f.Ratings.IsDefaultOrEmpty ? (f.Severity is { } only ? [only] : []) : f.Ratings.ToList();
        if (ratings.Count > 0)
        {
            w.WriteStartArray("ratings");
            foreach (var r in ratings) WriteRating(w, r, f.Id);
            w.WriteEndArray();
        }

        if (f.Summary is { } summary) w.WriteString("description", summary);
        w.WriteString("detail", string.Join("\n", f.Evidence.Select(e => $"{e.RecordId} ({e.Ecosystem} {e.Name}): {e.Explanation}")));
        w.WriteString("recommendation", ReportTerms.Fix(f));

        var advisories = f.References.Where(ReportTerms.IsHttpUrl).ToList();
        if (advisories.Count > 0)
        {
            w.WriteStartArray("advisories");
            foreach (var url in advisories)
            {
                w.WriteStartObject();
                w.WriteString("url", url);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (f.Published is { } published) w.WriteString("published", ReportTerms.Time(published));
        if (f.Modified is { } modified) w.WriteString("updated", ReportTerms.Time(modified));

        if (statement is not null) WriteAnalysis(w, statement);

        w.WriteStartArray("affects");
        w.WriteStartObject();
        w.WriteString("ref", f.Package.Purl.ToString());
        w.WriteStartArray("versions");
        w.WriteStartObject();
        w.WriteString("version", f.InstalledVersion);
        w.WriteString("status", "affected");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("properties");
        WriteProperty(w, "bulwark:kind", ReportTerms.Kind(f.Kind));
        if (f.FixedVersion is { } fixedVersion) WriteProperty(w, "bulwark:fixed-version", fixedVersion);
        if (f.Direct is { } direct) WriteProperty(w, "bulwark:direct", direct ? "true" : "false");
        if (f.DependencyPath.Length > 0) WriteProperty(w, "bulwark:dependency-path", string.Join(" > ", f.DependencyPath.Select(p => p.ToString())));
        foreach (var l in ReportTerms.Locations(f.Package))
            WriteProperty(w, "bulwark:location", l.Layer is { } layer ? $"{l} (layer {layer})" : l.ToString());
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // the rating's source is the advisory that states it (the record behind the finding's id); the OSV severity type
    // it was read from (CVSS_V3, database_specific…) is in the method, and in the JSON report
    private static void WriteRating(Utf8JsonWriter w, SeverityRating r, string advisoryId)
    {
        w.WriteStartObject();
        WriteSource(w, "source", advisoryId);
        if (r.Score is { } score) w.WriteNumber("score", Math.Round(score, 1));
        w.WriteString("severity", ReportTerms.Severity(r.Severity));
        w.WriteString("method", r.Vector?.Version switch
        {
            CvssVersion.V2 => "CVSSv2",
            CvssVersion.V3_0 => "CVSSv3",
            CvssVersion.V3_1 => "CVSSv31",
            CvssVersion.V4_0 => "CVSSv4",
            _ => "other",
        });
        if (r.Vector is { } vector) w.WriteString("vector", vector.Text);
        w.WriteEndObject();
    }

    /// VEX (OpenVEX names) to CycloneDX impact analysis. States: not_affected → not_affected, fixed → resolved,
    /// affected → exploitable, under_investigation → in_triage. OpenVEX justifications map onto the nearest
    /// CycloneDX one; a justification already in CycloneDX's vocabulary (from a CycloneDX VEX) is kept.
    private static void WriteAnalysis(Utf8JsonWriter w, VexStatement s)
    {
        w.WriteStartObject("analysis");
        w.WriteString("state", s.Status switch
        {
            VexStatus.NotAffected => "not_affected",
            VexStatus.Fixed => "resolved",
            VexStatus.Affected => "exploitable",
            _ => "in_triage",
        });
        if (Justification(s.Justification) is { } justification) w.WriteString("justification", justification);
        if (s.Status == VexStatus.Affected && s.ActionStatement is not null)
        {
            w.WriteStartArray("response");
            w.WriteStringValue("update");
            w.WriteEndArray();
        }
        var detail = new List<string>();
        if (s.ImpactStatement is { } impact) detail.Add(impact);
        if (s.ActionStatement is { } action) detail.Add("Action: " + action);
        if (s.Justification is { } j && Justification(j) is null) detail.Add("Justification: " + j);
        detail.Add($"VEX statement: {s.Source}");
        w.WriteString("detail", string.Join("\n", detail));
        if (s.Timestamp is { } t) w.WriteString("lastUpdated", ReportTerms.Time(t));
        w.WriteEndObject();
    }

    internal static string? Justification(string? vex) => vex switch
    {
        null => null,
        "component_not_present" or "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_not_in_execute_path" => "code_not_reachable",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        "code_not_present" or "code_not_reachable" or "requires_configuration" or "requires_dependency"
            or "requires_environment" or "protected_by_compiler" or "protected_at_runtime" or "protected_at_perimeter"
            or "protected_by_mitigating_control" => vex,
        _ => null,
    };

    /// Where an id is published: GHSA in the GitHub Advisory Database, CVE at NVD, everything else at OSV.
    private static void WriteSource(Utf8JsonWriter w, string name, string id)
    {
        var (source, url) = id switch
        {
            _ when id.StartsWith("GHSA-", StringComparison.Ordinal) => ("GitHub Advisory Database", "https://github.com/advisories/" + Uri.EscapeDataString(id)),
            _ when id.StartsWith("CVE-", StringComparison.Ordinal) => ("NVD", "https://nvd.nist.gov/vuln/detail/" + Uri.EscapeDataString(id)),
            _ => ("OSV", ReportTerms.OsvUrl(id)),
        };
        w.WriteStartObject(name);
        w.WriteString("name", source);
        w.WriteString("url", url);
        w.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    // stable for the same scan content: subject, findings and their VEX, not the time
    private static Guid SerialNumber(ScanReport report)
    {
        var sb = new StringBuilder();
        sb.Append(report.Sbom.ContentId()).Append('\n');
        foreach (var f in report.Findings) sb.Append(f.Id).Append(' ').Append(f.Package.Purl).Append('\n');
        foreach (var s in report.Suppressed) sb.Append("vex ").Append(s.Finding.Id).Append(' ').Append(s.Finding.Package.Purl).Append('\n');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);   // RFC 9562 version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
