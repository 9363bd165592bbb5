// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bulwark.Cataloging;
using Bulwark.Cli.Db;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Sbom;
using Bulwark.Sbom.Normalisation;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Vex;
using SbomDocument = Bulwark.Sbom.Sbom;

namespace Bulwark.Cli.Scan;

/// `bulwark scan TARGET`: find known-vulnerable and malicious packages in a directory, lockfile, image or SBOM file,
/// apply VEX, report, and gate.
/// <remarks>
/// Exit codes: 0 no finding at or above the gate remains (or no gate was asked for); 1 a gate failed (--fail-on,
/// --fail-on-malicious); 2 bad arguments; 3 the target, a VEX file or the database cannot be used.
/// </remarks>
internal static class ScanCommand
{
    /// The default --max-db-age: older data means missed advisories, so say so.
    internal static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    public static Command Create(CliContext context)
    {
        var target = new Argument<string>("TARGET")
        {
            Description = "What to scan: an SBOM file (CycloneDX or SPDX; sbom:FILE to insist), a directory, a lockfile, or an image " +
                          "(oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, dir:ROOTFS, registry:REF or a reference).",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: table (default), json, sarif, cyclonedx (1.6 VDR), openvex.",
            DefaultValueFactory = _ => "table",
        };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();
        var db = DbCommand.DbOption();
        var vex = new Option<string[]>("--vex") { Description = "A VEX document (OpenVEX, CycloneDX JSON/XML) whose statements apply. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var failOn = new Option<string?>("--fail-on")
        {
            Description = "Exit 1 when a finding at or above this severity remains after VEX: unknown (any finding), low, medium, high, critical.",
        };
        failOn.AcceptOnlyFromAmong("unknown", "low", "medium", "high", "critical");
        var failOnMalicious = new Option<bool>("--fail-on-malicious") { Description = "Exit 1 when a package reported as malicious remains after VEX." };
        var showSuppressed = new Option<bool>("--show-suppressed") { Description = "Also list findings VEX suppressed (table); other formats always include them." };
        var maxAge = new Option<string?>("--max-db-age")
        {
            Description = "Warn when the database was last updated longer ago than this (e.g. 36h, 7d; 0 to never warn). Default: $BULWARK_DB_MAX_AGE, else 7d.",
        };
        var exclude = new Option<string[]>("--exclude") { Description = "For a directory: leave out paths matching this glob. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var platform = new Option<string?>("--platform") { Description = "For a multi-platform image: the platform to scan (OS/ARCH[/VARIANT]; default: this machine's)." };
        var insecure = new Option<bool>("--insecure") { Description = "Allow plain HTTP to the registry (local test registries only)." };
        var layers = new Option<string>("--layers")
        {
            Description = "Image layers: squashed (default: what the running container sees) or all (also packages later layers deleted).",
            DefaultValueFactory = _ => "squashed",
        };
        layers.AcceptOnlyFromAmong("squashed", "all");

        var command = new Command("scan", "Find known-vulnerable and malicious packages (OSV, offline) in a directory, lockfile, image or SBOM; apply VEX; gate CI.")
        {
            target, format, output, quiet, db, vex, failOn, failOnMalicious, showSuppressed, maxAge, exclude, platform, insecure, layers,
        };
        command.SetAction((parse, ct) => RunAsync(context, new ScanRequest(
            parse.GetRequiredValue(target),
            ParseFormat(parse.GetValue(format) ?? "table"),
            parse.GetValue(output),
            parse.GetValue(quiet),
            parse.GetValue(db),
            parse.GetValue(vex) ?? [],
            ParseGate(parse.GetValue(failOn)),
            parse.GetValue(failOnMalicious),
            parse.GetValue(showSuppressed),
            ParseAge(parse.GetValue(maxAge) ?? context.Environment("BULWARK_DB_MAX_AGE"), parse.GetValue(maxAge) is null ? "BULWARK_DB_MAX_AGE" : "--max-db-age"),
            parse.GetValue(exclude) ?? [],
            new ImageTarget.Options(parse.GetValue(platform), parse.GetValue(insecure), parse.GetValue(layers) == "all")), ct));
        return command;
    }

    internal sealed record ScanRequest(string Target, ScanFormat Format, string? Output, bool Quiet, string? Db, string[] Vex,
        int? FailOn, bool FailOnMalicious, bool ShowSuppressed, TimeSpan MaxAge, string[] Excludes, ImageTarget.Options Image);

    /// A gate threshold as a rank: a CvssSeverity value, or -1 for "unknown", which is below low so every finding
    /// trips it (null: no gate).
    internal static int? ParseGate(string? text) => text switch
    {
        null => null,
        "unknown" => UnknownRank,
        "low" => (int)CvssSeverity.Low,
        "medium" => (int)CvssSeverity.Medium,
        "high" => (int)CvssSeverity.High,
        "critical" => (int)CvssSeverity.Critical,
        _ => throw new UsageException($"--fail-on '{text}' is not a severity: use unknown, low, medium, high or critical."),
    };

    internal static ScanFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => ScanFormat.Table,
        "json" => ScanFormat.Json,
        "sarif" => ScanFormat.Sarif,
        "cyclonedx" or "cyclonedx-json" or "vdr" => ScanFormat.CycloneDx,
        "openvex" => ScanFormat.OpenVex,
        _ => throw new UsageException($"--format '{text}' is not a scan format: use table, json, sarif, cyclonedx or openvex."),
    };

    /// "36h", "7d", "90m", "2w", "0": a duration; zero turns the warning off.
    internal static TimeSpan ParseAge(string? text, string optionName)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultMaxAge;
        var t = text.Trim();
        if (t == "0") return TimeSpan.Zero;
        var unit = t[^1];
        if (!double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0 || n > 100_000)
            throw new UsageException($"{optionName} '{text}' is not a duration: write a number and a unit, e.g. 36h, 7d, 2w (0 never warns).");
        return unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => throw new UsageException($"{optionName} '{text}' has no unit: write m, h, d or w, e.g. 36h or 7d (0 never warns)."),
        };
    }

