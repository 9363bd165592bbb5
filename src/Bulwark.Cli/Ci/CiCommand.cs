// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Output;
using Bulwark.Core;
using Bulwark.Hygiene.Workflows;
using Bulwark.Hygiene.Workflows.Fix;

namespace Bulwark.Cli.Ci;

/// `bulwark ci audit [PATH]`: audit GitHub Actions workflows and actions and GitLab CI files for supply-chain risks,
/// and with --fix pin actions to commit SHAs.
/// <remarks>
/// Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 bad arguments; 3 PATH cannot be read.
/// A CI file that cannot be parsed is a warning (listed in every format), not a failure.
/// </remarks>
internal static class CiCommand
{
    public static Command Create(CliContext context)
    {
        var common = new RuleReportCommand("ci audit", "A repository checkout (default: the current directory) or one workflow file.",
            new RuleTable(Rules.Catalogue, "No CI findings.", "CI file", "CI files"));
        var fix = new Option<bool>("--fix") { Description = "Pin every 'uses: owner/repo@tag' to the commit the tag names, keeping the tag as a comment; then audit." };
        var resolveFrom = new Option<string?>("--resolve-from") { Description = "With --fix: resolve tags in DIR/OWNER/REPO.git (bare repositories) instead of https://github.com." };

        var audit = new Command("audit", "Audit GitHub Actions workflows and actions and GitLab CI files: unpinned actions and images, token permissions, untrusted checkouts, script injection, and more.");
        common.AddTo(audit);
        audit.Options.Add(fix);
        audit.Options.Add(resolveFrom);
        audit.SetAction((parse, ct) => RunAsync(context, common, common.Read(parse), parse.GetValue(fix), parse.GetValue(resolveFrom), ct));
        return new Command("ci", "Check CI pipeline definitions.") { audit };
    }

    private static async Task<int> RunAsync(CliContext context, RuleReportCommand common, RuleReportRequest request, bool fix, string? resolveFrom,
        CancellationToken ct)
    {
        if (resolveFrom is not null && !fix)
            throw new UsageException("--resolve-from only applies with --fix. Add --fix or drop --resolve-from.");
        var report = WorkflowAudit.Run(request.Path, ct);
        if (fix)
        {
            var resolver = new GitRefResolver(resolveFrom);
            var result = PinFixer.Run(report, a => resolver.Resolve(a.Owner, a.Repo, a.Ref), ct);
            foreach (var p in result.Pinned)
                await context.Stderr.WriteLineAsync($"pinned {p.Path}:{p.Line}:{p.Column} {p.Uses} -> {p.Sha}{(p.TagKeptAsComment ? "" : " (no room for the tag comment on this line)")}").ConfigureAwait(false);
            foreach (var u in result.Unresolved)
                await context.Stderr.WriteLineAsync($"bulwark: warning: not pinned {u.Path}:{u.Line}:{u.Column} {u.Uses}: {u.Reason}").ConfigureAwait(false);
            if (!request.Quiet)
                await context.Stderr.WriteLineAsync($"--fix: {result.Pinned.Count} pinned, {result.Unresolved.Count} not pinned.").ConfigureAwait(false);
            // what is left after the rewrite is what the report and the gate describe
            report = WorkflowAudit.Run(request.Path, ct);
        }
        return await common.FinishAsync(context, request, report).ConfigureAwait(false);
    }
}
