// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Hygiene.Workflows;
using Bulwark.Hygiene.Workflows.Fix;
using Bulwark.Hygiene.Workflows.Reports;

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
        var path = new Argument<string>("PATH") { Description = "A repository checkout (default: the current directory) or one workflow file.", DefaultValueFactory = _ => "." };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table (default), json, sarif.", DefaultValueFactory = _ => "table" };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding at or above this severity exists: low (default: any finding), medium, high, critical.",
            DefaultValueFactory = _ => "low",
        };
        var fix = new Option<bool>("--fix") { Description = "Pin every 'uses: owner/repo@tag' to the commit the tag names, keeping the tag as a comment; then audit." };
        var resolveFrom = new Option<string?>("--resolve-from") { Description = "With --fix: resolve tags in DIR/OWNER/REPO.git (bare repositories) instead of https://github.com." };

        var audit = new Command("audit", "Audit GitHub Actions workflows and actions and GitLab CI files: unpinned actions and images, token permissions, untrusted checkouts, script injection, and more.")
        {
            path, format, output, quiet, failOn, fix, resolveFrom,
        };
        audit.SetAction((parse, ct) => RunAsync(context, new AuditRequest(
            parse.GetRequiredValue(path), ParseFormat(parse.GetValue(format) ?? "table"), parse.GetValue(output), parse.GetValue(quiet),
            ParseSeverity(parse.GetValue(failOn) ?? "low"), parse.GetValue(fix), parse.GetValue(resolveFrom)), ct));
        return new Command("ci", "Check CI pipeline definitions.") { audit };
    }

    internal enum AuditFormat
    {
        Table,
        Json,
        Sarif,
    }

    private sealed record AuditRequest(string Path, AuditFormat Format, string? Output, bool Quiet, Severity FailOn, bool Fix, string? ResolveFrom);

    private static AuditFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => AuditFormat.Table,
        "json" => AuditFormat.Json,
        "sarif" => AuditFormat.Sarif,
        _ => throw new UsageException($"--format '{text}' is not a ci audit format: use table, json or sarif."),
    };

    private static Severity ParseSeverity(string text) => text.ToLowerInvariant() switch
    {
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new UsageException($"--fail-on '{text}' is not a severity: use low, medium, high or critical."),
    };

    private static async Task<int> RunAsync(CliContext context, AuditRequest request, CancellationToken ct)
    {
        if (request.ResolveFrom is not null && !request.Fix)
            throw new UsageException("--resolve-from only applies with --fix. Add --fix or drop --resolve-from.");
        var report = WorkflowAudit.Run(request.Path, ct);
        if (request.Fix)
        {
            var resolver = new GitRefResolver(request.ResolveFrom);
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
        if (!request.Quiet)
            foreach (var u in report.Unreadable)
                await context.Stderr.WriteLineAsync($"bulwark: warning: {u.Path}: not audited: {u.Reason}").ConfigureAwait(false);

        await OutputTarget.WriteAsync(request.Output, context.Stdout, async stream =>
        {
            switch (request.Format)
            {
                case AuditFormat.Json: AuditJson.Write(report, request.Path, BulwarkVersion.Current, stream); break;
                case AuditFormat.Sarif: AuditSarif.Write(report, BulwarkVersion.Current, stream); break;
                default:
                    await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
                        AuditTable.Render(report, writer);
                    break;
            }
        }).ConfigureAwait(false);

        var failing = report.Findings.Count(f => f.Rule.Severity >= request.FailOn);
        if (!request.Quiet && request.Format != AuditFormat.Table)
            await context.Stderr.WriteLineAsync(AuditTable.Summary(report)).ConfigureAwait(false);
        return failing > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
    }
}
