// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;

namespace Bulwark.Testing;

/// Runs the validators ./test.sh installs (node scripts in tests/validators, xmllint) on written output. A missing
/// validator is a failure, never a skip: a writer test that cannot check its output proves nothing.
public static class ExternalValidators
{
    /// tests/validators: the npm validators and their scripts.
    public static string Directory => Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// Writes <paramref name="document"/> to a temporary file and runs `node tests/validators/SCRIPT FILE` on it;
    /// fails the test with the validator's output unless it exits 0.
    public static void AssertValid(string script, byte[] document, string extension = ".json", IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-validate-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(file, document);
        try
        {
            AssertValidFiles(script, [file], environment);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// Runs `node tests/validators/SCRIPT ARGS…`; fails the test with the validator's output unless it exits 0.
    public static void AssertValidFiles(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exit, output) = RunNode(script, arguments, environment);
        Assert.True(exit == 0, $"{script} rejects the output (exit {exit}):\n{output}");
    }

    /// Runs `node tests/validators/SCRIPT ARGS…` and returns its exit code and everything it printed.
    public static (int ExitCode, string Output) RunNode(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
            Assert.Fail($"The validators are not installed in {Directory}/node_modules. Run ./test.sh once (it runs npm ci there).");
        return Run("node", [Path.Combine(Directory, script), .. arguments], environment);
    }

    /// Runs a program to completion (at most three minutes) and returns its exit code and output.
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Cannot start {program} ({e.Message}). Run ./test.sh, which installs it.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{program} did not finish within {Limit.TotalMinutes} minutes.");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
