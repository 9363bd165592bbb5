// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Workflows.Tests;
using Bulwark.Hygiene.Workflows.Tests.Fix;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Ci;

public class CiAuditCommandTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Ci", "testdata", name);

    private static string Normalise(string text, string root) => text.Replace(root, "<repo>", StringComparison.Ordinal);

    [Fact]
    public async Task The_table_lists_findings_by_file_with_position_severity_rule_and_fix_and_the_gate_fails()
    {
        var repo = Fixture("repo");
        var run = await CliRun.RunAsync("ci", "audit", repo);
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(run.Stdout);
        Assert.Equal("bulwark: warning: .github/workflows/broken.yml: not audited: line 1, column 1: not valid YAML " +
            "(While scanning a mapping, found invalid tab as indentation.).\n", run.Stderr);
    }

    [Fact]
    public async Task The_json_report_is_stable()
    {
        var repo = Fixture("repo");
        var run = await CliRun.RunAsync("ci", "audit", repo, "--format", "json", "--quiet");
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(Normalise(run.Stdout, repo));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task The_sarif_report_is_valid_sarif_that_github_accepts()
    {
        var run = await CliRun.RunAsync("ci", "audit", Fixture("repo"), "--format", "sarif", "--quiet");
        Assert.Equal(1, run.ExitCode);
        var bytes = Encoding.UTF8.GetBytes(run.Stdout);
        ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif");
        Assert.Contains("\"ruleId\": \"BW-GHA-006\"", run.Stdout, StringComparison.Ordinal);
        Assert.Matches("\"startLine\": 12,\\s+\"startColumn\": 16", run.Stdout);
    }

    [Theory]
    [InlineData("clean", new string[0], 0)]
    [InlineData("medium", new string[0], 1)]
    [InlineData("medium", new[] { "--fail-on", "medium" }, 1)]
    [InlineData("medium", new[] { "--fail-on", "high" }, 0)]
    [InlineData("repo", new[] { "--fail-on", "critical" }, 1)]
    [InlineData("repo", new[] { "--format", "xml" }, 2)]
    [InlineData("repo", new[] { "--fail-on", "severe" }, 2)]
    [InlineData("repo", new[] { "--resolve-from", "/tmp" }, 2)]
    [InlineData("does-not-exist", new string[0], 3)]
    public async Task Exit_codes_follow_the_gate_and_the_readme(string fixture, string[] options, int exit)
    {
        var run = await CliRun.RunAsync(["ci", "audit", Fixture(fixture), "--quiet", .. options]);
        Assert.True(exit == run.ExitCode, $"exit {run.ExitCode}, expected {exit}: {run.Stderr}");
    }

    [Fact]
    public async Task A_clean_tree_says_so()
    {
        var run = await CliRun.RunAsync("ci", "audit", Fixture("clean"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No CI findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 1 CI file.\n", run.Stdout);
    }

    [Fact]
    public async Task Output_goes_to_the_file_named_by_o()
    {
        using var tree = new TempTree();
        var output = Path.Combine(tree.Root, "audit.json");
        var run = await CliRun.RunAsync("ci", "audit", Fixture("medium"), "--format", "json", "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("\"ruleId\": \"BW-GHA-001\"", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
        Assert.Equal("1 finding (0 critical, 0 high, 1 medium, 0 low) in 1 CI file.\n", run.Stderr);
    }

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
