// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Cli.Tests;

/// The result of running the CLI in-process.
public sealed record CliOutcome(int ExitCode, string Stdout, string Stderr);

/// Runs `bulwark ARGS` in-process with captured stdout/stderr and a fixed environment.
public static class CliRun
{
    public static async Task<CliOutcome> RunAsync(params string[] args) => await RunAsync(args, null);

    public static async Task<CliOutcome> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) ;
        env.TryAdd("SOURCE_DATE_EPOCH", "1700000000");
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
}
