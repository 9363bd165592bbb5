// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Hygiene.Findings;

/// Writes a rule report as JSON (`--format json` of `ci audit` and `deps check`, documented in docs/): the tool, the
/// target, any lists of settings the run used, the files read, the findings in report order (each with its rule's title,
/// severity, why and fix), the files that could not be read, and the count of findings by severity.
public static class RuleReportJson
{
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance };

    /// <param name="lists">named lists written after "target", such as deps check's "allowedRegistries"</param>
    public static void Write(IRuleReport<IRuleFinding> report, string target, string toolVersion, Stream output,
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>? lists = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", toolVersion);
        w.WriteEndObject();
        w.WriteString("target", target);
        foreach (var (name, values) in lists ?? [])
        {
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        w.WriteStartArray("files");
        foreach (var f in report.Files) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.Rule.Id);
            w.WriteString("severity", Severities.Name(f.Rule.Severity));
            w.WriteString("title", f.Rule.Title);
            w.WriteString("file", f.Path);
            if (f.Line is { } line) w.WriteNumber("line", line);
            else w.WriteNull("line");
            if (f.Column is { } column) w.WriteNumber("column", column);
            foreach (var (name, value) in f.Properties)
            {
                if (value is not null) w.WriteString(name, value);
                else w.WriteNull(name);
            }
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
            w.WriteNumber(Severities.Name(s), report.Findings.Count(f => f.Rule.Severity == s));
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
