// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Hygiene.Findings;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Hygiene.Workflows.GitHubActions;

/// The GitHub Actions rules, over a workflow (.github/workflows/*.yml) or an action (action.yml: composite steps,
/// a Docker action's image).
internal static partial class GitHubActionsAuditor
{
    /// Triggers anyone can fire from outside the repository (a fork's pull request, a comment, an issue).
    private static readonly HashSet<string> PublicTriggers = new(StringComparer.Ordinal)
    {
        "pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment", "issue_comment",
        "issues", "discussion", "discussion_comment", "fork", "watch",
    };

    /// Triggers that run with the base repository's secrets and a write token while handling outside input.
    private static readonly HashSet<string> PrivilegedTriggers = new(StringComparer.Ordinal) { "pull_request_target", "workflow_run", "issue_comment" };

    public static void AuditWorkflow(string path, YamlFile file, List<Finding> findings)
    {
        if (file.Root is not YamlMappingNode root) return;
        var ctx = new Context(path, file, findings);
        var triggers = Triggers(root.Child("on"));

        var permissions = root.Child("permissions");
        if (permissions is null)
            ctx.Add(Rules.MissingPermissions, root, "The workflow has no top-level 'permissions:' block, so every job gets the default token scopes.");
        else
            CheckPermissions(ctx, permissions, workflowLevel: true);

        foreach (var (jobId, job) in root.Child("jobs").Entries())
        {
            var id = jobId.Text() ?? "?";
            if (job.Child("permissions") is { } jobPermissions) CheckPermissions(ctx, jobPermissions, workflowLevel: false);
            if (job.Child("uses") is YamlScalarNode called) CheckUses(ctx, called);
            if (job.Child("secrets") is YamlScalarNode { Value: "inherit" } inherit)
                ctx.Add(Rules.SecretsInherit, inherit, $"Job '{id}' passes every secret to the called workflow.");
            CheckRunner(ctx, id, job.Child("runs-on"), triggers);
            CheckImage(ctx, Image(job.Child("container")), $"Job '{id}' runs in a container");
            foreach (var (name, service) in job.Child("services").Entries())
                CheckImage(ctx, Image(service), $"Job '{id}' starts service '{name.Text()}'");
            foreach (var step in job.Child("steps").Items()) CheckStep(ctx, step, triggers);
        }
    }

    public static void AuditAction(string path, YamlFile file, List<Finding> findings)
    {
        if (file.Root is not YamlMappingNode root) return;
        var ctx = new Context(path, file, findings);
        var runs = root.Child("runs");
        foreach (var step in runs.Child("steps").Items()) CheckStep(ctx, step, []);
        // runs.using: docker with a prebuilt image; a Dockerfile path is built from the action's own repository
        if (runs.Child("image") is YamlScalarNode image && (image.Value ?? "").StartsWith("docker://", StringComparison.Ordinal))
            CheckImage(ctx, image, "The Docker action runs");
    }

    private sealed record Context(string Path, YamlFile File, List<Finding> Findings)
    {
        public void Add(Rule rule, YamlNode node, string message) =>
            Findings.Add(new Finding(rule, Path, (int)node.Start.Line, (int)node.Start.Column, message));

        public void Add(Rule rule, (int Line, int Column) at, string message) =>
            Findings.Add(new Finding(rule, Path, at.Line, at.Column, message));
    }

    /// `on: push`, `on: [push, pull_request]` or `on: {push: …}`.
    private static HashSet<string> Triggers(YamlNode? on)
    {
        var names = on switch
        {
            YamlScalarNode s => [s.Value ?? ""],
            YamlSequenceNode seq => seq.Children.Select(c => c.Text() ?? ""),
            YamlMappingNode map => map.Children.Keys.Select(k => k.Text() ?? ""),
            _ => [],
        };
        return new HashSet<string>(names, StringComparer.Ordinal);
    }

    private static void CheckPermissions(Context ctx, YamlNode permissions, bool workflowLevel)
    {
        if (permissions is YamlScalarNode { Value: "write-all" } all)
        {
            ctx.Add(Rules.WriteAll, all, workflowLevel ? "The workflow grants every scope write access to every job." : "The job grants every scope write access.");
            return;
        }
        if (!workflowLevel) return;
        foreach (var (scope, level) in permissions.Entries())
            if (level is YamlScalarNode { Value: "write" })
                ctx.Add(Rules.WorkflowWideWrite, level, $"'{scope.Text()}: write' at the top level applies to every job.");
    }

    private static void CheckUses(Context ctx, YamlScalarNode uses)
    {
        var value = (uses.Value ?? "").Trim();
        if (value.StartsWith("docker://", StringComparison.Ordinal))
        {
            CheckImage(ctx, uses, "The step runs");
            return;
        }
        if (ActionReference.TryParse(value) is { IsPinned: false } action)
            ctx.Add(Rules.UnpinnedAction, uses, $"{action.Repository}{(action.Subpath is null ? "" : "/" + action.Subpath)} is used at '{action.Ref}', not at a commit SHA.");
    }

    /// `container: node:20` or `container: {image: node:20}`; a service is always the mapping form.
    private static YamlScalarNode? Image(YamlNode? node) => node switch
    {
        YamlScalarNode s => s,
        YamlMappingNode m => m.Child("image") as YamlScalarNode,
        _ => null,
    };

