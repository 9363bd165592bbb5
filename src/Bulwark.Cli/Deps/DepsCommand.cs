// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cli.Output;
using Bulwark.Core;
using Bulwark.Hygiene.Dependencies;
using Bulwark.Hygiene.Findings;

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
        var common = new RuleReportCommand("deps check", "A source checkout (default: the current directory).",
            new RuleTable(DependencyRules.Catalogue, "No dependency findings.", "manifest or lockfile", "manifests and lockfiles"));
        var registry = new Option<string[]>("--registry")
        {
            Description = "Allow packages from this registry URL besides each ecosystem's public one (npm, PyPI, NuGet, crates.io, RubyGems, Packagist). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var config = new Option<string?>("--config") { Description = "Config file with allowed registries and disabled rules (default: PATH/.bulwark/deps.yaml when it exists)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave out paths matching this glob (relative to PATH). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var listRules = new Option<bool>("--list-rules") { Description = "List the rules (id, severity, title) and exit." };

        var check = new Command("check", "Check dependency manifests and lockfiles: missing or stale lockfiles, git/URL/path dependencies, floating versions, install scripts, unapproved registries.");
        common.AddTo(check);
        check.Options.Add(registry);
        check.Options.Add(config);
        check.Options.Add(exclude);
        check.Options.Add(listRules);
        check.SetAction((parse, ct) =>
        {
            if (parse.GetValue(listRules)) return ListRulesAsync(context);
            return RunAsync(context, common, common.Read(parse), new CheckOptions(parse.GetValue(registry) ?? [], parse.GetValue(config), parse.GetValue(exclude) ?? []), ct);
        });
        return new Command("deps", "Check how dependencies are declared, locked and fetched.") { check };
    }

    private sealed record CheckOptions(string[] Registries, string? Config, string[] Excludes);

    private static async Task<int> ListRulesAsync(CliContext context)
    {
        await using var writer = new StreamWriter(context.Stdout, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var rule in DependencyRules.All)
            await writer.WriteLineAsync($"{rule.Id}  {Severities.Name(rule.Severity),-8}  {rule.Title}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunAsync(CliContext context, RuleReportCommand common, RuleReportRequest request, CheckOptions options, CancellationToken ct)
    {
        foreach (var url in options.Registries)
        {
            if (Registries.Parse(url) is null)
                throw new UsageException($"--registry '{url}' is not an absolute http(s) URL, e.g. https://npm.example.internal/.");
        }
        List<Glob> excludes;
        try
        {
            excludes = [.. options.Excludes.Select(e => new Glob(e))];
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
        var configPath = options.Config ?? DepsConfig.Find(root);
        var config = configPath is null ? DepsConfig.Empty : DepsConfig.Load(configPath);
        var registries = config.Registries.Concat(options.Registries).Distinct(StringComparer.Ordinal).ToList();

        var report = DependencyCheck.Run(root, new DependencyCheckOptions(registries, excludes, config.DisabledRules), ct);
        return await common.FinishAsync(context, request, report, [new("allowedRegistries", registries)]).ConfigureAwait(false);
    }
}
