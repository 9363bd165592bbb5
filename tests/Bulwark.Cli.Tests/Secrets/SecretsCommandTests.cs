// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text.Json;
using Bulwark.Hygiene.Tests.Secrets;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Secrets;

public sealed class SecretsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-secrets-cli-").FullName;
    private readonly string _tree;
    private readonly IReadOnlyList<Plant> _plants = PlantedSecrets.All();

    public SecretsCommandTests()
    {
        _tree = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(_tree);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Plant()
    {
        foreach (var p in _plants)
        {
            var full = Path.Combine(_tree, p.File);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, p.Content);
        }
    }

    [Fact]
    public async Task A_clean_tree_exits_0()
    {
        File.WriteAllText(Path.Combine(_tree, "README.md"), "# shop\n\npassword: \"<set me>\"\n");
        var run = await CliRun.RunAsync("secrets", _tree);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No secrets found.\n", run.Stdout);
        Assert.StartsWith("bulwark: 0 secret(s) found (0 more in the baseline) in 1 file(s)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Planted_secrets_exit_1_and_are_listed_redacted_in_json()
    {
        Plant();
        var run = await CliRun.RunAsync("secrets", _tree, "--format", "json", "--quiet");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(
            _plants.Select(p => $"{p.File}:{p.Line} {p.RuleId}").Order(StringComparer.Ordinal),
            findings.Select(f => $"{f.GetProperty("path").GetString()}:{f.GetProperty("line").GetInt32()} {f.GetProperty("rule").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.EndsWith("…", f.GetProperty("secret").GetString(), StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Equal(5, f.GetProperty("secret").GetString()!.Length));
        Assert.Equal(_plants.Count, doc.RootElement.GetProperty("summary").GetProperty("findings").GetInt32());
    }

    [Fact]
    public async Task Redact_false_shows_the_secret()
    {
        var t = new FakeTokens(21);
        var token = $"sk_live_{t.Alnum(24)}";
        File.WriteAllText(Path.Combine(_tree, "app.env"), $"STRIPE={token}\n");
        var redacted = await CliRun.RunAsync("secrets", _tree, "-q");
        var shown = await CliRun.RunAsync("secrets", _tree, "-q", "--redact=false");
        Assert.DoesNotContain(token, redacted.Stdout, StringComparison.Ordinal);
        Assert.Contains("app.env:1:8  stripe-secret-key  sk_l…", redacted.Stdout, StringComparison.Ordinal);
        Assert.Contains(token, shown.Stdout, StringComparison.Ordinal);
        Assert.Equal((1, 1), (redacted.ExitCode, shown.ExitCode));
    }

    [Fact]
    public async Task A_baseline_acknowledges_known_findings_and_only_new_ones_fail()
    {
        Plant();
        var baseline = Path.Combine(_dir, "secrets-baseline.json");
        var write = await CliRun.RunAsync("secrets", _tree, "--write-baseline", baseline);
        Assert.Equal(0, write.ExitCode);
        Assert.Equal($"bulwark: wrote {_plants.Count} finding(s) to the baseline {baseline}.\n", write.Stderr);

        var known = await CliRun.RunAsync("secrets", _tree, "--baseline", baseline, "-q");
        Assert.Equal(0, known.ExitCode);
        Assert.Equal($"No secrets found.\n{_plants.Count} finding(s) acknowledged in the baseline are not listed.\n", known.Stdout);

        var t = new FakeTokens(22);
        File.WriteAllText(Path.Combine(_tree, "new.env"), $"\nSTRIPE=rk_live_{t.Alnum(24)}\n");
        var added = await CliRun.RunAsync("secrets", _tree, "--baseline", baseline, "-q", "-f", "json");
        Assert.Equal(1, added.ExitCode);
        using var doc = JsonDocument.Parse(added.Stdout);
        var fresh = doc.RootElement.GetProperty("findings").EnumerateArray().Where(f => !f.GetProperty("baselined").GetBoolean()).ToList();
        Assert.Equal("new.env:2 stripe-restricted-key", Assert.Single(fresh, f => true) is var f ? $"{f.GetProperty("path").GetString()}:{f.GetProperty("line").GetInt32()} {f.GetProperty("rule").GetString()}" : "");
        Assert.Equal(_plants.Count, doc.RootElement.GetProperty("summary").GetProperty("baselined").GetInt32());
    }

    [Fact]
    public async Task Sarif_output_validates_and_carries_fingerprints()
    {
        Plant();
        var baseline = Path.Combine(_dir, "b.json");
        var onePlant = _plants[0];
        // acknowledge one finding so the log also holds a suppression
        var all = await CliRun.RunAsync("secrets", _tree, "--write-baseline", baseline, "-q");
        Assert.Equal(0, all.ExitCode);
        var sarifFile = Path.Combine(_dir, "secrets.sarif");
        var run = await CliRun.RunAsync("secrets", _tree, "--format", "sarif", "-o", sarifFile, "-q");
        Assert.Equal(1, run.ExitCode);
        AssertValidSarif(sarifFile);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarifFile));
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(_plants.Count, results.Count);
        var first = results.Single(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString() == onePlant.File);
        Assert.Equal(onePlant.RuleId, first.GetProperty("ruleId").GetString());
        Assert.Equal(32, first.GetProperty("partialFingerprints").GetProperty("bulwarkSecret/v1").GetString()!.Length);

        var suppressed = await CliRun.RunAsync("secrets", _tree, "--format", "sarif", "--baseline", baseline, "-q");
        Assert.Equal(0, suppressed.ExitCode);
        using var doc2 = JsonDocument.Parse(suppressed.Stdout);
        Assert.All(doc2.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray(),
            r => Assert.Equal("accepted", r.GetProperty("suppressions")[0].GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_config_file_in_the_tree_allows_paths()
    {
        Plant();
        Directory.CreateDirectory(Path.Combine(_tree, ".bulwark"));
        File.WriteAllText(Path.Combine(_tree, ".bulwark", "secrets.yaml"), "allow:\n  paths: [\"keys/**\", \"ai/**\", \"ops/**\", \"pay/**\", \"chat/**\", \"web/**\", \"registries/**\", \"ci/**\", \"forge/**\"]\n");
        var run = await CliRun.RunAsync("secrets", _tree, "-f", "json", "-q");
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.All(doc.RootElement.GetProperty("findings").EnumerateArray(), f => Assert.StartsWith("cloud/", f.GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.Equal(_plants.Count(p => p.File.StartsWith("cloud/", StringComparison.Ordinal)), doc.RootElement.GetProperty("summary").GetProperty("findings").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "secrets", "{missing}" }, 3, "bulwark: Cannot scan {missing}: no such file or directory.")]
    [InlineData(new[] { "secrets", "{tree}", "--format", "xml" }, 2, "bulwark: --format 'xml' is not a secrets format: use table, json or sarif.")]
    [InlineData(new[] { "secrets", "{tree}", "--max-file-size", "ten" }, 2, "bulwark: --max-file-size 'ten' is not a size")]
    [InlineData(new[] { "secrets", "{tree}", "--baseline", "{missing}" }, 3, "bulwark: Cannot read baseline {missing}: no such file.")]
    [InlineData(new[] { "secrets", "{tree}", "--config", "{bad-config}" }, 3, "bulwark: Cannot read secrets config {bad-config}: line 1: unknown key 'allowed'")]
    public async Task Bad_arguments_and_inputs_have_their_exit_codes(string[] args, int exit, string message)
    {
        var badConfig = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(badConfig, "allowed:\n  paths: []\n");
        string Fill(string s) => s.Replace("{missing}", Path.Combine(_dir, "missing"), StringComparison.Ordinal)
            .Replace("{tree}", _tree, StringComparison.Ordinal).Replace("{bad-config}", badConfig, StringComparison.Ordinal);
        var run = await CliRun.RunAsync([.. args.Select(Fill)]);
        Assert.Equal(exit, run.ExitCode);
        Assert.StartsWith(Fill(message), run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_file_can_be_scanned()
    {
        var t = new FakeTokens(23);
        File.WriteAllText(Path.Combine(_tree, "a.env"), $"A=sk_live_{t.Alnum(24)}\n");
        File.WriteAllText(Path.Combine(_tree, "b.env"), $"B=sk_live_{t.Alnum(24)}\n");
        var run = await CliRun.RunAsync("secrets", Path.Combine(_tree, "b.env"), "-q", "-f", "json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("b.env", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public async Task List_rules_prints_every_rule()
    {
        var run = await CliRun.RunAsync("secrets", "--list-rules");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Bulwark.Hygiene.Secrets.SecretRules.BuiltIn.Count, lines.Length);
        Assert.StartsWith("aws-access-key-id ", lines[0], StringComparison.Ordinal);
    }

    private static void AssertValidSarif(string file)
    {
        var validators = Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");
        if (!Directory.Exists(Path.Combine(validators, "node_modules")))
            throw new Xunit.Sdk.XunitException($"Schema validators are not installed in {validators}. Run ./test.sh once (it runs npm ci there).");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(validators, "validate-sarif.js"));
        psi.ArgumentList.Add(file);
        using var p = Process.Start(psi) ?? throw new Xunit.Sdk.XunitException("Cannot start node; run ./test.sh to install it.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"validate-sarif.js rejects the log:\n{stdout.Result}{stderr}");
    }
}
