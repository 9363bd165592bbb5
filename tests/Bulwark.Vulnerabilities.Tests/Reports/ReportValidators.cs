// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Vulnerabilities.Tests.Reports;

/// Runs the schema validators in tests/validators (installed by ./test.sh) on a written report; fails, never skips,
/// when they are missing.
internal static class ReportValidators
{
    private static readonly string Validators = Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");

    public static void AssertValid(string script, byte[] document, string extension)
    {
        if (!Directory.Exists(Path.Combine(Validators, "node_modules")))
            throw new Xunit.Sdk.XunitException($"Schema validators are not installed in {Validators}. Run ./test.sh once (it runs npm ci there).");
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-report-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(file, document);
        try
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(Validators, script));
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi) ?? throw new Xunit.Sdk.XunitException("Cannot start node; run ./test.sh to install it.");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{script} rejects the report:\n{stdout.Result}{stderr}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
