// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Tests.Vex;

public sealed class VexDocumentsTests
{
    private static readonly string Testdata = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Vex", "testdata");

    private static string File(string name) => Path.Combine(Testdata, name);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Reads_a_vexctl_document_as_statements_about_the_image_subcomponents()
    {
        var doc = VexDocuments.Load(File("vexctl-image.openvex.json"));

        Assert.Equal(VexFormat.OpenVex, doc.Format);
        Assert.Empty(doc.Warnings.ToArray());
        Assert.Equal(2, doc.Statements.Length);
        var first = doc.Statements[0];
        Assert.Equal("CVE-2022-24999", first.VulnerabilityId);
        Assert.Empty(first.VulnerabilityAliases.ToArray());
        // the image product itself is not a package the statement is about: its subcomponents are
        Assert.Equal(["pkg:npm/express@4.17.1", "pkg:npm/qs@6.7.0"], first.Products.Select(p => p.ToString()));
        Assert.Equal(VexStatus.NotAffected, first.Status);
        Assert.Equal("vulnerable_code_not_in_execute_path", first.Justification);
        Assert.Null(first.ImpactStatement);
        Assert.Equal(Utc("2024-02-03T08:33:28.913574Z"), first.Timestamp);
        Assert.Equal(File("vexctl-image.openvex.json") + "#statements[0]", first.Source);

        var second = doc.Statements[1];
        Assert.Equal(VexStatus.Affected, second.Status);
        Assert.Equal(["pkg:npm/body-parser@1.19.0"], second.Products.Select(p => p.ToString()));
        Assert.Equal("Update body-parser to 1.20.3 with the next release of web-service.", second.ActionStatement);
    }

    [Fact]
    public void Reads_the_specification_example_with_aliases_identifiers_and_inherited_timestamp()
    {
        var doc = VexDocuments.Load(File("spring-boot.openvex.json"));

        var log4shell = doc.Statements[0];
        Assert.Equal("CVE-2021-44228", log4shell.VulnerabilityId);
        Assert.Equal(["GHSA-jfh8-c2jp-5v3q"], log4shell.VulnerabilityAliases.ToArray());
        // @id is an https IRI, not a purl: identifiers.purl names the package
        Assert.Equal(["pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3"], log4shell.Products.Select(p => p.ToString()));
        Assert.Equal("Only applications that switch the default logging system to Log4J2 are affected.", log4shell.StatusNotes);
        Assert.Equal("The log4j-to-slf4j and log4j-api jars in spring-boot-starter-logging cannot be exploited on their own.", log4shell.ImpactStatement);
        // no statement timestamp: the document's (2023-01-16T19:07:16.853479631-06:00)
        Assert.Equal(new DateTimeOffset(2023, 1, 17, 1, 7, 16, TimeSpan.Zero).AddTicks(8534796), log4shell.Timestamp);

        var investigation = doc.Statements[1];
        Assert.Equal(VexStatus.UnderInvestigation, investigation.Status);
        Assert.Equal(["pkg:maven/org.apache.logging.log4j/log4j-core"], investigation.Products.Select(p => p.ToString()));
        Assert.Equal(Utc("2023-01-17T08:00:00Z"), investigation.Timestamp);
        Assert.Equal(
            [$"{File("spring-boot.openvex.json")}#statements[1].products[1]: 'cpe:2.3:a:vmware:spring_boot:2.6.0:*:*:*:*:*:*:*' is not a package URL, so it cannot be matched to packages; give the product a purl (@id or identifiers.purl)."],
            doc.Warnings.ToArray());
    }

    [Fact]
    public void Reads_the_older_0_0_x_shape_with_string_vulnerabilities_and_statement_subcomponents()
    {
        var doc = VexDocuments.Load(File("legacy-0.0.2.openvex.json"));

        Assert.Empty(doc.Warnings.ToArray());
        Assert.Equal(2, doc.Statements.Length);
        Assert.Equal("CVE-2023-12345", doc.Statements[0].VulnerabilityId);
        Assert.Equal(VexStatus.Fixed, doc.Statements[0].Status);
        Assert.Equal(["pkg:apk/wolfi/git@2.39.0-r1?arch=armv7", "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"], doc.Statements[0].Products.Select(p => p.ToString()));
        Assert.Equal(Utc("2023-01-09T00:02:03.647787998Z"), doc.Statements[0].Timestamp);
        // statement-level subcomponents are what the statement is about, not the image
        Assert.Equal(["pkg:npm/minimist@1.2.5"], doc.Statements[1].Products.Select(p => p.ToString()));
        Assert.Equal("vulnerable_code_cannot_be_controlled_by_adversary", doc.Statements[1].Justification);
    }

