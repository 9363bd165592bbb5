// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text.Json;
using Bulwark.Hygiene.Tests.Secrets;
using Bulwark.Hygiene.Tests.Secrets.History;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Secrets;

/// `bulwark secrets --history/--since/--staged` on repositories made with git in the test.
public sealed class SecretsHistoryCommandTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly FakeTokens _tokens = new(707);

    public void Dispose() => _repo.Dispose();

    private string NewSecret() => $"sk_live_{_tokens.Alnum(24)}";

    /// A key committed, then removed: the tree is clean, the history is not. Returns the commit that added it.
    private (string Commit, string Secret) LeakAndRemove()
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        var secret = NewSecret();
        _repo.Write("deploy/app.env", $"MODE=prod\nSTRIPE={secret}\n");
        var commit = _repo.Commit("deploy settings", "Mallory Example", "mallory@bulwark.invalid");
        _repo.Delete("deploy/app.env");
        _repo.Commit("remove the key");
        return (commit, secret);
    }

    [Fact]
    public async Task History_finds_a_removed_secret_the_tree_scan_does_not_and_reports_its_commit_in_json()
    {
        var (commit, _) = LeakAndRemove();
        var tree = await CliRun.RunAsync("secrets", _repo.Root, "-q");
        Assert.Equal(0, tree.ExitCode);

        var run = await CliRun.RunAsync("secrets", _repo.Root, "--history", "-f", "json", "-q");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("deploy/app.env", f.GetProperty("path").GetString());
        Assert.Equal(2, f.GetProperty("line").GetInt32());
        var c = f.GetProperty("commit");
        Assert.Equal(commit, c.GetProperty("sha").GetString());
        Assert.Equal("Mallory Example <mallory@bulwark.invalid>", c.GetProperty("author").GetString());
        Assert.Equal("2024-01-02T03:05:05Z", c.GetProperty("date").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("summary").GetProperty("commitsScanned").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("summary").GetProperty("filesScanned").GetInt32());
    }

    [Fact]
    public async Task The_table_shows_commit_date_and_author()
    {
        var (commit, secret) = LeakAndRemove();
        var run = await CliRun.RunAsync("secrets", _repo.Root, "--history");
        Assert.Equal(1, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^LOCATION +RULE +SECRET +FINGERPRINT +COMMIT +DATE +AUTHOR$", lines[0]);
        Assert.Matches($"^deploy/app.env:2:8 +stripe-secret-key +{secret[..4]}… +[0-9a-f]{{32}}  {commit[..12]}  2024-01-02  Mallory Example <mallory@bulwark.invalid>$", lines[1]);
        Assert.DoesNotContain(secret, run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("bulwark: 1 secret(s) found (0 more in the baseline) in 2 file(s) (distinct blobs of 3 commit(s)), ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_baseline_acknowledges_a_history_finding_and_only_a_new_commit_fails()
    {
        LeakAndRemove();
        var baseline = Path.Combine(_repo.Scratch, "baseline.json");
        var write = await CliRun.RunAsync("secrets", _repo.Root, "--history", "--write-baseline", baseline, "-q");
        Assert.Equal(0, write.ExitCode);
        var known = await CliRun.RunAsync("secrets", _repo.Root, "--history", "--baseline", baseline, "-q");
        Assert.Equal((0, "No secrets found.\n1 finding(s) acknowledged in the baseline are not listed.\n"), (known.ExitCode, known.Stdout));

        _repo.Write("new.env", $"STRIPE={NewSecret()}\n");
        var fresh = _repo.Commit("another one");
        var added = await CliRun.RunAsync("secrets", _repo.Root, "--history", "--baseline", baseline, "-q", "-f", "json");
        Assert.Equal(1, added.ExitCode);
        using var doc = JsonDocument.Parse(added.Stdout);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal([("deploy/app.env", true), ("new.env", false)], findings.Select(f => (f.GetProperty("path").GetString(), f.GetProperty("baselined").GetBoolean())));
        Assert.Equal(fresh, findings[1].GetProperty("commit").GetProperty("sha").GetString());
    }

    [Fact]
    public async Task A_baseline_written_from_the_tree_acknowledges_the_same_secret_in_history()
    {
        _repo.Write("app.env", $"STRIPE={NewSecret()}\n");
        _repo.Commit("one");
        _repo.Write("app.env", $"A=1\nSTRIPE={File.ReadAllText(Path.Combine(_repo.Root, "app.env"))[7..]}");
        _repo.Commit("two"); // the secret moved a line down: same fingerprint
        var baseline = Path.Combine(_repo.Scratch, "tree-baseline.json");
        Assert.Equal(0, (await CliRun.RunAsync("secrets", _repo.Root, "--write-baseline", baseline, "-q")).ExitCode);
        var history = await CliRun.RunAsync("secrets", _repo.Root, "--history", "--baseline", baseline, "-q", "-f", "json");
        Assert.Equal(0, history.ExitCode);
        using var doc = JsonDocument.Parse(history.Stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("baselined").GetInt32());
    }

    [Fact]
    public async Task Since_scans_only_new_commits()
    {
        LeakAndRemove();
        _repo.Git("branch", "reviewed");
        Assert.Equal(0, (await CliRun.RunAsync("secrets", _repo.Root, "--since", "reviewed", "-q")).ExitCode);
        _repo.Write("new.env", $"STRIPE={NewSecret()}\n");
        _repo.Commit("new");
        var run = await CliRun.RunAsync("secrets", _repo.Root, "--since", "reviewed", "-q", "-f", "json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("new.env", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("commitsScanned").GetInt32());
    }

    [Fact]
    public async Task Staged_fails_on_a_staged_secret_and_passes_once_the_fix_is_staged()
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        _repo.Write("app.env", $"STRIPE={NewSecret()}\n");
        _repo.Git("add", "app.env");
        _repo.Write("app.env", "STRIPE=${STRIPE_KEY}\n");
        var staged = await CliRun.RunAsync("secrets", _repo.Root, "--staged", "-q");
        Assert.Equal(1, staged.ExitCode);
        Assert.StartsWith("app.env:1:8 ", staged.Stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.DoesNotContain("COMMIT", staged.Stdout, StringComparison.Ordinal);

        _repo.Git("add", "app.env");
        _repo.Write("app.env", $"STRIPE={NewSecret()}\n"); // unstaged again: not what the commit will hold
        var fixedIndex = await CliRun.RunAsync("secrets", _repo.Root, "--staged", "-q");
        Assert.Equal((0, "No secrets found.\n"), (fixedIndex.ExitCode, fixedIndex.Stdout));
    }

    [Fact]
    public async Task Sarif_from_history_validates_and_carries_the_commit()
    {
        var (commit, _) = LeakAndRemove();
        var sarif = Path.Combine(_repo.Scratch, "history.sarif");
        var run = await CliRun.RunAsync("secrets", _repo.Root, "--history", "-f", "sarif", "-o", sarif, "-q");
        Assert.Equal(1, run.ExitCode);
        AssertValidSarif(sarif);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var result = Assert.Single(doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        var props = result.GetProperty("properties");
        Assert.Equal(commit, props.GetProperty("commitSha").GetString());
        Assert.Equal("Mallory Example <mallory@bulwark.invalid>", props.GetProperty("commitAuthor").GetString());
        Assert.Equal("2024-01-02T03:05:05Z", props.GetProperty("commitDate").GetString());
        Assert.EndsWith($"(introduced in commit {commit})", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(32, result.GetProperty("partialFingerprints").GetProperty("bulwarkSecret/v1").GetString()!.Length);
    }

    [Theory]
    [InlineData(new[] { "secrets", "{plain}", "--history" }, 3, "bulwark: Cannot scan the history of {plain}: not a git repository")]
    [InlineData(new[] { "secrets", "{plain}", "--staged" }, 3, "bulwark: Cannot scan the history of {plain}: not a git repository")]
    [InlineData(new[] { "secrets", "{repo}", "--since", "nope" }, 2, "bulwark: --since 'nope' does not name a commit in {repo}")]
    [InlineData(new[] { "secrets", "{repo}", "--staged", "--history" }, 2, "bulwark: --staged scans the index, --history and --since scan commits: use one of them.")]
    [InlineData(new[] { "secrets", "{repo}/README.md", "--history" }, 2, "bulwark: --history, --since and --staged scan a repository: {repo}/README.md is a file")]
    public async Task Bad_history_arguments_and_inputs_have_their_exit_codes(string[] args, int exit, string message)
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        var plain = Path.Combine(_repo.Scratch, "plain");
        Directory.CreateDirectory(plain);
        string Fill(string s) => s.Replace("{plain}", plain, StringComparison.Ordinal).Replace("{repo}", _repo.Root, StringComparison.Ordinal);
        var run = await CliRun.RunAsync([.. args.Select(Fill)]);
        Assert.Equal(exit, run.ExitCode);
        Assert.StartsWith(Fill(message), run.Stderr, StringComparison.Ordinal);
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
