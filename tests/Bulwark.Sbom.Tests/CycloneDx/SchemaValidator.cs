// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

/// Runs the strict CycloneDX validators on written files: tests/validators/validate-cyclonedx.js (the CycloneDX
/// JavaScript library's JsonStrictValidator) for JSON and xmllint with bom-1.6.xsd for XML. A missing validator is
/// a failure, never a skip: a writer test that cannot check its output proves nothing.
internal static class SchemaValidator
{
    private static string Validators => Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");
    private static string SchemaDir => Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "schema");

    public static void ValidateJson(params string[] files)
    {
        var node = Tool("node");
        var script = Path.Combine(Validators, "validate-cyclonedx.js");
        if (!Directory.Exists(Path.Combine(Validators, "node_modules", "@cyclonedx", "cyclonedx-library")))
            Assert.Fail($"The CycloneDX validator is not installed in {Validators}/node_modules. Run ./test.sh (it runs npm ci there).");
        Run(node, ["--", script, "--spec-version", "1.6", .. files], env: null);
    }

    public static void ValidateXml(params string[] files)
    {
        var xmllint = Tool("xmllint");
        // the XSD imports the SPDX licence schema by URL; the catalog points it at the local copy (no network)
        var catalog = Path.Combine(Validators, "cyclonedx-catalog.xml");
        Run(xmllint, ["--nonet", "--noout", "--schema", Path.Combine(SchemaDir, "bom-1.6.xsd"), .. files],
            env: new() { ["XML_CATALOG_FILES"] = catalog });
    }

    private static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"'{name}' is not on PATH, so the CycloneDX output cannot be validated. Run ./test.sh, which installs the validators (nodejs, libxml2-utils, npm ci in tests/validators).");
        return "";
    }

    private static void Run(string exe, IEnumerable<string> args, Dictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(exe)} did not finish within 3 minutes.");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"{Path.GetFileName(exe)} rejected the output (exit {process.ExitCode}):\n{stderr.Result}\n{stdout.Result}");
    }
}
