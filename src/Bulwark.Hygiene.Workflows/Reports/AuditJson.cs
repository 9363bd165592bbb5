// SPDX-License-Identifier: Apache-2.0
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Hygiene.Workflows.Reports;

/// Writes an audit as JSON (`--format json`): the findings in report order, each with its rule's title, severity,
/// why and fix; the files audited; the files that could not be read.
public static class AuditJson
{
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(AuditReport report, string target, string toolVersion, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", toolVersion);
        w.WriteEndObject();
        w.WriteString("target", target);
        w.WriteStartArray("files");
        foreach (var f in report.Files) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.Rule.Id);
            w.WriteString("severity", Name(f.Rule.Severity));
            w.WriteString("title", f.Rule.Title);
            w.WriteString("file", f.Path);
            w.WriteNumber("line", f.Line);
            w.WriteNumber("column", f.Column);
            w.WriteString("message", f.Message);
            w.WriteString("why", f.Rule.Why);
            w.WriteString("fix", f.Rule.Fix);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("unreadable");
        foreach (var u in report.Unreadable)
        {
            w.WriteStartObject();
            w.WriteString("file", u.Path);
            w.WriteString("reason", u.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("summary");
        foreach (var s in Enum.GetValues<Severity>().Reverse())
            w.WriteNumber(Name(s), report.Findings.Count(f => f.Rule.Severity == s));
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    /// The lower-case name used in every output and in `--fail-on`.
    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
