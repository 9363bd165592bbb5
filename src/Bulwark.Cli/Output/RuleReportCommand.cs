// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Hygiene.Findings;

namespace Bulwark.Cli.Output;

/// What the rule-catalogue verbs (`ci audit`, `deps check`) share: PATH, --format, -o, --quiet and --fail-on; then,
/// once the verb has its report, the warnings for unreadable files, the report in the chosen format, the summary and
/// the gate's exit code (0 no finding at or above --fail-on, 1 at least one).
internal sealed class RuleReportCommand
{
    private readonly string _verb;
    private readonly RuleTable _table;
    private readonly Argument<string> _path;
    private readonly Option<string> _format = new("--format", "-f") { Description = "Output format: table (default), json, sarif.", DefaultValueFactory = _ => "table" };
    private readonly Option<string?> _output = SbomCommand.OutputOption();
    private readonly Option<bool> _quiet = SbomCommand.QuietOption();
    private readonly Option<string> _failOn = new("--fail-on")
    {
        Description = "Exit 1 when a finding at or above this severity exists: low (default: any finding), medium, high, critical.",
        DefaultValueFactory = _ => "low",
    };

    /// <param name="verb">the verb as usage errors name it: "ci audit"</param>
    /// <param name="table">the verb's rules and the words of its table</param>
    public RuleReportCommand(string verb, string pathDescription, RuleTable table)
    {
        _verb = verb;
        _table = table;
        _path = new Argument<string>("PATH") { Description = pathDescription, DefaultValueFactory = _ => "." };
    }

    /// Adds PATH, --format, -o, --quiet and --fail-on to <paramref name="command"/>, before its own options.
    public void AddTo(Command command)
    {
        command.Arguments.Add(_path);
        command.Options.Add(_format);
        command.Options.Add(_output);
        command.Options.Add(_quiet);
        command.Options.Add(_failOn);
    }

    public RuleReportRequest Read(ParseResult parse) => new(
        parse.GetRequiredValue(_path), ParseFormat(parse.GetValue(_format) ?? "table"), parse.GetValue(_output), parse.GetValue(_quiet),
        ParseSeverity(parse.GetValue(_failOn) ?? "low"));

    private RuleReportFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => RuleReportFormat.Table,
        "json" => RuleReportFormat.Json,
        "sarif" => RuleReportFormat.Sarif,
        _ => throw new UsageException($"--format '{text}' is not a {_verb} format: use table, json or sarif."),
    };

    private static Severity ParseSeverity(string text) => Severities.TryParse(text, out var severity)
        ? severity
        : throw new UsageException($"--fail-on '{text}' is not a severity: use low, medium, high or critical.");

    /// Warns about the unreadable files (unless --quiet), writes the report to -o or stdout, prints the summary on
    /// stderr when the report is not the table (which ends with it), and returns the gate's exit code.
    /// <param name="jsonLists">named lists the JSON report carries after "target", such as "allowedRegistries"</param>
    public async Task<int> FinishAsync(CliContext context, RuleReportRequest request, IRuleReport<IRuleFinding> report,
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>? jsonLists = null)
    {
        if (!request.Quiet)
            foreach (var u in report.Unreadable)
                await context.Stderr.WriteLineAsync($"bulwark: warning: {u.Path}: not {_table.Catalogue.Checked}: {u.Reason}").ConfigureAwait(false);

        await OutputTarget.WriteAsync(request.Output, context.Stdout, async stream =>
        {
            switch (request.Format)
            {
                case RuleReportFormat.Json: RuleReportJson.Write(report, request.Path, BulwarkVersion.Current, stream, jsonLists); break;
                case RuleReportFormat.Sarif: RuleReportSarif.Write(report, _table.Catalogue, BulwarkVersion.Current, stream); break;
                default:
                    await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" })
                        _table.Render(report, writer);
                    break;
            }
        }).ConfigureAwait(false);

        var failing = report.Findings.Count(f => f.Rule.Severity >= request.FailOn);
        if (!request.Quiet && request.Format != RuleReportFormat.Table)
            await context.Stderr.WriteLineAsync(_table.Summary(report)).ConfigureAwait(false);
        return failing > 0 ? ExitCodes.GateFailed : ExitCodes.Ok;
    }
}

internal enum RuleReportFormat
{
    Table,
    Json,
    Sarif,
}

/// The options every rule-catalogue verb reads; the verb adds its own.
internal sealed record RuleReportRequest(string Path, RuleReportFormat Format, string? Output, bool Quiet, Severity FailOn);
