// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Hygiene.Secrets;
using Bulwark.Hygiene.Secrets.History;

namespace Bulwark.Hygiene.Tests.Secrets.History;

public sealed class HistoryScanTests : IDisposable
{
    private const string Rule = "stripe-secret-key";
    private readonly TestRepository _repo = new();
    private readonly FakeTokens _tokens = new(606);

    public void Dispose() => _repo.Dispose();

    private string NewSecret() => $"sk_live_{_tokens.Alnum(24)}";

    private static HistoryScanResult HistoryOf(string root, string? since = null, SecretAllowlist? allow = null, long maxFileSize = 10L << 20)
    {
        allow ??= SecretAllowlist.Empty;
        return HistoryScan.ScanCommits(root, since, new SecretScanner(SecretRules.BuiltIn, allow), allow,
            new SecretScanOptions { MaxFileSize = maxFileSize, Parallelism = 2 });
    }

    private HistoryScanResult History(string? since = null, SecretAllowlist? allow = null, long maxFileSize = 10L << 20) =>
        HistoryOf(_repo.Root, since, allow, maxFileSize);

    private HistoryScanResult Staged() => HistoryScan.ScanStaged(_repo.Root, new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty,
        new SecretScanOptions { Parallelism = 2 });

    private static string Where(SecretFinding f) => $"{f.Path}:{f.Line}:{f.Column} {f.RuleId} @{f.Commit?.Sha}";

    [Fact]
    public void A_secret_added_then_removed_is_found_in_history_but_not_in_the_tree()
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        var secret = NewSecret();
        _repo.Write("deploy/app.env", $"MODE=prod\nSTRIPE={secret}\n");
        var added = _repo.Commit("add the deploy settings", "Mallory Example", "mallory@bulwark.invalid");
        var addedAt = TestRepository.Start.AddMinutes(1);
        _repo.Delete("deploy/app.env");
        _repo.Commit("oops, remove the key");

        var tree = WorkingTreeScan.Scan(new DirectoryFileTree(_repo.Root, []), new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty, new SecretScanOptions());
        Assert.Empty(tree.Findings);

        var result = History();
        var f = Assert.Single(result.Findings);
        Assert.Equal(("deploy/app.env", 2, 8, Rule, secret), (f.Path, f.Line, f.Column, f.RuleId, f.Secret));
        Assert.Equal(new CommitOrigin(added, "Mallory Example <mallory@bulwark.invalid>", addedAt), f.Commit);
        Assert.Equal(3, result.Commits);
        Assert.Equal(2, result.BlobsScanned); // README.md and app.env; the deletion has no blob
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void A_blob_in_50_commits_is_scanned_once_and_reported_at_the_commit_that_introduced_it()
    {
        var secret = NewSecret();
        _repo.Write("config/settings.env", $"STRIPE={secret}\n");
        var first = _repo.Commit("settings");
        for (var i = 1; i < 50; i++)
        {
            _repo.Write("counter.txt", $"{i}\n");
            _repo.Commit($"bump {i}");
        }

        var result = History();
        Assert.Equal(50, result.Commits);
        Assert.Equal(1 + 49, result.BlobsScanned); // the settings blob once, and each counter.txt version
        var f = Assert.Single(result.Findings);
        Assert.Equal($"config/settings.env:1:8 {Rule} @{first}", Where(f));
    }

    [Fact]
    public void A_secret_kept_through_later_edits_of_its_file_is_reported_once_at_its_first_commit()
    {
        var secret = NewSecret();
        _repo.Write("app.env", $"STRIPE={secret}\nA=1\n");
        var first = _repo.Commit("one");
        _repo.Write("app.env", $"B=2\nSTRIPE={secret}\nA=1\n");
        _repo.Commit("two");
        var rotated = NewSecret();
        _repo.Write("app.env", $"B=2\nSTRIPE={rotated}\nA=1\n");
        var third = _repo.Commit("rotate");

        var result = History();
        Assert.Equal(3, result.BlobsScanned);
        Assert.Equal([$"app.env:1:8 {Rule} @{first}", $"app.env:2:8 {Rule} @{third}"], result.Findings.Select(Where));
        Assert.Equal([secret, rotated], result.Findings.Select(f => f.Secret));
    }

