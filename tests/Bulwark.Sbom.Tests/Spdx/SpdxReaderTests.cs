// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Sbom.Spdx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Spdx;

public class SpdxReaderTests
{
    private static string SpecExample(string name) => Path.Combine(TestPaths.Corpora, "spdx-spec", "v2.3.1", "examples", name);
    private static string TestData(string name) => Path.Combine(TestPaths.Project("Bulwark.Sbom.Tests"), "Spdx", "testdata", name);

    [Fact]
    public void Reads_the_spdx_2_3_json_example_with_its_described_package_as_subject()
    {
        var sbom = SpdxJsonReader.Read(File.ReadAllText(SpecExample("SPDXJSONExample-v2.3.spdx.json")));

        Assert.Equal("glibc", sbom.Subject.Name);
        Assert.Equal("2.11.1", sbom.Subject.Version);
        Assert.Equal(SubjectKind.Directory, sbom.Subject.Kind);   // primaryPackagePurpose SOURCE
        Assert.Null(sbom.Subject.Purl);
        Assert.Equal(["md5:624c1abb3664f4b35547e7c73864ad24", "sha1:85ed0817af83a24ad8da68c2b5094de69833983c",
            "sha256:11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd"], sbom.Subject.Hashes.Select(h => h.ToString()));   // BLAKE2b-384 is not modelled
        Assert.Equal(["pkg:generic/Saxon@8.8"], sbom.Subject.DependsOn.Select(p => p.ToString()));   // DYNAMIC_LINK

        Assert.Equal(["pkg:generic/Apache%20Commons%20Lang", "pkg:generic/Saxon@8.8", "pkg:maven/org.apache.jena/apache-jena@3.12.0"],
            sbom.Packages.Select(p => p.Purl.ToString()));
        var saxon = sbom.Packages[1];
        Assert.True(saxon.PurlIsSynthetic);
        Assert.Equal(Ecosystem.Generic, saxon.Ecosystem);
        Assert.Equal("Saxon", saxon.Name);
        Assert.Equal("8.8", saxon.Version);
        Assert.Equal(["MPL-1.0"], saxon.Licenses.ToArray());
        Assert.Equal(["sha1:85ed0817af83a24ad8da68c2b5094de69833983c"], saxon.Hashes.Select(h => h.ToString()));
        Assert.Equal([new ExternalReference("distribution", "https://sourceforge.net/projects/saxon/files/Saxon-B/8.8.0.7/saxonb8-8-0-7j.zip/download"),
            new ExternalReference("website", "http://saxon.sourceforge.net/")], saxon.ExternalReferences.ToArray());
        var jena = sbom.Packages[2];
        Assert.False(jena.PurlIsSynthetic);
        Assert.Equal(Ecosystem.Maven, jena.Ecosystem);
        Assert.Equal("org.apache.jena:apache-jena", jena.Name);
        Assert.Equal("3.12.0", jena.Version);
        Assert.Empty(jena.Cpes);
        Assert.Equal(["spdx-json"], jena.FoundBy.ToArray());

        Assert.Equal(5, sbom.LicenseTexts.Count);
        Assert.StartsWith("/*\n * (c) Copyright 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009 Hewlett-Packard Development Company, LP", sbom.LicenseTexts["LicenseRef-1"], StringComparison.Ordinal);
        Assert.Equal("http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301", sbom.SerialNumber);
        Assert.Equal(new DateTimeOffset(2010, 1, 29, 18, 30, 22, TimeSpan.Zero), sbom.Created);
        Assert.Equal([new SbomTool("", "LicenseFind", "1.0")], sbom.Tools.ToArray());
    }

    [Fact]
    public void Reads_the_tag_value_example_to_the_same_packages_as_the_json_example()
    {
        var json = SpdxJsonReader.Read(File.ReadAllText(SpecExample("SPDXJSONExample-v2.3.spdx.json")));
        var tagValue = SpdxTagValueReader.Read(File.ReadAllText(SpecExample("SPDXTagExample-v2.3.spdx")));
        SpdxRoundTripTests.AssertSamePackages(json, tagValue);
        Assert.Equal(json.Subject.Name, tagValue.Subject.Name);
        Assert.Equal(json.Subject.Hashes, tagValue.Subject.Hashes.ToArray());
        Assert.Equal(json.LicenseTexts.Keys, tagValue.LicenseTexts.Keys);
    }

