// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cli.Tests.Output;
using Bulwark.Hygiene.Workflows.Tests;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Deps;

public class DepsCheckCommandTests
{
    private static readonly RuleVerb Check = new("Deps", "deps", "check");

    [Fact]
    public async Task The_table_lists_findings_by_file_with_line_severity_rule_and_fix_and_the_gate_fails()
    {
        var run = await Check.RunAsync("repo");
        Assert.Equal(1, run.ExitCode);
        Golden.Assert(run.Stdout);
        Assert.Equal("bulwark: warning: broken/Cargo.toml: not checked: line 1: expected ']' to close the table header, found end of line.\n", run.Stderr);
    }

    [Fact]
    public async Task The_json_report_is_stable() => Golden.Assert(await Check.JsonAsync("repo"));

    [Fact]
    public async Task The_sarif_report_is_valid_sarif_that_github_accepts()
    {
        var sarif = await Check.SarifAsync("repo");
        Assert.Contains("\"ruleId\": \"BW-DEP-002\"", sarif, StringComparison.Ordinal);
        Assert.Matches("\"uri\": \"package.json\"\\s+},\\s+\"region\": \\{\\s+\"startLine\": 6\\s+}", sarif);
        Assert.Contains("\"text\": \"broken/Cargo.toml: not checked: line 1: expected ']' to close the table header, found end of line.\"", sarif, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleVerb.SharedExitCodes), MemberType = typeof(RuleVerb))]
    [InlineData("repo", new[] { "--fail-on", "high" }, 1)]
    [InlineData("repo", new[] { "--fail-on", "critical" }, 0)]
    [InlineData("repo", new[] { "--registry", "npm.example.internal" }, 2)]
    [InlineData("repo", new[] { "--exclude", "" }, 2)]
    [InlineData("repo", new[] { "--config", "/does/not/exist.yaml" }, 3)]
    [InlineData("README.md", new string[0], 3)]
    public Task Exit_codes_follow_the_gate_and_the_readme(string fixture, string[] options, int exit) => Check.AssertExitAsync(fixture, options, exit);

    [Fact]
    public Task A_clean_tree_says_so() => Check.AssertCleanAsync("No dependency findings.\n0 findings (0 critical, 0 high, 0 medium, 0 low) in 2 manifests and lockfiles.\n");

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
    public Task Output_goes_to_the_file_named_by_o() =>
        Check.AssertWritesToFileAsync("BW-DEP-006", "1 finding (0 critical, 0 high, 1 medium, 0 low) in 1 manifest or lockfile.\n");

    [Fact]
    public async Task List_rules_prints_every_rule()
    {
        var run = await CliRun.RunAsync("deps", "check", "--list-rules");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(8, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("BW-DEP-001  medium    Manifest without a lockfile\n", run.Stdout, StringComparison.Ordinal);
    }
}
