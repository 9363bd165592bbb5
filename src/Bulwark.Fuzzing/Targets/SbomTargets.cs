// SPDX-License-Identifier: Apache-2.0
using Bulwark.Fuzzing.Mutation;
using Bulwark.Sbom;

namespace Bulwark.Fuzzing.Targets;

/// An SBOM reader for one format (src/Bulwark.Sbom). Allowed: <see cref="Bulwark.Core.InputException"/> only, the one
/// error `sbom convert` and `scan` report as unreadable input.
public sealed class SbomTarget(string name, SbomFormat format, InputFormat inputFormat, Func<string, bool> isSeed) : FuzzTarget
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new SbomTarget("sbom.cyclonedx-json", SbomFormat.CycloneDxJson, InputFormat.Json,
            p => p.EndsWith(".json", StringComparison.Ordinal) && (p.Contains("cyclonedx", StringComparison.OrdinalIgnoreCase) || p.Contains(".cdx.", StringComparison.Ordinal) || p.Contains("bom", StringComparison.OrdinalIgnoreCase))),
        new SbomTarget("sbom.cyclonedx-xml", SbomFormat.CycloneDxXml, InputFormat.Xml,
            p => p.EndsWith(".xml", StringComparison.Ordinal) && (p.Contains("cyclonedx", StringComparison.OrdinalIgnoreCase) || p.Contains(".cdx.", StringComparison.Ordinal) || p.Contains("bom", StringComparison.OrdinalIgnoreCase))),
        new SbomTarget("sbom.spdx-json", SbomFormat.SpdxJson, InputFormat.Json,
            p => p.EndsWith(".json", StringComparison.Ordinal) && p.Contains("spdx", StringComparison.OrdinalIgnoreCase) && !p.Contains("schema", StringComparison.OrdinalIgnoreCase)),
        new SbomTarget("sbom.spdx-tag-value", SbomFormat.SpdxTagValue, InputFormat.Text,
            p => p.EndsWith(".spdx", StringComparison.Ordinal) || (p.EndsWith(".tv", StringComparison.Ordinal) && p.Contains("spdx", StringComparison.OrdinalIgnoreCase))),
    ];

    public override string Name => name;
    public override InputFormat Format => inputFormat;
    public override bool IsSeed(string relativePath) => isSeed(relativePath);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["bomFormat", "CycloneDX", "specVersion", "1.6", "components", "purl", "pkg:npm/a@1", "bom-ref", "dependencies", "dependsOn",
         "spdxVersion", "SPDX-2.3", "SPDXID", "SPDXRef-DOCUMENT", "packages", "relationships", "DEPENDS_ON", "externalRefs",
         "PackageName:", "SPDXID:", "ExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1", "Relationship:", "<text>", "</text>", "NOASSERTION",
         "licenseConcluded", "hashes", "SHA-256", "http://cyclonedx.org/schema/bom/1.6"];

    public override void Run(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        SbomReader.Read(stream, format, "fuzz input");
    }
}

/// `bulwark sbom convert` and `scan`'s reading of an SBOM: the input read as any format (detected as the CLI does),
/// normalised as `scan` does, then written in each of the four formats, and each output read back. Allowed: an
/// <see cref="Bulwark.Core.InputException"/> from reading the input; after that nothing may throw, and an output of
/// our own writers that our readers refuse is a finding too (a writer let through what its format cannot hold).
public sealed class SbomConvertTarget : FuzzTarget
{
    private static readonly SbomFormat[] Formats = [SbomFormat.CycloneDxJson, SbomFormat.CycloneDxXml, SbomFormat.SpdxJson, SbomFormat.SpdxTagValue];

    public override string Name => "sbom.convert";

    public override bool IsSeed(string relativePath) => SbomTarget.All().Any(t => t.IsSeed(relativePath));

    public override IReadOnlyList<string> Dictionary { get; } = SbomTarget.All().First().Dictionary;

    public override void Run(byte[] input)
    {
        Sbom.Sbom sbom;
        using (var stream = new MemoryStream(input, writable: false))
            sbom = SbomReader.Read(stream, "fuzz input");
        _ = Sbom.Normalisation.SbomNormaliser.Normalise(sbom);
        foreach (var format in Formats)
        {
            using var output = new MemoryStream();
            SbomWriters.Write(sbom, format, output);
            output.Position = 0;
            try
            {
                _ = SbomReader.Read(output, $"the {format} output");
            }
            catch (Bulwark.Core.InputException e)
            {
                throw new PropertyViolationException($"our {format} output of a document we read is unreadable: {e.Message}");
            }
        }
    }
}
