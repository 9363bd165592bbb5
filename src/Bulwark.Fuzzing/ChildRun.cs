// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;

namespace Bulwark.Fuzzing;

/// One target's campaign in a fuzzer process of its own (`--child TARGET`): its report lines, executions and
/// findings. A child that ends without its trailer line (killed by a stack overflow, an out-of-memory abort or a
/// signal) is a finding of that target; the end of its standard error, where the runtime writes the failing stack,
/// is kept beside the target's other findings.
public sealed record ChildRun(IReadOnlyList<string> Lines, long Executions, int Findings)
{
    /// The child's last line: "#child EXECUTIONS FINDINGS".
    public const string Trailer = "#child";

    private const int KeptErrorLines = 60;

    public static ChildRun Start(string target, string repositoryRoot, ulong seed, double seconds, bool cpuTime, string findingsDir)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the fuzzer's own executable is not known");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // run through the dotnet host ("dotnet Bulwark.Fuzzing.dll") or as the apphost
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(ChildRun).Assembly.Location);
        foreach (var a in new[]
                 {
                     "--child", target, "--repo", repositoryRoot, "--seed", seed.ToString(CultureInfo.InvariantCulture),
                     cpuTime ? "--cpu-seconds" : "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--findings", findingsDir,
                 })
            start.ArgumentList.Add(a);
        return Run(start, target, seed, findingsDir);
    }

    /// Runs <paramref name="start"/> as the child for <paramref name="target"/> and reads its report.
    internal static ChildRun Run(ProcessStartInfo start, string target, ulong seed, string findingsDir)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors)
            {
                errors.Add(e.Data);
                if (errors.Count > KeptErrorLines) errors.RemoveAt(0);
            }
        };
        process.BeginErrorReadLine();
        var lines = new List<string>();
        string? trailer = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(Trailer + " ", StringComparison.Ordinal)) trailer = line;
            else lines.Add(line);
        }
        process.WaitForExit();
        var fields = trailer?.Split(' ');
        if (fields is { Length: 3 } && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var executions)
            && int.TryParse(fields[2], CultureInfo.InvariantCulture, out var findings))
            return new ChildRun(lines, executions, findings);

        // died: what it printed, and the runtime's last words
        string[] tail;
        lock (errors) tail = [.. errors];
        var dir = Path.Combine(findingsDir, target);
        Directory.CreateDirectory(dir);
        var saved = Path.Combine(dir, $"died-exit{process.ExitCode}.txt");
        File.WriteAllText(saved, $"target: {target}\nthe fuzzer process ended with exit code {process.ExitCode} before reporting; the input it was running is not known.\n"
            + $"Rerun the target alone (./fuzz.sh {target} --seed {seed}) to see it again.\n\nlast lines of its standard error:\n{string.Join('\n', tail)}\n");
        lines.Add($"{target,-36} {"?",10} {"?",9} {"?",6} {"?",7} 1");
        lines.Add($"  FINDING died: the fuzzer process ended with exit code {process.ExitCode} -> {saved}");
        return new ChildRun(lines, 0, 1);
    }
}
