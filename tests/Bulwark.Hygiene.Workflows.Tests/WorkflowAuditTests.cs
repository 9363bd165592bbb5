// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;

namespace Bulwark.Hygiene.Workflows.Tests;

public class WorkflowAuditTests
{
    private const string Unpinned = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n";

    [Fact]
    public void Reads_workflows_actions_anywhere_and_gitlab_ci_but_not_node_modules_subfolders_of_workflows_or_links()
    {
        using var tree = new TempTree();
        tree.Write(".github/workflows/ci.yml", Unpinned);
        tree.Write(".github/workflows/release.yaml", Unpinned);
        tree.Write(".github/workflows/notes/old.yml", Unpinned);
        tree.Write(".github/workflows/README.md", "# workflows");
        tree.Write(".github/actions/build/action.yml", "runs:\n  using: composite\n  steps:\n    - uses: actions/setup-go@v5\n");
        tree.Write("node_modules/pkg/action.yml", "runs:\n  using: composite\n  steps:\n    - uses: actions/setup-go@v5\n");
        tree.Write(".gitlab-ci.yml", "image: node:20\n");
        tree.Write("docs/example.yml", Unpinned);
        File.CreateSymbolicLink(Path.Combine(tree.Root, ".github", "workflows", "linked.yml"), Path.Combine(tree.Root, ".github", "workflows", "ci.yml"));

        var report = WorkflowAudit.Run(tree.Root);

        Assert.Equal([".github/actions/build/action.yml", ".github/workflows/ci.yml", ".github/workflows/release.yaml", ".gitlab-ci.yml"], report.Files);
        Assert.Equal(
        [
            ".github/actions/build/action.yml:4:13 BW-GHA-001",
            ".github/workflows/ci.yml:7:15 BW-GHA-001",
            ".github/workflows/release.yaml:7:15 BW-GHA-001",
            ".gitlab-ci.yml:1:8 BW-GLC-001",
        ], report.Findings.Select(f => $"{f.Path}:{f.Line}:{f.Column} {f.Rule.Id}"));
        Assert.Empty(report.Unreadable);
    }

    [Fact]
    public void A_missing_path_is_an_input_error()
    {
        var e = Assert.Throws<Core.InputException>(() => WorkflowAudit.Run("/nonexistent/bulwark-ci"));
        Assert.Contains("no such file or directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_workflow_file_can_be_audited()
    {
        using var tree = new TempTree();
        var path = tree.Write("ci.yml", Unpinned);
        var report = WorkflowAudit.Run(path);
        Assert.Equal(["ci.yml:7:15 BW-GHA-001"], report.Findings.Select(f => $"{f.Path}:{f.Line}:{f.Column} {f.Rule.Id}"));
    }

    // the hostile files are made inside the test, not carried in the theory data: xunit serialises theory data at
    // discovery, and a 10 MB byte array serialised that way took gigabytes (the test host was OOM-killed under load)
    private static byte[] HostileContent(string name)
    {
        switch (name)
        {
            case "alias-bomb.yml":
                var bomb = new StringBuilder("on: push\nx0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                for (var i = 1; i < 10; i++)
                    bomb.Append($"x{i}: &a{i} [{string.Join(",", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
                return Encoding.UTF8.GetBytes(bomb.ToString());
            case "ten-megabytes.yml":
                var big = new StringBuilder("on: push\njobs:\n");
                while (big.Length < 10 * 1024 * 1024) big.Append("# padding padding padding padding padding padding padding padding padding\n");
                return Encoding.UTF8.GetBytes(big.ToString());
            case "latin1.yml":
                return [.. "name: caf"u8, 0xE9, .. "\non: push\n"u8];
            case "tabs.yml":
                return Encoding.UTF8.GetBytes("on: push\njobs:\n\tbuild:\n\t\truns-on: ubuntu-latest\n");
            case "deep.yml":
                return Encoding.UTF8.GetBytes("on: " + new string('[', 100_000));
            case "unclosed.yml":
                return Encoding.UTF8.GetBytes("on: push\njobs: {build: [\n");
            case "forward-alias.yml":
                // an alias key before its anchor: YamlDotNet's node model overflowed the stack and the process died
                return Encoding.UTF8.GetBytes("on: push\n*x : 1\nb: &x c\n");
            case "tag-directive.yml":
                // YamlDotNet's scanner throws ArgumentNullException on an empty %TAG prefix at the very end
                return Encoding.UTF8.GetBytes("on: push\n%TAG ! ");
            default:
                throw new ArgumentException($"no hostile file named {name}", nameof(name));
        }
    }

    [Theory]
    [InlineData("alias-bomb.yml", "an alias bomb?")]
    [InlineData("ten-megabytes.yml", "over the 1,048,576-byte limit")]
    [InlineData("latin1.yml", "not valid UTF-8 (byte 9)")]
    [InlineData("tabs.yml", "not valid YAML")]
    [InlineData("deep.yml", "nested more than 128 levels")]
    [InlineData("unclosed.yml", "not valid YAML")]
    [InlineData("tag-directive.yml", "YAML the parser cannot read (Tag prefix must not be empty.")]
    [InlineData("forward-alias.yml", "line 2: YAML alias *x comes before any anchor &x; not audited.")]
    public void Hostile_yaml_is_reported_as_not_audited_and_the_other_files_are_still_audited(string name, string reason)
    {
        var content = HostileContent(name);
        using var tree = new TempTree();
        tree.Write($".github/workflows/{name}", content);
        tree.Write(".github/workflows/ok.yml", Unpinned);

        var stopwatch = Stopwatch.StartNew();
        var report = WorkflowAudit.Run(tree.Root);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        var unreadable = Assert.Single(report.Unreadable);
        Assert.Equal($".github/workflows/{name}", unreadable.Path);
        Assert.Contains(reason, unreadable.Reason, StringComparison.Ordinal);
        Assert.Equal([".github/workflows/ok.yml"], report.Findings.Select(f => f.Path));
    }

    [Fact]
    public void A_workflow_ending_in_a_reserved_directive_on_a_1024_character_boundary_is_audited()
    {
        // YamlDotNet's scanner spins on such a directive when the input ends on its read buffer's boundary, then fails
        const string tail = "\n%00 = ";
        var text = new StringBuilder(Unpinned).Append('#');
        text.Append('x', 1024 - text.Length - tail.Length).Append(tail);
        using var tree = new TempTree();
        tree.Write(".github/workflows/ci.yml", text.ToString());
        var report = WorkflowAudit.Run(tree.Root);
        Assert.Empty(report.Unreadable);
        Assert.Contains(report.Findings, f => f.Rule.Id == "BW-GHA-001");
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("- a list\n- not a mapping\n")]
    [InlineData("just a string\n")]
    [InlineData("jobs: [1, 2]\non: 3\npermissions: {}\n")]
    [InlineData("on: push\npermissions: {}\njobs:\n  a:\n    steps: {uses: x}\n    runs-on: {labels: 7}\n    services: [1]\n")]
    public void Yaml_that_is_not_a_workflow_shape_gives_no_findings_and_no_error(string text)
    {
        using var tree = new TempTree();
        tree.Write(".github/workflows/odd.yml", text);
        var report = WorkflowAudit.Run(tree.Root);
        Assert.Empty(report.Unreadable);
        Assert.DoesNotContain(report.Findings, f => f.Rule.Id != "BW-GHA-003");
    }
}
