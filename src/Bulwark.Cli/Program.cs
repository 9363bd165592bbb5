// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Sbom;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;

namespace Bulwark.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        // Ctrl+C and SIGTERM cancel the run (each verb then stops cleanly and says so, exit code 130). Signal
        // registrations, not Console.CancelKeyPress: that sets up the whole terminal (terminfo, encodings), 4 ms of every
        // run's start.
        void Interrupt(System.Runtime.InteropServices.PosixSignalContext e)
        {
            e.Cancel = true;
            cts.Cancel();
        }
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Interrupt);
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Interrupt);
        var code = await RunAsync(args, CliContext.FromProcess(), cts.Token).ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable("BULWARK_DEBUG_STARTUP") == "1") await ReportStartupAsync().ConfigureAwait(false);
        return code;
    }

    // where start-up time goes: methods the JIT had to compile (not covered by ReadyToRun) and its time. A method of its
    // own, so that System.Diagnostics.Process is loaded only when asked for (Main's preparation loaded it in every run)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task ReportStartupAsync()
    {
        var started = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
        await Console.Error.WriteLineAsync(
            $"bulwark: {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms since start; JIT compiled " +
            $"{System.Runtime.JitInfo.GetCompiledMethodCount()} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms; " +
            $"GC heap {GC.GetGCMemoryInfo().HeapSizeBytes >> 20} MiB now, {GC.GetTotalAllocatedBytes() >> 20} MiB allocated, " +
            $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections; peak RSS {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB").ConfigureAwait(false);
    }

    /// Parses and runs one command line; the single place where exceptions become exit codes.
    internal static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct = default)
    {
        var root = BuildRoot(context, args);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await context.Stderr.WriteLineAsync($"bulwark: {error.Message}").ConfigureAwait(false);
            await context.Stderr.WriteLineAsync("Run 'bulwark --help' (or 'bulwark <verb> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // the signals are ours (Main): System.CommandLine's own handling would cancel a token of its own first,
                // and the cancellation would reach us as an error rather than as an interruption
                ProcessTerminationTimeout = null,
                Output = new StreamWriter(context.Stdout, leaveOpen: true) { AutoFlush = true },
                Error = context.Stderr,
            }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync("bulwark: interrupted.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            var (code, message) = Failure(e);
            await context.Stderr.WriteLineAsync(message).ConfigureAwait(false);
            return code;
        }
    }

    // The exit code and message for an exception that ends a run. A method of its own: the exception types it names
    // (the registry's among them) are loaded only when a run fails, not while every run's RunAsync is prepared.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (int Code, string Message) Failure(Exception e) => e switch
    {
        UsageException => (ExitCodes.Usage, $"bulwark: {e.Message}"),
        InputException => (ExitCodes.Input, $"bulwark: {e.Message}"),
        // content that does not match the digest it is named by: a failed check, not merely unreadable input
        BlobDigestException => (ExitCodes.VerificationFailed, $"bulwark: {e.Message}"),
        RegistryException r => (r.Failure == RegistryFailure.DigestMismatch ? ExitCodes.VerificationFailed : ExitCodes.Input, $"bulwark: {e.Message}"),
        IOException or UnauthorizedAccessException => (ExitCodes.Input, $"bulwark: {e.Message}"),
        // the edge of the program (STYLE.md): a bug, reported with enough to file an issue
        _ => (ExitCodes.InternalError, $"bulwark: internal error: {e}"),
    };

    /// Every verb: its name and aliases, and how to build its command. Only the invoked verb's command is built for a
    /// run (the rest cost start-up time: their options, and the assemblies they load); help and completion, which
    /// list the verbs, get all of them.
    internal static readonly (string[] Names, Func<CliContext, Command> Create)[] Verbs =
    [
        (["sbom"], SbomCommand.Create),
        (["db"], Bulwark.Cli.Db.DbCommand.Create),
        (["scan"], Bulwark.Cli.Scan.ScanCommand.Create),
        (["vex"], Bulwark.Cli.Vex.VexCommand.Create),
        (["key"], Bulwark.Cli.Key.KeyCommand.Create),
        (["sign-blob"], Bulwark.Cli.Sign.SignBlobCommand.Create),
        (["verify-blob"], Bulwark.Cli.Sign.VerifyBlobCommand.Create),
        (["sign"], Bulwark.Cli.Sign.SignCommand.Create),
        (["verify"], Bulwark.Cli.Sign.VerifyCommand.Create),
        (["attest"], Bulwark.Cli.Sign.AttestCommand.Create),
        (["verify-attestation"], Bulwark.Cli.Sign.VerifyAttestationCommand.Create),
        (["attest-blob"], Bulwark.Cli.Sign.AttestBlobCommand.Create),
        (["verify-attestation-blob", "verify-blob-attestation"], Bulwark.Cli.Sign.VerifyAttestationBlobCommand.Create),
        (["verify-bundle"], Bulwark.Cli.Sign.VerifyBundleCommand.Create),
        (["secrets"], Bulwark.Cli.Secrets.SecretsCommand.Create),
        (["ci"], Bulwark.Cli.Ci.CiCommand.Create),
        (["commits"], Bulwark.Cli.Commits.CommitsCommand.Create),
        (["deps"], Bulwark.Cli.Deps.DepsCommand.Create),
    ];

    /// The whole command tree (every verb).
    internal static Command BuildRoot(CliContext context) => BuildRoot(context, null);

    private const string Description = "Bulwark: know what is inside your software and stop what should not ship.";

    /// The command tree for <paramref name="args"/>: when the first argument names a verb, the root holds only that
    /// verb (parsing, errors and the verb's help are the same as with the whole tree); otherwise every verb.
    /// A run that asks for no help, version, directive or response file is parsed by a plain command of the same name:
    /// those are all the root command's own, and building it loads System.CommandLine's localised resources (2 ms).
    internal static Command BuildRoot(CliContext context, string[]? args)
    {
        var first = args is { Length: > 0 } ? args[0] : null;
        foreach (var (names, create) in Verbs)
        {
            if (first is not null && Array.IndexOf(names, first) >= 0)
            {
                var verbRoot = NeedsRootCommand(args!) ? new RootCommand(Description) : new Command("bulwark", Description);
                verbRoot.Add(create(context));
                return verbRoot;
            }
        }
        var root = new RootCommand(Description);
        foreach (var (_, create) in Verbs) root.Add(create(context));
        return root;
    }

    private static bool NeedsRootCommand(string[] args)
    {
        foreach (var a in args)
            if (a is "-h" or "/h" or "--help" or "-?" or "/?" or "--version" || a.StartsWith('[') || a.StartsWith('@')) return true;
        return false;
    }
}
