// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Sbom.CycloneDx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

public sealed class CycloneDxReaderTests
{
    private static string TestData(string name) => Path.Combine(TestPaths.Project("Bulwark.Sbom.Tests"), "CycloneDx", "testdata", name);

    private static Sbom ReadTestData(string name)
    {
        using var stream = File.OpenRead(TestData(name));
        return name.EndsWith(".xml", StringComparison.Ordinal) ? CycloneDxXmlReader.Read(stream, name) : CycloneDxJsonReader.Read(stream, name);
    }

    private static Sbom Corpus(string relative) => CycloneDxRoundTripTests.ReadCorpus(relative);

    private static Package Get(Sbom sbom, string purl) => sbom.Packages.Single(p => p.Purl.ToString() == purl);

    private static IEnumerable<string> Purls(IEnumerable<Purl> purls) => purls.Select(p => p.ToString());

    [Theory]
    [InlineData("scopes-and-edges.json", "cyclonedx-json")]
    [InlineData("scopes-and-edges.xml", "cyclonedx-xml")]
    public void Reads_scopes_licenses_hashes_nesting_and_edges(string file, string reader)
    {
        var sbom = ReadTestData(file);
        Assert.Equal(
        [
            "pkg:generic/acme/in-house-kit@0.1",
            "pkg:generic/bad-purl@1",
            "pkg:generic/kit-driver@0.1",
            "pkg:npm/express@4.19.2",
            "pkg:npm/fsevents@2.3.3",
            "pkg:npm/jest@29.7.0",
            "pkg:npm/nodemon@3.1.0",
        ], Purls(sbom.Packages.Select(p => p.Purl)));

        var express = Get(sbom, "pkg:npm/express@4.19.2");
        Assert.Equal((Ecosystem.Npm, "express", "4.19.2", Scope.Required, false), (express.Ecosystem, express.Name, express.Version, express.Scope, express.PurlIsSynthetic));
        Assert.Equal(["MIT"], express.Licenses.ToArray());
        // upper-case hex is normalised; BLAKE2b-512 has no place in the model and is left out
        Assert.Equal([new Digest(HashAlgorithm.Sha512, string.Concat(Enumerable.Repeat("ab", 64)))], express.Hashes.ToArray());
        Assert.Equal(["pkg:npm/fsevents@2.3.3"], Purls(express.DependsOn));   // the edge to "ghost" is dropped
        Assert.Equal([reader], express.FoundBy.ToArray());

        var jest = Get(sbom, "pkg:npm/jest@29.7.0");
        Assert.Equal(Scope.Dev, jest.Scope);   // "excluded"
        Assert.Equal(["MIT OR (Apache-2.0 AND BSD-3-Clause)"], jest.Licenses.ToArray());
        Assert.Equal(Scope.Dev, Get(sbom, "pkg:npm/nodemon@3.1.0").Scope);   // cyclonedx-npm's dev marker

        var fsevents = Get(sbom, "pkg:npm/fsevents@2.3.3");
        Assert.Equal(Scope.Optional, fsevents.Scope);
        Assert.Equal(["Custom: see LICENSE", "MIT"], fsevents.Licenses.ToArray());

        var kit = Get(sbom, "pkg:generic/acme/in-house-kit@0.1");
        Assert.Equal((true, "acme/in-house-kit", PackageKind.Framework), (kit.PurlIsSynthetic, kit.Name, kit.Kind));
        Assert.Equal(["pkg:generic/kit-driver@0.1"], Purls(kit.DependsOn));
        var driver = Get(sbom, "pkg:generic/kit-driver@0.1");
        Assert.Equal(PackageKind.Other, driver.Kind);
        Assert.Equal("device-driver", driver.Properties["bulwark:cyclonedx-type"]);
        Assert.Equal([new FileLocation("drivers/kit.ko", 7)], driver.Locations.ToArray());
        Assert.Equal("not a purl", Get(sbom, "pkg:generic/bad-purl@1").Properties["bulwark:cyclonedx-purl"]);

        Assert.Equal(("app", "2.0.0", "pkg:npm/app@2.0.0", SubjectKind.Other), (sbom.Subject.Name, sbom.Subject.Version, sbom.Subject.Purl?.ToString(), sbom.Subject.Kind));
        Assert.Equal(["pkg:npm/express@4.19.2", "pkg:npm/jest@29.7.0"], Purls(sbom.Subject.DependsOn));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), sbom.Created);
        Assert.Equal("urn:uuid:0b4d7a35-3f51-4c1e-9d6a-1e0a5b8f2c11", sbom.SerialNumber);
        Assert.Equal([new SbomTool("@cyclonedx", "cyclonedx-npm", "1.19.0")], sbom.Tools.ToArray());
    }

    [Fact]
    public void Json_and_xml_encodings_of_one_document_read_the_same()
    {
        var json = ReadTestData("scopes-and-edges.json");
        var xml = ReadTestData("scopes-and-edges.xml");
        CycloneDxRoundTripTests.AssertSame(
            json with { Packages = [.. json.Packages.Select(p => p with { FoundBy = [] })] },
            xml with { Packages = [.. xml.Packages.Select(p => p with { FoundBy = [] })] }, "scopes-and-edges");
    }

    [Theory]
    [InlineData("cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json", "cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.xml")]
    [InlineData("cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json", "cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.xml")]
    [InlineData("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json", "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml")]
    [InlineData("cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json", "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.xml")]
    public void A_generators_json_and_xml_output_read_as_the_same_packages(string jsonFile, string xmlFile)
    {
        var (json, xml) = (Corpus(jsonFile), Corpus(xmlFile));
        Assert.NotEmpty(json.Packages);
        Assert.Equal(Purls(json.Packages.Select(p => p.Purl)), Purls(xml.Packages.Select(p => p.Purl)));
        foreach (var (j, x) in json.Packages.Zip(xml.Packages))
        {
            Assert.Equal((j.Version, j.Scope), (x.Version, x.Scope));
            Assert.Equal(j.Hashes.ToArray(), x.Hashes.ToArray());
            // upstream's two dropwizard files differ here: only the JSON states this component's license
            if (j.Purl.ToString() != "pkg:maven/org.glassfish.hk2/osgi-resource-locator@1.0.1?type=jar")
                Assert.Equal(j.Licenses.ToArray(), x.Licenses.ToArray());
            Assert.Equal(j.DependsOn.ToArray(), x.DependsOn.ToArray());
        }
        Assert.Equal(json.Subject.DependsOn.ToArray(), xml.Subject.DependsOn.ToArray());
    }

    [Fact]
    public void Reads_a_cyclonedx_1_2_maven_sbom_with_hashes_licenses_and_edges()
    {
        var sbom = Corpus("cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json");
        Assert.Equal(167, sbom.Packages.Length);
        Assert.Equal(61, sbom.Packages.Count(p => !p.DependsOn.IsEmpty));
        var databind = Get(sbom, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar");
        Assert.Equal((Ecosystem.Maven, "com.fasterxml.jackson.core:jackson-databind", "2.9.10"), (databind.Ecosystem, databind.Name, databind.Version));
        // MD5, SHA-1, SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-512; SHA3-384 has no place in the model
        Assert.Equal([HashAlgorithm.Md5, HashAlgorithm.Sha1, HashAlgorithm.Sha256, HashAlgorithm.Sha384, HashAlgorithm.Sha512, HashAlgorithm.Sha3_256, HashAlgorithm.Sha3_512],
            databind.Hashes.Select(h => h.Algorithm));
        Assert.Equal("49bb71a73fcdcdf59c40a1a01d7245f41d3a8ba96ea6182b720f0c6167241757", databind.Hashes.Single(h => h.Algorithm == HashAlgorithm.Sha256).Hex);
        Assert.Equal(["Apache-2.0"], databind.Licenses.ToArray());
        Assert.Equal("FasterXML", databind.Properties["bulwark:publisher"]);
        Assert.Equal(
        [
            "pkg:maven/com.google.errorprone/error_prone_annotations@2.1.3?type=jar",
            "pkg:maven/com.google.j2objc/j2objc-annotations@1.1?type=jar",
            "pkg:maven/org.checkerframework/checker-compat-qual@2.0.0?type=jar",
            "pkg:maven/org.codehaus.mojo/animal-sniffer-annotations@1.14?type=jar",
        ], Purls(Get(sbom, "pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar").DependsOn));
        Assert.Equal("pkg:maven/io.dropwizard/dropwizard-parent@1.3.15", sbom.Subject.Purl?.ToString());
        Assert.Equal([new SbomTool("CycloneDX", "CycloneDX Maven plugin", "2.0.2")], sbom.Tools.ToArray());
        Assert.Equal(new DateTimeOffset(2020, 8, 2, 21, 27, 4, TimeSpan.Zero), sbom.Created);
        Assert.Equal("urn:uuid:b4f2954f-a96d-4578-9509-1ae2d6476209", sbom.SerialNumber);
    }

    [Fact]
    public void Reads_a_composer_sbom_whose_refs_are_not_purls()
    {
        var sbom = Corpus("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json");
        Assert.Equal(62, sbom.Packages.Length);
        var cors = Get(sbom, "pkg:composer/asm89/stack-cors@1.3.0");
        Assert.Equal((Ecosystem.Packagist, "asm89/stack-cors", "Alexander"), (cors.Ecosystem, cors.Name, cors.Author));
        Assert.Equal(["MIT"], cors.Licenses.ToArray());
        Assert.Equal(5, cors.ExternalReferences.Length);
        Assert.Contains(new ExternalReference("vcs", "https://github.com/asm89/stack-cors.git"), cors.ExternalReferences);
        Assert.Equal("b9c31def6a83f84b4d4a40d35996d375755f0e08", cors.Properties["cdx:composer:package:distReference"]);
        Assert.Equal(2, cors.DependsOn.Length);
        Assert.All(cors.DependsOn, d => Assert.StartsWith("pkg:composer/symfony/http-", d.ToString(), StringComparison.Ordinal));
        Assert.Equal("cyclonedx-php-composer-demo", sbom.Subject.Name);
        Assert.Single(sbom.Subject.DependsOn);
        Assert.StartsWith("pkg:composer/laravel/laravel@", sbom.Subject.DependsOn[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Merges_components_that_repeat_a_purl()
    {
        // npm's flat tree lists 1115 components for 978 distinct purls
        Assert.Equal(978, Corpus("cyclonedx-bom-examples/SBOM/juice-shop/via_npm/flat/bom.1.4.json").Packages.Length);
    }

    [Fact]
    public void Components_without_purls_get_synthetic_ones_and_keep_their_edges()
    {
        var sbom = Corpus("cyclonedx-spec/tools/src/test/resources/1.6/valid-dependency-1.6.json");
        Assert.Equal(["pkg:generic/library-a@1.0.0", "pkg:generic/library-b@1.0.0", "pkg:generic/library-c@1.0.0"], Purls(sbom.Packages.Select(p => p.Purl)));
        Assert.All(sbom.Packages, p => Assert.True(p.PurlIsSynthetic));
        Assert.Equal(["pkg:generic/library-c@1.0.0"], Purls(Get(sbom, "pkg:generic/library-b@1.0.0").DependsOn));
        Assert.Empty(Get(sbom, "pkg:generic/library-a@1.0.0").DependsOn);
    }

    [Fact]
    public void Reads_nested_components()
    {
        var sbom = Corpus("cyclonedx-spec/tools/src/test/resources/1.6/valid-assembly-1.6.json");
        Assert.Equal(["pkg:generic/acme-library-a@1.0.0", "pkg:generic/acme-library-b@2.0.0"], Purls(sbom.Packages.Select(p => p.Purl)));
    }

    [Fact]
    public void Reads_evidence_occurrences_as_locations()
    {
        var sbom = Corpus("cyclonedx-spec/tools/src/test/resources/1.6/valid-evidence-1.6.json");
        Assert.Equal(["/another/path/to/component", "/path/to/component"],
            Get(sbom, "pkg:maven/com.google.code.findbugs/findbugs-project@3.0.0").Locations.Select(l => l.Path));
    }

    [Fact]
    public void Documents_without_components_read_as_empty()
    {
        var vex = Corpus("cyclonedx-bom-examples/VEX/vex.json");
        Assert.Empty(vex.Packages);
        var cbom = Corpus("cyclonedx-bom-examples/CBOM/Algorithm/bom.json");
        Assert.Equal(["pkg:generic/AES-128-GCM", "pkg:generic/SHA512withRSA"], Purls(cbom.Packages.Select(p => p.Purl)));
        Assert.All(cbom.Packages, p => Assert.Equal("cryptographic-asset", p.Properties["bulwark:cyclonedx-type"]));
        Assert.Equal(("my application", "1.0"), (cbom.Subject.Name, cbom.Subject.Version));
    }

    [Theory]
    [InlineData("truncated.json", "Cannot read truncated.json: line 6: not valid JSON")]
    [InlineData("not-cyclonedx.json", "Cannot read not-cyclonedx.json: it is not a CycloneDX document (bomFormat is missing, expected 'CycloneDX')")]
    [InlineData("components-not-an-array.json", "Cannot read components-not-an-array.json: at /components: expected an array, found a object")]
    [InlineData("component-without-name-or-purl.json", "Cannot read component-without-name-or-purl.json: /components/1: a component has neither a name nor a valid purl")]
    [InlineData("lone-surrogate.json", "Cannot read lone-surrogate.json: at /components/0/name: the string is not valid Unicode")]
    [InlineData("mismatched-tags.xml", "Cannot read mismatched-tags.xml: line 6: not well-formed XML")]
    [InlineData("not-cyclonedx.xml", "Cannot read not-cyclonedx.xml: it is not a CycloneDX XML document (the root element is {http://maven.apache.org/POM/4.0.0}project")]
    [InlineData("doctype-entity.xml", "Cannot read doctype-entity.xml: not well-formed XML, or it declares a DTD, which Bulwark refuses (For security reasons DTD is prohibited")]
    public void Malformed_documents_throw_an_input_error_saying_where(string file, string message)
    {
        var e = Assert.Throws<InputException>(() => ReadTestData(file));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_input_of_any_kind_is_an_input_error_or_a_document()
    {
        // every prefix of a real document is either readable or an InputException, never another exception type
        var bytes = File.ReadAllBytes(TestData("scopes-and-edges.json"));
        var xmlBytes = File.ReadAllBytes(TestData("scopes-and-edges.xml"));
        for (var n = 0; n < bytes.Length; n += 7)
        {
            try { CycloneDxJsonReader.Read(new MemoryStream(bytes, 0, n), "prefix"); }
            catch (InputException) { }
        }
        for (var n = 0; n < xmlBytes.Length; n += 7)
        {
            try { CycloneDxXmlReader.Read(new MemoryStream(xmlBytes, 0, n), "prefix"); }
            catch (InputException) { }
        }
    }

    [Theory]
    [InlineData("component", "Cannot read large.json: at /components/600: expected a component object, found a number")]
    [InlineData("package", "Cannot read large.json: /components/700: a component has neither a name nor a valid purl")]
    public void A_large_document_read_on_all_cores_reports_its_first_bad_component(string fault, string message)
    {
        // thousands of components are read and mapped on all cores; the error must still be the first in document order
        var components = Enumerable.Range(0, 3000).Select(i =>
            fault == "component" && i is 600 or 2500 ? "42"
            : fault == "package" && i is 700 or 2900 ? "{\"type\":\"library\"}"
            : $"{{\"type\":\"library\",\"name\":\"p{i}\",\"version\":\"1.0.{i}\",\"purl\":\"pkg:npm/p{i}@1.0.{i}\"}}");
        var json = $"{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{string.Join(',', components)}]}}";
        for (var run = 0; run < 5; run++)
        {
            var e = Assert.Throws<InputException>(() => CycloneDxJsonReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "large.json"));
            Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_large_document_keeps_every_component_in_purl_order()
    {
        var components = Enumerable.Range(0, 3000).Select(i => $"{{\"type\":\"library\",\"bom-ref\":\"r{i}\",\"name\":\"p{i}\",\"version\":\"1.0\",\"purl\":\"pkg:npm/p{i}@1.0\"}}");
        var dependencies = Enumerable.Range(0, 2999).Select(i => $"{{\"ref\":\"r{i}\",\"dependsOn\":[\"r{i + 1}\"]}}");
        var json = $"{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{string.Join(',', components)}],\"dependencies\":[{string.Join(',', dependencies)}]}}";
        var sbom = CycloneDxJsonReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "large.json");
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"pkg:npm/p{i}@1.0").Order(StringComparer.Ordinal), sbom.Packages.Select(p => p.Purl.ToString()));
        Assert.All(sbom.Packages.Where(p => p.Name != "p2999"), p => Assert.Equal($"pkg:npm/p{int.Parse(p.Name[1..]) + 1}@1.0", Assert.Single(p.DependsOn).ToString()));
    }

    [Fact]
    public void Deeply_nested_xml_is_refused_quickly()
    {
        var sb = new System.Text.StringBuilder("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>");
        for (var i = 0; i < 50_000; i++) sb.Append("<component type=\"library\"><name>n</name><components>");
        for (var i = 0; i < 50_000; i++) sb.Append("</components></component>");
        sb.Append("</components></bom>");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<InputException>(() => CycloneDxXmlReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sb.ToString())), "deep.xml"));
        // XDocument needs time quadratic in the depth: minutes for this file if it were built
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.StartsWith("Cannot read deep.xml: line 1: elements are nested more than 256 deep", e.Message, StringComparison.Ordinal);
    }
}
