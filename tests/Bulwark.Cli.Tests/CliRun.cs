// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;
using System.Text;

namespace Bulwark.Cli.Tests;

/// The result of running the CLI (in-process, or the published program).
public sealed record CliOutcome(int ExitCode, string Stdout, string Stderr);

/// Runs `bulwark ARGS` in-process with captured stdout/stderr and a fixed environment. With BULWARK_TEST_PROGRAM set to
/// a published program (`BULWARK_TEST_PROGRAM=$PWD/.build/bulwark/bulwark dotnet test tests/Bulwark.Cli.Tests`), every
/// test runs that program instead, with the same arguments and only the same environment: this checks a trimmed
/// ReadyToRun build against the whole CLI suite (README "Set-up").
public static class CliRun
{
    private static readonly string? Program_ = System.Environment.GetEnvironmentVariable("BULWARK_TEST_PROGRAM") is { Length: > 0 } p ? p : null;

    public static async Task<CliOutcome> RunAsync(params string[] args) => await RunAsync(args, null);

    public static async Task<CliOutcome> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) ;
        env.TryAdd("SOURCE_DATE_EPOCH", "1700000000");
        if (Program_ is not null) return await RunProgramAsync(Program_, args, env);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var context = new CliContext
        {
            Stdout = stdout,
            Stderr = stderr,
            StderrIsTerminal = false,
            Environment = name => env.TryGetValue(name, out var v) ? v : null,
        };
        var code = await Program.RunAsync(args, context);
        return new CliOutcome(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private static async Task<CliOutcome> RunProgramAsync(string program, string[] args, Dictionary<string, string> env)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Clear();
        // what the test host's process gives the CLI in-process: PATH for the programs it starts (git, gpg, ssh-keygen),
        // and the configuration of the PKCS#11 module the tests set up (with libc's setenv, which .NET's copy of the
        // environment does not see)
        if (System.Environment.GetEnvironmentVariable("PATH") is { } path) start.Environment["PATH"] = path;
        if (Marshal.PtrToStringUTF8(getenv("SOFTHSM2_CONF\0"u8.ToArray())) is { } softHsm) start.Environment["SOFTHSM2_CONF"] = softHsm;
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copyOut;
        return new CliOutcome(process.ExitCode, Encoding.UTF8.GetString(stdout.ToArray()), await stderr);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(byte[] name);
}