    private static async Task<int> RunAsync(CliContext context, ScanRequest request, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var phases = ScanPhases.From(context.Environment);
        var created = SbomDocument.CreationTime(context.Environment);

        // the database first: a missing or broken one is the commonest failure, and it should not cost a catalog run
        using var database = VulnerabilityDatabase.Open(DbCommand.Directory(context, request.Db));
        var status = database.Status(countRecords: false);   // the report names the data's source and age, not its counts
        var now = DbCommand.Now(context);
        var age = now - status.Checked;
        if (!request.Quiet && request.MaxAge > TimeSpan.Zero && age > request.MaxAge)
        {
            await context.Stderr.WriteLineAsync(
                $"bulwark: warning: the vulnerability database was last updated {DbCommand.Age(age)} ago ({status.Checked.UtcDateTime:yyyy-MM-dd}); " +
                "findings published since are missing. Run 'bulwark db update' (or raise --max-db-age).").ConfigureAwait(false);
        }
        phases?.End("open-db");

        // VEX files are read before the scan so a typo fails fast
        var statements = ImmutableArray.CreateBuilder<VexStatement>();
        var vexNotes = new List<string>();
        foreach (var path in request.Vex)
        {
            if (!File.Exists(path)) throw new InputException($"Cannot read VEX file {path}: no such file.");
            var document = VexDocuments.Load(path);
            statements.AddRange(document.Statements);
            // what a document says but Bulwark cannot use is said out loud: VEX must never fail to apply silently
            vexNotes.AddRange(document.Warnings.Select(w => $"VEX {path}: {w}"));
        }
        if (request.Vex.Length > 0) phases?.End("vex-read");

        // the matcher's one-time start-up work runs on another core while the target is read (the database is idle meanwhile)
        var warmUp = Task.Run(() => Matcher.WarmUp(database, ct), ct);
        SbomDocument sbom;
        IReadOnlyList<string> notes;
        IReadOnlyDictionary<string, string> whyUnmatchable;
        try
        {
            (sbom, notes, whyUnmatchable) = await ResolveAsync(context, request, created, phases, ct).ConfigureAwait(false);
        }
        finally
        {
            // the database must not be used (or closed) while the warm-up still reads it
            await warmUp.ConfigureAwait(false);
        }
        var match = new Matcher(database) { PhaseEnded = phases is null ? null : phases.End }.Match(sbom, ct);
        // the normaliser knows better than the matcher why a vendor's component has no usable package URL
        var unmatchable = match.Unmatchable.Select(u => whyUnmatchable.TryGetValue(u.Package.Purl.ToString(), out var why) ? u with { Detail = why } : u).ToImmutableArray();
        phases?.End("sort");
        var vex = VexApplier.Apply(match.Findings, statements);
        phases?.End("vex");

        var report = new ScanReport
        {
            Sbom = sbom,
            Target = request.Target,
            Findings = vex.Kept,
            Suppressed = vex.Suppressed,
            Annotated = vex.Annotated,
            Unmatchable = unmatchable,
            Problems = match.Problems,
            Warnings = match.Warnings,
            Database = status,
            Created = created,
            ToolVersion = BulwarkVersion.Current,
        };

        if (request.Format == ScanFormat.Table)
        {
            var colour = request.Output is null or "-" && TableReport.UseColour(context.StdoutIsTerminal, context.Environment);
            await OutputTarget.WriteAsync(request.Output, context.Stdout, s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                TableReport.Render(report, writer, colour, request.ShowSuppressed);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }
        else
        {
            await OutputTarget.WriteAsync(request.Output, context.Stdout, s =>
            {
                ScanReportWriters.Write(report, request.Format, s);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }
        phases?.End("write");

        var gate = Evaluate(report, request.FailOn, request.FailOnMalicious);
        if (!request.Quiet)
        {
            foreach (var warning in match.Warnings) await context.Stderr.WriteLineAsync($"bulwark: warning: {warning}").ConfigureAwait(false);
            foreach (var note in notes.Concat(vexNotes)) await context.Stderr.WriteLineAsync($"bulwark: {note}").ConfigureAwait(false);
            if (statements.Count > 0)
            {
                var applied = statements.Count - vex.Unmatched.Length;
                await context.Stderr.WriteLineAsync(
                    $"bulwark: VEX: {statements.Count} statement(s) from {request.Vex.Length} file(s); {applied} applied to a finding here, {vex.Unmatched.Length} matched none.").ConfigureAwait(false);
            }
            // the table already ends with the same summary; machine formats get it on stderr
            if (request.Format != ScanFormat.Table || request.Output is not (null or "-"))
                await context.Stderr.WriteLineAsync($"bulwark: {SummaryLine(report, report.Sbom.Packages.Length, stopwatch.Elapsed)}").ConfigureAwait(false);
            if (gate is not null) await context.Stderr.WriteLineAsync($"bulwark: gate failed: {gate}").ConfigureAwait(false);
        }
        if (phases is not null)
        {
            phases.End("gate");
            await phases.ReportAsync(context.Stderr).ConfigureAwait(false);
        }
        return gate is null ? ExitCodes.Ok : ExitCodes.GateFailed;
    }

    /// Reads an SBOM file (normalising what other tools wrote) or catalogs a directory, lockfile or image.
    private static async Task<(SbomDocument Sbom, IReadOnlyList<string> Notes, IReadOnlyDictionary<string, string> Unmatchable)> ResolveAsync(CliContext context, ScanRequest request, DateTimeOffset created,
        ScanPhases? phases, CancellationToken ct)
    {
        var target = request.Target;
        var forced = target.StartsWith("sbom:", StringComparison.Ordinal);
        var path = forced ? target["sbom:".Length..] : target;
        if (forced || (File.Exists(path) && LooksLikeSbom(path)))
        {
            if (request.Excludes.Length > 0) throw new UsageException("--exclude applies to directories, not SBOM files.");
            if (!File.Exists(path)) throw new InputException($"Cannot read SBOM {path}: no such file.");
            SbomDocument read;
            await using (var input = File.OpenRead(path))
            {
                read = SbomReader.Read(input, path);
            }
            phases?.End("read");
            var normalised = SbomNormaliser.Normalise(read);
            phases?.End("normalise");
            var notes = new List<string>();
            if (normalised.Changes.Length > 0)
                notes.Add($"{path}: repaired or normalised {normalised.Changes.Length} package URL(s)");
            return (normalised.Sbom, notes, normalised.Unmatchable.ToDictionary(u => u.Package.Purl.ToString(), u => u.Reason, StringComparer.Ordinal));
        }
        if (ImageTarget.IsImage(target) && request.Excludes.Length > 0) throw new UsageException("--exclude applies to directories, not images.");
        var (_, sboms) = await SbomCommand.CatalogTargetAsync(context, target, request.Excludes, new CatalogOptions(), request.Image, created, request.Quiet, ct)
            .ConfigureAwait(false);
        phases?.End("catalog");
        return (sboms[0].Sbom, [], new Dictionary<string, string>());
    }

    private static bool LooksLikeSbom(string path)
    {
        var head = new byte[SbomReader.DetectLength];
        int n;
        using (var stream = File.OpenRead(path))
        {
            n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        return SbomReader.Detect(head.AsSpan(0, n)) is not null;
    }

    /// Null when every gate passes; otherwise what tripped, for the user.
    internal static string? Evaluate(ScanReport report, int? failOn, bool failOnMalicious)
    {
        var reasons = new List<string>();
        if (failOn is { } threshold)
        {
            var over = report.Findings.Where(f => f.Kind == FindingKind.Vulnerability && Rank(f) >= threshold).ToList();
            if (over.Count > 0)
                reasons.Add($"{over.Count} finding(s) at or above {(threshold == UnknownRank ? "unknown" : ((CvssSeverity)threshold).ToString().ToLowerInvariant())} (--fail-on)");
        }
        var malicious = report.Findings.Count(f => f.Kind == FindingKind.Malicious);
        if (failOnMalicious && malicious > 0) reasons.Add($"{malicious} malicious package(s) (--fail-on-malicious)");
        // a malicious package also trips a severity gate: it is worse than any vulnerability
        else if (failOn is not null && malicious > 0) reasons.Add($"{malicious} malicious package(s) (--fail-on)");
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private const int UnknownRank = -1;

    /// A finding's severity rank: a finding with no rating at all is "unknown", below low.
    private static int Rank(Finding f) => f.Severity is { } s ? (int)s.Severity : UnknownRank;

    internal static string SummaryLine(ScanReport report, int packages, TimeSpan elapsed)
    {
        var counts = report.Findings.Where(f => f.Kind == FindingKind.Vulnerability)
            .GroupBy(f => f.Severity?.Severity.ToString().ToLowerInvariant() ?? "unknown")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var parts = new[] { "critical", "high", "medium", "low", "none", "unknown" }
            .Where(counts.ContainsKey).Select(k => $"{counts[k]} {k}");
        var malicious = report.Findings.Count(f => f.Kind == FindingKind.Malicious);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"{report.Findings.Length} finding(s) in {packages:N0} packages");
        var detail = string.Join(", ", parts);
        if (detail.Length > 0) b.Append(" (").Append(detail).Append(')');
        if (malicious > 0) b.Append(CultureInfo.InvariantCulture, $", {malicious} malicious");
        if (report.Suppressed.Length > 0) b.Append(CultureInfo.InvariantCulture, $"; {report.Suppressed.Length} suppressed by VEX");
        if (report.Unmatchable.Length > 0) b.Append(CultureInfo.InvariantCulture, $"; {report.Unmatchable.Length} package(s) could not be matched");
        if (report.Problems.Length > 0) b.Append(CultureInfo.InvariantCulture, $"; {report.Problems.Length} record problem(s)");
        b.Append(CultureInfo.InvariantCulture, $"; {elapsed.TotalSeconds:0.00}s");
        return b.ToString();
    }
}
