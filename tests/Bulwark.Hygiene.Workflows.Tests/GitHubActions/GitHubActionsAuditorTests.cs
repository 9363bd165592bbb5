// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;
using static Bulwark.Hygiene.Workflows.WorkflowAudit;

namespace Bulwark.Hygiene.Workflows.Tests.GitHubActions;

public class GitHubActionsAuditorTests
{
    private static string[] Workflow(string name) => Audits.Positions("GitHubActions", name, FileKind.GitHubWorkflow);
    private static string[] Action(string name) => Audits.Positions("GitHubActions", name, FileKind.GitHubAction);

    [Fact]
    public void Finds_unpinned_actions_and_images_a_missing_permissions_block_and_a_download_piped_to_a_shell()
    {
        Assert.Equal(
        [
            "1:1 BW-GHA-003",   // no top-level permissions
            "9:16 BW-GHA-002",  // container: node:20-bookworm
            "12:16 BW-GHA-002", // service postgres:16
            "16:15 BW-GHA-001", // actions/checkout@v4
            "17:15 BW-GHA-001", // actions/setup-node@main
            "21:15 BW-GHA-002", // docker://alpine:3.20
            "28:14 BW-GHA-010", // curl … | sh
        ], Workflow("unpinned-ci.yml"));
    }

    [Fact]
    public void A_workflow_pinned_by_sha_and_digest_with_read_only_permissions_and_env_passed_values_has_no_findings()
    {
        // also: a local action, a self-hosted runner on push only, job-level write scopes, a reusable workflow by SHA,
        // explicit secrets, a checked download, setup-node's cache on a push trigger, a non-attacker expression
        Assert.Empty(Workflow("pinned-ci.yml"));
    }

    [Fact]
    public void A_pull_request_target_workflow_that_runs_the_contributors_code_is_reported_on_every_count()
    {
        Assert.Equal(
        [
            "5:14 BW-GHA-004",  // permissions: write-all
            "8:15 BW-GHA-009",  // self-hosted on pull_request_target
            "12:16 BW-GHA-006", // ref: the pull request head
            "13:15 BW-GHA-011", // setup-node with cache: npm
            "16:28 BW-GHA-007", // the pull request title in run:
            "18:11 BW-GHA-001", // reusable workflow @v2
            "19:14 BW-GHA-008", // secrets: inherit
        ], Workflow("pr-target.yml"));
    }

    [Fact]
    public void A_pull_request_target_workflow_that_checks_out_the_base_and_passes_the_title_through_env_is_clean()
    {
        Assert.Empty(Workflow("pr-target-safe.yml"));
    }

    [Fact]
    public void A_comment_body_in_github_script_and_a_cache_on_issue_comment_are_reported_but_not_through_env()
    {
        Assert.Equal(
        [
            "3:13 BW-GHA-005",  // contents: write for every job
            "12:27 BW-GHA-007", // the comment body inside script:
            "14:15 BW-GHA-011", // actions/cache on issue_comment
        ], Workflow("issue-comment.yml"));
    }

    [Fact]
    public void A_workflow_run_workflow_checking_out_the_triggering_head_is_reported_at_each_value()
    {
        Assert.Equal(
        [
            "13:23 BW-GHA-006", // repository: the head repository
            "14:16 BW-GHA-006", // ref: the head SHA
            "15:27 BW-GHA-007", // the head branch name in run:
        ], Workflow("workflow-run.yml"));
    }

    [Fact]
    public void Composite_action_steps_are_audited_like_workflow_steps()
    {
        Assert.Equal(["6:13 BW-GHA-001", "7:36 BW-GHA-007"], Action("composite-action.yml"));
    }

    [Fact]
    public void A_docker_action_image_needs_a_digest()
    {
        Assert.Equal(["5:10 BW-GHA-002"], Action("docker-action.yml"));
        Assert.Empty(Action("docker-action-pinned.yml"));
    }

    [Fact]
    public void A_step_reused_through_an_anchor_is_reported_once_where_it_is_written()
    {
        Assert.Equal(["8:15 BW-GHA-001"], Workflow("anchors-reused.yml"));
    }

    [Fact]
    public void A_finding_carries_its_rule_and_a_message_naming_what_was_found()
    {
        var finding = Audits.Findings("GitHubActions", "pr-target.yml", FileKind.GitHubWorkflow).Single(f => f.Rule.Id == "BW-GHA-007");
        Assert.Equal(Severity.High, finding.Rule.Severity);
        Assert.Equal("'github.event.pull_request.title' is written into run: text; whoever opens the issue, pull request or comment controls it.", finding.Message);
        Assert.Contains("environment variable", finding.Rule.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_all_on_a_job_is_reported_but_read_all_and_job_level_scopes_are_not()
    {
        var file = YamlFile.Load("""
            on: push
            permissions: read-all
            jobs:
              release:
                runs-on: ubuntu-latest
                permissions: write-all
                steps: [{run: make}]
              docs:
                runs-on: ubuntu-latest
                permissions:
                  pages: write
                steps: [{run: make docs}]
            """u8.ToArray());
        var findings = new List<Finding>();
        WorkflowAudit.AuditFile("ci.yml", FileKind.GitHubWorkflow, file, findings);
        Assert.Equal(["6:18 BW-GHA-004 The job grants every scope write access."], findings.Select(f => $"{f.Line}:{f.Column} {f.Rule.Id} {f.Message}"));
    }

    [Theory]
    [InlineData("actions/checkout@v4", "actions", "checkout", null, "v4", false)]
    [InlineData("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions", "checkout", null, "11bd71901bbe5b1630ceea73d27597364c9af683", true)]
    [InlineData("github/codeql-action/init@v3", "github", "codeql-action", "init", "v3", false)]
    [InlineData("octo/shared/.github/workflows/x.yml@main", "octo", "shared", ".github/workflows/x.yml", "main", false)]
    [InlineData("actions/checkout@11BD71901BBE5B1630CEEA73D27597364C9AF683", "actions", "checkout", null, "11BD71901BBE5B1630CEEA73D27597364C9AF683", false)]
    public void Parses_remote_uses_values(string value, string owner, string repo, string? subpath, string reference, bool pinned)
    {
        var a = GitHubActionsAction(value);
        Assert.Equal((owner, repo, subpath, reference, pinned), (a.Owner, a.Repo, a.Subpath, a.Ref, a.IsPinned));
    }

    [Theory]
    [InlineData("./.github/actions/build")]
    [InlineData("docker://alpine:3")]
    [InlineData("${{ matrix.action }}")]
    [InlineData("actions/checkout")]
    [InlineData("checkout@v4")]
    public void Local_docker_expression_and_malformed_uses_values_are_not_remote_references(string value)
    {
        Assert.Null(Workflows.GitHubActions.ActionReference.TryParse(value));
    }

    private static Workflows.GitHubActions.ActionReference GitHubActionsAction(string value) =>
        Workflows.GitHubActions.ActionReference.TryParse(value) ?? throw new InvalidOperationException(value);
}
