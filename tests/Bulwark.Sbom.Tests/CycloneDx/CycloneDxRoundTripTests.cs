// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Sbom.CycloneDx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.CycloneDx;

/// Every CycloneDX example we have (the specification's valid-* conformance files for 1.4 to 1.6 and the
/// CycloneDX bom-examples repository) reads without error, and reading what we write gives the same packages.
public sealed class CycloneDxRoundTripTests
{
    private static string Spec => Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "tools", "src", "test", "resources");
    private static string Examples => Path.Combine(TestPaths.Corpora, "cyclonedx-bom-examples");

    /// Corpus files by path relative to ../shared/corpora.
    public static IEnumerable<string> CorpusFiles()
    {
        var spec = new[] { "1.4", "1.5", "1.6" }
            .SelectMany(v => Directory.EnumerateFiles(Path.Combine(Spec, v), "valid-*"))
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal));
        var examples = Directory.EnumerateFiles(Examples, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal));
        return spec.Concat(examples).Select(f => Path.GetRelativePath(TestPaths.Corpora, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
    }

    public static TheoryData<string> Corpus() => [.. CorpusFiles()];

    internal static Sbom ReadCorpus(string relative)
    {
        using var stream = File.OpenRead(Path.Combine(TestPaths.Corpora, relative));
        return relative.EndsWith(".xml", StringComparison.Ordinal)
            ? CycloneDxXmlReader.Read(stream, relative)
            : CycloneDxJsonReader.Read(stream, relative);
    }

    internal static Sbom ViaJson(Sbom sbom)
    {
        using var ms = new MemoryStream();
        CycloneDxJsonWriter.Write(sbom, ms);
        ms.Position = 0;
        return CycloneDxJsonReader.Read(ms, "written.cdx.json");
    }

    internal static Sbom ViaXml(Sbom sbom)
    {
        using var ms = new MemoryStream();
        CycloneDxXmlWriter.Write(sbom, ms);
        ms.Position = 0;
        return CycloneDxXmlReader.Read(ms, "written.cdx.xml");
    }

    [Fact]
    public void A_property_with_a_blank_name_is_dropped_by_both_readers_so_json_and_xml_round_trip()
    {
        // a blank name ("\r\n") was kept from JSON, written to XML, and then failed the XML reader (sbom.convert target)
        var json = """{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"type":"application","name":"app","properties":[{"name":"\r\n","value":"x"},{"name":"k","value":"v"}]}},"properties":[{"name":" ","value":"y"},{"name":"team","value":"blue"}]}""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var read = CycloneDxJsonReader.Read(stream, "blank.cdx.json");
        Assert.Equal([new KeyValuePair<string, string>("team", "blue")], read.Properties.ToArray());
        var back = ViaXml(read);
        Assert.Equal(read.Properties.ToArray(), back.Properties.ToArray());
        Assert.Equal(ViaJson(read).Properties.ToArray(), back.Properties.ToArray());
        var xml = """<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><properties><property>no name</property><property name="  ">blank</property><property name="a">b</property></properties></bom>""";
        using var xmlStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        Assert.Equal([new KeyValuePair<string, string>("a", "b")], CycloneDxXmlReader.Read(xmlStream, "blank.cdx.xml").Properties.ToArray());
    }

    [Fact]
    public void The_corpus_holds_every_expected_example()
    {
        var files = CorpusFiles().ToList();
        // 1.4: 43 json + 44 xml valid files, 1.5: 55 + 57, 1.6: 62 + 65 ... counted below by folder so a lost folder shows
        Assert.Contains("cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.xml", files);
        Assert.Contains("cyclonedx-spec/tools/src/test/resources/1.6/valid-dependency-1.6.json", files);
        Assert.True(files.Count(f => f.StartsWith("cyclonedx-bom-examples/", StringComparison.Ordinal)) >= 70, $"only {files.Count} corpus files");
    }

    [Fact]
    public void What_we_write_from_every_example_passes_the_strict_schemas()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-cdx-corpus-").FullName;
        try
        {
            var json = new List<string>();
            var xml = new List<string>();
            foreach (var (file, i) in CorpusFiles().Select((f, i) => (f, i)))
            {
                var sbom = ReadCorpus(file);
                var name = Path.Combine(dir, $"{i:D3}-{Path.GetFileNameWithoutExtension(file)}");
                using (var s = File.Create(name + ".cdx.json")) CycloneDxJsonWriter.Write(sbom, s);
                using (var s = File.Create(name + ".cdx.xml")) CycloneDxXmlWriter.Write(sbom, s);
                json.Add(name + ".cdx.json");
                xml.Add(name + ".cdx.xml");
                AssertRefsResolve(File.ReadAllText(name + ".cdx.json"), file);
            }
            SchemaValidator.ValidateJson([.. json]);
            SchemaValidator.ValidateXml([.. xml]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Reads_and_round_trips(string file)
    {
        var first = ReadCorpus(file);
        AssertSame(first, ViaJson(first), file + " via JSON");
        AssertSame(first, ViaXml(first), file + " via XML");
        // writing what was read back again changes nothing: the mapping is a fixed point
        AssertSame(ViaJson(first), ViaJson(ViaJson(first)), file + " via JSON twice");
    }

    [Fact]
    public void Reading_what_we_write_gives_back_the_model()
    {
        var written = SampleSboms.Small();
        // what survives by design: lists sorted, the dangling edge dropped, the expression normalised
        var expected = written with
        {
            Packages = [.. written.Packages.Select(p => p.Normalised() switch
            {
                var n when n.Purl == SampleSboms.Babel => n with { DependsOn = [SampleSboms.Debug] },
                var n when n.Purl == SampleSboms.Debug => n with { Licenses = ["MIT OR Apache-2.0"] },
                var n => n,
            })],
        };
        AssertSame(expected, ViaJson(written), "small via JSON");
        AssertSame(expected, ViaXml(written), "small via XML");
        var read = ViaXml(written);
        Assert.Equal(SubjectKind.Directory, read.Subject.Kind);
        Assert.Empty(read.Subject.Properties);
        Assert.Equal([SampleSboms.Shop], read.Subject.DependsOn.ToArray());
        Assert.Equal("urn:uuid:" + written.ContentId(), read.SerialNumber);
    }

    /// Every ref in dependencies names a bom-ref in the document, and bom-refs are unique (the JSON schema checks neither).
    internal static void AssertRefsResolve(string json, string what)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var refs = new List<string> { doc.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("bom-ref").GetString()! };
        refs.AddRange(doc.RootElement.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("bom-ref").GetString()!));
        Assert.True(refs.Count == refs.Distinct(StringComparer.Ordinal).Count(), $"{what}: bom-refs repeat");
        var known = refs.ToHashSet(StringComparer.Ordinal);
        if (!doc.RootElement.TryGetProperty("dependencies", out var deps)) return;
        foreach (var d in deps.EnumerateArray())
        {
            Assert.True(known.Contains(d.GetProperty("ref").GetString()!), $"{what}: dangling ref {d.GetProperty("ref")}");
            foreach (var on in d.GetProperty("dependsOn").EnumerateArray())
                Assert.True(known.Contains(on.GetString()!), $"{what}: dangling dependsOn {on}");
        }
    }

    internal static void AssertSame(Sbom expected, Sbom actual, string what)
    {
        Assert.True(expected.Packages.Select(p => p.Purl.ToString()).SequenceEqual(actual.Packages.Select(p => p.Purl.ToString())),
            $"{what}: package purls differ:\n  {string.Join("\n  ", expected.Packages.Select(p => p.Purl))}\nvs\n  {string.Join("\n  ", actual.Packages.Select(p => p.Purl))}");
        for (var i = 0; i < expected.Packages.Length; i++)
        {
            var (e, a) = (expected.Packages[i], actual.Packages[i]);
            var at = $"{what}: {e.Purl}";
            Assert.True(e.PurlIsSynthetic == a.PurlIsSynthetic, $"{at}: synthetic purl {e.PurlIsSynthetic} vs {a.PurlIsSynthetic}");
            Assert.True(e.Name == a.Name, $"{at}: name '{e.Name}' vs '{a.Name}'");
            Assert.True(e.Version == a.Version, $"{at}: version '{e.Version}' vs '{a.Version}'");
            Assert.True(e.Ecosystem == a.Ecosystem, $"{at}: ecosystem {e.Ecosystem} vs {a.Ecosystem}");
            Assert.True(e.Kind == a.Kind, $"{at}: kind {e.Kind} vs {a.Kind}");
            Assert.True(e.Scope == a.Scope, $"{at}: scope {e.Scope} vs {a.Scope}");
            Assert.True(e.IsRoot == a.IsRoot, $"{at}: root {e.IsRoot} vs {a.IsRoot}");
            Same(e.Hashes, a.Hashes, at, "hashes");
            Same(e.Licenses, a.Licenses, at, "licenses");
            Assert.True(e.ConcludedLicense == a.ConcludedLicense, $"{at}: concluded license '{e.ConcludedLicense}' vs '{a.ConcludedLicense}'");
            Same(e.DependsOn, a.DependsOn, at, "dependencies");
            Same(e.Locations, a.Locations, at, "locations");
            Same(e.Cpes, a.Cpes, at, "CPEs");
            Same(e.FoundBy, a.FoundBy, at, "found-by");
            Same(e.ExternalReferences.Select(r => r with { Type = CycloneDxMapping.ExternalReferenceType(r.Type) }), a.ExternalReferences, at, "external references");
            Same(e.Properties, a.Properties, at, "properties");
            Assert.True((e.Description, e.Supplier, e.Author, e.Copyright) == (a.Description, a.Supplier, a.Author, a.Copyright),
                $"{at}: description/supplier/author/copyright ({e.Description}, {e.Supplier}, {e.Author}, {e.Copyright}) vs ({a.Description}, {a.Supplier}, {a.Author}, {a.Copyright})");
        }
        Assert.True(expected.Subject.Name == actual.Subject.Name, $"{what}: subject name '{expected.Subject.Name}' vs '{actual.Subject.Name}'");
        Assert.True(expected.Subject.Version == actual.Subject.Version, $"{what}: subject version");
        Assert.True(expected.Subject.Purl == actual.Subject.Purl, $"{what}: subject purl {expected.Subject.Purl} vs {actual.Subject.Purl}");
        Assert.True(expected.Subject.Kind == actual.Subject.Kind, $"{what}: subject kind {expected.Subject.Kind} vs {actual.Subject.Kind}");
        Same(expected.SubjectDependencies, actual.SubjectDependencies, what, "subject dependencies");
        Same(expected.Properties, actual.Properties, what, "document properties");
        Same(expected.Tools, actual.Tools, what, "tools");
        Assert.True(expected.Created == actual.Created, $"{what}: created {expected.Created} vs {actual.Created}");
    }

    private static void Same<T>(IEnumerable<T> expected, IEnumerable<T> actual, string at, string what)
    {
        var (e, a) = (expected.ToList(), actual.ToList());
        Assert.True(e.SequenceEqual(a), $"{at}: {what} differ:\n  [{string.Join(", ", e)}]\nvs\n  [{string.Join(", ", a)}]");
    }
}
