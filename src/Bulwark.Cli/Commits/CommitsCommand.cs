// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Globalization;
using System.Text;
using Bulwark.Cli.Output;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Cli.Commits;

/// `bulwark commits verify [RANGE]`: check every commit's signature in a range against OpenPGP keys and SSH allowed
/// signers, with our own verification (no gpg, no ssh-keygen, no forge).
/// <remarks>
/// Exit codes: 0 every commit is good; 1 at least one is not (unsigned, unknown key, bad signature, expired or revoked
/// key, signer not allowed, unsupported); 2 bad arguments; 3 not a repository, a bad range, an unreadable keyring or
/// allowed-signers file.
/// </remarks>
internal static class CommitsCommand
{
    public static Command Create(CliContext context)
    {
        var range = new Argument<string?>("RANGE")
        {
            Description = "Commits to check, in git revision-range syntax: main..feature, HEAD~5..HEAD, or a revision for its whole history (default: HEAD).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var repo = new Option<string>("--repo", "-C") { Description = "The repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var all = new Option<bool>("--all") { Description = "Check the commits reachable from every ref instead of RANGE." };
        var allowedSigners = new Option<string?>("--allowed-signers") { Description = "SSH allowed-signers file (git's gpg.ssh.allowedSignersFile format)." };
        var keyring = new Option<string[]>("--keyring") { Description = "OpenPGP public keys (armored or binary, e.g. 'gpg --armor --export'). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string>("--format", "-f") { Description = "Output format: table (default), json, sarif.", DefaultValueFactory = _ => "table" };
        var output = SbomCommand.OutputOption();
        var quiet = SbomCommand.QuietOption();

        var verify = new Command("verify", "Verify the signature of every commit in a range (OpenPGP and SSH); exit 1 when any commit is not signed by an allowed key.")
        {
            range, repo, all, allowedSigners, keyring, format, output, quiet,
        };
        verify.SetAction((parse, ct) => RunAsync(context, new VerifyRequest(
            parse.GetValue(range), parse.GetValue(repo) ?? ".", parse.GetValue(all), parse.GetValue(allowedSigners),
            parse.GetValue(keyring) ?? [], ParseFormat(parse.GetValue(format) ?? "table"), parse.GetValue(output), parse.GetValue(quiet)), ct));
        return new Command("commits", "Check commits.") { verify };
    }

    internal enum VerifyFormat { Table, Json, Sarif }

    private sealed record VerifyRequest(string? Range, string Repo, bool All, string? AllowedSigners, string[] Keyrings, VerifyFormat Format,
        string? Output, bool Quiet);

    private static VerifyFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "table" => VerifyFormat.Table,
        "json" => VerifyFormat.Json,
        "sarif" => VerifyFormat.Sarif,
        _ => throw new UsageException($"--format '{text}' is not a commits verify format: use table, json or sarif."),
    };

    private static async Task<int> RunAsync(CliContext context, VerifyRequest request, CancellationToken ct)
    {
        if (request.All && request.Range is not null)
            throw new UsageException("Give either RANGE or --all, not both.");
        var keyring = request.Keyrings.Length == 0 ? null : PgpKeyring.Load(request.Keyrings);
        var signers = request.AllowedSigners is null ? null : AllowedSigners.Load(request.AllowedSigners);
        if (keyring is null && signers is null && !request.Quiet)
            await context.Stderr.WriteLineAsync("bulwark: warning: no --keyring or --allowed-signers given: every signed commit will be reported as signed by an unknown key.").ConfigureAwait(false);

        var verifier = new CommitVerifier(keyring, signers);
        var results = new List<CommitVerification>();
        await foreach (var commit in GitCommitSource.ReadAsync(request.Repo, request.Range, request.All, ct).ConfigureAwait(false))
            results.Add(verifier.Verify(commit));
        var report = new CommitReport
        {
            Repository = request.Repo,
            Range = request.All ? "--all" : request.Range ?? "HEAD",
            Results = [.. results],
            ToolVersion = BulwarkVersion.Current,
        };

        await OutputTarget.WriteAsync(request.Output, context.Stdout, s =>
        {
            switch (request.Format)
            {
                case VerifyFormat.Json: report.WriteJson(s); break;
                case VerifyFormat.Sarif: report.WriteSarif(s); break;
                default: Render(report, s); break;
            }
            return Task.CompletedTask;
        }).ConfigureAwait(false);

        if (!request.Quiet)
            await context.Stderr.WriteLineAsync($"bulwark: {Summary(report)}").ConfigureAwait(false);
        return report.AllGood ? ExitCodes.Ok : ExitCodes.GateFailed;
    }

    /// One line per commit: short SHA, status, signer, subject; then the reason for each commit that is not good.
    internal static void Render(CommitReport report, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        if (report.Results.IsEmpty)
        {
            w.WriteLine("No commits in the range.");
            return;
        }
        var rows = report.Results.Select(r => (Sha: r.Commit.Sha[..Math.Min(12, r.Commit.Sha.Length)], Status: CommitVerification.StatusName(r.Status),
            Signer: OneLine(r.Signer ?? (r.Status == CommitStatus.Unsigned ? "-" : r.Fingerprint ?? "-")), Subject: OneLine(r.Commit.Subject), r)).ToList();
        var status = Math.Max("STATUS".Length, rows.Max(r => r.Status.Length));
        var signer = Math.Min(48, Math.Max("SIGNER".Length, rows.Max(r => r.Signer.Length)));
        w.WriteLine($"{"COMMIT",-12}  {"STATUS".PadRight(status)}  {"SIGNER".PadRight(signer)}  SUBJECT");
        foreach (var row in rows)
            w.WriteLine($"{row.Sha,-12}  {row.Status.PadRight(status)}  {row.Signer.PadRight(signer)}  {row.Subject}");
        var failing = rows.Where(r => r.r.Status != CommitStatus.Good).ToList();
        if (failing.Count > 0)
        {
            w.WriteLine();
            foreach (var row in failing) w.WriteLine($"{row.Sha}: {row.Status}: {OneLine(row.r.Detail)}");
        }
    }

    private static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    internal static string Summary(CommitReport report)
    {
        var parts = Enum.GetValues<CommitStatus>().Where(s => report.Count(s) > 0)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{report.Count(s)} {CommitVerification.StatusName(s)}"));
        return string.Create(CultureInfo.InvariantCulture, $"{report.Results.Length} commit(s) checked in {report.Range}: ") +
               (report.Results.IsEmpty ? "none" : string.Join(", ", parts)) + (report.AllGood ? "." : "; the gate fails.");
    }
}
