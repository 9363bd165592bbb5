// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Hygiene.Secrets;
using Bulwark.Hygiene.Secrets.History;

namespace Bulwark.Cli.Secrets;

/// `bulwark secrets [PATH]`: find credentials in the working tree (or, with --history/--since/--staged, in the git
/// repository's commits or index); report them redacted; gate on new ones.
/// <remarks>
/// Exit codes: 0 no finding outside the baseline (or --write-baseline); 1 at least one new finding; 2 bad arguments;
/// 3 PATH, the config file or the baseline cannot be used.
/// </remarks>
internal static class SecretsCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("PATH") { Description = "The directory (or one file) to scan (default: the current directory).", DefaultValueFactory = _ => "." };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table (default), json, sarif.", DefaultValueFactory = _ => "table" };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();
        var baseline = new Option<string?>("--baseline") { Description = "Findings acknowledged in this file (written by --write-baseline) are reported as baselined and do not fail the run." };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Write every finding's fingerprint to FILE (acknowledging them all) and exit 0." };
        var redact = new Option<bool>("--redact") { Description = "Show only the first 4 characters of each secret (default true; --redact=false shows them whole).", DefaultValueFactory = _ => true };
        var config = new Option<string?>("--config") { Description = "Allowlist file (default: PATH/.bulwark/secrets.yaml when it exists)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out paths matching this glob (relative to PATH). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var maxFileSize = new Option<string>("--max-file-size") { Description = "Skip (and report) files larger than this: bytes or a size such as 512K, 10M (default 10M).", DefaultValueFactory = _ => "10M" };
        var listRules = new Option<bool>("--list-rules") { Description = "List the rules (id and description) and exit." };
        var history = new Option<bool>("--history") { Description = "Scan every commit reachable from all refs of the git repository at PATH instead of the files (each finding at the commit that introduced it)." };
        var since = new Option<string?>("--since") { Description = "Scan only the commits not reachable from REV (REV..all refs), e.g. --since origin/main.", HelpName = "REV" };
        var staged = new Option<bool>("--staged") { Description = "Scan the staged (index) content of the files that differ from HEAD, for a pre-commit hook." };

        var command = new Command("secrets", "Find credentials (tokens, keys, passwords) in a directory; exit 1 when one is not in the baseline.")
        {
            path, format, output, quiet, baseline, writeBaseline, redact, config, exclude, maxFileSize, listRules, history, since, staged,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(listRules)) return ListRulesAsync(context);
            return RunAsync(context, new SecretsRequest(
                parse.GetValue(path) ?? ".",
                ParseFormat(parse.GetValue(format) ?? "table"),
                parse.GetValue(output),
                parse.GetValue(quiet),
                parse.GetValue(baseline),
                parse.GetValue(writeBaseline),
                parse.GetValue(redact),
                parse.GetValue(config),
                parse.GetValue(exclude) ?? [],
                ParseSize(parse.GetValue(maxFileSize) ?? "10M"),
                ParseSource(parse.GetValue(history), parse.GetValue(since), parse.GetValue(staged)),
                parse.GetValue(since)), ct);
        });
        return command;
    }

    internal enum SecretsFormat { Table, Json, Sarif }

    internal sealed record SecretsRequest(string Path, SecretsFormat Format, string? Output, bool Quiet, string? Baseline, string? WriteBaseline,
        bool Redact, string? Config, string[] Excludes, long MaxFileSize, SecretsSource Source = SecretsSource.Files, string? Since = null);

    /// What is scanned: the files under PATH, the commits of its repository, or its staged content.
    internal enum SecretsSource { Files, History, Staged }

    internal static SecretsSource ParseSource(bool history, string? since, bool staged)
    {
        if (staged && (history || since is not null))
            throw new UsageException("--staged scans the index, --history and --since scan commits: use one of them.");
        return staged ? SecretsSource.Staged : history || since is not null ? SecretsSource.History : SecretsSource.Files;
    }

    internal static SecretsFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => SecretsFormat.Table,
        "json" => SecretsFormat.Json,
        "sarif" => SecretsFormat.Sarif,
        _ => throw new UsageException($"--format '{text}' is not a secrets format: use table, json or sarif."),
    };

    /// "1048576", "512K", "10M", "1G" (binary multiples).
    internal static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant().TrimEnd('B').TrimEnd('I');
        var (digits, shift) = t.Length > 0 && t[^1] is 'K' or 'M' or 'G' ? (t[..^1], t[^1] switch { 'K' => 10, 'M' => 20, _ => 30 }) : (t, 0);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > (1L << 40) >> shift)
            throw new UsageException($"--max-file-size '{text}' is not a size: write bytes or a number with K, M or G, e.g. 10M.");
        return n << shift;
    }

    private static async Task<int> ListRulesAsync(CliContext context)
    {
        await using var writer = new StreamWriter(context.Stdout, new UTF8Encoding(false), leaveOpen: true);
        var width = SecretRules.BuiltIn.Max(r => r.Id.Length);
        foreach (var rule in SecretRules.BuiltIn)
            await writer.WriteLineAsync($"{rule.Id.PadRight(width)}  {rule.Description}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunAsync(CliContext context, SecretsRequest request, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        // a single file (a pre-commit hook passing changed files) is scanned as a tree of one, named relative to its directory
        var isFile = File.Exists(request.Path);
        if (!isFile && !Directory.Exists(request.Path))
            throw new InputException($"Cannot scan {request.Path}: no such file or directory.");
        var root = isFile ? Path.GetDirectoryName(Path.GetFullPath(request.Path))! : Path.GetFullPath(request.Path);

        var ruleIds = SecretRules.BuiltIn.Select(r => r.Id).ToList();
        var configPath = request.Config ?? SecretsConfig.Find(root);
        var allow = configPath is null ? SecretAllowlist.Empty : SecretsConfig.Load(configPath, ruleIds);
        var baseline = request.Baseline is null ? SecretBaseline.Empty : SecretBaseline.Load(request.Baseline);
        List<Glob> excludes;
        try
        {
            excludes = [.. request.Excludes.Select(e => new Glob(e))];
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--exclude: {e.Message}", e);
        }

        var scanner = new SecretScanner(SecretRules.BuiltIn, allow);
        var options = new SecretScanOptions { MaxFileSize = request.MaxFileSize };
        SecretScanResult result;
        int? commits = null;
        if (request.Source == SecretsSource.Files)
        {
            var tree = isFile ? DirectoryFileTree.ForSingleFile(request.Path) : new DirectoryFileTree(root, excludes);
            result = WorkingTreeScan.Scan(tree, scanner, allow, options, ct);
        }
        else
        {
            if (isFile) throw new UsageException($"--history, --since and --staged scan a repository: {request.Path} is a file; give the repository's directory.");
            var h = request.Source == SecretsSource.Staged
                ? HistoryScan.ScanStaged(root, scanner, allow, options, excludes, ct)
                : HistoryScan.ScanCommits(root, request.Since, scanner, allow, options, excludes, ct);
            result = new SecretScanResult(h.Findings, h.Skipped, h.BlobsScanned, h.BinaryBlobs, h.BytesScanned);
            if (request.Source == SecretsSource.History) commits = h.Commits;
        }

        if (request.WriteBaseline is { } baselineOut)
        {
            await OutputTarget.WriteAsync(baselineOut, context.Stdout, s =>
            {
                SecretBaseline.Write(result.Findings, s);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            if (!request.Quiet)
                await context.Stderr.WriteLineAsync($"bulwark: wrote {result.Findings.Length} finding(s) to the baseline {baselineOut}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var report = new SecretReport
        {
            Target = request.Path,
            Findings = [.. result.Findings.Where(f => !baseline.Contains(f))],
            Baselined = [.. result.Findings.Where(baseline.Contains)],
            Skipped = result.Skipped,
            FilesScanned = result.FilesScanned,
            BinaryFiles = result.BinaryFiles,
            BytesScanned = result.BytesScanned,
            ToolVersion = BulwarkVersion.Current,
            Redact = request.Redact,
            CommitsScanned = commits,
        };

        await OutputTarget.WriteAsync(request.Output, context.Stdout, s =>
        {
            switch (request.Format)
            {
                case SecretsFormat.Json: report.WriteJson(s); break;
                case SecretsFormat.Sarif: SecretSarifReport.Write(report, s); break;
                default: SecretsTable.Render(report, s); break;
            }
            return Task.CompletedTask;
        }).ConfigureAwait(false);

        if (!request.Quiet)
        {
            foreach (var skipped in report.Skipped)
                await context.Stderr.WriteLineAsync($"bulwark: skipped {skipped.Path}: {skipped.Reason}").ConfigureAwait(false);
            await context.Stderr.WriteLineAsync($"bulwark: {SecretsTable.Summary(report, stopwatch.Elapsed)}").ConfigureAwait(false);
        }
        return report.Findings.IsEmpty ? ExitCodes.Ok : ExitCodes.GateFailed;
    }
}
