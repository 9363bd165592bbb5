// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Cli.Tests.Vex;

public sealed class VexCommandTests : IDisposable
{
    private static readonly string Testdata = Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Vex", "testdata");
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-vex-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static readonly string[] Lodash = ["vex", "create", "--vulnerability", "CVE-2021-23337", "--product", "pkg:npm/lodash@4.17.15"];

    /// (name of the golden file, arguments, exit code): stdout and stderr of each row are compared with its golden file.
    public static TheoryData<string, string[], int> Rows => new()
    {
        { "not_affected_with_justification", [.. Lodash, "--status", "not_affected", "--justification", "vulnerable_code_not_in_execute_path", "--author", "Jane Doe <jane@example.com>"], ExitCodes.Ok },
        { "not_affected_with_impact_only", [.. Lodash, "--status", "not_affected", "--impact", "_.template is never called with user input."], ExitCodes.Ok },
        {
            "affected_with_action_aliases_and_products",
            ["vex", "create", "--vuln", "GHSA-35jh-r3h4-6jhm", "--alias", "CVE-2021-23337", "-p", "PKG:NPM/Lodash@4.17.15", "-p", "pkg:npm/lodash-es@4.17.15",
             "-s", "affected", "--action", "Update lodash to 4.17.21.", "--status-notes", "Reachable from the report builder."],
            ExitCodes.Ok
        },
        { "fixed", [.. Lodash, "--status", "fixed"], ExitCodes.Ok },
        { "under_investigation_for_every_version", ["vex", "create", "--vulnerability", "CVE-2021-23337", "--product", "pkg:npm/lodash", "--status", "under_investigation", "--quiet"], ExitCodes.Ok },
        { "not_affected_without_a_reason", [.. Lodash, "--status", "not_affected"], ExitCodes.Usage },
        { "affected_without_an_action", [.. Lodash, "--status", "affected"], ExitCodes.Usage },
        { "justification_with_fixed", [.. Lodash, "--status", "fixed", "--justification", "component_not_present"], ExitCodes.Usage },
        { "impact_with_under_investigation", [.. Lodash, "--status", "under_investigation", "--impact", "Not sure yet."], ExitCodes.Usage },
        { "unknown_justification", [.. Lodash, "--status", "not_affected", "--justification", "code_not_reachable"], ExitCodes.Usage },
        { "unknown_status", [.. Lodash, "--status", "false_positive"], ExitCodes.Usage },
        { "invalid_purl", ["vex", "create", "--vulnerability", "CVE-2021-44228", "--product", "pkg:maven/log4j-core@2.14.1", "--status", "fixed"], ExitCodes.Usage },
        { "no_product", ["vex", "create", "--vulnerability", "CVE-2021-44228", "--status", "fixed"], ExitCodes.Usage },
        { "no_vulnerability", ["vex", "create", "--product", "pkg:npm/lodash@4.17.15", "--status", "fixed"], ExitCodes.Usage },
        { "append_to_a_missing_file", [.. Lodash, "--status", "fixed", "--append", "/definitely/not/here.openvex.json"], ExitCodes.Input },
        { "append_to_cyclonedx", [.. Lodash, "--status", "fixed", "--append", Path.Combine(Testdata, "vex.cdx.json")], ExitCodes.Input },
        { "append_to_a_truncated_document", [.. Lodash, "--status", "fixed", "--append", Path.Combine(Testdata, "truncated.openvex.json")], ExitCodes.Input },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Exits_with_the_documented_code_and_the_expected_output(string name, string[] args, int expected)
    {
        var outcome = await CliRun.RunAsync(args);

        Assert.True(expected == outcome.ExitCode, $"exit {outcome.ExitCode}, expected {expected}\nstderr: {outcome.Stderr}");
        Golden.Assert($"exit {outcome.ExitCode}\n--- stdout\n{outcome.Stdout}--- stderr\n{outcome.Stderr.Replace(Testdata, "<testdata>", StringComparison.Ordinal)}", name);
        if (expected == ExitCodes.Ok) ExternalValidators.AssertValid("validate-openvex.js", Encoding.UTF8.GetBytes(outcome.Stdout));
        else Assert.Empty(outcome.Stdout);
    }

    [Fact]
    public async Task The_same_decision_gives_the_same_bytes_and_the_time_comes_from_SOURCE_DATE_EPOCH()
    {
        string[] args = [.. Lodash, "--status", "fixed", "--quiet"];
        var first = await CliRun.RunAsync(args);
        var second = await CliRun.RunAsync(args);
        var later = await CliRun.RunAsync(args, new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1234567890" });

        Assert.Equal(first.Stdout, second.Stdout);
        using var a = JsonDocument.Parse(first.Stdout);
        using var b = JsonDocument.Parse(later.Stdout);
        Assert.Equal("2023-11-14T22:13:20Z", a.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("2009-02-13T23:31:30Z", b.RootElement.GetProperty("timestamp").GetString());
        Assert.StartsWith("https://openvex.dev/docs/public/vex-", a.RootElement.GetProperty("@id").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(a.RootElement.GetProperty("@id").GetString(), b.RootElement.GetProperty("@id").GetString());
    }

    [Fact]
    public async Task Appending_in_place_adds_the_statement_and_increments_the_version()
    {
        var file = Path.Combine(_temp, "triage.openvex.json");
        File.Copy(Path.Combine(Testdata, "triage.openvex.json"), file);

        var outcome = await CliRun.RunAsync([.. Lodash, "--status", "not_affected", "--justification", "inline_mitigations_already_exist", "--append", file, "-o", file]);

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Equal($"Appended CVE-2021-23337 not_affected for pkg:npm/lodash@4.17.15 → {file}\n", outcome.Stderr);
        var written = File.ReadAllBytes(file);
        ExternalValidators.AssertValid("validate-openvex.js", written);
        Golden.Assert(Encoding.UTF8.GetString(written));

        // what it says applies: the old statement to qs inside the image, the new one to lodash
        var statements = VexDocuments.Read(file);
        Assert.Equal(["CVE-2022-24999", "CVE-2021-23337"], statements.Select(s => s.VulnerabilityId));
        Assert.Equal(["pkg:npm/qs@6.7.0"], statements[0].Products.Select(p => p.ToString()));
        Assert.Equal(DateTimeOffset.Parse("2024-01-12T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), statements[0].Timestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), statements[1].Timestamp);
    }

    [Fact]
    public async Task Writes_to_a_file_with_o_and_says_where()
    {
        var file = Path.Combine(_temp, "lodash.openvex.json");
        var outcome = await CliRun.RunAsync([.. Lodash, "--status", "fixed", "-o", file]);

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Empty(outcome.Stdout);
        Assert.Equal($"Wrote CVE-2021-23337 fixed for pkg:npm/lodash@4.17.15 → {file}\n", outcome.Stderr);
        var statement = Assert.Single(VexDocuments.Read(file));
        Assert.Equal(VexStatus.Fixed, statement.Status);
    }
}
