// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Workflows.Fix;

namespace Bulwark.Hygiene.Workflows.Tests.Fix;

public sealed class PinFixerTests : IDisposable
{
    private readonly BareRepos _repos = new();
    private readonly TempTree _tree = new();
    private readonly Dictionary<string, string> _shas = [];

    public PinFixerTests()
    {
        _repos.Create("actions/checkout", 3, ("annotated", "v4.2.2", 1), ("light", "v4", 1));
        _repos.Create("acme/setup-tool", 2, ("light", "v1", 0));
        _repos.Create("acme/workflows", 1, ("annotated", "v1", 0));
        _shas["checkout-v4.2.2"] = _repos.RevParse("actions/checkout", "v4.2.2^{commit}");
        _shas["setup-tool-v1"] = _repos.RevParse("acme/setup-tool", "v1");
        _shas["setup-tool-main"] = _repos.RevParse("acme/setup-tool", "main");
        _shas["workflows-v1"] = _repos.RevParse("acme/workflows", "v1^{commit}");
    }

    private byte[] Expected(string name, bool crlf = false, bool bom = false)
    {
        var text = File.ReadAllText(Audits.TestData("Fix", name), Encoding.UTF8);
        foreach (var (key, sha) in _shas) text = text.Replace($"{{{key}}}", sha, StringComparison.Ordinal);
        return Bytes(text, crlf, bom);
    }

    private static byte[] Input(string name, bool crlf = false, bool bom = false) =>
        Bytes(File.ReadAllText(Audits.TestData("Fix", name), Encoding.UTF8), crlf, bom);

    private static byte[] Bytes(string text, bool crlf, bool bom) =>
        [.. bom ? "\uFEFF"u8 : [], .. Encoding.UTF8.GetBytes(crlf ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text)];

    private FixResult Fix()
    {
        var resolver = new GitRefResolver(_repos.Root);
        return PinFixer.Run(WorkflowAudit.Run(_tree.Root), a => resolver.Resolve(a.Owner, a.Repo, a.Ref));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Pins_tags_and_branches_to_commits_keeping_the_tag_as_a_comment_and_every_other_byte(bool crlf, bool bom)
    {
        var workflow = _tree.Write(".github/workflows/release.yml", Input("release.input.yml", crlf, bom));
        var action = _tree.Write(".github/actions/build/action.yml", Input("composite.input.yml", crlf, bom));

        var result = Fix();

        Assert.Equal(Expected("release.expected.yml", crlf, bom), File.ReadAllBytes(workflow));
        Assert.Equal(Expected("composite.expected.yml", crlf, bom), File.ReadAllBytes(action));
        Assert.Equal(
        [
            $".github/actions/build/action.yml:5:13 acme/setup-tool@v1 {_shas["setup-tool-v1"]} comment",
            $".github/workflows/release.yml:12:15 actions/checkout@v4.2.2 {_shas["checkout-v4.2.2"]} comment",
            $".github/workflows/release.yml:13:15 acme/setup-tool@v1 {_shas["setup-tool-v1"]} comment",
            $".github/workflows/release.yml:16:15 acme/setup-tool/sub/path@main {_shas["setup-tool-main"]} comment",
            $".github/workflows/release.yml:18:16 actions/checkout@v4.2.2 {_shas["checkout-v4.2.2"]} no-comment",
            $".github/workflows/release.yml:24:11 acme/workflows/.github/workflows/build.yml@v1 {_shas["workflows-v1"]} comment",
        ], result.Pinned.Select(p => $"{p.Path}:{p.Line}:{p.Column} {p.Uses} {p.Sha} {(p.TagKeptAsComment ? "comment" : "no-comment")}"));
        Assert.Equal(
        [
            $".github/workflows/release.yml:17:15 acme/missing@v9: no mirror {Path.Combine(_repos.Root, "acme", "missing.git")}.",
            ".github/workflows/release.yml:22:15 acme/setup-tool@v1: the value is written in a form this fixer does not rewrite (escapes or a block scalar); pin it by hand.",
        ], result.Unresolved.Select(u => $"{u.Path}:{u.Line}:{u.Column} {u.Uses}: {u.Reason}"));
    }

    [Fact]
    public void An_annotated_tag_resolves_to_its_commit_not_to_the_tag_object()
    {
        var resolver = new GitRefResolver(_repos.Root);
        var tagObject = _repos.RevParse("actions/checkout", "v4.2.2");
        var commit = resolver.Resolve("actions", "checkout", "v4.2.2");
        Assert.NotEqual(tagObject, commit);
        Assert.Equal(_shas["checkout-v4.2.2"], commit);
        Assert.Equal(commit, resolver.Resolve("actions", "checkout", "v4"));
        Assert.Equal(_repos.RevParse("actions/checkout", "main"), resolver.Resolve("actions", "checkout", "main"));
    }

    [Theory]
    [InlineData("actions", "checkout", "v9", "actions/checkout has no tag or branch 'v9'.")]
    [InlineData("actions", "checkout", "--upload-pack=touch /tmp/x", "'--upload-pack=touch /tmp/x' is not a tag or branch name git accepts.")]
    [InlineData("actions", "checkout", "a..b", "'a..b' is not a tag or branch name git accepts.")]
    [InlineData("..", "checkout", "v1", "'../checkout' is not a GitHub repository name.")]
    [InlineData("actions", "..", "v1", "'actions/..' is not a GitHub repository name.")]
    public void Refuses_unknown_refs_and_names_that_are_not_refs(string owner, string repo, string reference, string message)
    {
        var resolver = new GitRefResolver(_repos.Root);
        var e = Assert.Throws<Core.InputException>(() => resolver.Resolve(owner, repo, reference));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_file_with_nothing_to_pin_is_not_rewritten()
    {
        var text = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n";
        var path = _tree.Write(".github/workflows/ci.yml", text);
        var before = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, before.AddDays(-1));

        var result = Fix();

        Assert.Empty(result.Pinned);
        Assert.Empty(result.Unresolved);
        Assert.Equal(before.AddDays(-1), File.GetLastWriteTimeUtc(path));
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void A_step_shared_through_an_anchor_is_rewritten_once()
    {
        var path = _tree.Write(".github/workflows/ci.yml", File.ReadAllText(Audits.TestData("GitHubActions", "anchors-reused.yml")));
        var result = Fix();
        Assert.Single(result.Pinned);
        Assert.Contains($"        uses: actions/checkout@{_shas["checkout-v4.2.2"]} # v4\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _repos.Dispose();
        _tree.Dispose();
    }
}
