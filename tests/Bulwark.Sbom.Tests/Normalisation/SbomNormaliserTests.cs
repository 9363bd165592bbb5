// SPDX-License-Identifier: Apache-2.0
using Bulwark.Sbom.Normalisation;
using Bulwark.Testing;
using Xunit.Abstractions;

namespace Bulwark.Sbom.Tests.Normalisation;

public class SbomNormaliserTests(ITestOutputHelper output)
{
    private static string TestData(string name) => Path.Combine(TestPaths.Project("Bulwark.Sbom.Tests"), "Normalisation", "testdata", name);

    private static NormalisedSbom Normalise(string path)
    {
        using var stream = File.OpenRead(path);
        return SbomNormaliser.Normalise(SbomReader.Read(stream, path));
    }

    [Theory]
    [InlineData("syft-debian.cdx.json")]
    [InlineData("trivy-image.cdx.json")]
    [InlineData("cdxgen.cdx.json")]
    [InlineData("sbom-tool.spdx.json")]
    [InlineData("/work/shared/corpora/cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json")]
    [InlineData("/work/shared/corpora/cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json")]
    [InlineData("/work/shared/corpora/cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json")]
    [InlineData("/work/shared/corpora/cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml")]
    [InlineData("/work/shared/corpora/cyclonedx-bom-examples/OBOM/Example-1-Standalone/bom.json")]
    [InlineData("/work/shared/corpora/spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json")]
    [InlineData("/work/shared/corpora/spdx-examples/software/example9/spdx2.2/appbomination.spdx.json")]
    [InlineData("/work/shared/corpora/spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json")]
    [InlineData("/work/shared/corpora/spdx-examples/software/example11/spdx2.3/sbom.spdx.json")]
    [InlineData("/work/shared/corpora/spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json")]
    [InlineData("/work/shared/corpora/spdx-examples/software/example4/spdx2.2/example4-bin.spdx")]
    public void Dump(string name)
    {
        var n = Normalise(name.StartsWith('/') ? name : TestData(name));
        output.WriteLine($"N {n.Sbom.Packages.Length}");
        foreach (var p in n.Sbom.Packages) output.WriteLine($"P {p.Purl} synth={p.PurlIsSynthetic} deps=[{string.Join(",", p.DependsOn)}]");
        output.WriteLine($"S deps=[{string.Join(",", n.Sbom.Subject.DependsOn)}]");
        foreach (var c in n.Changes) output.WriteLine($"C {c.Kind} {c.Before} -> {c.Package.Purl} : {c.Detail}");
        foreach (var u in n.Unmatchable) output.WriteLine($"U {u.Package.Purl} : {u.Reason}");
    }
}
