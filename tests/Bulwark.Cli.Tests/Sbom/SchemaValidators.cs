// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sbom;

/// Validates SBOM files with the official schemas: the npm validators ./test.sh installs, and xmllint.
internal static class SchemaValidators
{
    public static void AssertValid(string format, string file)
    {
        switch (format)
        {
            case "cyclonedx-json": ExternalValidators.AssertValidFiles("validate-cyclonedx.js", [file]); break;
            case "spdx-json": ExternalValidators.AssertValidFiles("validate-spdx.js", [file]); break;
            case "cyclonedx-xml":
                // the 1.6 XSD imports spdx.xsd by URL; the catalog maps it to the local copy
                var (exit, output) = ExternalValidators.Run("xmllint",
                    ["--nonet", "--noout", "--schema", Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "schema", "bom-1.6.xsd"), file],
                    new Dictionary<string, string> { ["XML_CATALOG_FILES"] = Path.Combine(ExternalValidators.Directory, "cyclonedx-catalog.xml") });
                Assert.True(exit == 0, $"{format} output does not validate:\n{output}");
                break;
            default: throw new ArgumentException($"no schema validator for {format}", nameof(format));
        }
    }
}