    [Fact]
    public void The_same_blob_at_50_paths_is_scanned_once_and_reported_at_every_path()
    {
        var content = $"STRIPE={NewSecret()}\n";
        var paths = Enumerable.Range(0, 50).Select(i => i switch
        {
            0 => "with space/a b.env",
            1 => "ünïcödé/ключ.env",
            2 => "quoted\"name'.env",
            3 => "tab\there.env",
            _ => $"copies/{i:D2}.env",
        }).ToList();
        foreach (var p in paths) _repo.Write(p, content);
        var commit = _repo.Commit("copies");

        var result = History();
        Assert.Equal(1, result.BlobsScanned);
        Assert.Equal(paths.Order(StringComparer.Ordinal), result.Findings.Select(f => f.Path));
        Assert.All(result.Findings, f => Assert.Equal(commit, f.Commit!.Sha));
        Assert.Equal(50, result.Findings.Select(f => f.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void Since_scans_only_the_commits_not_reachable_from_the_revision()
    {
        _repo.Write("old.env", $"STRIPE={NewSecret()}\n");
        var old = _repo.Commit("old");
        _repo.Git("tag", "v1");
        _repo.Write("new.env", $"STRIPE={NewSecret()}\n");
        var fresh = _repo.Commit("new");
        _repo.Git("checkout", "-q", "-b", "topic", "v1");
        _repo.Write("topic.env", $"STRIPE={NewSecret()}\n");
        var topic = _repo.Commit("topic");

        var sinceTag = History(since: "v1");
        Assert.Equal(2, sinceTag.Commits);
        Assert.Equal([$"new.env:1:8 {Rule} @{fresh}", $"topic.env:1:8 {Rule} @{topic}"], sinceTag.Findings.Select(Where));

        var sinceMain = History(since: "main");
        Assert.Equal([$"topic.env:1:8 {Rule} @{topic}"], sinceMain.Findings.Select(Where));

        Assert.Equal(3, History().Findings.Length);
        Assert.Contains(History().Findings, f => f.Commit!.Sha == old);
        var sinceTopic = History(since: "HEAD");
        Assert.Equal(1, sinceTopic.Commits); // main's newest commit is not reachable from topic
        Assert.Equal([$"new.env:1:8 {Rule} @{fresh}"], sinceTopic.Findings.Select(Where));
    }

    [Theory]
    [InlineData("no-such-branch")]
    [InlineData("--all")]
    [InlineData("HEAD~99")]
    public void Since_a_revision_that_names_no_commit_is_a_usage_error(string since)
    {
        _repo.Write("a.txt", "a\n");
        _repo.Commit("one");
        var e = Assert.Throws<UsageException>(() => History(since: since));
        Assert.StartsWith($"--since '{since}' ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Staged_scans_the_index_not_the_working_tree()
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        var staged = NewSecret();
        _repo.Write("app.env", $"STRIPE={staged}\n");
        _repo.Git("add", "app.env");
        _repo.Write("app.env", "STRIPE=${STRIPE_KEY}\n"); // fixed in the tree, but the index still holds the key
        _repo.Write("later.env", $"STRIPE={NewSecret()}\n"); // not staged: not part of the next commit

        var result = Staged();
        var f = Assert.Single(result.Findings);
        Assert.Equal(("app.env", 1, 8, staged), (f.Path, f.Line, f.Column, f.Secret));
        Assert.Null(f.Commit);
        Assert.Equal(1, result.BlobsScanned);
        Assert.Equal(0, result.Commits);

        _repo.Git("add", "app.env"); // stage the fix
        Assert.Empty(Staged().Findings);
    }

    [Fact]
    public void Staged_works_before_the_first_commit()
    {
        _repo.Write("first.env", $"STRIPE={NewSecret()}\n");
        _repo.Git("add", "first.env");
        Assert.Equal("first.env", Assert.Single(Staged().Findings).Path);
    }

    [Fact]
    public void Branches_and_tags_not_on_HEAD_are_scanned()
    {
        _repo.Write("README.md", "# shop\n");
        _repo.Commit("start");
        _repo.Git("checkout", "-q", "-b", "feature");
        _repo.Write("feature.env", $"STRIPE={NewSecret()}\n");
        var feature = _repo.Commit("feature work");
        _repo.Git("checkout", "-q", "--detach", "main");
        _repo.Write("tagged.env", $"STRIPE={NewSecret()}\n");
        var tagged = _repo.Commit("only tagged");
        _repo.Git("tag", "-a", "release-candidate", "-m", "rc");
        _repo.Git("checkout", "-q", "main");

        var result = History();
        Assert.Equal([$"feature.env:1:8 {Rule} @{feature}", $"tagged.env:1:8 {Rule} @{tagged}"], result.Findings.Select(Where));
        Assert.Equal(3, result.Commits);
    }

    [Fact]
    public void A_secret_from_a_merged_branch_is_reported_at_its_branch_commit_and_one_added_in_the_merge_at_the_merge()
    {
        _repo.Write("shared.txt", "base\n");
        _repo.Commit("base");
        _repo.Git("checkout", "-q", "-b", "side");
        _repo.Write("side.env", $"STRIPE={NewSecret()}\n");
        var side = _repo.Commit("side");
        _repo.Git("checkout", "-q", "main");
        _repo.Write("main.txt", "main\n");
        _repo.Commit("main");
        _repo.Git("merge", "-q", "--no-ff", "--no-commit", "side");
        _repo.Write("merge.env", $"STRIPE={NewSecret()}\n"); // an "evil merge": content only the merge commit has
        _repo.Git("add", "merge.env");
        var merge = _repo.CommitStaged("merge side");

        var result = History();
        Assert.Equal([$"merge.env:1:8 {Rule} @{merge}", $"side.env:1:8 {Rule} @{side}"], result.Findings.Select(Where));
        Assert.Equal(4, result.Commits);
    }

    [Fact]
    public void A_renamed_file_is_reported_at_its_new_path_from_the_rename_without_reading_the_blob_again()
    {
        var secret = NewSecret();
        _repo.Write("a.env", $"STRIPE={secret}\n");
        var first = _repo.Commit("add");
        Directory.CreateDirectory(Path.Combine(_repo.Root, "dir with space"));
        _repo.Git("mv", "a.env", "dir with space/ü b.env");
        var rename = _repo.Commit("rename");

        var result = History();
        Assert.Equal([$"a.env:1:8 {Rule} @{first}", $"dir with space/ü b.env:1:8 {Rule} @{rename}"], result.Findings.Select(Where));
        Assert.Equal(1, result.BlobsScanned);
    }

    [Fact]
    public void Binary_and_oversized_blobs_are_not_scanned_and_oversized_ones_are_reported_as_skipped()
    {
        var secret = NewSecret();
        _repo.WriteBytes("logo.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, .. System.Text.Encoding.ASCII.GetBytes($"STRIPE={secret}\n")]);
        _repo.Write("big.env", $"STRIPE={NewSecret()}\n" + new string('#', 5000));
        _repo.Write("small.env", $"STRIPE={secret}\n");
        var commit = _repo.Commit("assets");

        var result = History(maxFileSize: 4096);
        Assert.Equal(1, result.BinaryBlobs);
        Assert.Equal(1, result.BlobsScanned);
        Assert.Equal("small.env", Assert.Single(result.Findings).Path);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("big.env", skipped.Path);
        Assert.Equal($"larger than 4 KiB (4.9 KiB; blob {_repo.Git("rev-parse", "HEAD:big.env")[..12]} in commit {commit[..12]}); not scanned", skipped.Reason);
    }

    [Fact]
    public void A_blob_missing_from_the_object_store_is_reported_as_skipped()
    {
        _repo.Write("gone.env", $"STRIPE={NewSecret()}\n");
        _repo.Write("kept.env", $"STRIPE={NewSecret()}\n");
        var commit = _repo.Commit("one");
        var blob = _repo.Git("rev-parse", "HEAD:gone.env");
        File.Delete(Path.Combine(_repo.Root, ".git", "objects", blob[..2], blob[2..])); // as a damaged or partial clone

        var result = History();
        Assert.Equal("kept.env", Assert.Single(result.Findings).Path);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(("gone.env", $"blob {blob[..12]} in commit {commit[..12]} is missing from the repository (a partial clone or a damaged one); not scanned"),
            (skipped.Path, skipped.Reason));
    }

    [Fact]
    public async Task The_in_flight_budget_holds_the_reader_back_but_always_lets_one_blob_through()
    {
        var budget = new HistoryScan.ByteBudget(100);
        budget.Take(250, CancellationToken.None); // over the limit, but nothing else is in flight
        var second = Task.Run(() => budget.Take(10, CancellationToken.None));
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(300)));
        budget.Release(250);
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        using var cancelled = new CancellationTokenSource();
        budget.Take(90, CancellationToken.None);
        var third = Task.Run(() => budget.Take(50, cancelled.Token));
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
    }

    [Fact]
    public void Submodule_gitlinks_and_symlinks_are_passed_over()
    {
        _repo.Write("app.env", $"STRIPE={NewSecret()}\n");
        var first = _repo.Commit("one");
        _repo.Git("update-index", "--add", "--cacheinfo", $"160000,{first},vendor/lib");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "link.env"), "app.env");
        _repo.Git("add", "link.env");
        _repo.CommitStaged("submodule and link");

        var result = History();
        Assert.Equal("app.env", Assert.Single(result.Findings).Path);
        Assert.Equal(1, result.BlobsScanned);
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void Allowlisted_paths_and_inline_allow_comments_apply_to_history()
    {
        _repo.Write("fixtures/test.env", $"STRIPE={NewSecret()}\n");
        _repo.Write("docs/example.md", $"STRIPE={NewSecret()} # bulwark:allow\n");
        var kept = NewSecret();
        _repo.Write("app.env", $"STRIPE={kept}\n");
        _repo.Commit("one");

        var allow = new SecretAllowlist { Paths = [new Glob("fixtures/**")] };
        var result = History(allow: allow);
        Assert.Equal(kept, Assert.Single(result.Findings).Secret);
        Assert.Equal(2, result.BlobsScanned); // the allowlisted file is not even read
    }

    [Fact]
    public void A_history_finding_has_the_same_fingerprint_as_the_same_secret_in_the_tree()
    {
        _repo.Write("app.env", $"STRIPE={NewSecret()}\n");
        _repo.Commit("one");
        var tree = WorkingTreeScan.Scan(new DirectoryFileTree(_repo.Root, []), new SecretScanner(SecretRules.BuiltIn), SecretAllowlist.Empty, new SecretScanOptions());
        Assert.Equal(Assert.Single(tree.Findings).Fingerprint, Assert.Single(History().Findings).Fingerprint);
    }

    [Fact]
    public void From_a_subdirectory_the_whole_repository_is_scanned_with_paths_from_its_top_whatever_diff_relative_says()
    {
        _repo.Write("src/app/app.env", $"STRIPE={NewSecret()}\n");
        _repo.Write("ops/deploy.env", $"STRIPE={NewSecret()}\n");
        _repo.Commit("one");
        _repo.Git("config", "diff.relative", "true");
        var result = HistoryOf(Path.Combine(_repo.Root, "src"));
        Assert.Equal(["ops/deploy.env", "src/app/app.env"], result.Findings.Select(f => f.Path));
    }

    [Fact]
    public void An_empty_repository_has_no_commits_and_no_findings()
    {
        var result = History();
        Assert.Equal((0, 0), (result.Commits, result.BlobsScanned));
        Assert.Empty(result.Findings);
        Assert.Empty(Staged().Findings);
    }

    [Fact]
    public void A_shallow_clone_reports_what_it_holds_at_its_boundary_commit()
    {
        _repo.Write("old.env", $"STRIPE={NewSecret()}\n");
        _repo.Commit("one");
        _repo.Write("new.env", $"STRIPE={NewSecret()}\n");
        var tip = _repo.Commit("two");
        var clone = Path.Combine(_repo.Scratch, "shallow");
        TestRepository.RunGit(_repo.Scratch, ["clone", "-q", "--depth", "1", "file://" + _repo.Root, clone], null);

        var result = HistoryOf(clone);
        Assert.Equal(1, result.Commits);
        Assert.Equal([$"new.env:1:8 {Rule} @{tip}", $"old.env:1:8 {Rule} @{tip}"], result.Findings.Select(Where));
    }

    [Fact]
    public void A_directory_that_is_not_a_repository_is_an_input_error()
    {
        var plain = Directory.CreateTempSubdirectory("bulwark-not-a-repo-").FullName;
        try
        {
            var e = Assert.Throws<InputException>(() => HistoryOf(plain));
            Assert.StartsWith($"Cannot scan the history of {plain}: not a git repository", e.Message, StringComparison.Ordinal);
            Assert.Throws<InputException>(() => HistoryOf(Path.Combine(plain, "missing")));
        }
        finally
        {
            Directory.Delete(plain, recursive: true);
        }
    }
}