    [Fact]
    public void Reads_another_generators_json_edges_scopes_and_files()
    {
        var sbom = SpdxReader.Read(File.ReadAllText(TestData("other-generator.json")));

        Assert.Equal("shop", sbom.Subject.Name);
        Assert.Equal(SubjectKind.Directory, sbom.Subject.Kind);
        Assert.Equal(["pkg:npm/shop-web@2.1.0"], sbom.Subject.DependsOn.Select(p => p.ToString()));   // CONTAINS
        Assert.Equal(["pkg:generic/zlib@1.3", "pkg:npm/fsevents@2.3.3", "pkg:npm/react@18.2.0", "pkg:npm/shop-web@2.1.0", "pkg:npm/vitest@0.34.6"],
            sbom.Packages.Select(p => p.Purl.ToString()));
        var (zlib, fsevents, react, web, vitest) = (sbom.Packages[0], sbom.Packages[1], sbom.Packages[2], sbom.Packages[3], sbom.Packages[4]);

        Assert.Equal(["pkg:generic/zlib@1.3", "pkg:npm/react@18.2.0", "pkg:npm/vitest@0.34.6"], web.DependsOn.Select(p => p.ToString()));
        Assert.Equal(["pkg:npm/fsevents@2.3.3"], vitest.DependsOn.Select(p => p.ToString()));
        Assert.Equal((Scope.Required, Scope.Dev, Scope.Optional, Scope.Required), (react.Scope, vitest.Scope, fsevents.Scope, zlib.Scope));
        Assert.Equal(PackageKind.Application, web.Kind);
        Assert.Equal([new FileLocation("web/package-lock.json"), new FileLocation("web/package.json")], web.Locations.ToArray());
        Assert.Equal(["Apache License, Version 2.0"], web.Licenses.ToArray());   // not an expression: kept as written, normalised by writers

        // two SPDX packages with one purl are one package
        Assert.Equal(["MIT"], react.Licenses.ToArray());
        Assert.Equal("MIT", react.ConcludedLicense);
        Assert.Equal("Meta Platforms, Inc.", react.Supplier);
        Assert.Equal("Jordan Walke", react.Author);
        Assert.Equal("Copyright (c) Meta Platforms, Inc. and affiliates.", react.Copyright);
        Assert.Equal([HashAlgorithm.Sha512], react.Hashes.Select(h => h.Algorithm));   // SHA224 is dropped
        Assert.Equal(["cpe:2.3:a:facebook:react:18.2.0:*:*:*:*:*:*:*"], react.Cpes.ToArray());
        Assert.Equal([new ExternalReference("distribution", "https://registry.npmjs.org/react/-/react-18.2.0.tgz"),
            new ExternalReference("website", "https://react.dev")], react.ExternalReferences.ToArray());

        Assert.True(zlib.PurlIsSynthetic);
        Assert.Equal([new ExternalReference("vcs", "git+https://github.com/madler/zlib@v1.3")], zlib.ExternalReferences.ToArray());
        Assert.Equal([new SbomTool("", "other-sbom-tool", "0.84.1")], sbom.Tools.ToArray());
        Assert.Equal(new DateTimeOffset(2023, 6, 1, 8, 30, 0, TimeSpan.Zero), sbom.Created);
    }

