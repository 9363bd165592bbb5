// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Workflows.Tests;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Deps;

public class DepsCheckCommandTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Deps", "testdata", name);

    private static string Normalise(string text, string root) => text.Replace(root, "<repo>", StringComparison.Ordinal);

    [Fact]
    public async Task The_table_lists_findings_by_file_with_line_severity_rule_and_fix_and_the_gate_fails()
    {
        var run = await CliRun.RunAsync("deps", "check", Fixture("repo"));
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(run.Stdout);
        Assert.Equal("bulwark: warning: broken/Cargo.toml: not checked: line 1: expected ']' to close the table header, found end of line.\n", run.Stderr);
    }

    [Fact]
    public async Task The_json_report_is_stable()
    {
        var repo = Fixture("repo");
        var run = await CliRun.RunAsync("deps", "check", repo, "--format", "json", "--quiet");
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(Normalise(run.Stdout, repo));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task The_sarif_report_is_valid_sarif_that_github_accepts()
    {
        var run = await CliRun.RunAsync("deps", "check", Fixture("repo"), "--format", "sarif", "--quiet");
        Assert.Equal(1, run.ExitCode);
        ExternalValidators.AssertValid("validate-sarif.js", Encoding.UTF8.GetBytes(run.Stdout), ".sarif");
        Assert.Contains("\"ruleId\": \"BW-DEP-002\"", run.Stdout, StringComparison.Ordinal);
        Assert.Matches("\"uri\": \"package.json\"\\s+},\\s+\"region\": \\{\\s+\"startLine\": 6\\s+}", run.Stdout);
        Assert.Contains("\"text\": \"broken/Cargo.toml: not checked: line 1: expected ']' to close the table header, found end of line.\"", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clean", new string[0], 0)]
    [InlineData("medium", new string[0], 1)]
    [InlineData("medium", new[] { "--fail-on", "medium" }, 1)]
    [InlineData("medium", new[] { "--fail-on", "high" }, 0)]
    [InlineData("repo", new[] { "--fail-on", "high" }, 1)]
    [InlineData("repo", new[] { "--fail-on", "critical" }, 0)]
    [InlineData("repo", new[] { "--format", "xml" }, 2)]
    [InlineData("repo", new[] { "--fail-on", "severe" }, 2)]
    [InlineData("repo", new[] { "--registry", "npm.example.internal" }, 2)]
    [InlineData("repo", new[] { "--exclude", "" }, 2)]
    [InlineData("repo", new[] { "--config", "/does/not/exist.yaml" }, 3)]
    [InlineData("does-not-exist", new string[0], 3)]
    [InlineData("README.md", new string[0], 3)]
    public async Task Exit_codes_follow_the_gate_and_the_readme(string fixture, string[] options, int exit)
    {
        var run = await CliRun.RunAsync(["deps", "check", Fixture(fixture), "--quiet", .. options]);
        Assert.True(exit == run.ExitCode, $"exit {run.ExitCode}, expected {exit}: {run.Stderr}");
    }

    [Fact]
    public async Task A_clean_tree_says_so()
    {
        var run = await CliRun.RunAsync("deps", "check", Fixture("clean"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No dependency findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 2 manifests and lockfiles.\n", run.Stdout);
    }

    [Fact]
    public async Task An_allowed_registry_and_a_disabled_rule_in_the_config_file_are_honoured()
    {
        using var tree = new TempTree();
        tree.Write("requirements.txt", "--extra-index-url https://pypi.example.internal/simple/\nattrs==23.2.0\nclick\n");
        var allowed = await CliRun.RunAsync("deps", "check", tree.Root, "--registry", "https://pypi.example.internal/simple/", "--format", "json", "--quiet");
        Assert.DoesNotContain("BW-DEP-008", allowed.Stdout, StringComparison.Ordinal);
        Assert.Contains("BW-DEP-006", allowed.Stdout, StringComparison.Ordinal);
        tree.Write(".bulwark/deps.yaml", "registries: [\"https://pypi.example.internal/simple/\"]\nrules:\n  disable: [BW-DEP-006]\n");
        var configured = await CliRun.RunAsync("deps", "check", tree.Root);
        Assert.Equal(0, configured.ExitCode);
        Assert.Equal("No dependency findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 1 manifest or lockfile.\n", configured.Stdout);
    }

    [Fact]
    public async Task Output_goes_to_the_file_named_by_o()
    {
        using var tree = new TempTree();
        var output = Path.Combine(tree.Root, "deps.json");
        var run = await CliRun.RunAsync("deps", "check", Fixture("medium"), "--format", "json", "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("\"ruleId\": \"BW-DEP-006\"", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
        Assert.Equal("1 finding (0 critical, 0 high, 1 medium, 0 low) in 1 manifest or lockfile.\n", run.Stderr);
    }

    [Fact]
    public async Task List_rules_prints_every_rule()
    {
        var run = await CliRun.RunAsync("deps", "check", "--list-rules");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(8, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("BW-DEP-001  medium    Manifest without a lockfile\n", run.Stdout, StringComparison.Ordinal);
    }
}
