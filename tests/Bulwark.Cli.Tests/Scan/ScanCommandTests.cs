// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Scan;

public sealed class ScanCommandTests(ScanDatabaseFixture database) : IClassFixture<ScanDatabaseFixture>, IDisposable
{
    private static readonly string Data = Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Scan", "testdata");
    private static readonly string App = Path.Combine(Data, "app.cdx.json");
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-scan-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private Task<CliOutcome> Scan(params string[] args) => CliRun.RunAsync(["scan", .. args, "--db", database.Db]);

    private static JsonElement Finding(JsonDocument report, string id) =>
        report.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);

    private static IEnumerable<string> Ids(JsonDocument report, string property = "findings") =>
        report.RootElement.GetProperty(property).EnumerateArray().Select(f => f.GetProperty("id").GetString()!);

    [Fact]
    public async Task An_sbom_file_is_matched_and_every_finding_explains_itself()
    {
        var outcome = await Scan(App, "--format", "json");
        Assert.Equal(0, outcome.ExitCode);
        using var report = JsonDocument.Parse(outcome.Stdout);
        // the database's age depends on when the fixture built it; the repository's place on disk on the machine
        var stable = System.Text.RegularExpressions.Regex.Replace(outcome.Stdout, "\"ageSeconds\": -?[0-9]+", "\"ageSeconds\": <age>")
            .Replace(TestPaths.RepositoryRoot, "<repo>", StringComparison.Ordinal);
        Golden.Assert(stable);
        var ids = Ids(report).ToList();
        Assert.Contains("GHSA-35jh-r3h4-6jhm", ids);   // lodash command injection, fixed in 4.17.21
        Assert.Contains("GHSA-xvch-5gv4-984h", ids);   // minimist prototype pollution, fixed in 1.2.6
        Assert.Contains("MAL-2021-1", ids);            // cxp-jquery, malicious
        Assert.Equal(ids.Count, ids.Distinct().Count());   // one finding per vulnerability and package
        Assert.Contains("finding(s) in 6 packages", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_high_exits_1_and_names_the_gate()
    {
        var outcome = await Scan(App, "--format", "json", "-o", Path.Combine(_temp, "r.json"), "--fail-on", "high");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("gate failed:", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("(--fail-on)", outcome.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_temp, "r.json")), "the report is written even when the gate fails");
    }

    [Fact]
    public async Task Fail_on_malicious_exits_1_for_a_malicious_package_and_0_without_one()
    {
        var withMalicious = await Scan(App, "--format", "json", "--fail-on-malicious", "--quiet");
        Assert.Equal(1, withMalicious.ExitCode);
        Assert.Equal("", withMalicious.Stderr);

        var clean = Path.Combine(_temp, "clean.cdx.json");
        File.WriteAllText(clean, File.ReadAllText(App).Replace("cxp-jquery", "jquery", StringComparison.Ordinal));
        var without = await Scan(clean, "--format", "json", "--fail-on-malicious", "--quiet");
        Assert.Equal(0, without.ExitCode);
    }

    [Fact]
    public async Task A_vex_statement_suppresses_its_finding_which_is_then_listed_as_suppressed()
    {
        var outcome = await Scan(App, "--format", "json", "--vex", Path.Combine(Data, "not-affected.openvex.json"));
        Assert.Equal(0, outcome.ExitCode);
        using var report = JsonDocument.Parse(outcome.Stdout);
        Assert.DoesNotContain("GHSA-35jh-r3h4-6jhm", Ids(report));
        Assert.Contains("1 suppressed by VEX", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_lists_findings_by_package_without_colour_when_not_on_a_terminal()
    {
        var outcome = await Scan(App);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("lodash", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("GHSA-35jh-r3h4-6jhm", outcome.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", outcome.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sarif")]
    [InlineData("cyclonedx")]
    [InlineData("openvex")]
    public async Task Every_machine_format_is_written_to_stdout_alone(string format)
    {
        var outcome = await Scan(App, "--format", format);
        Assert.Equal(0, outcome.ExitCode);
        using var document = JsonDocument.Parse(outcome.Stdout);   // nothing but the document on stdout
        Assert.Contains("GHSA-35jh-r3h4-6jhm", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_database_gets_a_warning_naming_its_age_unless_turned_off()
    {
        var later = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = later };
        var stale = await CliRun.RunAsync(["scan", App, "--db", database.Db, "--format", "json"], env);
        Assert.Equal(0, stale.ExitCode);
        Assert.Contains("warning: the vulnerability database was last updated 30d", stale.Stderr, StringComparison.Ordinal);

        var allowed = await CliRun.RunAsync(["scan", App, "--db", database.Db, "--format", "json", "--max-db-age", "60d"], env);
        Assert.DoesNotContain("warning", allowed.Stderr, StringComparison.Ordinal);
        var byEnvironment = await CliRun.RunAsync(["scan", App, "--db", database.Db, "--format", "json"],
            new Dictionary<string, string>(env) { ["BULWARK_DB_MAX_AGE"] = "0" });
        Assert.DoesNotContain("warning", byEnvironment.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fail-on", "severe")]
    [InlineData("--max-db-age", "7x")]
    [InlineData("--format", "xml")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        var outcome = await Scan(App, option, value);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task Without_a_database_the_scan_is_an_input_error_that_says_how_to_build_one()
    {
        var outcome = await CliRun.RunAsync("scan", App, "--db", Path.Combine(_temp, "none"));
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("Run 'bulwark db update'", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_vex_file_is_an_input_error()
    {
        var outcome = await Scan(App, "--vex", Path.Combine(_temp, "nope.json"));
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal($"bulwark: Cannot read VEX file {Path.Combine(_temp, "nope.json")}: no such file.\n", outcome.Stderr);
    }

    [Fact]
    public async Task An_image_is_scanned_and_findings_name_the_layer_that_brought_the_package()
    {
        var image = "oci:" + Path.Combine(TestPaths.Shared, "images", "oci-layout") + ":demo-shop";
        var outcome = await Scan(image, "--format", "json", "--quiet");
        Assert.Equal(0, outcome.ExitCode);
        using var report = JsonDocument.Parse(outcome.Stdout);
        var lodash = Finding(report, "GHSA-35jh-r3h4-6jhm");
        Assert.Contains("sha256:", lodash.ToString(), StringComparison.Ordinal);
    }
}