    [Fact]
    public void Reads_another_generators_tag_value_with_text_blocks_and_unknown_tags()
    {
        var sbom = SpdxReader.Read(File.ReadAllText(TestData("other-generator.spdx")));

        Assert.Equal("inventory-service", sbom.Subject.Name);
        Assert.Equal("3.0.0", sbom.Subject.Version);
        Assert.Equal(Purl.Parse("pkg:maven/com.example/inventory-service@3.0.0"), sbom.Subject.Purl);
        Assert.Equal(["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2", "pkg:maven/junit/junit@4.13.2"],
            sbom.Subject.DependsOn.Select(p => p.ToString()));
        Assert.Equal(["pkg:generic/internal-utils@1.4", "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2", "pkg:maven/junit/junit@4.13.2"],
            sbom.Packages.Select(p => p.Purl.ToString()));
        var (utils, jackson, junit) = (sbom.Packages[0], sbom.Packages[1], sbom.Packages[2]);
        Assert.Equal(["LicenseRef-Example-Proprietary"], utils.Licenses.ToArray());
        Assert.Empty(utils.ExternalReferences.ToArray());   // NONE
        Assert.Equal("Copyright Example Corp.\nAll rights reserved.", sbom.LicenseTexts["LicenseRef-Example-Proprietary"]);
        Assert.Equal(["pkg:generic/internal-utils@1.4"], jackson.DependsOn.Select(p => p.ToString()));   // DEPENDENCY_OF
        Assert.Equal("FasterXML", jackson.Supplier);
        Assert.Null(jackson.Copyright);   // <text>NOASSERTION</text>
        Assert.Equal(["sha1:66b715dec9dd8b0f39f3296e67e05913bf422d0c"], jackson.Hashes.Select(h => h.ToString()));
        Assert.Equal(["cpe:2.3:a:fasterxml:jackson-databind:2.15.2:*:*:*:*:*:*:*"], jackson.Cpes.ToArray());
        Assert.Equal(Scope.Dev, junit.Scope);   // TEST_DEPENDENCY_OF
        Assert.Equal(["EPL-1.0"], junit.Licenses.ToArray());
        Assert.Equal(["spdx-tag-value"], junit.FoundBy.ToArray());
        Assert.Equal([new SbomTool("", "other-sbom-tool", "0.84.1")], sbom.Tools.ToArray());
    }

    [Theory]
    [InlineData("missing-colon.spdx", "line 5: expected 'Tag: value' but found 'this line is not a tag'")]
    [InlineData("unclosed-text.spdx", "line 8: the <text> value of DocumentComment is never closed with </text>")]
    [InlineData("bad-relationship.spdx", "line 13: a Relationship must be 'ELEMENT TYPE RELATED-ELEMENT'")]
    [InlineData("no-version.spdx", "not an SPDX document")]
    [InlineData("spdx3.json", "not an SPDX document")]
    [InlineData("packages-not-array.json", "$.packages must be an array but is an object")]
    [InlineData("name-is-number.json", "$.packages[0].name must be a string but is a number")]
    public void Rejects_malformed_documents_saying_where_and_what_to_do(string file, string message)
    {
        var e = Assert.Throws<InputException>(() => SpdxReader.Read(File.ReadAllText(TestData(file))));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_tag_value_without_an_spdx_version()
    {
        var e = Assert.Throws<InputException>(() => SpdxTagValueReader.Read(File.ReadAllText(TestData("no-version.spdx"))));
        Assert.Contains("no SPDXVersion tag", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_spdx_3_json_ld_saying_to_export_spdx_2_3()
    {
        var e = Assert.Throws<InputException>(() => SpdxJsonReader.Read(File.ReadAllText(TestData("spdx3.json"))));
        Assert.Contains("SPDX 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lets_truncated_json_fail_as_json()
    {
        Assert.ThrowsAny<JsonException>(() => SpdxReader.Read(File.ReadAllText(TestData("truncated.json"))));
    }

    [Fact]
    public void Rejects_an_spdx_version_other_than_2()
    {
        var text = File.ReadAllText(TestData("other-generator.json")).Replace("SPDX-2.2", "SPDX-1.2", StringComparison.Ordinal);
        var e = Assert.Throws<InputException>(() => SpdxJsonReader.Read(text));
        Assert.Contains("spdxVersion 'SPDX-1.2' is not SPDX 2.x", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"spdxVersion\": \"SPDX-2.3\" }", SbomFormat.SpdxJson)]
    [InlineData("\uFEFF  {\"SPDXID\":\"SPDXRef-DOCUMENT\",\"spdxVersion\":\"SPDX-2.2\"}", SbomFormat.SpdxJson)]
    [InlineData("# comment\nSPDXVersion: SPDX-2.3\n", SbomFormat.SpdxTagValue)]
    [InlineData("{\"bomFormat\":\"CycloneDX\"}", null)]
    [InlineData("hello", null)]
    [InlineData("", null)]
    public void Tells_json_from_tag_value(string text, SbomFormat? expected) => Assert.Equal(expected, SpdxReader.Sniff(text));

    [Fact]
    public void Reads_a_huge_text_block_without_trouble()
    {
        var text = "SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nDocumentComment: <text>" + string.Concat(Enumerable.Repeat("line\n", 200_000)) + "</text>\n";
        var sbom = SpdxTagValueReader.Read(text);
        Assert.Empty(sbom.Packages);
    }
}
