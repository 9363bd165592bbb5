// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets;

/// Writes a secrets report as SARIF 2.1.0 for GitHub code scanning: one rule per rule id met, one result per finding
/// at its file, line and column. The secret is never in the log beyond its redacted form. partialFingerprints carry
/// the finding's fingerprint (rule, file, secret hash), so an alert stays the same alert when lines move; findings
/// the baseline acknowledges are written with an external, accepted suppression.
public static class SecretSarifReport
{
    public const string SchemaUri = SarifLog.SchemaUri;
    public const string FingerprintKey = "bulwarkSecret/v1";

    // a leaked credential is exploitable as found: GitHub's "high" band (7.0–8.9)
    private const string SecuritySeverity = "8.5";

    public static void Write(SecretReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var entries = report.All().ToList();
        var rules = entries.Select(e => e.Finding).DistinctBy(f => f.RuleId).OrderBy(f => f.RuleId, StringComparer.Ordinal).ToList();
        var index = rules.Select((f, i) => (f.RuleId, i)).ToDictionary(x => x.RuleId, x => x.i, StringComparer.Ordinal);

        using var w = new Utf8JsonWriter(output, SecretReport.JsonOptions);
        SarifLog.StartRun(w, report.ToolVersion);
        foreach (var f in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", f.RuleId);
            w.WriteString("name", "Secret/" + f.RuleId);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", f.Description);
            w.WriteEndObject();
            w.WriteStartObject("fullDescription");
            w.WriteString("text", $"{f.Description} committed to the repository.");
            w.WriteEndObject();
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", "error");
            w.WriteEndObject();
            w.WriteStartObject("help");
            const string help = "Revoke or rotate the credential at its issuer first: it must be treated as leaked. Then remove it from the file " +
                                "(read it from the environment or a secret store). If it is not a secret, add 'bulwark:allow' on the line, an " +
                                "allowlist entry in .bulwark/secrets.yaml, or acknowledge it with --write-baseline.";
            w.WriteString("text", help);
            w.WriteEndObject();
            w.WriteStartObject("properties");
            w.WriteStartArray("tags");
            w.WriteStringValue("security");
            w.WriteStringValue("secret");
            w.WriteEndArray();
            w.WriteString("security-severity", SecuritySeverity);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        SarifLog.EndDriver(w);

        w.WriteStartArray("results");
        foreach (var (f, baselined) in entries)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.RuleId);
            w.WriteNumber("ruleIndex", index[f.RuleId]);
            w.WriteString("level", "error");
            w.WriteStartObject("message");
            w.WriteString("text", f.Commit is { } introduced
                ? $"{f.Description}: {f.Shown(report.Redact)} (introduced in commit {introduced.Sha})"
                : $"{f.Description}: {f.Shown(report.Redact)}");
            w.WriteEndObject();
            SarifLog.WriteLocation(w, RelativeUri(f.Path), f.Line, f.Column, FingerprintKey, f.Fingerprint, uriBaseId: "%SRCROOT%");
            if (f.Commit is { } c)
            {
                // history scans: the commit that introduced the secret (a property bag: SARIF has no per-result revision)
                w.WriteStartObject("properties");
                w.WriteString("commitSha", c.Sha);
                w.WriteString("commitAuthor", c.Author);
                w.WriteString("commitDate", c.Date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            if (baselined)
            {
                w.WriteStartArray("suppressions");
                w.WriteStartObject();
                w.WriteString("kind", "external");
                w.WriteString("status", "accepted");
                w.WriteString("justification", "acknowledged in the secrets baseline");
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("columnKind", "utf16CodeUnits");
        SarifLog.EndRun(w, output);
    }

    // a repository-relative path as a relative URI reference: each segment percent-encoded, '/' kept
    internal static string RelativeUri(string path) => SarifLog.RelativeUri(path);
}
