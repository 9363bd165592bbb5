// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cli.Scan;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Tests.Reports;

namespace Bulwark.Cli.Tests.Scan;

public sealed class TableReportTests
{
    private static string Render(ScanReport report, bool colour = false, bool showSuppressed = false)
    {
        using var output = new StringWriter { NewLine = "\n" };
        TableReport.Render(report, output, colour, showSuppressed);
        return output.ToString();
    }

    [Theory]
    [InlineData("source-tree")]
    [InlineData("image")]
    [InlineData("clean")]
    public void Renders_each_fixture_like_its_golden_file(string fixture)
    {
        var report = ScanReportFixtures.All().Single(f => f.Name == fixture).Report;
        Golden.Assert(Render(report), $"{nameof(Renders_each_fixture_like_its_golden_file)}.{fixture}");
    }

    [Fact]
    public void Lists_suppressed_findings_with_their_vex_statement_when_asked()
    {
        Golden.Assert(Render(ScanReportFixtures.SourceTree(), showSuppressed: true));
    }

    [Fact]
    public void Colours_severities_with_ansi_codes_when_colour_is_on()
    {
        Golden.Assert(Render(ScanReportFixtures.SourceTree(), colour: true));
    }

    [Fact]
    public void Writes_no_escape_codes_when_colour_is_off()
    {
        Assert.DoesNotContain('\u001b', Render(ScanReportFixtures.SourceTree(), showSuppressed: true));
    }

    [Fact]
    public void Closes_with_counts_by_severity_and_what_vex_and_matching_set_aside()
    {
        var lines = Render(ScanReportFixtures.SourceTree()).TrimEnd('\n').Split('\n');
        Assert.Equal("5 findings: 1 malicious, 0 critical, 4 high, 0 medium, 0 low; 1 suppressed by VEX (--show-suppressed lists them); 1 package unmatchable; 1 record not evaluated",
            lines[^1]);
    }

    [Fact]
    public void Groups_rows_under_a_package_header_with_version_place_and_dependency_kind()
    {
        var text = Render(ScanReportFixtures.SourceTree());
        Assert.Contains("lodash 4.17.15 (npm) · direct · package-lock.json:412\n  GHSA-35jh-r3h4-6jhm  HIGH 7.2   fixed in 4.17.21  Command Injection in lodash\n", text, StringComparison.Ordinal);
        Assert.Contains("urllib3 2.5.0 (Python) · transitive via requests@2.32.3 · worker/poetry.lock:87\n", text, StringComparison.Ordinal);
        var image = Render(ScanReportFixtures.Image());
        Assert.Contains("libssl1.1 1.1.1n-0+deb11u3 (Debian) · var/lib/dpkg/status (layer sha256:7c9f3b1e2d8a)\n", image, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "", true)]
    [InlineData(true, "1", false)]
    [InlineData(true, "0", false)]
    [InlineData(false, null, false)]
    public void Colours_only_on_a_terminal_without_no_color(bool terminal, string? noColor, bool expected)
    {
        Assert.Equal(expected, TableReport.UseColour(terminal, name => name == "NO_COLOR" ? noColor : null));
    }

    [Fact]
    public void Advisory_and_sbom_text_cannot_send_escape_sequences_to_the_terminal()
    {
        var report = ScanReportFixtures.Image();
        var finding = report.Findings[0] with { Summary = "openssl \u001b[2J\u001b[0mcleared \u202eevil\nnext" };
        var text = Render(report with { Findings = [finding] }, colour: false);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.Contains("openssl \uFFFD[2J\uFFFD[0mcleared \uFFFDevil next", text, StringComparison.Ordinal);
    }
}
