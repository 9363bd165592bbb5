// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sbom;

/// Validates SBOM files with the official schemas: the npm validators ./test.sh installs, and xmllint.
internal static class SchemaValidators
{
    private static readonly string Validators = Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");

    public static void AssertValid(string format, string file)
    {
        var (exit, output) = format switch
        {
            "cyclonedx-json" => Run("node", Path.Combine(Validators, "validate-cyclonedx.js"), file),
            "spdx-json" => Run("node", Path.Combine(Validators, "validate-spdx.js"), file),
            "cyclonedx-xml" => Run("xmllint", "--noout", "--schema", Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "schema", "bom-1.6.xsd"), file),
            _ => throw new ArgumentException($"no schema validator for {format}", nameof(format)),
        };
        Assert.True(exit == 0, $"{format} output does not validate:\n{output}");
    }

    private static (int Exit, string Output) Run(string program, params string[] args)
    {
        if (!Directory.Exists(Path.Combine(Validators, "node_modules")))
            throw new Xunit.Sdk.XunitException($"Schema validators are not installed in {Validators}. Run ./test.sh once (it runs npm ci there).");
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // the 1.6 XSD imports spdx.xsd by URL; the catalog maps it to the local copy
        psi.Environment["XML_CATALOG_FILES"] = Path.Combine(Validators, "cyclonedx-catalog.xml");
        using var p = Process.Start(psi) ?? throw new Xunit.Sdk.XunitException($"Cannot start {program}; run ./test.sh to install it.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
