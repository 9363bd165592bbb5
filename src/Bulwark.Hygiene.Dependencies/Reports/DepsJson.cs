// SPDX-License-Identifier: Apache-2.0
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Hygiene.Dependencies.Reports;

/// Writes a check as JSON (`--format json`, documented in docs/deps-check-json.md): the findings in report order, each
/// with its rule's title, severity, why and fix; the manifests and lockfiles read; the files that could not be read.
public static class DepsJson
{
    internal static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(DependencyReport report, string target, string toolVersion, IReadOnlyList<string> registries, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(registries);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteString("name", "bulwark");
        w.WriteString("version", toolVersion);
        w.WriteEndObject();
        w.WriteString("target", target);
        w.WriteStartArray("allowedRegistries");
        foreach (var r in registries) w.WriteStringValue(r);
        w.WriteEndArray();
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
            if (f.Line is { } line) w.WriteNumber("line", line);
            else w.WriteNull("line");
            w.WriteString("ecosystem", f.Ecosystem);
            if (f.Package is { } package) w.WriteString("package", package);
            else w.WriteNull("package");
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