    private static void CheckImage(Context ctx, YamlScalarNode? image, string what)
    {
        var value = (image?.Value ?? "").Trim();
        // an expression is chosen at run time (often from a matrix); nothing to judge here
        if (image is null || value.Length == 0 || value.Contains("${{", StringComparison.Ordinal)) return;
        if (!ImageReference.IsPinned(value))
            ctx.Add(Rules.UnpinnedImage, image, $"{what} from image '{value}', which is not pinned by digest.");
    }

    private static void CheckRunner(Context ctx, string jobId, YamlNode? runsOn, HashSet<string> triggers)
    {
        var labels = runsOn switch
        {
            YamlScalarNode s => [s],
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>(),
            YamlMappingNode map => map.Child("labels") switch
            {
                YamlScalarNode l => [l],
                YamlSequenceNode l => l.Children.OfType<YamlScalarNode>(),
                _ => [],
            },
            _ => Enumerable.Empty<YamlScalarNode>(),
        };
        var selfHosted = labels.FirstOrDefault(l => string.Equals(l.Value?.Trim(), "self-hosted", StringComparison.OrdinalIgnoreCase));
        var publicTrigger = triggers.Where(PublicTriggers.Contains).Order(StringComparer.Ordinal).FirstOrDefault();
        if (selfHosted is not null && publicTrigger is not null)
            ctx.Add(Rules.SelfHostedOnPublicTrigger, selfHosted, $"Job '{jobId}' runs on a self-hosted runner and the workflow runs on '{publicTrigger}'.");
    }

    private static void CheckStep(Context ctx, YamlNode step, HashSet<string> triggers)
    {
        var uses = step.Child("uses") as YamlScalarNode;
        var action = ActionReference.TryParse(uses?.Value);
        if (uses is not null) CheckUses(ctx, uses);

        if (step.Child("run") is YamlScalarNode run)
        {
            CheckInjection(ctx, run, "run:");
            foreach (Match m in PipeToShellPattern().Matches(run.Value ?? ""))
                ctx.Add(Rules.PipeToShell, ctx.File.Locate(run, m.Value), $"'{m.Value.Trim()}' runs a download without checking it.");
        }
        var with = step.Child("with");
        if (action is not null && action.Repository.Equals("actions/github-script", StringComparison.OrdinalIgnoreCase)
            && with.Child("script") is YamlScalarNode script)
            CheckInjection(ctx, script, "github-script's script:");

        var privileged = triggers.Where(PrivilegedTriggers.Contains).Order(StringComparer.Ordinal).FirstOrDefault();
        if (action is null || privileged is null) return;
        if (action.Repository.Equals("actions/checkout", StringComparison.OrdinalIgnoreCase) && privileged != "issue_comment")
        {
            foreach (var key in (string[])["ref", "repository"])
                if (with.Child(key) is YamlScalarNode value && UntrustedRefPattern().IsMatch(value.Value ?? ""))
                    ctx.Add(Rules.UntrustedCheckout, value,
                        $"actions/checkout '{key}: {value.Value}' checks out the contributor's code in a '{privileged}' workflow.");
        }
        var isCache = action.Repository.Equals("actions/cache", StringComparison.OrdinalIgnoreCase);
        var setupWithCache = action.Repo.StartsWith("setup-", StringComparison.OrdinalIgnoreCase)
            && with.Child("cache") is YamlScalarNode { Value: { Length: > 0 } c } && c != "false";
        if (isCache || setupWithCache)
            ctx.Add(Rules.PrivilegedCache, uses!, $"{action.Repository}{(action.Subpath is null ? "" : "/" + action.Subpath)} uses the shared cache in a '{privileged}' workflow.");
    }

    private static void CheckInjection(Context ctx, YamlScalarNode script, string where)
    {
        foreach (Match expression in ExpressionPattern().Matches(script.Value ?? ""))
        {
            if (AttackerControlledPattern().Match(expression.Value) is not { Success: true } field) continue;
            ctx.Add(Rules.ExpressionInjection, ctx.File.Locate(script, expression.Value),
                $"'{field.Value}' is written into {where} text; whoever opens the issue, pull request or comment controls it.");
        }
    }

    [GeneratedRegex(@"\$\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex ExpressionPattern();

    /// Fields of the event payload (and contexts) an outside contributor writes: titles, bodies, branch names,
    /// commit messages, author names and emails, page names.
    [GeneratedRegex(@"\bgithub\.(?:head_ref\b|event\.(?:" +
        @"(?:issue|pull_request|discussion)\.(?:title|body)\b" +
        @"|(?:comment|review|review_comment|discussion_comment)\.body\b" +
        @"|pull_request\.head\.(?:ref|label)\b|pull_request\.head\.repo\.default_branch\b" +
        @"|pages(?:\[[^\]]*\]|\.\*)?\.page_name\b" +
        @"|(?:commits(?:\[[^\]]*\]|\.\*)?|head_commit|workflow_run\.head_commit)\.(?:message|author\.(?:name|email)|committer\.(?:name|email))\b" +
        @"|workflow_run\.(?:head_branch|display_title)\b" +
        @"))")]
    private static partial Regex AttackerControlledPattern();

    /// The contributor's head in a privileged workflow's checkout.
    [GeneratedRegex(@"github\.(?:head_ref\b|event\.(?:pull_request\.head\.(?:sha|ref|repo\.full_name)|workflow_run\.(?:head_sha|head_branch|head_repository\.full_name))\b)|refs/pull/")]
    private static partial Regex UntrustedRefPattern();

    [GeneratedRegex(@"\b(?:curl|wget)\b[^|\n;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:ba|z|da|k)?sh\b")]
    private static partial Regex PipeToShellPattern();
}
