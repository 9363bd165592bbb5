// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.CommandLine;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Vex;
using SbomDocument = Bulwark.Sbom.Sbom;

namespace Bulwark.Cli.Vex;

/// `bulwark vex create`: write a triage decision as an OpenVEX 0.2.0 document.
/// <remarks>
/// Exit codes: 0 written; 2 bad arguments (an invalid purl, not_affected without --justification or --impact,
/// affected without --action, a justification with another status); 3 the --append document is missing or not OpenVEX 0.2.0.
/// The document's timestamp is SOURCE_DATE_EPOCH when set and its @id the SHA-256 of its content, so the same decision
/// gives the same bytes.
/// </remarks>
internal static class VexCommand
{
    public static Command Create(CliContext context) => new("vex", "Write VEX (Vulnerability Exploitability eXchange) documents.")
    {
        CreateCommand(context),
    };

    private static readonly string[] Statuses = ["not_affected", "affected", "fixed", "under_investigation"];

    private static Command CreateCommand(CliContext context)
    {
        var vulnerability = new Option<string>("--vulnerability", "--vuln")
        {
            Description = "The vulnerability the decision is about: CVE-…, GHSA-… or another advisory id.",
            Required = true,
        };
        var products = new Option<string[]>("--product", "-p")
        {
            Description = "A package URL the decision applies to (pkg:npm/lodash@4.17.15; without @version: every version). Repeatable.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var status = new Option<string>("--status", "-s")
        {
            Description = "not_affected, affected, fixed or under_investigation.",
            Required = true,
        };
        status.AcceptOnlyFromAmong(Statuses);
        var justification = new Option<string?>("--justification", "-j")
        {
            Description = "Why not_affected: " + string.Join(", ", OpenVexWriter.Justifications) + ".",
        };
        justification.AcceptOnlyFromAmong([.. OpenVexWriter.Justifications]);
        var impact = new Option<string?>("--impact") { Description = "Free text: why the vulnerability cannot be exploited (not_affected)." };
        var action = new Option<string?>("--action") { Description = "Free text: what to do to remediate or mitigate (required with affected)." };
        var notes = new Option<string?>("--status-notes") { Description = "Free text: how the status was determined." };
        var aliases = new Option<string[]>("--alias")
        {
            Description = "Another id of the same vulnerability (e.g. the GHSA id of a CVE). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var author = new Option<string?>("--author")
        {
            Description = "Who makes the statement: a name, an email address or an IRI (default: the --append document's author, else 'Unknown Author').",
        };
        var append = new Option<string?>("--append") { Description = "Add the statement to this OpenVEX document (its version is incremented) and write the result." };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();

        var command = new Command("create", "Write an OpenVEX 0.2.0 document recording one triage decision (a vulnerability, products, a status).")
        {
            vulnerability, products, status, justification, impact, action, notes, aliases, author, append, output, quiet,
        };
        command.SetAction((parse, ct) => RunAsync(context, new CreateRequest(
            parse.GetRequiredValue(vulnerability),
            parse.GetValue(products) ?? [],
            parse.GetRequiredValue(status),
            parse.GetValue(justification),
            parse.GetValue(impact),
            parse.GetValue(action),
            parse.GetValue(notes),
            parse.GetValue(aliases) ?? [],
            Text(parse.GetValue(author)),
            parse.GetValue(append),
            parse.GetValue(output),
            parse.GetValue(quiet))));
        return command;
    }

    private sealed record CreateRequest(string Vulnerability, string[] Products, string Status, string? Justification, string? Impact,
        string? Action, string? StatusNotes, string[] Aliases, string? Author, string? Append, string? Output, bool Quiet);

    private static async Task<int> RunAsync(CliContext context, CreateRequest request)
    {
        var statement = Statement(request, SbomDocument.CreationTime(context.Environment));
        await OutputTarget.WriteAsync(request.Output, context.Stdout, s =>
        {
            if (request.Append is not null)
                OpenVexWriter.Append(request.Append, [statement], statement.Timestamp!.Value, request.Author, Tooling, s);
            else
                OpenVexWriter.Write(new OpenVexDocumentInfo(request.Author ?? "Unknown Author", null, null, statement.Timestamp!.Value, 1, Tooling), [statement], s);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        if (!request.Quiet)
        {
            var products = statement.Products.Length == 1 ? statement.Products[0].ToString() : $"{statement.Products.Length} products";
            var where = request.Output is null or "-" ? "" : $" → {request.Output}";
            // plain text, not the Spectre console: it would wrap a long path at 80 columns
            await context.Stderr.WriteLineAsync(
                $"{(request.Append is null ? "Wrote" : "Appended")} {statement.VulnerabilityId} {request.Status} for {products}{where}").ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }

    private static string Tooling => $"bulwark {BulwarkVersion.Current}";

    /// Checks the decision against the OpenVEX rules for its status and builds the statement.
    private static VexStatement Statement(CreateRequest r, DateTimeOffset timestamp)
    {
        var id = r.Vulnerability.Trim();
        if (id.Length == 0) throw new UsageException("--vulnerability is empty. Give the advisory id, e.g. --vulnerability CVE-2021-44228.");
        var products = ImmutableArray.CreateBuilder<Purl>();
        foreach (var text in r.Products)
        {
            if (!Purl.TryParse(text, out var purl, out var error))
                throw new UsageException($"--product '{text}' is not a package URL: {error}. Give a purl such as pkg:npm/lodash@4.17.15.");
            if (!products.Contains(purl)) products.Add(purl);
        }
        if (products.Count == 0) throw new UsageException("Give at least one --product PURL.");
        var status = r.Status switch
        {
            "not_affected" => VexStatus.NotAffected,
            "affected" => VexStatus.Affected,
            "fixed" => VexStatus.Fixed,
            _ => VexStatus.UnderInvestigation,
        };
        var impact = Text(r.Impact);
        var action = Text(r.Action);
        // OpenVEX statement fields: not_affected MUST have a justification or an impact statement; affected MUST have
        // an action statement; justifications are only defined for not_affected
        if (status == VexStatus.NotAffected && r.Justification is null && impact is null)
            throw new UsageException("not_affected needs a reason: give --justification (e.g. vulnerable_code_not_in_execute_path) or --impact TEXT.");
        if (status == VexStatus.Affected && action is null)
            throw new UsageException("affected needs an action statement: give --action TEXT saying how to remediate or mitigate (e.g. \"Update to 4.17.21\").");
        if (status != VexStatus.NotAffected && r.Justification is not null)
            throw new UsageException($"--justification explains not_affected; it does not apply to {r.Status}. Leave it out, or use --status-notes.");
        if (status != VexStatus.NotAffected && impact is not null)
            throw new UsageException($"--impact explains not_affected; it does not apply to {r.Status}. Use --status-notes or --action instead.");
        var aliases = r.Aliases.Select(a => a.Trim()).Where(a => a.Length > 0 && a != id).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return new VexStatement(id, aliases, products.ToImmutable(), status, r.Justification, impact, action, timestamp, "bulwark vex create")
        {
            StatusNotes = Text(r.StatusNotes),
        };
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
