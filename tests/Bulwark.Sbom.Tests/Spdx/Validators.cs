// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Spdx;

/// Runs tests/validators/validate-spdx.js (installed by ./test.sh) on a document.
internal static class Validators
{
    /// Runs "node validate-spdx.js FILE" against the SPDX 2.3.1 schema in ../shared; returns the exit code and everything it printed.
    public static (int ExitCode, string Output) ValidateSpdxJson(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bulwark-spdx-{Guid.NewGuid():N}.spdx.json");
        File.WriteAllText(file, json);
        try
        {
            return ExternalValidators.RunNode("validate-spdx.js", [file],
                new Dictionary<string, string> { ["SPDX_SCHEMA"] = Path.Combine(TestPaths.Corpora, "spdx-spec", "v2.3.1", "spdx-schema.json") });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
