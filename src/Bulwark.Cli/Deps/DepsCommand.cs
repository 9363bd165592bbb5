// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Hygiene.Dependencies;
using Bulwark.Hygiene.Dependencies.Reports;

namespace Bulwark.Cli.Deps;

/// `bulwark deps check [PATH]`: lockfile hygiene of a source tree: manifests without lockfiles, stale lockfiles,
/// dependencies from git, URLs and outside paths, floating versions, npm install scripts, registries nobody allowed.
/// <remarks>
/// Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 bad arguments; 3 PATH or the config cannot be read.
/// A manifest or lockfile that cannot be parsed is a warning (listed in every format), not a failure.
/// </remarks>
internal static class DepsCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("PATH") { Description = "A source checkout (default: the current directory).", DefaultValueFactory = _ => "." };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table (default), json, sarif.", DefaultValueFactory = _ => "table" };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding at or above this severity exists: low (default: any finding), medium, high, critical.",
            DefaultValueFactory = _ => "low",
        };
        var registry = new Option<string[]>("--registry")
        {
            Description = "Allow packages from this registry URL besides each ecosystem's public one (npm, PyPI, NuGet, crates.io, RubyGems, Packagist). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var config = new Option<string?>("--config") { Description = "Config file with allowed registries and disabled rules (default: PATH/.bulwark/deps.yaml when it exists)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out paths matching this glob (relative to PATH). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var listRules = new Option<bool>("--list-rules") { Description = "List the rules (id, severity, title) and exit." };

        var check = new Command("check", "Check dependency manifests and lockfiles: missing or stale lockfiles, git/URL/path dependencies, floating versions, install scripts, unapproved registries.")
        {
            path, format, output, quiet, failOn, registry, config, exclude, listRules,
        };
        check.SetAction((parse, ct) =>
        {
            if (parse.GetValue(listRules)) return ListRulesAsync(context);
            return RunAsync(context, new CheckRequest(
                parse.GetRequiredValue(path), ParseFormat(parse.GetValue(format) ?? "table"), parse.GetValue(output), parse.GetValue(quiet),
                ParseSeverity(parse.GetValue(failOn) ?? "low"), parse.GetValue(registry) ?? [], parse.GetValue(config), parse.GetValue(exclude) ?? []), ct);
        });
        return new Command("deps", "Check how dependencies are declared, locked and fetched.") { check };
    }

    internal enum CheckFormat
    {
        Table,
        Json,
        Sarif,
    }

    private sealed record CheckRequest(string Path, CheckFormat Format, string? Output, bool Quiet, Severity FailOn, string[] Registries, string? Config, string[] Excludes);

    private static CheckFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => CheckFormat.Table,
        "json" => CheckFormat.Json,
        "sarif" => CheckFormat.Sarif,
        _ => throw new UsageException($"--format '{text}' is not a deps check format: use table, json or sarif."),
    };

    private static Severity ParseSeverity(string text) => text.ToLowerInvariant() switch
    {
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new UsageException($"--fail-on '{text}' is not a severity: use low, medium, high or critical."),
    };

    private static async Task<int> ListRulesAsync(CliContext context)
    {
        await using var writer = new StreamWriter(context.Stdout, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var rule in DependencyRules.All)
            await writer.WriteLineAsync($"{rule.Id}  {DepsJson.Name(rule.Severity),-8}  {rule.Title}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunAsync(CliContext context, CheckRequest request, CancellationToken ct)
    {
        foreach (var url in request.Registries)
        {
            if (Registries.Parse(url) is null)
                throw new UsageException($"--registry '{url}' is not an absolute http(s) URL, e.g. https://npm.example.internal/.");
        }
        List<Glob> excludes;
        try
        {
            excludes = [.. request.Excludes.Select(e => new Glob(e))];
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--exclude: {e.Message}", e);
        }
        var root = Path.GetFullPath(request.Path);
        if (!Directory.Exists(root))
            throw new InputException(File.Exists(root)
                ? $"Cannot check {request.Path}: it is a file. Give the directory that holds the manifests and lockfiles."
                : $"Cannot check {request.Path}: no such directory. Give a source checkout.");
        var configPath = request.Config ?? DepsConfig.Find(root);
        var config = configPath is null ? DepsConfig.Empty : DepsConfig.Load(configPath);
        var registries = config.Registries.Concat(request.Registries).Distinct(StringComparer.Ordinal).ToList();

        var report = DependencyCheck.Run(root, new DependencyCheckOptions(registries, excludes, config.DisabledRules), ct);
        if (!request.Quiet)
            foreach (var u in report.Unreadable)
                await context.Stderr.WriteLineAsync($"bulwark: warning: {u.Path}: not checked: {u.Reason}").ConfigureAwait(false);

        await OutputTarget.WriteAsync(request.Output, context.Stdout, async stream =>
        {
            switch (request.Format)
            {
                case CheckFormat.Json: DepsJson.Write(report, request.Path, BulwarkVersion.Current, registries, stream); break;
                case CheckFormat.Sarif: DepsSarif.Write(report, BulwarkVersion.Current, stream); break;
                default:
                    await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
                        DepsTable.Render(report, writer);
                    break;
            }
        }).ConfigureAwait(false);

        var failing = report.Findings.Count(f => f.Rule.Severity >= request.FailOn);
        if (!request.Quiet && request.Format != CheckFormat.Table)
            await context.Stderr.WriteLineAsync(DepsTable.Summary(report)).ConfigureAwait(false);
        return failing > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
    }
}
