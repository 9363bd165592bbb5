// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Bulwark.Core;
using Bulwark.Sbom.CycloneDx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

public sealed class CycloneDxWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-cdx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string Json(Sbom sbom)
    {
        using var ms = new MemoryStream();
        CycloneDxJsonWriter.Write(sbom, ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    internal static string Xml(Sbom sbom)
    {
        using var ms = new MemoryStream();
        CycloneDxXmlWriter.Write(sbom, ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static JsonElement Component(JsonDocument doc, string bomRef) =>
        doc.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("bom-ref").GetString() == bomRef);

    private static List<(string Name, string Value)> Properties(JsonElement e) =>
        e.TryGetProperty("properties", out var p) ? [.. p.EnumerateArray().Select(x => (x.GetProperty("name").GetString()!, x.GetProperty("value").GetString()!))] : [];

    [Fact]
    public void Writes_the_small_sbom_as_json_like_the_golden_file() => Golden.Assert(Json(SampleSboms.Small()));

    [Fact]
    public void Writes_the_small_sbom_as_xml_like_the_golden_file() => Golden.Assert(Xml(SampleSboms.Small()));

    [Fact]
    public void Json_output_passes_the_strict_cyclonedx_1_6_schema()
    {
        var path = Path.Combine(_dir, "small.cdx.json");
        File.WriteAllText(path, Json(SampleSboms.Small()));
        SchemaValidator.ValidateJson(path);
    }

    [Fact]
    public void Xml_output_passes_the_cyclonedx_1_6_xsd()
    {
        var path = Path.Combine(_dir, "small.cdx.xml");
        File.WriteAllText(path, Xml(SampleSboms.Small()));
        SchemaValidator.ValidateXml(path);
    }

    [Fact]
    public void Writing_twice_gives_identical_bytes()
    {
        Assert.Equal(Json(SampleSboms.Small()), Json(SampleSboms.Small()));
        Assert.Equal(Xml(SampleSboms.Small()), Xml(SampleSboms.Small()));
    }

    [Fact]
    public void Serial_number_is_the_content_id_unless_the_sbom_has_one()
    {
        var sbom = SampleSboms.Small();
        using var derived = JsonDocument.Parse(Json(sbom));
        Assert.Equal("urn:uuid:" + sbom.ContentId(), derived.RootElement.GetProperty("serialNumber").GetString());

        using var given = JsonDocument.Parse(Json(sbom with { SerialNumber = "urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79" }));
        Assert.Equal("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", given.RootElement.GetProperty("serialNumber").GetString());

        // a non-UUID identity (an SPDX document namespace) still gives a valid, stable urn:uuid
        var spdx = sbom with { SerialNumber = "https://example.com/spdxdocs/shop-1.0.0" };
        using var hashed = JsonDocument.Parse(Json(spdx));
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", hashed.RootElement.GetProperty("serialNumber").GetString());
        Assert.Equal(hashed.RootElement.GetProperty("serialNumber").GetString(), JsonDocument.Parse(Json(spdx)).RootElement.GetProperty("serialNumber").GetString());
    }

    [Fact]
    public void Metadata_carries_timestamp_tools_subject_and_document_properties()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        var m = doc.RootElement.GetProperty("metadata");
        Assert.Equal("2026-01-02T03:04:05Z", m.GetProperty("timestamp").GetString());
        var tool = m.GetProperty("tools").GetProperty("components").EnumerateArray().Single();
        Assert.Equal(("application", "Bulwark", "bulwark", "0.1.0"),
            (tool.GetProperty("type").GetString(), tool.GetProperty("publisher").GetString(), tool.GetProperty("name").GetString(), tool.GetProperty("version").GetString()));
        var subject = m.GetProperty("component");
        Assert.Equal("application", subject.GetProperty("type").GetString());
        Assert.Equal("bulwark:subject", subject.GetProperty("bom-ref").GetString());
        Assert.Equal([("bulwark:subject-kind", "directory")], Properties(subject));
        // document properties keep their order and repeated names
        Assert.Equal([("bulwark:unreadable", "broken/package-lock.json: line 3: unexpected end of JSON"), ("bulwark:catalogers", "go-mod, maven-pom, npm-package-lock, pip-requirements, vendored-sources")], Properties(m));
    }

    [Fact]
    public void Components_follow_package_order_with_the_purl_as_bom_ref()
    {
        var sbom = SampleSboms.Small();
        using var doc = JsonDocument.Parse(Json(sbom));
        var refs = doc.RootElement.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("bom-ref").GetString()).ToList();
        Assert.Equal(
        [
            CycloneDxMapping.BomRef(sbom.Packages.Single(p => p.PurlIsSynthetic)),
            "pkg:golang/github.com/gorilla/mux@v1.8.0",
            "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "pkg:npm/%40babel/core@7.24.0",
            "pkg:npm/debug@4.3.4",
            "pkg:npm/shop@1.0.0",
            "pkg:pypi/requests@2.31.0",
        ], refs);
        var babel = Component(doc, "pkg:npm/%40babel/core@7.24.0");
        Assert.Equal(("@babel", "core", "7.24.0", "pkg:npm/%40babel/core@7.24.0"),
            (babel.GetProperty("group").GetString(), babel.GetProperty("name").GetString(), babel.GetProperty("version").GetString(), babel.GetProperty("purl").GetString()));
        var log4j = Component(doc, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        Assert.Equal("org.apache.logging.log4j", log4j.GetProperty("group").GetString());
        Assert.Equal("log4j-core", log4j.GetProperty("name").GetString());
    }

    [Fact]
    public void A_package_with_a_made_up_purl_gets_a_content_derived_ref_and_no_purl()
    {
        var sbom = SampleSboms.Small();
        using var doc = JsonDocument.Parse(Json(sbom));
        var vendored = doc.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "vendored-zlib");
        Assert.Matches("^bulwark:component/[0-9a-f]{24}$", vendored.GetProperty("bom-ref").GetString());
        Assert.False(vendored.TryGetProperty("purl", out _));
        Assert.Equal("file", vendored.GetProperty("type").GetString());
        // the ref depends on the package only, not on the rest of the SBOM
        var alone = sbom with { Packages = [.. sbom.Packages.Where(p => p.PurlIsSynthetic)] };
        using var other = JsonDocument.Parse(Json(alone));
        Assert.Equal(vendored.GetProperty("bom-ref").GetString(), other.RootElement.GetProperty("components")[0].GetProperty("bom-ref").GetString());
    }

    [Fact]
    public void Dev_dependencies_are_optional_with_a_dev_scope_property()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        var babel = Component(doc, "pkg:npm/%40babel/core@7.24.0");
        Assert.Equal("optional", babel.GetProperty("scope").GetString());
        Assert.Contains(("bulwark:scope", "dev"), Properties(babel));
        var debug = Component(doc, "pkg:npm/debug@4.3.4");
        Assert.Equal("optional", debug.GetProperty("scope").GetString());
        Assert.DoesNotContain(Properties(debug), p => p.Name == "bulwark:scope");
        Assert.Equal("required", Component(doc, "pkg:pypi/requests@2.31.0").GetProperty("scope").GetString());
    }

    [Fact]
    public void Properties_are_sorted_and_include_found_by_root_and_extra_cpes()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        Assert.Equal([("bulwark:found-by", "npm-package-lock"), ("bulwark:root", "true")], Properties(Component(doc, "pkg:npm/shop@1.0.0")));
        Assert.Equal([("bulwark:found-by", "npm-package-lock"), ("bulwark:source", "registry")], Properties(Component(doc, "pkg:npm/debug@4.3.4")));
        var log4j = Component(doc, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        Assert.Equal("cpe:2.3:a:apache:log4j-core:2.14.1:*:*:*:*:*:*:*", log4j.GetProperty("cpe").GetString());
        Assert.Equal([("bulwark:cpe", "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"), ("bulwark:found-by", "maven-pom")], Properties(log4j));
        Assert.Equal("The Apache Software Foundation", log4j.GetProperty("supplier").GetProperty("name").GetString());
        Assert.Equal([("bulwark:concluded-license", "Apache-2.0"), ("bulwark:found-by", "pip-requirements")], Properties(Component(doc, "pkg:pypi/requests@2.31.0")));
    }

    [Fact]
    public void Licenses_are_ids_a_lone_expression_or_names()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        string Licenses(string bomRef) => Component(doc, bomRef).GetProperty("licenses").GetRawText().Replace("\n", "").Replace(" ", "");
        Assert.Equal("""[{"license":{"id":"MIT","acknowledgement":"declared"}}]""", Licenses("pkg:npm/%40babel/core@7.24.0"));
        // a single expression is normalised: listed ids in their canonical case, operators upper-case, redundant parentheses dropped
        Assert.Equal("""[{"expression":"MITORApache-2.0","acknowledgement":"declared"}]""", Licenses("pkg:npm/debug@4.3.4"));
        // several licenses cannot include an expression object, so expressions and refs among them are names
        Assert.Equal("""[{"license":{"id":"Apache-2.0","acknowledgement":"declared"}},{"license":{"name":"LicenseRef-requests-notice","acknowledgement":"declared"}},{"license":{"name":"MITORBSD-3-Clause","acknowledgement":"declared"}}]""", Licenses("pkg:pypi/requests@2.31.0"));
        var vendored = doc.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "vendored-zlib");
        Assert.Equal("Zlib License, see LICENSE", vendored.GetProperty("licenses")[0].GetProperty("license").GetProperty("name").GetString());
    }

    [Fact]
    public void Evidence_lists_every_location_with_line_and_layer()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        var occurrences = Component(doc, "pkg:npm/debug@4.3.4").GetProperty("evidence").GetProperty("occurrences");
        Assert.Equal("""[{"location":"package-lock.json","line":30},{"location":"usr/lib/node_modules/debug/package.json","additionalContext":"layer sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}]""",
            JsonSerializer.Serialize(occurrences));
    }

    [Fact]
    public void External_references_of_unknown_type_are_other_with_the_type_as_comment()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        var refs = Component(doc, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").GetProperty("externalReferences");
        Assert.Equal("""[{"url":"https://logging.apache.org/","comment":"homepage","type":"other"},{"url":"https://logging.apache.org/log4j/2.x/","type":"website"}]""",
            JsonSerializer.Serialize(refs));
    }

    [Fact]
    public void Dependencies_cover_the_subject_and_each_package_with_edges_and_drop_dangling_ones()
    {
        using var doc = JsonDocument.Parse(Json(SampleSboms.Small()));
        var deps = doc.RootElement.GetProperty("dependencies").EnumerateArray()
            .Select(d => (d.GetProperty("ref").GetString(), string.Join(" ", d.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString())))).ToList();
        Assert.Equal(
        [
            ("bulwark:subject", "pkg:npm/shop@1.0.0"),
            ("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"),
            ("pkg:npm/%40babel/core@7.24.0", "pkg:npm/debug@4.3.4"),
            ("pkg:npm/shop@1.0.0", "pkg:npm/%40babel/core@7.24.0 pkg:npm/debug@4.3.4"),
        ], deps);
    }

    [Fact]
    public void Subject_with_a_purl_of_its_own_uses_it_as_bom_ref_unless_a_package_has_it()
    {
        var sbom = SampleSboms.Small();
        using var own = JsonDocument.Parse(Json(sbom with { Subject = sbom.Subject with { Purl = Purl.Parse("pkg:oci/shop@sha256:abc"), Kind = SubjectKind.Image } }));
        var subject = own.RootElement.GetProperty("metadata").GetProperty("component");
        Assert.Equal(("container", "pkg:oci/shop@sha256:abc", "pkg:oci/shop@sha256:abc"),
            (subject.GetProperty("type").GetString(), subject.GetProperty("bom-ref").GetString(), subject.GetProperty("purl").GetString()));

        using var shared = JsonDocument.Parse(Json(sbom with { Subject = sbom.Subject with { Purl = SampleSboms.Shop } }));
        Assert.Equal("bulwark:subject", shared.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("bom-ref").GetString());
    }

    [Fact]
    public void Xml_output_says_the_same_as_json_output()
    {
        var sbom = SampleSboms.Small();
        var xml = XDocument.Parse(Xml(sbom));
        XNamespace ns = "http://cyclonedx.org/schema/bom/1.6";
        Assert.Equal("urn:uuid:" + sbom.ContentId(), xml.Root!.Attribute("serialNumber")!.Value);
        Assert.Equal(
            ["pkg:golang/github.com/gorilla/mux@v1.8.0", "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
             "pkg:npm/%40babel/core@7.24.0", "pkg:npm/debug@4.3.4", "pkg:npm/shop@1.0.0", "pkg:pypi/requests@2.31.0"],
            xml.Root.Element(ns + "components")!.Elements(ns + "component").Select(c => c.Element(ns + "purl")?.Value).OfType<string>());
        var deps = xml.Root.Element(ns + "dependencies")!.Elements(ns + "dependency")
            .Select(d => (d.Attribute("ref")!.Value, string.Join(" ", d.Elements(ns + "dependency").Select(x => x.Attribute("ref")!.Value)))).ToList();
        Assert.Equal(4, deps.Count);
        Assert.Equal(("pkg:npm/shop@1.0.0", "pkg:npm/%40babel/core@7.24.0 pkg:npm/debug@4.3.4"), deps[3]);
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_replaced_and_the_output_stays_valid()
    {
        var sbom = SampleSboms.Small();
        var odd = sbom.Packages[1] with { Description = "bell\u0007 and nul\u0000 in a description", Copyright = "\uD800 lone" };
        var xml = Xml(sbom with { Packages = sbom.Packages.SetItem(1, odd) });
        var path = Path.Combine(_dir, "odd.cdx.xml");
        File.WriteAllText(path, xml);
        SchemaValidator.ValidateXml(path);
        var read = CycloneDxXmlReader.Read(File.OpenRead(path), path);
        Assert.Equal("bell\uFFFD and nul\uFFFD in a description", read.Packages[1].Description);
        Assert.Equal("\uFFFD lone", read.Packages[1].Copyright);
    }

    [Fact]
    public void Repeated_purls_in_the_model_still_give_unique_bom_refs()
    {
        var sbom = SampleSboms.Small();
        var debug = sbom.Packages.Single(p => p.Purl == SampleSboms.Debug);
        var again = debug with { Locations = [new FileLocation("other/package-lock.json", 9)], Scope = Scope.Required };
        var doubled = sbom with { Packages = sbom.Packages.Insert(sbom.Packages.IndexOf(debug) + 1, again) };
        using var doc = JsonDocument.Parse(Json(doubled));
        var debugs = doc.RootElement.GetProperty("components").EnumerateArray().Where(c => c.GetProperty("bom-ref").GetString() == "pkg:npm/debug@4.3.4").ToList();
        var merged = Assert.Single(debugs);
        Assert.Equal("required", merged.GetProperty("scope").GetString());
        Assert.Equal(3, merged.GetProperty("evidence").GetProperty("occurrences").GetArrayLength());
        var path = Path.Combine(_dir, "doubled.cdx.xml");
        File.WriteAllText(path, Xml(doubled));
        SchemaValidator.ValidateXml(path);
    }
}