    [Theory]
    [InlineData("cyclonedx-vex.json", VexFormat.CycloneDxJson)]
    [InlineData("cyclonedx-vex.xml", VexFormat.CycloneDxXml)]
    public void Reads_CycloneDX_VEX_mapping_states_and_resolving_refs(string name, VexFormat format)
    {
        var doc = VexDocuments.Load(File(name));

        Assert.Equal(format, doc.Format);
        var s = doc.Statements;
        Assert.Equal(["CVE-2021-23337", "CVE-2024-1681", "CVE-2020-28500", "CVE-2022-24785", "CVE-2024-3651"], s.Select(x => x.VulnerabilityId));
        Assert.Equal([VexStatus.NotAffected, VexStatus.Affected, VexStatus.Fixed, VexStatus.UnderInvestigation, VexStatus.NotAffected], s.Select(x => x.Status));

        // a local bom-ref; references become aliases; justification kept as CycloneDX spells it
        Assert.Equal(["GHSA-35jh-r3h4-6jhm"], s[0].VulnerabilityAliases.ToArray());
        Assert.Equal(["pkg:npm/lodash@4.17.15"], s[0].Products.Select(p => p.ToString()));
        Assert.Equal("code_not_reachable", s[0].Justification);
        Assert.Equal("acme-portal never passes user input to _.template.", s[0].ImpactStatement);
        Assert.Equal("response: will_not_fix", s[0].ActionStatement);
        Assert.Equal(Utc("2024-05-21T09:30:00Z"), s[0].Timestamp);
        Assert.Equal(File(name) + "#vulnerabilities[0]", s[0].Source);

        // a BOM-Link into this BOM; no analysis time: the BOM's
        Assert.Equal(["pkg:pypi/flask-cors@4.0.0"], s[1].Products.Select(p => p.ToString()));
        Assert.Equal("Upgrade flask-cors to 4.0.1. (response: update)", s[1].ActionStatement);
        Assert.Equal(Utc("2024-06-01T10:00:00Z"), s[1].Timestamp);

        // a purl as the ref
        Assert.Equal(["pkg:npm/lodash@4.17.21"], s[2].Products.Select(p => p.ToString()));

        // of three refs only the BOM-Link whose fragment is a purl resolves
        Assert.Equal(["GHSA-8hfj-j24r-96c4"], s[3].VulnerabilityAliases.ToArray());
        Assert.Equal(["pkg:nuget/Moment.js@2.29.1"], s[3].Products.Select(p => p.ToString()));

        // a component nested in another
        Assert.Equal(["pkg:pypi/idna@3.6"], s[4].Products.Select(p => p.ToString()));

        var at = format == VexFormat.CycloneDxJson
            ? (Func<int, int, string>)((i, _) => $"{File(name)}#vulnerabilities[{i}]")
            : (i, line) => $"{File(name)}#vulnerabilities[{i}] (line {line})";
        var lines = format == VexFormat.CycloneDxJson ? (0, 0) : (97, 134);
        Assert.Equal(
            [
                $"{at(3, lines.Item1)}: affects ref 'urn:cdx:6b1f3ce0-1d3a-4b37-9d1e-7e0c9e5a3c21/2#moment-2.29.1' links to component 'moment-2.29.1' in another BOM (urn:uuid:6b1f3ce0-1d3a-4b37-9d1e-7e0c9e5a3c21), which is not loaded, so CVE-2022-24785 cannot be applied to it.",
                $"{at(3, lines.Item1)}: affects ref 'internal-lib' names component 'internal-lib', which has no purl, so CVE-2022-24785 cannot be applied to it.",
                $"{at(5, lines.Item2)}: CVE-2024-43796 has no analysis state, so it says nothing about exploitability and is not used as VEX.",
            ],
            doc.Warnings.ToArray());
    }

    [Fact]
    public void Reads_an_OpenVEX_predicate_inside_an_in_toto_statement()
    {
        var inner = System.IO.File.ReadAllText(File("vexctl-image.openvex.json"));
        var attestation = """
            {"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://openvex.dev/ns/v0.2.0",
             "subject": [{"name": "registry.example.com/team/web-service", "digest": {"sha256": "6f1b0a5c"}}],
             "predicate": PREDICATE}
            """.Replace("PREDICATE", inner, StringComparison.Ordinal);
        var doc = VexDocuments.Parse(System.Text.Encoding.UTF8.GetBytes(attestation), "web-service.att.json");

        Assert.Equal(2, doc.Statements.Length);
        Assert.Equal("web-service.att.json#predicate.statements[0]", doc.Statements[0].Source);
    }

