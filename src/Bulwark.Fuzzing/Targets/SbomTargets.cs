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
        WriteAndReadBack(sbom);
    }

    /// Writes <paramref name="sbom"/> in each of the four formats and reads each output back; our own output that
    /// our readers refuse is a <see cref="PropertyViolationException"/>.
    internal static void WriteAndReadBack(Sbom.Sbom sbom)
    {
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
                throw new PropertyViolationException($"our {format} output is unreadable: {e.Message}");
            }
        }
    }
}

/// The SBOM writers on hostile package values, as `bulwark sbom DIR` writes what catalogers read from attacker-made
/// lockfiles: the input's lines, four per package (ecosystem, name, version, license expression) and one file path,
/// make packages as a cataloger would (Package.Create, which may refuse a name with
/// <see cref="Bulwark.Core.InvalidPurlException"/>); the SBOM is written in the four formats and each output read
/// back. A writer that throws, or writes what our readers refuse, is a finding.
public sealed class SbomWriteTarget : FuzzTarget
{
    public override string Name => "sbom.write";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 16 << 10;

    public override bool IsSeed(string relativePath) => false;

    public override IEnumerable<byte[]> ExtraSeeds() => Texts(
        "npm\nleft-pad\n1.3.0\nMIT\n@scope/a\n1.0.0-rc.1\nApache-2.0 OR MIT\n",
        "PyPI\nRequests\n2.32.3\nLicenseRef-x\nMaven\norg.example:lib\n1.0\nGPL-2.0-only WITH Classpath-exception-2.0\n",
        "Debian\nlibc6\n2.36-9+deb12u4\n(MIT AND BSD-3-Clause)\nnpm\nname with space\n<v>\n\"quoted\" & <tag>\n",
        "Go\ngithub.com/a/b\nv1.2.3\nNOASSERTION\nnpm\nx\u0001y\n1\u00002\n\u2028\n");

    public override IReadOnlyList<string> Dictionary { get; } =
        ["npm", "PyPI", "Maven", "Go", "Debian", "NuGet", "crates.io", "@", "/", ":", "%", "?", "#", "\\", "<", ">", "&", "\"", "'", "\r\n",
         "\u0000", "\u0085", "\ud800", "SPDXRef-", "NOASSERTION", "NONE", "LicenseRef-", " AND ", " OR ", " WITH ", "</text>", "<text>", "]]>"];

    public override void Run(byte[] input)
    {
        var lines = System.Text.Encoding.UTF8.GetString(input).Split('\n');
        var packages = new List<Bulwark.Core.Package>();
        for (var i = 0; i + 3 < lines.Length && packages.Count < 64; i += 4)
        {
            var ecosystem = Bulwark.Core.Ecosystem.All.FirstOrDefault(e => e.OsvName == lines[i])
                ?? Bulwark.Core.Ecosystem.All[(lines[i].Length > 0 ? lines[i][0] : 0) % Bulwark.Core.Ecosystem.All.Count];
            Bulwark.Core.Package package;
            try
            {
                package = Bulwark.Core.Package.Create(ecosystem, lines[i + 1], lines[i + 2], new Bulwark.Core.FileLocation(lines[^1]));
            }
            catch (Bulwark.Core.InvalidPurlException)
            {
                continue;   // the cataloger's read of that entry fails the same way and is reported unreadable
            }
            packages.Add(package with { Licenses = [lines[i + 3]] });
        }
        var sbom = new Sbom.Sbom
        {
            Subject = new SbomSubject { Name = lines[0], Version = lines.Length > 2 ? lines[2] : null },
            Packages = [.. Bulwark.Cataloging.Catalog.Merge(packages)],
            Created = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        };
        SbomConvertTarget.WriteAndReadBack(sbom);
    }

    public override bool IsExpected(Exception e) => false;
}
