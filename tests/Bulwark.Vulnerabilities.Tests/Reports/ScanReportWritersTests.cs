// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Reports;

namespace Bulwark.Vulnerabilities.Tests.Reports;

public sealed class ScanReportWritersTests
{
    public static TheoryData<string, ScanFormat> Cases()
    {
        var data = new TheoryData<string, ScanFormat>();
        foreach (var (name, _) in ScanReportFixtures.All())
            foreach (var format in new[] { ScanFormat.Json, ScanFormat.Sarif, ScanFormat.CycloneDx })
                data.Add(name, format);
        return data;
    }

    private static ScanReport Fixture(string name) => ScanReportFixtures.All().Single(f => f.Name == name).Report;

    private static byte[] Write(ScanReport report, ScanFormat format)
    {
        using var stream = new MemoryStream();
        ScanReportWriters.Write(report, format, stream);
        return stream.ToArray();
    }

    private static JsonElement Parse(ScanReport report, ScanFormat format) => JsonDocument.Parse(Write(report, format)).RootElement.Clone();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_each_fixture_like_its_golden_file(string fixture, ScanFormat format)
    {
        var text = Encoding.UTF8.GetString(Write(Fixture(fixture), format));
        Golden.Assert(text, $"{format}.{fixture}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_the_same_bytes_every_time(string fixture, ScanFormat format)
    {
        Assert.Equal(Write(Fixture(fixture), format), Write(Fixture(fixture), format));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_validates_against_the_format_schema(string fixture, ScanFormat format)
    {
        var bytes = Write(Fixture(fixture), format);
        switch (format)
        {
            case ScanFormat.Json: ExternalValidators.AssertValid("validate-scan-report.js", bytes, ".json"); break;
            case ScanFormat.Sarif: ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif"); break;
            default: ExternalValidators.AssertValid("validate-cyclonedx.js", bytes, ".cdx.json"); break;
        }
    }

    [Fact]
    public void Json_summary_counts_findings_by_severity_and_kind_and_what_was_set_aside()
    {
        var summary = Parse(ScanReportFixtures.SourceTree(), ScanFormat.Json).GetProperty("summary");
        Assert.Equal(5, summary.GetProperty("findings").GetInt32());
        Assert.Equal(4, summary.GetProperty("bySeverity").GetProperty("high").GetInt32());
        Assert.Equal(1, summary.GetProperty("bySeverity").GetProperty("unknown").GetInt32());
        Assert.Equal(1, summary.GetProperty("byKind").GetProperty("malicious").GetInt32());
        Assert.Equal(1, summary.GetProperty("suppressed").GetInt32());
        Assert.Equal(1, summary.GetProperty("annotated").GetInt32());
        Assert.Equal(1, summary.GetProperty("unmatchable").GetInt32());
        Assert.Equal(1, summary.GetProperty("problems").GetInt32());
    }

    [Fact]
    public void Json_finding_carries_the_winning_rating_every_rating_and_the_evidence()
    {
        var report = Parse(ScanReportFixtures.SourceTree(), ScanFormat.Json);
        var finding = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "GHSA-38jv-5279-wg99");
        var severity = finding.GetProperty("severity");
        Assert.Equal("high", severity.GetProperty("level").GetString());
        Assert.Equal("CVSS_V4", severity.GetProperty("source").GetString());
        Assert.Equal(8.9, severity.GetProperty("score").GetDouble());
        // CVSS v3.1, CVSS v4.0 and the GHSA severity word, each shown for "why this severity"
        Assert.Equal(["CVSS_V3", "CVSS_V4", "database_specific"], finding.GetProperty("ratings").EnumerateArray().Select(r => r.GetProperty("source").GetString()!).ToArray());
        Assert.Equal("2.6.3", finding.GetProperty("fixedVersion").GetString());
        Assert.False(finding.GetProperty("direct").GetBoolean());
        Assert.Equal(["pkg:npm/shop@1.4.0", "pkg:pypi/requests@2.32.3", "pkg:pypi/urllib3@2.5.0"],
            finding.GetProperty("dependencyPath").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal("2.5.0 is at or above 1.22 (introduced) and below 2.6.3 (fixed)",
            finding.GetProperty("evidence")[0].GetProperty("explanation").GetString());
        Assert.Equal(87, finding.GetProperty("locations")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public void Json_database_age_is_measured_from_the_report_time_not_the_clock()
    {
        var database = Parse(ScanReportFixtures.Image(), ScanFormat.Json).GetProperty("database");
        Assert.Equal(27 * 3600 + 30 * 60, database.GetProperty("ageSeconds").GetInt64());
        Assert.Equal("2026-11-19T06:00:00Z", database.GetProperty("checked").GetString());
    }

    [Fact]
    public void Json_suppressed_finding_names_the_vex_statement_that_suppressed_it()
    {
        var suppressed = Parse(ScanReportFixtures.SourceTree(), ScanFormat.Json).GetProperty("suppressed")[0];
        Assert.Equal("GHSA-29mw-wpgm-hmr9", suppressed.GetProperty("finding").GetProperty("id").GetString());
        var statement = suppressed.GetProperty("statement");
        Assert.Equal("not_affected", statement.GetProperty("status").GetString());
        Assert.Equal("vulnerable_code_not_in_execute_path", statement.GetProperty("justification").GetString());
        Assert.Equal("vex/shop.openvex.json#statements[0]", statement.GetProperty("source").GetString());
    }

    [Fact]
    public void Sarif_rule_has_github_security_severity_as_a_numeric_string_and_security_tags()
    {
        var rules = Parse(ScanReportFixtures.SourceTree(), ScanFormat.Sarif).GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        var injection = rules.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "GHSA-35jh-r3h4-6jhm");
        var properties = injection.GetProperty("properties");
        Assert.Equal("7.2", properties.GetProperty("security-severity").GetString());
        Assert.Equal(["security", "vulnerability"], properties.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm", injection.GetProperty("helpUri").GetString());
        Assert.Contains("Upgrade lodash to 4.17.21 or later.", injection.GetProperty("help").GetProperty("text").GetString(), StringComparison.Ordinal);

        var malicious = rules.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "MAL-2021-1");
        Assert.Equal("9.5", malicious.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal("malicious", malicious.GetProperty("properties").GetProperty("tags")[1].GetString());
        // one rule per id: the suppressed finding's rule is there for its (suppressed) result
        Assert.Equal(6, rules.GetArrayLength());
    }

    [Fact]
    public void Sarif_results_point_at_the_file_and_line_with_levels_from_severity()
    {
        var results = Parse(ScanReportFixtures.SourceTree(), ScanFormat.Sarif).GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var chain = results.Single(r => r.GetProperty("ruleId").GetString() == "GHSA-gm62-xv2j-4w53");
        Assert.Equal("error", chain.GetProperty("level").GetString());
        var physical = chain.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("worker/poetry.lock", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(87, physical.GetProperty("region").GetProperty("startLine").GetInt32());

        var redos = results.Single(r => r.GetProperty("ruleId").GetString() == "GHSA-29mw-wpgm-hmr9");
        Assert.Equal("warning", redos.GetProperty("level").GetString());
        Assert.Equal("accepted", redos.GetProperty("suppressions")[0].GetProperty("status").GetString());
        Assert.Equal("error", results.Single(r => r.GetProperty("ruleId").GetString() == "MAL-2021-1").GetProperty("level").GetString());
    }

    [Fact]
    public void Sarif_image_result_uses_the_path_inside_the_image_and_names_the_layer()
    {
        var result = Parse(ScanReportFixtures.Image(), ScanFormat.Sarif).GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal("var/lib/dpkg/status", result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.False(result.GetProperty("locations")[0].GetProperty("physicalLocation").TryGetProperty("region", out _));
        Assert.Contains("Found in image layer sha256:7c9f3b1e", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        // no rating in the record: no security-severity, and a warning rather than a guess
        Assert.Equal("warning", result.GetProperty("level").GetString());
    }

    [Fact]
    public void Sarif_fingerprints_depend_on_the_finding_and_file_not_on_the_report_time()
    {
        static string Fingerprint(ScanReport report) => Parse(report, ScanFormat.Sarif).GetProperty("runs")[0].GetProperty("results")[0]
            .GetProperty("partialFingerprints").GetProperty(SarifReport.FingerprintKey).GetString()!;
        var report = ScanReportFixtures.Image();
        Assert.Equal(Fingerprint(report), Fingerprint(report with { Created = report.Created.AddDays(30), ToolVersion = "0.2.0" }));
        Assert.Equal(32, Fingerprint(report).Length);
    }

    [Theory]
    [InlineData("/var/lib/dpkg/status", "var/lib/dpkg/status")]
    [InlineData("services/api/package-lock.json", "services/api/package-lock.json")]
    [InlineData("dir with space/a:b.txt", "dir%20with%20space/a%3Ab.txt")]
    [InlineData("C:\\src\\app\\packages.lock.json", "C%3A/src/app/packages.lock.json")]
    [InlineData("naïve/Gemfile.lock", "na%C3%AFve/Gemfile.lock")]
    [InlineData("", ".")]
    public void Sarif_uris_are_relative_references(string path, string expected)
    {
        Assert.Equal(expected, SarifReport.RelativeUri(path));
    }

    [Fact]
    public void CycloneDx_vdr_rates_with_each_cvss_method_and_recommends_the_fixed_version()
    {
        var vulnerabilities = Parse(ScanReportFixtures.SourceTree(), ScanFormat.CycloneDx).GetProperty("vulnerabilities").EnumerateArray().ToList();
        var redirects = vulnerabilities.Single(v => v.GetProperty("id").GetString() == "GHSA-38jv-5279-wg99");
        var ratings = redirects.GetProperty("ratings").EnumerateArray().ToList();
        Assert.Equal(["CVSSv31", "CVSSv4", "other"], ratings.Select(r => r.GetProperty("method").GetString()!).ToArray());
        Assert.Equal(7.5, ratings[0].GetProperty("score").GetDouble());
        Assert.Equal("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:H", ratings[1].GetProperty("vector").GetString());
        Assert.Equal("Upgrade urllib3 to 2.6.3 or later.", redirects.GetProperty("recommendation").GetString());
        Assert.Equal("CVE-2026-21441", redirects.GetProperty("references")[0].GetProperty("id").GetString());
        Assert.Equal("NVD", redirects.GetProperty("references")[0].GetProperty("source").GetProperty("name").GetString());
        Assert.Equal("pkg:pypi/urllib3@2.5.0", redirects.GetProperty("affects")[0].GetProperty("ref").GetString());
    }

    [Fact]
    public void CycloneDx_vdr_maps_vex_to_an_impact_analysis()
    {
        var vulnerabilities = Parse(ScanReportFixtures.SourceTree(), ScanFormat.CycloneDx).GetProperty("vulnerabilities").EnumerateArray().ToList();
        var suppressed = vulnerabilities.Single(v => v.GetProperty("id").GetString() == "GHSA-29mw-wpgm-hmr9").GetProperty("analysis");
        Assert.Equal("not_affected", suppressed.GetProperty("state").GetString());
        Assert.Equal("code_not_reachable", suppressed.GetProperty("justification").GetString());
        Assert.StartsWith("shop never passes user input", suppressed.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var annotated = vulnerabilities.Single(v => v.GetProperty("id").GetString() == "GHSA-p6mc-m468-83gw").GetProperty("analysis");
        Assert.Equal("exploitable", annotated.GetProperty("state").GetString());
        Assert.False(vulnerabilities.Single(v => v.GetProperty("id").GetString() == "GHSA-35jh-r3h4-6jhm").TryGetProperty("analysis", out _));
    }

    [Theory]
    [InlineData("component_not_present", "code_not_present")]
    [InlineData("vulnerable_code_not_present", "code_not_present")]
    [InlineData("vulnerable_code_not_in_execute_path", "code_not_reachable")]
    [InlineData("vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment")]
    [InlineData("inline_mitigations_already_exist", "protected_by_mitigating_control")]
    [InlineData("protected_at_runtime", "protected_at_runtime")]
    [InlineData("because we said so", null)]
    public void CycloneDx_justification_maps_openvex_names(string vex, string? expected)
    {
        Assert.Equal(expected, CycloneDxVdr.Justification(vex));
    }

    [Fact]
    public void The_table_is_not_written_here_and_openvex_is_the_vex_writer_s()
    {
        using var stream = new MemoryStream();
        Assert.Throws<NotSupportedException>(() => ScanReportWriters.Write(ScanReportFixtures.Clean(), ScanFormat.Table, stream));
        Assert.Equal(0, stream.Length);
        ScanReportWriters.Write(ScanReportFixtures.SourceTree(), ScanFormat.OpenVex, stream);
        Assert.Contains("\"@context\": \"https://openvex.dev/ns/v0.2.0\"", System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_in_the_documentation_is_a_valid_report()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "scan-report.md"));
        var start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = doc[start..doc.IndexOf("\n```", start, StringComparison.Ordinal)];
        ExternalValidators.AssertValid("validate-scan-report.js", Encoding.UTF8.GetBytes(example), ".json");
        // and it is exactly what the writer produces for that scan, so the page cannot drift from the code
        Assert.Equal(Encoding.UTF8.GetString(Write(ScanReportFixtures.Image(), ScanFormat.Json)).TrimEnd(), example);
    }

    [Theory]
    [InlineData(ScanFormat.Json)]
    [InlineData(ScanFormat.Sarif)]
    [InlineData(ScanFormat.CycloneDx)]
    public void Hostile_advisory_text_is_written_as_valid_json(ScanFormat format)
    {
        var report = ScanReportFixtures.Image();
        var finding = report.Findings[0] with { Summary = "bad \ud800 surrogate, \u001b[31mescape\u001b[0m, \u202eoverride, \"quote\" </script>" };
        var bytes = Write(report with { Findings = [finding] }, format);
        using var doc = JsonDocument.Parse(bytes);
        Assert.DoesNotContain((byte)0x1b, bytes);
    }
}
