// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Tests.Vex;

public sealed class OpenVexWriterTests
{
    private static readonly string Testdata = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Vex", "testdata");
    private static readonly DateTimeOffset Issued = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly OpenVexDocumentInfo Info = new("Security Team <security@example.com>", "Document Creator", null, Issued, 1, "bulwark test");

    private static string Path_(string name) => Path.Combine(Testdata, name);

    private static byte[] Write(OpenVexDocumentInfo info, IEnumerable<VexStatement> statements)
    {
        using var output = new MemoryStream();
        OpenVexWriter.Write(info, statements, output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("vexctl-image.openvex.json")]
    [InlineData("spring-boot.openvex.json")]
    [InlineData("legacy-0.0.2.openvex.json")]
    [InlineData("sequence.openvex.json")]
    [InlineData("cyclonedx-vex.json")]
    [InlineData("cyclonedx-vex.xml")]
    public void Statements_read_from_any_format_are_written_as_valid_OpenVEX_0_2_0(string name)
    {
        var document = Write(Info, VexDocuments.Read(Path_(name)));
        ExternalValidators.AssertValid("validate-openvex.js", document);
    }

    [Fact]
    public void CycloneDX_statements_keep_their_meaning_within_the_OpenVEX_rules()
    {
        var document = Write(Info, VexDocuments.Parse(File.ReadAllBytes(Path_("cyclonedx-vex.json")), "cyclonedx-vex.json").Statements);
        // code_not_reachable is no OpenVEX justification: it moves into the impact statement; a false_positive with
        // only detail keeps it as the impact statement; the document's own timestamps are kept where they differ
        Golden.Assert(Encoding.UTF8.GetString(document));
    }

    [Fact]
    public void Statements_read_back_as_they_were_written()
    {
        var original = VexDocuments.Read(Path_("spring-boot.openvex.json")).AddRange(VexDocuments.Read(Path_("vexctl-image.openvex.json")));
        var reread = VexDocuments.Parse(Write(Info, original), "written.json").Statements;

        Assert.Equal(original.Length, reread.Length);
        for (var i = 0; i < original.Length; i++)
        {
            Assert.Equal(original[i].VulnerabilityId, reread[i].VulnerabilityId);
            Assert.Equal(original[i].VulnerabilityAliases.ToArray(), reread[i].VulnerabilityAliases.ToArray());
            Assert.Equal(original[i].Products.ToArray(), reread[i].Products.ToArray());
            Assert.Equal(original[i].Status, reread[i].Status);
            Assert.Equal(original[i].Justification, reread[i].Justification);
            Assert.Equal(original[i].ImpactStatement, reread[i].ImpactStatement);
            Assert.Equal(original[i].ActionStatement, reread[i].ActionStatement);
            Assert.Equal(original[i].StatusNotes, reread[i].StatusNotes);
            Assert.Equal(original[i].Timestamp, reread[i].Timestamp);
        }
    }

    [Fact]
    public void The_id_is_the_SHA_256_of_the_document_without_it()
    {
        var statements = VexDocuments.Read(Path_("vexctl-image.openvex.json"));
        var document = Write(Info, statements);
        var json = JsonNode.Parse(document)!.AsObject();
        var id = json["@id"]!.GetValue<string>();

        // removing the @id line gives exactly the bytes that were hashed
        var text = Encoding.UTF8.GetString(document);
        var withoutId = text.Replace($"  \"@id\": \"{id}\",\n", "", StringComparison.Ordinal);
        Assert.Equal(OpenVexWriter.PublicIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(withoutId))), id);
        Assert.Equal(document, Write(Info, statements));
        Assert.NotEqual(id, JsonNode.Parse(Write(Info with { Version = 2 }, statements))!["@id"]!.GetValue<string>());
        Assert.Equal("https://example.com/vex/1", JsonNode.Parse(Write(Info with { Id = "https://example.com/vex/1" }, statements))!["@id"]!.GetValue<string>());
    }

    [Fact]
    public void Appending_keeps_existing_statements_and_pins_the_timestamps_they_inherited()
    {
        var added = new VexStatement("CVE-2021-44906", [], [Purl.Parse("pkg:npm/minimist@1.2.5")], VexStatus.Fixed, null, null, null, Issued, "test");
        using var output = new MemoryStream();
        OpenVexWriter.Append(Path_("sequence.openvex.json"), [added], Issued, null, "bulwark test", output);
        var document = output.ToArray();

        ExternalValidators.AssertValid("validate-openvex.js", document);
        var json = JsonNode.Parse(document)!.AsObject();
        Assert.Equal(4, json["version"]!.GetValue<int>());
        Assert.Equal("Security Team <security@example.com>", json["author"]!.GetValue<string>());
        Assert.Equal("2023-11-14T22:13:20Z", json["timestamp"]!.GetValue<string>());
        var statements = json["statements"]!.AsArray();
        Assert.Equal(6, statements.Count);
        // [3] and [4] had inherited the old document timestamp; they now state it
        Assert.Equal("2024-01-12T12:00:00Z", statements[3]!["timestamp"]!.GetValue<string>());
        Assert.Equal("2024-01-12T12:00:00Z", statements[4]!["timestamp"]!.GetValue<string>());
        Assert.Equal("2024-01-05T09:00:00Z", statements[0]!["timestamp"]!.GetValue<string>());
        Assert.Equal("_.template is never called with user input.", statements[1]!["impact_statement"]!.GetValue<string>());
        Assert.Equal("CVE-2021-44906", statements[5]!["vulnerability"]!["name"]!.GetValue<string>());
        Assert.Null(statements[5]!["timestamp"]);

        // reading the result gives the old statements with the times they had
        var before = VexDocuments.Read(Path_("sequence.openvex.json"));
        var after = VexDocuments.Parse(document, "appended.json").Statements;
        Assert.Equal(before.Select(s => (s.VulnerabilityId, s.Status, s.Timestamp)), after.Take(5).Select(s => (s.VulnerabilityId, s.Status, s.Timestamp)));
        Assert.Equal(Issued, after[5].Timestamp);
    }

    [Fact]
    public void Appending_to_a_document_with_odd_metadata_and_a_byte_order_mark_does_not_crash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bulwark-odd-{Guid.NewGuid()}.json");
        File.WriteAllText(path, """
            {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/odd", "author": 42, "role": ["a"],
             "timestamp": "2024-01-01T00:00:00Z", "version": "seven", "tooling": {},
             "statements": [{"vulnerability": {"name": "CVE-2021-23337"}, "products": [{"@id": "pkg:npm/lodash@4.17.15"}], "status": "fixed"}]}
            """, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            var added = new VexStatement("CVE-2021-44906", [], [Purl.Parse("pkg:npm/minimist@1.2.5")], VexStatus.Fixed, null, null, null, Issued, "test");
            using var output = new MemoryStream();
            OpenVexWriter.Append(path, [added], Issued, null, null, output);
            var json = JsonNode.Parse(output.ToArray())!.AsObject();
            Assert.Equal("Unknown Author", json["author"]!.GetValue<string>());
            Assert.Equal(2, json["version"]!.GetValue<int>());
            Assert.Null(json["role"]);
            ExternalValidators.AssertValid("validate-openvex.js", output.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("legacy-0.0.2.openvex.json", "statements[0] uses the OpenVEX 0.0.x shape")]
    [InlineData("cyclonedx-vex.json", "it is a CycloneDX document; --append takes an OpenVEX document.")]
    public void Appending_needs_an_OpenVEX_0_2_0_document(string name, string expected)
    {
        var added = new VexStatement("CVE-2021-44906", [], [Purl.Parse("pkg:npm/minimist@1.2.5")], VexStatus.Fixed, null, null, null, Issued, "test");
        var e = Assert.Throws<InputException>(() => OpenVexWriter.Append(Path_(name), [added], Issued, null, null, new MemoryStream()));
        Assert.StartsWith($"Cannot append to {Path_(name)}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
