// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Cvss;

/// Qualitative severity of a CVSS score (v3.x specification §5, v4.0 specification §6; v2 has no None or Critical).
public enum CvssSeverity
{
    None,
    Low,
    Medium,
    High,
    Critical,
}

/// Maps scores to qualitative severity ratings.
public static class CvssRating
{
    /// v3.x and v4.0: 0.0 None, 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical.
    /// v2 (NVD's ranges, the v2 guide defines none): 0.0–3.9 Low, 4.0–6.9 Medium, 7.0–10.0 High.
    public static CvssSeverity Of(CvssVersion version, double score)
    {
        if (double.IsNaN(score) || score < 0 || score > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A CVSS score lies between 0.0 and 10.0.");
        }

        if (version == CvssVersion.V2)
        {
            return score >= 7.0 ? CvssSeverity.High : score >= 4.0 ? CvssSeverity.Medium : CvssSeverity.Low;
        }

        return score >= 9.0 ? CvssSeverity.Critical
            : score >= 7.0 ? CvssSeverity.High
            : score >= 4.0 ? CvssSeverity.Medium
            : score >= 0.1 ? CvssSeverity.Low
            : CvssSeverity.None;
    }
}