    [Theory]
    [InlineData("truncated.openvex.json", "line 7: not valid JSON")]
    [InlineData("bad-status.openvex.json", "statements[1].status: 'false_positive' is not an OpenVEX status; expected not_affected, affected, fixed or under_investigation.")]
    [InlineData("bad-purl.openvex.json", "statements[0].products[0].@id: 'pkg:maven/log4j-core@2.14.1' is not a valid package URL: a maven purl needs a namespace (the groupId).")]
    [InlineData("no-statements.openvex.json", "statements: an OpenVEX document needs a statements array, and this one has none.")]
    [InlineData("vulnerability-number.openvex.json", "statements[0].vulnerability: expected an object with a name (or, in OpenVEX 0.0.x, a string), found a JSON number.")]
    [InlineData("bad-timestamp.openvex.json", "timestamp: 'yesterday' is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z).")]
    [InlineData("bad-state.cdx.json", "vulnerabilities[0].analysis.state: 'not_exploitable' is not a CycloneDX analysis state;")]
    [InlineData("dtd.cdx.xml", "not well-formed XML, or it declares a DTD, which Bulwark refuses")]
    [InlineData("not-cyclonedx.xml", "it is XML but not CycloneDX (the root element is {http://www.icasi.org/CVRF/schema/cvrf/1.1}cvrfdoc")]
    [InlineData("spdx.json", "it is JSON but neither OpenVEX (no @context or statements) nor CycloneDX")]
    [InlineData("empty.json", "the file is empty.")]
    [InlineData("latin1.openvex.json", "line 3: the text is not valid UTF-8, which JSON (and OpenVEX) requires. Save the file as UTF-8.")]
    [InlineData("array.json", "the document is a JSON array, not an object.")]
    // parsed, then InvalidOperationException when the string was read (found by the vex.document fuzz target)
    [InlineData("surrogate.openvex.json", "a JSON string is not valid Unicode (an unpaired surrogate escape)")]
    public void A_malformed_document_is_an_input_error_naming_the_file_and_the_place(string name, string expected)
    {
        var path = Path.Combine(Testdata, "malformed", name);
        var e = Assert.Throws<InputException>(() => VexDocuments.Read(path));
        Assert.True(e.Message.StartsWith($"Cannot read {path}: ", StringComparison.Ordinal) && e.Message.Contains(expected, StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_input_error()
    {
        var path = Path.Combine(Testdata, "nowhere.openvex.json");
        var e = Assert.Throws<InputException>(() => VexDocuments.Read(path));
        Assert.Equal($"Cannot read {path}: no such file. Give the path of an OpenVEX or CycloneDX VEX document.", e.Message);
    }

    [Fact]
    public void A_byte_order_mark_and_leading_blank_lines_are_accepted()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat("\n\n"u8.ToArray()).Concat(System.IO.File.ReadAllBytes(File("vexctl-image.openvex.json"))).ToArray();
        Assert.Equal(2, VexDocuments.Parse(bytes, "bom.json").Statements.Length);
    }

    [Fact]
    public void A_statement_without_products_is_reported_not_silently_dropped()
    {
        var json = """
            {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "Example",
             "timestamp": "2024-01-01T00:00:00Z", "version": 1,
             "statements": [{"vulnerability": {"name": "CVE-2021-23337"}, "status": "fixed"}]}
            """;
        var doc = VexDocuments.Parse(System.Text.Encoding.UTF8.GetBytes(json), "csaf-embedded.json");

        Assert.Empty(Assert.Single(doc.Statements).Products);
        Assert.Equal(["csaf-embedded.json#statements[0]: names no product, so it applies to no package."], doc.Warnings.ToArray());
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bulwark-huge-{Guid.NewGuid()}.json");
        using (var f = System.IO.File.Create(path)) f.SetLength(VexDocuments.MaxBytes + 1);
        try
        {
            var e = Assert.Throws<InputException>(() => VexDocuments.Read(path));
            Assert.Equal($"Cannot read {path}: it has 67,108,865 bytes, more than the 64 MiB a VEX document may have here. Split it into smaller documents.", e.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("vexctl-image.openvex.json")]
    [InlineData("spring-boot.openvex.json")]
    [InlineData("legacy-0.0.2.openvex.json")]
    [InlineData("cyclonedx-vex.json")]
    [InlineData("cyclonedx-vex.xml")]
    public void Damaged_documents_read_or_fail_with_an_input_error_never_another_exception(string name)
    {
        var original = System.IO.File.ReadAllBytes(File(name));
        var random = new Random(20240601);
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            if (i % 2 == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            else
            {
                for (var k = 0; k < 3; k++) bytes[random.Next(bytes.Length)] = (byte)"{}[]\":,<>/#@0aZ \u00ff"[random.Next(17)];
            }
            try
            {
                VexDocuments.Parse(bytes, name);
            }
            catch (InputException)
            {
                // the expected way to fail
            }
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_not_recursed()
    {
        var json = "{\"statements\": " + new string('[', 10_000) + new string(']', 10_000) + "}";
        var e = Assert.Throws<InputException>(() => VexDocuments.Parse(System.Text.Encoding.UTF8.GetBytes(json), "deep.json"));
        Assert.StartsWith("Cannot read deep.json: line 1: not valid JSON", e.Message, StringComparison.Ordinal);

        var xml = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">" + string.Concat(Enumerable.Repeat("<a>", 5_000)) + string.Concat(Enumerable.Repeat("</a>", 5_000)) + "</bom>";
        var x = Assert.Throws<InputException>(() => VexDocuments.Parse(System.Text.Encoding.UTF8.GetBytes(xml), "deep.xml"));
        Assert.Contains("elements are nested more than 128 deep", x.Message, StringComparison.Ordinal);
    }
}
