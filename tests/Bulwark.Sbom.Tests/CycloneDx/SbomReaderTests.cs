// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

public sealed class SbomReaderTests
{
    [Theory]
    [InlineData("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}", SbomFormat.CycloneDxJson)]
    [InlineData("\uFEFF\n  {\n \"$schema\": \"x\", \"bomFormat\": \"CycloneDX\"}", SbomFormat.CycloneDxJson)]
    [InlineData("<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"/>", SbomFormat.CycloneDxXml)]
    [InlineData("{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\"}", SbomFormat.SpdxJson)]
    [InlineData("# made by hand\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", SbomFormat.SpdxTagValue)]
    // the member decides, not the word in a value (an SPDX copyright text "bomFormat" was read as CycloneDX)
    [InlineData("{\"SPDXID\": \"SPDXRef-DOCUMENT\", \"packages\": [{\"copyrightText\": \"\\\"bomFormat\\\"\", \"name\": \"bomFormat\"}], \"spdxVersion\": \"SPDX-2.3\"}", SbomFormat.SpdxJson)]
    [InlineData("{\"metadata\": {\"spdxVersion\": 1}, \"bomFormat\": \"CycloneDX\"}", SbomFormat.CycloneDxJson)]
    // a name whose escape is no text: no exception; the word decides, and the reader then reports the damage
    [InlineData("{\"\\udc00\": 1, \"bomFormat\": \"CycloneDX\"}", SbomFormat.CycloneDxJson)]
    // the head cut before either member: the words still decide
    [InlineData("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [", SbomFormat.SpdxJson)]
    public void Detects_the_format_from_the_first_bytes(string head, SbomFormat expected) =>
        Assert.Equal(expected, SbomReader.Detect(Encoding.UTF8.GetBytes(head)));

    [Theory]
    [InlineData("{\"name\": \"left-pad\", \"version\": \"1.3.0\"}")]
    [InlineData("<project xmlns=\"http://maven.apache.org/POM/4.0.0\"/>")]
    [InlineData("lockfileVersion: '9.0'")]
    [InlineData("")]
    // the whole object in the head, naming neither member: the word in a value does not make it an SBOM
    [InlineData("{\"name\": \"bomFormat\", \"description\": \"\\\"spdxVersion\\\"\"}")]
    public void Detects_nothing_in_other_files(string head) => Assert.Null(SbomReader.Detect(Encoding.UTF8.GetBytes(head)));

    [Theory]
    [InlineData("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.3.json", 62)]
    [InlineData("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.3.xml", 62)]
    public void Reads_a_file_in_whatever_cyclonedx_encoding_it_is(string file, int packages)
    {
        using var stream = File.OpenRead(Path.Combine(TestPaths.Corpora, file));
        Assert.Equal(packages, SbomReader.Read(stream, file).Packages.Length);
    }

    [Fact]
    public void Reads_from_a_stream_that_cannot_seek()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.Corpora, "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml"));
        using var pipe = new ForwardOnlyStream(bytes);
        Assert.Equal(62, SbomReader.Read(pipe, "stdin").Packages.Length);
    }

    [Fact]
    public void Refuses_a_file_that_is_no_sbom()
    {
        var e = Assert.Throws<InputException>(() => SbomReader.Read(new MemoryStream("{\"name\": \"x\"}"u8.ToArray()), "package.json"));
        Assert.StartsWith("Cannot read package.json: it is not an SBOM Bulwark recognises.", e.Message, StringComparison.Ordinal);
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
