// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

/// Runs the strict CycloneDX validators on written files: tests/validators/validate-cyclonedx.js (the CycloneDX
/// JavaScript library's JsonStrictValidator) for JSON and xmllint with bom-1.6.xsd for XML. A rejected document fails
/// the test (Assert.Fail).
internal static class SchemaValidator
{
    private static string SchemaDir => Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "schema");

    public static void ValidateJson(params string[] files) =>
        Check("validate-cyclonedx.js", ExternalValidators.RunNode("validate-cyclonedx.js", ["--spec-version", "1.6", .. files]));

    public static void ValidateXml(params string[] files) =>
        // the XSD imports the SPDX licence schema by URL; the catalog points it at the local copy (no network)
        Check("xmllint", ExternalValidators.Run("xmllint", ["--nonet", "--noout", "--schema", Path.Combine(SchemaDir, "bom-1.6.xsd"), .. files],
            new Dictionary<string, string> { ["XML_CATALOG_FILES"] = Path.Combine(ExternalValidators.Directory, "cyclonedx-catalog.xml") }));

    private static void Check(string validator, (int ExitCode, string Output) result)
    {
        if (result.ExitCode != 0) Assert.Fail($"{validator} rejected the output (exit {result.ExitCode}):\n{result.Output}");
    }
}
