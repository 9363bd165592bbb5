// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Hygiene.Findings;

/// Writes a rule report as SARIF 2.1.0 for GitHub code scanning: every rule of the catalogue in the driver (so rule
/// indexes are stable), one result per finding with its line (and column) where the format gives one,
/// "security-severity" for GitHub's ranking, and a fingerprint of rule, file and message (not the line) so an alert
/// survives edits elsewhere in the file. Unreadable files become tool execution notifications, not results.
public static class RuleReportSarif
{
    public static void Write(IRuleReport<IRuleFinding> report, RuleCatalogue catalogue, string toolVersion, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(catalogue);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        using var w = new Utf8JsonWriter(output, RuleReportJson.Options);
        SarifLog.StartRun(w, toolVersion);
        foreach (var rule in catalogue.Rules)
        {
            index[rule.Id] = index.Count;
            w.WriteStartObject();
            w.WriteString("id", rule.Id);
            w.WriteString("name", string.Concat(rule.Title.Split(' ', ':', '-').Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s[1..])));
            w.WriteStartObject("shortDescription");
            w.WriteString("text", rule.Title);
            w.WriteEndObject();
            w.WriteStartObject("fullDescription");
            w.WriteString("text", rule.Why);
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", Level(rule.Severity));
            w.WriteEndObject();
            w.WriteStartObject("help");
            w.WriteString("text", $"{rule.Why}\n\nFix: {rule.Fix}");
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteStartArray("tags");
            w.WriteStringValue("security");
            w.WriteStringValue(catalogue.Tag);
            w.WriteEndArray();
            w.WriteString("security-severity", SecuritySeverity(rule.Severity).ToString("0.0", CultureInfo.InvariantCulture));
            w.WriteString("severity", Severities.Name(rule.Severity));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        SarifLog.EndDriver(w);

        w.WriteStartArray("invocations");
        w.WriteStartObject();
        w.WriteBoolean("executionSuccessful", true);
        w.WriteStartArray("toolExecutionNotifications");
        foreach (var u in report.Unreadable)
        {
            w.WriteStartObject();
            w.WriteString("level", "warning");
            w.WriteStartObject("message");
            w.WriteString("text", $"{u.Path}: not {catalogue.Checked}: {u.Reason}");
            w.WriteEndObject();
            SarifLog.WriteLocations(w, SarifLog.RelativeUri(u.Path));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteStartArray("results");
        foreach (var f in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.Rule.Id);
            w.WriteNumber("ruleIndex", index[f.Rule.Id]);
            w.WriteString("level", Level(f.Rule.Severity));
            w.WriteStartObject("message");
            w.WriteString("text", f.Message);
            w.WriteEndObject();
            SarifLog.WriteLocation(w, SarifLog.RelativeUri(f.Path), f.Line, f.Column, catalogue.FingerprintKey, Fingerprint(f));
            var properties = f.Properties;
            if (properties.Count > 0)
            {
                w.WriteStartObject("properties");
                foreach (var (name, value) in properties)
                    if (value is not null) w.WriteString(name, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("columnKind", "utf16CodeUnits");
        SarifLog.EndRun(w, output);
    }

    internal static string Level(Severity s) => s switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// GitHub maps over 9.0 to critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below that low.
    internal static double SecuritySeverity(Severity s) => s switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        _ => 3.0,
    };

    private static string Fingerprint(IRuleFinding f) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{f.Rule.Id}\n{f.Path}\n{f.Message}")))[..32];
}
