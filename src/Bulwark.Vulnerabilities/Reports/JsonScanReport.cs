// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
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
        // the platform's encoder, not RelaxedJsonEncoder (same bytes): reports run to tens of megabytes, and its search
        // for characters to escape is faster (10,000-component report 67 ms against 80), which outweighs building its tables
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
            WritePackage(w, N.Package, u.Package);
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

    /// Property names of the per-finding objects, encoded once (a large scan writes millions of them).
    private static class N
    {
        public static readonly JsonEncodedText CvssVersion = JsonEncodedText.Encode("cvssVersion");
        public static readonly JsonEncodedText DependencyPath = JsonEncodedText.Encode("dependencyPath");
        public static readonly JsonEncodedText Direct = JsonEncodedText.Encode("direct");
        public static readonly JsonEncodedText Ecosystem = JsonEncodedText.Encode("ecosystem");
        public static readonly JsonEncodedText Evidence = JsonEncodedText.Encode("evidence");
        public static readonly JsonEncodedText Explanation = JsonEncodedText.Encode("explanation");
        public static readonly JsonEncodedText Fixed = JsonEncodedText.Encode("fixed");
        public static readonly JsonEncodedText FixedVersion = JsonEncodedText.Encode("fixedVersion");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Ids = JsonEncodedText.Encode("ids");
        public static readonly JsonEncodedText InstalledVersion = JsonEncodedText.Encode("installedVersion");
        public static readonly JsonEncodedText Introduced = JsonEncodedText.Encode("introduced");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText LastAffected = JsonEncodedText.Encode("lastAffected");
        public static readonly JsonEncodedText Layer = JsonEncodedText.Encode("layer");
        public static readonly JsonEncodedText Level = JsonEncodedText.Encode("level");
        public static readonly JsonEncodedText Limit = JsonEncodedText.Encode("limit");
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText Locations = JsonEncodedText.Encode("locations");
        public static readonly JsonEncodedText Modified = JsonEncodedText.Encode("modified");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Package = JsonEncodedText.Encode("package");
        public static readonly JsonEncodedText Path = JsonEncodedText.Encode("path");
        public static readonly JsonEncodedText Published = JsonEncodedText.Encode("published");
        public static readonly JsonEncodedText Purl = JsonEncodedText.Encode("purl");
        public static readonly JsonEncodedText RangeType = JsonEncodedText.Encode("rangeType");
        public static readonly JsonEncodedText Ratings = JsonEncodedText.Encode("ratings");
        public static readonly JsonEncodedText RecordId = JsonEncodedText.Encode("recordId");
        public static readonly JsonEncodedText References = JsonEncodedText.Encode("references");
        public static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
        public static readonly JsonEncodedText Severity = JsonEncodedText.Encode("severity");
        public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
        public static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Vector = JsonEncodedText.Encode("vector");
        public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString(N.Id, f.Id);
        WriteStrings(w, N.Ids, f.Ids);
        w.WriteString(N.Kind, ReportTerms.Kind(f.Kind));
        WritePackage(w, N.Package, f.Package);
        w.WriteString(N.InstalledVersion, f.InstalledVersion);
        if (f.Severity is { } severity)
        {
            w.WritePropertyName(N.Severity);
            WriteRating(w, severity);
        }
        else
        {
            w.WriteNull(N.Severity);
        }
        w.WriteStartArray(N.Ratings);
        foreach (var r in f.Ratings) WriteRating(w, r);
        w.WriteEndArray();
        WriteNullable(w, N.FixedVersion, f.FixedVersion);
        WriteNullable(w, N.Summary, f.Summary);
        w.WriteStartArray(N.Evidence);
        foreach (var e in f.Evidence)
        {
            w.WriteStartObject();
            w.WriteString(N.RecordId, e.RecordId);
            w.WriteString(N.Ecosystem, e.Ecosystem);
            w.WriteString(N.Name, e.Name);
            WriteNullable(w, N.RangeType, e.RangeType);
            WriteNullable(w, N.Introduced, e.Introduced);
            WriteNullable(w, N.Fixed, e.Fixed);
            WriteNullable(w, N.LastAffected, e.LastAffected);
            WriteNullable(w, N.Limit, e.Limit);
            w.WriteString(N.Explanation, e.Explanation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteStrings(w, N.References, f.References);
        if (f.Direct is { } direct) w.WriteBoolean(N.Direct, direct);
        else w.WriteNull(N.Direct);
        w.WriteStartArray(N.DependencyPath);
        foreach (var p in f.DependencyPath) w.WriteStringValue(p.ToString());
        w.WriteEndArray();
        WriteLocations(w, f.Package);
        WriteTime(w, N.Published, f.Published);
        WriteTime(w, N.Modified, f.Modified);
        w.WriteEndObject();
    }

    /// A record's time as <see cref="ReportTerms.Time"/> spells it, formatted straight into UTF-8: two per finding, and
    /// records rarely share a time, so a cache of formatted strings mostly missed.
    private static void WriteTime(Utf8JsonWriter w, JsonEncodedText name, DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            w.WriteNull(name);
            return;
        }
        Span<byte> utf8 = stackalloc byte[64];
        if (t.ToUniversalTime().TryFormat(utf8, out var length, ReportTerms.TimeFormat, CultureInfo.InvariantCulture)) w.WriteString(name, utf8[..length]);
        else w.WriteString(name, ReportTerms.Time(t));
    }

    private static void WritePackage(Utf8JsonWriter w, JsonEncodedText name, Package p)
    {
        w.WriteStartObject(name);
        w.WriteString(N.Name, p.Name);
        w.WriteString(N.Version, p.Version);
        w.WriteString(N.Purl, p.Purl.ToString());
        w.WriteString(N.Ecosystem, ReportTerms.Ecosystem(p));
        w.WriteEndObject();
    }

    private static void WriteLocations(Utf8JsonWriter w, Package p)
    {
        w.WriteStartArray(N.Locations);
        foreach (var l in ReportTerms.Locations(p))
        {
            w.WriteStartObject();
            w.WriteString(N.Path, l.Path);
            if (l.Line is { } line) w.WriteNumber(N.Line, line);
            else w.WriteNull(N.Line);
            WriteNullable(w, N.Layer, l.Layer);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteRating(Utf8JsonWriter w, SeverityRating r)
    {
        w.WriteStartObject();
        w.WriteString(N.Level, ReportTerms.Severity(r.Severity));
        if (r.Score is { } score) w.WriteNumber(N.Score, Math.Round(score, 1));
        else w.WriteNull(N.Score);
        WriteNullable(w, N.Vector, r.Vector?.Text);
        WriteNullable(w, N.CvssVersion, r.Vector is { } v ? CvssVersionName(v.Version) : null);
        w.WriteString(N.Source, r.Source);
        w.WriteString(N.Text, r.Text);
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

    private static void WriteStrings(Utf8JsonWriter w, string name, System.Collections.Immutable.ImmutableArray<string> values) =>
        WriteStrings(w, JsonEncodedText.Encode(name), values);

    private static void WriteStrings(Utf8JsonWriter w, JsonEncodedText name, System.Collections.Immutable.ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        if (!values.IsDefault)
            foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
