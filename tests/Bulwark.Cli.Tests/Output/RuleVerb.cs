// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Workflows.Tests;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Output;

/// A rule-catalogue verb (`ci audit`, `deps check`) run on the fixtures in tests/Bulwark.Cli.Tests/FOLDER/testdata. Every
/// such folder holds `clean` (no finding), `medium` (one medium finding) and `repo` (findings of several severities and
/// an unreadable file), so the gate's rows in <see cref="SharedExitCodes"/> hold for each verb.
internal sealed class RuleVerb(string folder, params string[] verb)
{
    public string Fixture(string name) => Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), folder, "testdata", name);

    public Task<CliOutcome> RunAsync(string fixture, params string[] options) => CliRun.RunAsync([.. verb, Fixture(fixture), .. options]);

    /// The rows of (fixture, options, exit code) every rule-catalogue verb answers alike: the --fail-on gate, bad
    /// options, a missing PATH.
    public static TheoryData<string, string[], int> SharedExitCodes => new()
    {
        { "clean", [], 0 },
        { "medium", [], 1 },
        { "medium", ["--fail-on", "medium"], 1 },
        { "medium", ["--fail-on", "high"], 0 },
        { "repo", ["--format", "xml"], 2 },
        { "repo", ["--fail-on", "severe"], 2 },
        { "does-not-exist", [], 3 },
    };

    public async Task AssertExitAsync(string fixture, string[] options, int exit)
    {
        var run = await RunAsync(fixture, ["--quiet", .. options]);
        Assert.True(exit == run.ExitCode, $"exit {run.ExitCode}, expected {exit}: {run.Stderr}");
    }

    /// `--format json --quiet` on a fixture with findings: exit 1, nothing on stderr; the report with the fixture's path
    /// replaced by &lt;repo&gt;.
    public async Task<string> JsonAsync(string fixture)
    {
        var run = await RunAsync(fixture, "--format", "json", "--quiet");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stderr);
        return run.Stdout.Replace(Fixture(fixture), "<repo>", StringComparison.Ordinal);
    }

    /// `--format sarif --quiet` on a fixture with findings: exit 1 and SARIF that GitHub's schema accepts.
    public async Task<string> SarifAsync(string fixture)
    {
        var run = await RunAsync(fixture, "--format", "sarif", "--quiet");
        Assert.Equal(1, run.ExitCode);
        ExternalValidators.AssertValid("validate-sarif.js", Encoding.UTF8.GetBytes(run.Stdout), ".sarif");
        return run.Stdout;
    }

    /// The clean fixture: exit 0 and the table's two lines.
    public async Task AssertCleanAsync(string expectedStdout)
    {
        var run = await RunAsync("clean");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expectedStdout, run.Stdout);
    }

    /// `--format json -o FILE` on the medium fixture: nothing on stdout, the report (with <paramref name="ruleId"/>) in
    /// the file, the summary on stderr.
    public async Task AssertWritesToFileAsync(string ruleId, string expectedSummary)
    {
        using var tree = new TempTree();
        var output = Path.Combine(tree.Root, "report.json");
        var run = await RunAsync("medium", "--format", "json", "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains($"\"ruleId\": \"{ruleId}\"", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
        Assert.Equal(expectedSummary, run.Stderr);
    }
}
