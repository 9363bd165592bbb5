// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Vex;

/// Validates OpenVEX output against openvex/spec's JSON schema with tests/validators/validate-openvex.js (ajv).
internal static class OpenVexSchema
{
    private static readonly string Validators = Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");

    public static void AssertValid(byte[] document)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-openvex-{Guid.NewGuid()}.json");
        File.WriteAllBytes(file, document);
        try
        {
            if (!Directory.Exists(Path.Combine(Validators, "node_modules")))
                throw new Xunit.Sdk.XunitException($"Schema validators are not installed in {Validators}. Run ./test.sh once (it runs npm ci there).");
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(Validators, "validate-openvex.js"));
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi) ?? throw new Xunit.Sdk.XunitException("Cannot start node; run ./test.sh to install it.");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"OpenVEX output does not validate:\n{stdout.Result}{stderr}\n{System.Text.Encoding.UTF8.GetString(document)}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
