// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Findings;

/// How much a finding matters, lowest first; `--fail-on` compares against it.
public enum Severity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// One check: a stable id, a one-line title, and what the reader needs to act on a finding.
public sealed record Rule(string Id, string Title, Severity Severity, string Why, string Fix);

/// The lower-case severity names used in every output and in `--fail-on`.
public static class Severities
{
    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    /// Reads "low", "medium", "high" or "critical" in any case.
    public static bool TryParse(string text, out Severity severity)
    {
        ArgumentNullException.ThrowIfNull(text);
        severity = text.ToLowerInvariant() switch
        {
            "low" => Severity.Low,
            "medium" => Severity.Medium,
            "high" => Severity.High,
            "critical" => Severity.Critical,
            _ => 0,
        };
        return severity != 0;
    }
}

/// The rules one command applies and the words its reports use for them: the part of a JSON or SARIF report that is
/// not the findings.
/// <param name="Rules">every rule, in id order (the SARIF driver lists them all, so rule indexes are stable)</param>
/// <param name="Tag">the SARIF tag after "security" on every rule: "ci", "supply-chain"</param>
/// <param name="FingerprintKey">the SARIF partialFingerprints key, versioned: "bulwarkCiAudit/v1"</param>
/// <param name="Checked">what the command does to a file, as in "not audited" or "not checked" for one it could not read</param>
public sealed record RuleCatalogue(IReadOnlyList<Rule> Rules, string Tag, string FingerprintKey, string Checked);
