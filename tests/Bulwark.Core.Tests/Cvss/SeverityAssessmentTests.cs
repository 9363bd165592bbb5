// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core.Cvss;

namespace Bulwark.Core.Tests.Cvss;

public class SeverityAssessmentTests
{
    [Fact]
    public void Picks_the_highest_computed_cvss_score_and_names_its_source()
    {
        var verdict = SeverityAssessment.Assess(
        [
            ("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"),
            ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            ("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
        ], "LOW");

        var highest = Assert.IsType<SeverityRating>(verdict.Highest);
        Assert.Equal("CVSS_V4", highest.Source);
        Assert.Equal(9.3, highest.Score);
        Assert.Equal(CvssSeverity.Critical, highest.Severity);
        Assert.Equal("CVSS_V4 9.3 CRITICAL (CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N)", highest.ToString());
        Assert.Equal(["CVSS_V3", "CVSS_V4", "CVSS_V2", "database_specific"], verdict.Ratings.Select(r => r.Source));
        Assert.Equal([3.1, 9.3, 7.5, null], verdict.Ratings.Select(r => r.Score));
        Assert.Empty(verdict.Problems);
    }

    [Fact]
    public void Prefers_a_computed_score_over_a_higher_severity_word()
    {
        var verdict = SeverityAssessment.Assess([("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N")], "CRITICAL");
        Assert.Equal("CVSS_V3", verdict.Highest?.Source);
        Assert.Equal(CvssSeverity.Low, verdict.Highest?.Severity);
    }

    [Fact]
    public void Falls_back_to_the_records_own_severity_when_no_vector_is_usable()
    {
        var verdict = SeverityAssessment.Assess(
            [("CVSS_V3", "CVSS:3.1/AV:N/AC:L"), ("Ubuntu", "medium")], "MODERATE");

        Assert.Equal(CvssSeverity.Medium, verdict.Highest?.Severity);
        Assert.Equal("Ubuntu", verdict.Highest?.Source);
        Assert.Equal("Ubuntu: medium", verdict.Highest?.ToString());
        Assert.Equal(["CVSS_V3 'CVSS:3.1/AV:N/AC:L': mandatory base metrics PR, UI, S, C, I, A missing"], verdict.Problems);
    }

    [Fact]
    public void Takes_the_higher_of_several_severity_words()
    {
        var verdict = SeverityAssessment.Assess([("Ubuntu", "low")], "High");
        Assert.Equal("database_specific: High", verdict.Highest?.ToString());
    }

    [Fact]
    public void Reports_nothing_for_a_record_without_severity()
    {
        var verdict = SeverityAssessment.Assess([], null);
        Assert.Null(verdict.Highest);
        Assert.Empty(verdict.Ratings);
        Assert.Empty(verdict.Problems);
    }

    [Fact]
    public void Scores_a_vector_filed_under_the_wrong_type_by_its_own_version_and_says_so()
    {
        var verdict = SeverityAssessment.Assess([("CVSS_V3", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N")]);
        Assert.Equal(6.9, verdict.Highest?.Score);
        Assert.Equal(CvssVersion.V4_0, verdict.Highest?.Vector?.Version);
        Assert.Equal(["CVSS_V3 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N' is a CVSS v4.0 vector; scored as CVSS v4.0"], verdict.Problems);
    }

    [Fact]
    public void Records_unknown_severity_words_as_problems()
    {
        var verdict = SeverityAssessment.Assess([("Ubuntu", "untriaged")], "Unknown");
        Assert.Null(verdict.Highest);
        Assert.Equal(
            ["Ubuntu 'untriaged': not a CVSS vector or a known severity word", "database_specific 'Unknown': not a known severity word"],
            verdict.Problems);
    }

    [Theory]
    [InlineData("negligible", CvssSeverity.Low)]
    [InlineData("unimportant", CvssSeverity.Low)]
    [InlineData("LOW", CvssSeverity.Low)]
    [InlineData("MODERATE", CvssSeverity.Medium)]
    [InlineData("Medium", CvssSeverity.Medium)]
    [InlineData("important", CvssSeverity.High)]
    [InlineData(" HIGH ", CvssSeverity.High)]
    [InlineData("Critical", CvssSeverity.Critical)]
    [InlineData("None", CvssSeverity.None)]
    public void Reads_advisory_severity_words(string word, CvssSeverity expected)
    {
        Assert.Equal(expected, SeverityAssessment.FromWord(word));
    }
}
