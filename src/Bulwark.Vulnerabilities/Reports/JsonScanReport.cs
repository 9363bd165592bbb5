// SPDX-License-Identifier: Apache-2.0
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Reports;

/// Bulwark's own JSON report (`--format json`), documented field by field in docs/scan-report.md and by the JSON
/// Schema docs/scan-report.schema.json. Every field is always written (null when unknown), arrays keep the model's
/// sorted order, and the only time that is not from the data is <see cref="ScanReport.Created"/>, which the caller sets.
public static class JsonScanReport
{
    /// The report format's version: bumped on a breaking change (a field removed or its meaning changed).
    public const string SchemaVersion = "1.0";

    internal static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // the document is a file, not HTML: keep '+', '<', '>' and non-ASCII names readable
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(ScanReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, Options);
        var summary = ScanSummary.Of(report);

        w.WriteStartObject();
        w.WriteString("schemaVersion", SchemaVersion);
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", report.ToolVersion);
        w.WriteEndObject();
        w.WriteString("created", ReportTerms.Time(report.Created));
        w.WriteString("target", report.Target);
        WriteSubject(w, report.Sbom.Subject);
        WriteDatabase(w, report);
        WriteSummary(w, summary);

        w.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            WriteFinding(w, f);
            FlushIfFull(w);
        }
        w.WriteEndArray();

        w.WriteStartArray("suppressed");
        foreach (var s in report.Suppressed)
        {
            w.WriteStartObject();
            w.WritePropertyName("finding");
            WriteFinding(w, s.Finding);
            WriteStatement(w, "statement", s.Statement);
            w.WriteEndObject();
            FlushIfFull(w);
        }
        w.WriteEndArray();

        w.WriteStartArray("annotations");
        foreach (var a in report.Annotated)
        {
            w.WriteStartObject();
            w.WriteString("id", a.Finding.Id);
            w.WriteString("purl", a.Finding.Package.Purl.ToString());
            WriteStatement(w, "statement", a.Statement);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("unmatchable");
        foreach (var u in report.Unmatchable)
        {
            w.WriteStartObject();
            WritePackage(w, "package", u.Package);
            w.WriteString("reason", ReportTerms.Reason(u.Reason));
            w.WriteString("detail", u.Detail);
            WriteLocations(w, u.Package);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("problems");
        foreach (var p in report.Problems)
        {
            w.WriteStartObject();
            w.WriteString("purl", p.Package.ToString());
            w.WriteString("recordId", p.RecordId);
            w.WriteString("detail", p.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("warnings");
        foreach (var warning in report.Warnings) w.WriteStringValue(warning);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Utf8JsonWriter buffers everything until Flush: without this a 10,000-package scan's 50 MB report is held (and
    // its buffer regrown, 130 MB allocated) in memory before the first byte reaches the stream
    private const int FlushThreshold = 1 << 16;

    private static void FlushIfFull(Utf8JsonWriter w)
    {
        if (w.BytesPending >= FlushThreshold) w.Flush();
    }

    private static void WriteSubject(Utf8JsonWriter w, Bulwark.Sbom.SbomSubject s)
    {
        w.WriteStartObject("subject");
        w.WriteString("name", s.Name);
        WriteNullable(w, "version", string.IsNullOrEmpty(s.Version) ? null : s.Version);
        w.WriteString("kind", s.Kind.ToString().ToLowerInvariant());
        WriteNullable(w, "purl", s.Purl?.ToString());
        w.WriteEndObject();
    }

    private static void WriteDatabase(Utf8JsonWriter w, ScanReport report)
    {
        var d = report.Database;
        w.WriteStartObject("database");
        w.WriteString("source", d.Source);
        WriteNullable(w, "maliciousSource", d.MaliciousSource);
        w.WriteString("built", ReportTerms.Time(d.Built));
        w.WriteString("checked", ReportTerms.Time(d.Checked));
        // from the report's own time, not the clock, so the same inputs give the same bytes
        w.WriteNumber("ageSeconds", (long)Math.Floor((report.Created - d.Checked).TotalSeconds));
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, ScanSummary s)
    {
        w.WriteStartObject("summary");
        w.WriteNumber("findings", s.Findings);
        w.WriteStartObject("bySeverity");
        w.WriteNumber("critical", s.Critical);
        w.WriteNumber("high", s.High);
        w.WriteNumber("medium", s.Medium);
        w.WriteNumber("low", s.Low);
        w.WriteNumber("none", s.None);
        w.WriteNumber("unknown", s.Unknown);
        w.WriteEndObject();
        w.WriteStartObject("byKind");
        w.WriteNumber("vulnerability", s.Vulnerabilities);
        w.WriteNumber("malicious", s.Malicious);
        w.WriteEndObject();
        w.WriteNumber("suppressed", s.Suppressed);
        w.WriteNumber("annotated", s.Annotated);
        w.WriteNumber("unmatchable", s.Unmatchable);
        w.WriteNumber("problems", s.Problems);
        w.WriteNumber("packages", s.Packages);
        w.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        WriteStrings(w, "ids", f.Ids);
        w.WriteString("kind", ReportTerms.Kind(f.Kind));
        WritePackage(w, "package", f.Package);
        w.WriteString("installedVersion", f.InstalledVersion);
        if (f.Severity is { } severity)
        {
            w.WritePropertyName("severity");
            WriteRating(w, severity);
        }
        else
        {
            w.WriteNull("severity");
        }
        w.WriteStartArray("ratings");
        foreach (var r in f.Ratings) WriteRating(w, r);
        w.WriteEndArray();
        WriteNullable(w, "fixedVersion", f.FixedVersion);
        WriteNullable(w, "summary", f.Summary);
        w.WriteStartArray("evidence");
        foreach (var e in f.Evidence)
        {
            w.WriteStartObject();
            w.WriteString("recordId", e.RecordId);
            w.WriteString("ecosystem", e.Ecosystem);
            w.WriteString("name", e.Name);
            WriteNullable(w, "rangeType", e.RangeType);
            WriteNullable(w, "introduced", e.Introduced);
            WriteNullable(w, "fixed", e.Fixed);
            WriteNullable(w, "lastAffected", e.LastAffected);
            WriteNullable(w, "limit", e.Limit);
            w.WriteString("explanation", e.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteStrings(w, "references", f.References);
        if (f.Direct is { } direct) w.WriteBoolean("direct", direct);
        else w.WriteNull("direct");
        w.WriteStartArray("dependencyPath");
        foreach (var p in f.DependencyPath) w.WriteStringValue(p.ToString());
        w.WriteEndArray();
        WriteLocations(w, f.Package);
        WriteNullable(w, "published", f.Published is { } published ? ReportTerms.Time(published) : null);
        WriteNullable(w, "modified", f.Modified is { } modified ? ReportTerms.Time(modified) : null);
        w.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter w, string name, Package p)
    {
        w.WriteStartObject(name);
        w.WriteString("name", p.Name);
        w.WriteString("version", p.Version);
        w.WriteString("purl", p.Purl.ToString());
        w.WriteString("ecosystem", ReportTerms.Ecosystem(p));
        w.WriteEndObject();
    }

    private static void WriteLocations(Utf8JsonWriter w, Package p)
    {
        w.WriteStartArray("locations");
        foreach (var l in ReportTerms.Locations(p))
        {
            w.WriteStartObject();
            w.WriteString("path", l.Path);
            if (l.Line is { } line) w.WriteNumber("line", line);
            else w.WriteNull("line");
            WriteNullable(w, "layer", l.Layer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteRating(Utf8JsonWriter w, SeverityRating r)
    {
        w.WriteStartObject();
        w.WriteString("level", ReportTerms.Severity(r.Severity));
        if (r.Score is { } score) w.WriteNumber("score", Math.Round(score, 1));
        else w.WriteNull("score");
        WriteNullable(w, "vector", r.Vector?.Text);
        WriteNullable(w, "cvssVersion", r.Vector is { } v ? CvssVersionName(v.Version) : null);
        w.WriteString("source", r.Source);
        w.WriteString("text", r.Text);
        w.WriteEndObject();
    }

    internal static string CvssVersionName(CvssVersion version) => version switch
    {
        CvssVersion.V2 => "2.0",
        CvssVersion.V3_0 => "3.0",
        CvssVersion.V3_1 => "3.1",
        _ => "4.0",
    };

    private static void WriteStatement(Utf8JsonWriter w, string name, VexStatement s)
    {
        w.WriteStartObject(name);
        w.WriteString("source", s.Source);
        w.WriteString("vulnerability", s.VulnerabilityId);
        WriteStrings(w, "aliases", s.VulnerabilityAliases);
        w.WriteStartArray("products");
        foreach (var p in s.Products) w.WriteStringValue(p.ToString());
        w.WriteEndArray();
        w.WriteString("status", ReportTerms.Status(s.Status));
        WriteNullable(w, "justification", s.Justification);
        WriteNullable(w, "impactStatement", s.ImpactStatement);
        WriteNullable(w, "actionStatement", s.ActionStatement);
        WriteNullable(w, "timestamp", s.Timestamp is { } t ? ReportTerms.Time(t) : null);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, System.Collections.Immutable.ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        if (!values.IsDefault)
            foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
