// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Spdx;

/// Runs the Node validators in tests/validators (installed by ./test.sh) as a process.
internal static class Validators
{
    public static string Directory => Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");

    /// Runs "node validate-spdx.js FILE"; returns the exit code and everything it printed.
    public static (int ExitCode, string Output) ValidateSpdxJson(string json)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "ajv", "package.json"))
            || !File.Exists(Path.Combine(Directory, "node_modules", "ajv-formats", "package.json"))
            || !File.Exists(Path.Combine(Directory, "node_modules", "spdx-expression-parse", "package.json")))
            Assert.Fail($"The schema validators are not installed in {Directory}/node_modules. Run ./test.sh (or 'npm ci' in tests/validators) first.");
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-spdx-{Guid.NewGuid():N}.spdx.json");
        File.WriteAllText(file, json);
        try
        {
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(Directory, "validate-spdx.js"));
            start.ArgumentList.Add(file);
            start.Environment["SPDX_SCHEMA"] = Path.Combine(TestPaths.Corpora, "spdx-spec", "v2.3.1", "spdx-schema.json");
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start node. Install Node.js and run ./test.sh.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(); Assert.Fail("validate-spdx.js did not finish in 2 minutes."); }
            return (process.ExitCode, stdout.Result + stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
