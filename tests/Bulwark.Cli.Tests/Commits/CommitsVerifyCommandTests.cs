// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Hygiene.Tests.Commits;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Commits;

public sealed class CommitsVerifyCommandTests(SignedRepository repo) : IClassFixture<SignedRepository>
{
    private string Sha(string subject) => repo.Commits[subject];

    private string[] Args(params string[] extra) =>
        ["commits", "verify", "--repo", repo.Repo, "--keyring", repo.Keyring, "--allowed-signers", repo.AllowedSigners, .. extra];

    [Fact]
    public async Task A_range_of_good_commits_exits_0_with_one_table_line_per_commit()
    {
        var run = await CliRun.RunAsync(Args($"{Sha("unsigned")}..{Sha("pgp-subkey")}"));
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^COMMIT\s+STATUS\s+SIGNER\s+SUBJECT$", lines[0]);
        Assert.Matches($"^{Sha("pgp-subkey")[..12]}  good +Sam <sam@example.com> +pgp-subkey$", lines[1]);
        Assert.Matches($"^{Sha("pgp-ed25519")[..12]}  good +Alice <alice@example.com> +pgp-ed25519$", lines[5]);
        Assert.Equal($"bulwark: 5 commit(s) checked in {Sha("unsigned")}..{Sha("pgp-subkey")}: 5 good.\n", run.Stderr);
    }

    [Fact]
    public async Task The_whole_history_fails_the_gate_and_the_table_says_why()
    {
        var run = await CliRun.RunAsync(Args());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Sha("pgp-revoked")[..12]}: revoked-key: key {repo.Fingerprints["ron"]} was revoked on", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Sha("unsigned")[..12]}: unsigned: the commit is not signed", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Sha("x509")[..12]}: unsupported: x509 signature", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("; the gate fails.\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_lists_every_commit_with_its_status_and_counts_them()
    {
        var run = await CliRun.RunAsync(Args("--format", "json", "--quiet"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal("1.0", root.GetProperty("schemaVersion").GetString());
        Assert.Equal("HEAD", root.GetProperty("range").GetString());
        var commits = root.GetProperty("commits").EnumerateArray().ToDictionary(c => c.GetProperty("subject").GetString()!);
        Assert.Equal(repo.Commits.Count, commits.Count);
        Assert.Equal("good", commits["ssh-rsa"].GetProperty("status").GetString());
        Assert.Equal("ssh", commits["ssh-rsa"].GetProperty("signatureType").GetString());
        Assert.Equal("RSA 3072", commits["ssh-rsa"].GetProperty("keyAlgorithm").GetString());
        Assert.Equal("expired-key", commits["pgp-expired"].GetProperty("status").GetString());
        Assert.Equal(repo.Fingerprints["olga"], commits["pgp-expired"].GetProperty("fingerprint").GetString());
        Assert.Equal("unsigned", commits["unsigned"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, commits["unsigned"].GetProperty("fingerprint").ValueKind);
        Assert.Equal(Sha("pgp-rsa"), commits["pgp-rsa"].GetProperty("sha").GetString());
        var summary = root.GetProperty("summary");
        Assert.Equal(repo.Commits.Count, summary.GetProperty("commits").GetInt32());
        Assert.Equal(10, summary.GetProperty("good").GetInt32());
        Assert.Equal(2, summary.GetProperty("unknown-key").GetInt32());
        Assert.Equal(3, summary.GetProperty("signer-not-allowed").GetInt32());
        Assert.Equal(3, summary.GetProperty("expired-key").GetInt32());
        Assert.Equal(1, summary.GetProperty("revoked-key").GetInt32());
        Assert.Equal(1, summary.GetProperty("bad-signature").GetInt32());
        Assert.Equal(1, summary.GetProperty("unsupported").GetInt32());
        Assert.Equal(1, summary.GetProperty("unsigned").GetInt32());
        Assert.False(summary.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Sarif_has_one_result_per_failing_commit_and_is_schema_valid()
    {
        var file = Path.Combine(repo.Root, "commits.sarif");
        var run = await CliRun.RunAsync(Args("--format", "sarif", "-o", file, "-q"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var bytes = File.ReadAllBytes(file);
        ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif");
        using var doc = JsonDocument.Parse(bytes);
        var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(repo.Commits.Count - 10, results.Count);
        var revoked = results.Single(r => r.GetProperty("ruleId").GetString() == "commit-revoked-key");
        Assert.Equal(Sha("pgp-revoked"), revoked.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("name").GetString());
        Assert.Equal("error", revoked.GetProperty("level").GetString());
    }

    [Fact]
    public async Task All_refs_are_read_with_all()
    {
        var run = await CliRun.RunAsync(Args("--all", "--format", "json", "-q"));
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(repo.Commits.Count, doc.RootElement.GetProperty("commits").GetArrayLength());
        Assert.Equal("--all", doc.RootElement.GetProperty("range").GetString());
    }

    [Fact]
    public async Task A_swapped_keyring_makes_good_commits_fail()
    {
        var run = await CliRun.RunAsync("commits", "verify", $"{Sha("unsigned")}..{Sha("pgp-p256")}", "--repo", repo.Repo, "--keyring", repo.RobKeyring, "-q");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches($"{Sha("pgp-ed25519")[..12]}  unknown-key ", run.Stdout);
        Assert.Matches($"{Sha("pgp-rsa")[..12]}  good ", run.Stdout);
    }

    [Fact]
    public async Task Without_keys_a_warning_says_every_signature_is_unknown()
    {
        var run = await CliRun.RunAsync("commits", "verify", $"{Sha("unsigned")}..{Sha("pgp-ed25519")}", "--repo", repo.Repo);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("bulwark: warning: no --keyring or --allowed-signers given", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--format", "xml" }, 2, "is not a commits verify format")]
    [InlineData(new[] { "HEAD", "--all" }, 2, "either RANGE or --all")]
    [InlineData(new[] { "no-such-branch" }, 3, "Cannot read the commits of 'no-such-branch'")]
    [InlineData(new[] { "--keyring", "/nonexistent/keys.asc" }, 3, "Cannot read keyring /nonexistent/keys.asc: no such file")]
    [InlineData(new[] { "--allowed-signers", "/nonexistent/allowed" }, 3, "Cannot read allowed-signers file /nonexistent/allowed: no such file")]
    public async Task Bad_arguments_and_unusable_inputs_have_their_exit_codes(string[] extra, int code, string message)
    {
        var run = await CliRun.RunAsync(["commits", "verify", "--repo", repo.Repo, .. extra]);
        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_is_not_a_repository_is_an_input_error()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-no-repo-").FullName;
        try
        {
            var run = await CliRun.RunAsync("commits", "verify", "--repo", dir, "--quiet");
            Assert.Equal(3, run.ExitCode);
            Assert.Equal($"bulwark: Cannot read commits: {dir} is not a git repository. Give the repository with --repo PATH.\n", run.Stderr);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public async Task A_malformed_allowed_signers_line_is_an_input_error_naming_the_line()
    {
        var file = Path.Combine(repo.Root, "allowed.bad");
        File.WriteAllText(file, "# ok\nalice@example.com bogus-option ssh-ed25519 AAAA\n", Encoding.UTF8);
        var run = await CliRun.RunAsync("commits", "verify", "--repo", repo.Repo, "--allowed-signers", file);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("line 2: unknown or malformed option 'bogus-option'", run.Stderr, StringComparison.Ordinal);
    }
}
