// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cli.Tests.Output;
using Bulwark.Hygiene.Workflows.Tests;
using Bulwark.Hygiene.Workflows.Tests.Fix;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Ci;

public class CiAuditCommandTests
{
    private static readonly RuleVerb Audit = new("Ci", "ci", "audit");

    private static string Fixture(string name) => Audit.Fixture(name);

    [Fact]
    public async Task The_table_lists_findings_by_file_with_position_severity_rule_and_fix_and_the_gate_fails()
    {
        var run = await Audit.RunAsync("repo");
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(run.Stdout);
        Assert.Equal("bulwark: warning: .github/workflows/broken.yml: not audited: line 1, column 1: not valid YAML " +
            "(While scanning a mapping, found invalid tab as indentation.).\n", run.Stderr);
    }

    [Fact]
    public async Task The_json_report_is_stable() => Golden.Assert(await Audit.JsonAsync("repo"));

    [Fact]
    public async Task The_sarif_report_is_valid_sarif_that_github_accepts()
    {
        var sarif = await Audit.SarifAsync("repo");
        Assert.Contains("\"ruleId\": \"BW-GHA-006\"", sarif, StringComparison.Ordinal);
        Assert.Matches("\"startLine\": 12,\\s+\"startColumn\": 16", sarif);
    }

    [Theory]
    [MemberData(nameof(RuleVerb.SharedExitCodes), MemberType = typeof(RuleVerb))]
    [InlineData("repo", new[] { "--fail-on", "critical" }, 1)]
    [InlineData("repo", new[] { "--resolve-from", "/tmp" }, 2)]
    public Task Exit_codes_follow_the_gate_and_the_readme(string fixture, string[] options, int exit) => Audit.AssertExitAsync(fixture, options, exit);

    [Fact]
    public Task A_clean_tree_says_so() => Audit.AssertCleanAsync("No CI findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 1 CI file.\n");

    [Fact]
    public Task Output_goes_to_the_file_named_by_o() => Audit.AssertWritesToFileAsync("BW-GHA-001", "1 finding (0 critical, 0 high, 1 medium, 0 low) in 1 CI file.\n");

    [Fact]
    public async Task Fix_pins_from_mirrors_reports_what_it_changed_and_audits_the_result()
    {
        using var repos = new BareRepos();
        repos.Create("actions/checkout", 2, ("annotated", "v4", 1));
        var sha = repos.RevParse("actions/checkout", "v4^{commit}");
        using var tree = new TempTree();
        var workflow = tree.Write(".github/workflows/ci.yml", await File.ReadAllTextAsync(Path.Combine(Fixture("medium"), ".github", "workflows", "ci.yml")));

        var run = await CliRun.RunAsync("ci", "audit", tree.Root, "--fix", "--resolve-from", repos.Root);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
            $"      - uses: actions/checkout@{sha} # v4\n      - run: make test\n", await File.ReadAllTextAsync(workflow));
        Assert.Equal($"pinned .github/workflows/ci.yml:8:15 actions/checkout@v4 -> {sha}\n--fix: 1 pinned, 0 not pinned.\n", run.Stderr);
        Assert.Equal("No CI findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 1 CI file.\n", run.Stdout);
    }

    [Fact]
    public async Task Fix_reports_what_it_could_not_resolve_and_the_finding_stays()
    {
        using var repos = new BareRepos();
        repos.Create("actions/checkout", 1, ("light", "v3", 0));
        using var tree = new TempTree();
        var text = await File.ReadAllTextAsync(Path.Combine(Fixture("medium"), ".github", "workflows", "ci.yml"));
        var workflow = tree.Write(".github/workflows/ci.yml", text);

        var run = await CliRun.RunAsync("ci", "audit", tree.Root, "--fix", "--resolve-from", repos.Root, "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(text, await File.ReadAllTextAsync(workflow));
        Assert.Equal("bulwark: warning: not pinned .github/workflows/ci.yml:8:15 actions/checkout@v4: actions/checkout has no tag or branch 'v4'.\n", run.Stderr);
    }
}
