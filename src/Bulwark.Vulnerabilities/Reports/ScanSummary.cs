// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Reports;

/// The counts every report format shows: findings by severity and kind, and what VEX and matching set aside.
/// <param name="Unknown">Findings whose records state no usable severity (malicious packages usually).</param>
public sealed record ScanSummary(
    int Findings, int Critical, int High, int Medium, int Low, int None, int Unknown,
    int Vulnerabilities, int Malicious, int Suppressed, int Annotated, int Unmatchable, int Problems, int Packages)
{
    /// Counts the findings that remain after VEX, and the rest of the report.
    public static ScanSummary Of(ScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var f = report.Findings;
        int Count(CvssSeverity s) => f.Count(x => x.Severity?.Severity == s);
        return new ScanSummary(
            f.Length, Count(CvssSeverity.Critical), Count(CvssSeverity.High), Count(CvssSeverity.Medium),
            Count(CvssSeverity.Low), Count(CvssSeverity.None), f.Count(x => x.Severity is null),
            f.Count(x => x.Kind == FindingKind.Vulnerability), f.Count(x => x.Kind == FindingKind.Malicious),
            report.Suppressed.Length, report.Annotated.Length, report.Unmatchable.Length, report.Problems.Length,
            report.Sbom.Packages.Length);
    }
}

/// Words and numbers the report formats share, so JSON, SARIF, CycloneDX and the table say the same thing.
internal static class ReportTerms
{
    /// "critical" … "none", or "unknown" when no record states a severity.
    public static string Severity(SeverityRating? rating) => rating is null ? "unknown" : Severity(rating.Severity);

    public static string Severity(CvssSeverity severity) => severity switch
    {
        CvssSeverity.Critical => "critical",
        CvssSeverity.High => "high",
        CvssSeverity.Medium => "medium",
        CvssSeverity.Low => "low",
        _ => "none",
    };

    public static string Kind(FindingKind kind) => kind == FindingKind.Malicious ? "malicious" : "vulnerability";

    /// OpenVEX status names (the model's statuses are OpenVEX's).
    public static string Status(VexStatus status) => status switch
    {
        VexStatus.NotAffected => "not_affected",
        VexStatus.Affected => "affected",
        VexStatus.Fixed => "fixed",
        _ => "under_investigation",
    };

    public static string Reason(UnmatchableReason reason) => reason switch
    {
        UnmatchableReason.NoPurl => "no-purl",
        UnmatchableReason.NoVersion => "no-version",
        UnmatchableReason.UnsupportedEcosystem => "unsupported-ecosystem",
        _ => "invalid-version",
    };

    /// A score with one decimal, invariant ("9.8"): CVSS scores are defined to one decimal place.
    public static string Score(double score) => Math.Round(score, 1).ToString("0.0", CultureInfo.InvariantCulture);

    /// ISO 8601 in UTC to the second, like the SBOM writers.
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// The format of <see cref="Time"/>, for writers that format into bytes.
    internal const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// The OSV page of a record: every id in the database has one, so it is the one link always known to be valid.
    public static string OsvUrl(string id) => "https://osv.dev/vulnerability/" + Uri.EscapeDataString(id);

    /// An absolute http(s) URL: what may be written where a format expects a link (CycloneDX advisories[].url, SARIF help).
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// The package's ecosystem as OSV names it ("npm", "PyPI"), or its purl type when OSV has no name for it.
    public static string Ecosystem(Package p) => p.Ecosystem.OsvName.Length > 0 ? p.Ecosystem.OsvName : p.Purl.Type;

    /// Where the package was found, distinct by path and line, in the package's (sorted) order.
    public static IReadOnlyList<FileLocation> Locations(Package p) => p.Locations.IsDefaultOrEmpty ? [] : [.. p.Locations.Distinct()];

    /// The fix advice one sentence long: "Upgrade lodash to 4.17.21 or later." or why there is none.
    public static string Fix(Finding f) => f.Kind == FindingKind.Malicious
        ? $"Remove {f.Package.Name} {f.InstalledVersion}: it is reported as malicious; rotate any secrets the machines that installed it could reach."
        : f.FixedVersion is { } v
            ? $"Upgrade {f.Package.Name} to {v} or later."
            : $"No fixed version of {f.Package.Name} is known; check the advisory for workarounds.";

    /// The severity score GitHub code scanning sorts by: the winning CVSS score, else a score inside the band of the
    /// severity word (GitHub's bands: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9); malicious packages
    /// without a rating count as critical. Null when nothing is known.
    public static double? SecuritySeverity(Finding f) =>
        f.Severity?.Score is { } score ? Math.Round(score, 1)
        : f.Severity is { } rating ? rating.Severity switch
        {
            CvssSeverity.Critical => 9.5,
            CvssSeverity.High => 8.0,
            CvssSeverity.Medium => 5.5,
            CvssSeverity.Low => 2.0,
            _ => 0.0,
        }
        : f.Kind == FindingKind.Malicious ? 9.5 : null;
}
