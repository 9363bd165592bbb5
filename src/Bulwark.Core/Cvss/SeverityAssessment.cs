// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Cvss;

/// One severity rating of a record: from a CVSS vector (with its base score) or from a severity word.
/// <paramref name="Source"/> is the OSV severity type (CVSS_V3, Ubuntu, …) or "database_specific".
public sealed record SeverityRating(string Source, CvssSeverity Severity, double? Score, CvssVector? Vector, string Text)
{
    /// How the rating is shown to users: "CVSS_V3 9.8 CRITICAL (CVSS:3.1/AV:N/…)" or "database_specific: MODERATE".
    public override string ToString() => Score is { } s
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Source} {s:0.0} {Severity.ToString().ToUpperInvariant()} ({Text})")
        : $"{Source}: {Text}";
}

/// Every rating a record's severities yield, the one that wins, and entries that could not be used (with why).
public sealed record SeverityVerdict(SeverityRating? Highest, IReadOnlyList<SeverityRating> Ratings, IReadOnlyList<string> Problems);

/// Picks a record's severity: CVSS base scores computed from its vectors; only when no vector is usable, the
/// record's own severity words (OSV "Ubuntu" entries, database_specific.severity). The highest rating wins.
public static class SeverityAssessment
{
    /// Assesses OSV severity[] entries given as (type, score) pairs plus the record's database_specific severity text.
    public static SeverityVerdict Assess(IEnumerable<(string Type, string Score)> severities, string? databaseSpecificSeverity = null)
    {
        ArgumentNullException.ThrowIfNull(severities);
        var computed = new List<SeverityRating>();
        var words = new List<SeverityRating>();
        var problems = new List<string>();
        foreach (var (type, score) in severities)
        {
            if (type is "CVSS_V2" or "CVSS_V3" or "CVSS_V4")
            {
                if (!CvssVector.TryParse(score, out var vector, out var error))
                {
                    problems.Add($"{type} '{score}': {error}");
                    continue;
                }

                if (!Matches(type, vector.Version))
                {
                    problems.Add($"{type} '{score}' is a CVSS {CvssVector.Label(vector.Version)} vector; scored as CVSS {CvssVector.Label(vector.Version)}");
                }

                var baseScore = vector.BaseScore();
                computed.Add(new SeverityRating(type, CvssRating.Of(vector.Version, baseScore), baseScore, vector, score));
            }
            else if (FromWord(score) is { } word)
            {
                words.Add(new SeverityRating(type, word, null, null, score));
            }
            else
            {
                problems.Add($"{type} '{score}': not a CVSS vector or a known severity word");
            }
        }

        if (!string.IsNullOrWhiteSpace(databaseSpecificSeverity))
        {
            if (FromWord(databaseSpecificSeverity) is { } word)
            {
                words.Add(new SeverityRating("database_specific", word, null, null, databaseSpecificSeverity));
            }
            else
            {
                problems.Add($"database_specific '{databaseSpecificSeverity}': not a known severity word");
            }
        }

        var candidates = computed.Count > 0 ? computed : words;
        var highest = candidates
            .OrderByDescending(r => r.Severity)
            .ThenByDescending(r => r.Score ?? -1)
            .ThenByDescending(r => r.Vector?.Version)
            .FirstOrDefault();
        return new SeverityVerdict(highest, [.. computed, .. words], problems);
    }

    /// Severity words used by advisory sources: GHSA (LOW, MODERATE, HIGH, CRITICAL), Ubuntu priorities
    /// (negligible … critical), Debian urgencies (unimportant, low, medium, high). Null for anything else,
    /// including "untriaged" and "not yet assigned", which say nothing about severity.
    public static CvssSeverity? FromWord(string text) => text.Trim().ToUpperInvariant() switch
    {
        "NONE" => CvssSeverity.None,
        // "negligible"/"unimportant" still name a security problem; rated Low so it is not hidden by a None.
        "NEGLIGIBLE" or "UNIMPORTANT" or "LOW" => CvssSeverity.Low,
        "MEDIUM" or "MODERATE" => CvssSeverity.Medium,
        "HIGH" or "IMPORTANT" => CvssSeverity.High,
        "CRITICAL" => CvssSeverity.Critical,
        _ => null,
    };

    private static bool Matches(string type, CvssVersion version) => type switch
    {
        "CVSS_V2" => version == CvssVersion.V2,
        "CVSS_V3" => version is CvssVersion.V3_0 or CvssVersion.V3_1,
        _ => version == CvssVersion.V4_0,
    };
}
