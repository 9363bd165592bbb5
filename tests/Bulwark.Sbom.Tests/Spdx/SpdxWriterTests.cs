// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Sbom.Spdx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Spdx;

public class SpdxWriterTests
{
    private static readonly Sbom Sample = SpdxSample.Build();

    [Fact]
    public void Writes_json_as_the_golden_file_shows() => Golden.Assert(SpdxJsonWriter.Write(Sample));

    [Fact]
    public void Writes_tag_value_as_the_golden_file_shows() => Golden.Assert(SpdxTagValueWriter.Write(Sample));

    [Fact]
    public void Writes_json_the_SPDX_2_3_schema_accepts()
    {
        var (exitCode, output) = Validators.ValidateSpdxJson(SpdxJsonWriter.Write(Sample));
        Assert.True(exitCode == 0, output);
        Assert.Contains("valid SPDX 2.3 JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_validation_rejects_a_document_missing_required_fields()
    {
        // proves the validator is strict enough to fail: a package without downloadLocation
        var json = SpdxJsonWriter.Write(Sample).Replace("\"downloadLocation\": \"NOASSERTION\",", "", StringComparison.Ordinal);
        var (exitCode, output) = Validators.ValidateSpdxJson(json);
        Assert.Equal(1, exitCode);
        Assert.Contains("downloadLocation", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"licenseDeclared\": \"LicenseRef-BSD\"", "\"licenseDeclared\": \"BSD\"", "is not an SPDX license expression")]
    [InlineData("\"licenseId\": \"LicenseRef-BSD\"", "\"licenseId\": \"LicenseRef-Other\"", "uses LicenseRef-BSD, which hasExtractedLicensingInfos does not declare")]
    [InlineData("\"relatedSpdxElement\": \"SPDXRef-DocumentRoot-Directory-acme-web\"", "\"relatedSpdxElement\": \"SPDXRef-Nowhere\"", "SPDXRef-Nowhere is not defined in the document")]
    [InlineData("\"created\": \"2024-05-01T12:00:00Z\"", "\"created\": \"2024-05-01 12:00\"", "is not YYYY-MM-DDThh:mm:ssZ")]
    public void Validation_rejects_what_the_schema_cannot_see(string find, string replace, string message)
    {
        var json = SpdxJsonWriter.Write(Sample);
        Assert.Contains(find, json, StringComparison.Ordinal);
        var (exitCode, output) = Validators.ValidateSpdxJson(json.Replace(find, replace, StringComparison.Ordinal));
        Assert.Equal(1, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_the_same_bytes_for_the_same_sbom()
    {
        Assert.Equal(SpdxJsonWriter.Write(Sample), SpdxJsonWriter.Write(SpdxSample.Build()));
        Assert.Equal(SpdxTagValueWriter.Write(Sample), SpdxTagValueWriter.Write(SpdxSample.Build()));
    }

    [Fact]
    public void Derives_ids_and_namespace_from_content()
    {
        using var json = JsonDocument.Parse(SpdxJsonWriter.Write(Sample));
        var root = json.RootElement;
        Assert.Equal($"https://spdx.org/spdxdocs/bulwark-acme-web-{Sample.ContentId()}", root.GetProperty("documentNamespace").GetString());
        Assert.Equal("2024-05-01T12:00:00Z", root.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.Equal(["Tool: bulwark-0.1.0"], root.GetProperty("creationInfo").GetProperty("creators").EnumerateArray().Select(e => e.GetString()));
        var ids = root.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("SPDXID").GetString()!).ToList();
        Assert.Equal(8, ids.Count);
        Assert.Equal("SPDXRef-DocumentRoot-Directory-acme-web", ids[0]);
        Assert.Contains("SPDXRef-Package-maven-log4j-core-" + ShortHash(SpdxSample.Log4j), ids);
        Assert.All(ids, id => Assert.Matches("^SPDXRef-[A-Za-z0-9.-]+$", id));
    }

    [Fact]
    public void Uses_the_serial_number_as_the_namespace_uuid_when_it_has_one()
    {
        var sbom = Sample with { SerialNumber = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" };
        using var json = JsonDocument.Parse(SpdxJsonWriter.Write(sbom));
        Assert.Equal("https://spdx.org/spdxdocs/bulwark-acme-web-3e671687-395b-41f5-a30f-a58921a69b79",
            json.RootElement.GetProperty("documentNamespace").GetString());
    }

    [Fact]
    public void Writes_dev_and_optional_dependencies_as_the_dependency_of_relationships()
    {
        var rels = Relationships(SpdxJsonWriter.Write(Sample));
        var app = Id(SpdxSample.App);
        Assert.Contains(("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-DocumentRoot-Directory-acme-web"), rels);
        Assert.Contains(("SPDXRef-DocumentRoot-Directory-acme-web", "DEPENDS_ON", app), rels);
        Assert.Contains((app, "DEPENDS_ON", Id(SpdxSample.Express)), rels);
        Assert.Contains((Id(SpdxSample.Jest), "DEV_DEPENDENCY_OF", app), rels);
        Assert.Contains((Id(SpdxSample.Fsevents), "OPTIONAL_DEPENDENCY_OF", app), rels);
        Assert.Contains((Id(SpdxSample.Express), "DEPENDS_ON", Id(SpdxSample.Debug)), rels);
        Assert.Equal(6, rels.Count);   // the edge to pkg:npm/not-in-the-sbom is left out
        Assert.Equal(rels.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.Item3, StringComparer.Ordinal), rels);
    }

    [Fact]
    public void Never_writes_a_relationship_to_an_element_it_does_not_define()
    {
        var json = SpdxJsonWriter.Write(Sample);
        using var doc = JsonDocument.Parse(json);
        var ids = doc.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("SPDXID").GetString()).Append("SPDXRef-DOCUMENT").ToHashSet();
        Assert.All(Relationships(json), r => { Assert.Contains(r.Item1, ids); Assert.Contains(r.Item3, ids); });
    }

    [Fact]
    public void Writes_package_fields_in_spdx_terms()
    {
        var express = Package(SpdxJsonWriter.Write(Sample), SpdxSample.Express);
        Assert.Equal("express", express.GetProperty("name").GetString());
        Assert.Equal("4.18.2", express.GetProperty("versionInfo").GetString());
        Assert.Equal("https://registry.npmjs.org/express/-/express-4.18.2.tgz", express.GetProperty("downloadLocation").GetString());
        Assert.Equal("http://expressjs.com/", express.GetProperty("homepage").GetString());
        Assert.False(express.GetProperty("filesAnalyzed").GetBoolean());
        Assert.Equal("Organization: OpenJS Foundation", express.GetProperty("supplier").GetString());
        Assert.Equal("Person: TJ Holowaychuk", express.GetProperty("originator").GetString());
        Assert.Equal("MIT", express.GetProperty("licenseDeclared").GetString());
        Assert.Equal("NOASSERTION", express.GetProperty("licenseConcluded").GetString());
        Assert.Equal("NOASSERTION", express.GetProperty("copyrightText").GetString());
        Assert.Equal("found in: package-lock.json", express.GetProperty("sourceInfo").GetString());
        Assert.Equal("LIBRARY", express.GetProperty("primaryPackagePurpose").GetString());
        var checksum = Assert.Single(express.GetProperty("checksums").EnumerateArray());
        Assert.Equal("SHA512", checksum.GetProperty("algorithm").GetString());
        Assert.Equal(128, checksum.GetProperty("checksumValue").GetString()!.Length);
        Assert.Equal(
            ["PACKAGE-MANAGER purl pkg:npm/express@4.18.2", "SECURITY cpe23Type cpe:2.3:a:expressjs:express:4.18.2:*:*:*:*:node.js:*:*"],
            express.GetProperty("externalRefs").EnumerateArray().Select(r =>
                $"{r.GetProperty("referenceCategory").GetString()} {r.GetProperty("referenceType").GetString()} {r.GetProperty("referenceLocator").GetString()}"));

        var log4j = Package(SpdxJsonWriter.Write(Sample), SpdxSample.Log4j);
        Assert.Equal("found in: services/api/pom.xml, services/worker/pom.xml", log4j.GetProperty("sourceInfo").GetString());
        Assert.Equal("Apache-2.0", log4j.GetProperty("licenseConcluded").GetString());
        Assert.Equal("APPLICATION", Package(SpdxJsonWriter.Write(Sample), SpdxSample.App).GetProperty("primaryPackagePurpose").GetString());
    }

    [Fact]
    public void Leaves_out_the_purl_of_a_package_whose_purl_was_made_up_and_uses_its_vcs_as_download_location()
    {
        using var doc = JsonDocument.Parse(SpdxJsonWriter.Write(Sample));
        var zlib = doc.RootElement.GetProperty("packages").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "vendored-zlib");
        Assert.False(zlib.TryGetProperty("externalRefs", out _));
        Assert.Equal("git+https://github.com/madler/zlib.git", zlib.GetProperty("downloadLocation").GetString());
        Assert.Equal("Copyright (C) 1995-2023 Jean-loup Gailly and Mark Adler", zlib.GetProperty("copyrightText").GetString());
    }

    [Fact]
    public void Writes_licenses_it_cannot_name_as_license_refs_with_their_text()
    {
        var json = SpdxJsonWriter.Write(Sample);
        Assert.Equal("Apache-2.0", Package(json, SpdxSample.Debug).GetProperty("licenseDeclared").GetString());
        Assert.Equal("LicenseRef-Public-Domain", Package(json, SpdxSample.Jest).GetProperty("licenseDeclared").GetString());
        Assert.Equal("LicenseRef-BSD", Package(json, SpdxSample.Fsevents).GetProperty("licenseDeclared").GetString());
        using var doc = JsonDocument.Parse(json);
        var extracted = doc.RootElement.GetProperty("hasExtractedLicensingInfos").EnumerateArray()
            .Select(e => (e.GetProperty("licenseId").GetString(), e.GetProperty("extractedText").GetString())).ToList();
        Assert.Equal([("LicenseRef-BSD", "BSD"), ("LicenseRef-Public-Domain", "Public Domain")], extracted);
    }

    [Fact]
    public void Writes_scope_and_properties_as_bulwark_annotations()
    {
        var jest = Package(SpdxJsonWriter.Write(Sample), SpdxSample.Jest);
        var comments = jest.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("comment").GetString()).ToList();
        Assert.Equal(["bulwark:scope=dev", "npm:alias=jest-cli"], comments);
        Assert.Equal("Tool: bulwark-0.1.0", jest.GetProperty("annotations")[0].GetProperty("annotator").GetString());
        using var doc = JsonDocument.Parse(SpdxJsonWriter.Write(Sample));
        Assert.Equal("bulwark:unreadable=broken/package-lock.json: line 3: expected ','",
            doc.RootElement.GetProperty("annotations")[0].GetProperty("comment").GetString());
    }

    [Fact]
    public void Tag_value_wraps_multi_line_values_in_text_tags()
    {
        var sbom = Sample with { Packages = [.. Sample.Packages.Select(p => p.Purl == SpdxSample.Debug ? p with { Copyright = "Copyright 2014\nTJ Holowaychuk" } : p)] };
        var text = SpdxTagValueWriter.Write(sbom);
        Assert.Contains("PackageCopyrightText: <text>Copyright 2014\nTJ Holowaychuk</text>\n", text, StringComparison.Ordinal);
        var back = SpdxTagValueReader.Read(text);
        Assert.Equal("Copyright 2014\nTJ Holowaychuk", back.Packages.Single(p => p.Purl == SpdxSample.Debug).Copyright);
    }

    internal static string Id(Purl purl) => $"SPDXRef-Package-{purl.Type}-{purl.Name}-{ShortHash(purl)}";

    private static string ShortHash(Purl purl) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purl.ToString())))[..8];

    private static List<(string, string, string)> Relationships(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("relationships").EnumerateArray().Select(r =>
            (r.GetProperty("spdxElementId").GetString()!, r.GetProperty("relationshipType").GetString()!, r.GetProperty("relatedSpdxElement").GetString()!))];
    }

    private static JsonElement Package(string json, Purl purl)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("packages").EnumerateArray().Single(p => p.GetProperty("SPDXID").GetString() == Id(purl)).Clone();
    }
}
