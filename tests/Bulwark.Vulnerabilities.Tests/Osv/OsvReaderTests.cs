// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Tests.Osv;

public sealed class OsvReaderTests
{
    private static OsvRecord Parse(string json) => OsvReader.Parse(Encoding.UTF8.GetBytes(json), "test.zip!X.json");

    [Fact]
    public void Reads_every_field_of_a_real_GHSA_record()
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Osv", "testdata", "osv", "GHSA-jfh8-c2jp-5v3q.json");
        var record = OsvReader.Parse(File.ReadAllBytes(path), path);
        Assert.Equal("GHSA-jfh8-c2jp-5v3q", record.Id);
        Assert.Equal("1.3.0", record.SchemaVersion);
        Assert.Equal(new DateTimeOffset(2022, 3, 25, 20, 56, 18, TimeSpan.Zero), record.Modified);
        Assert.Equal(new DateTimeOffset(2021, 12, 10, 0, 40, 56, TimeSpan.Zero), record.Published);
        Assert.False(record.IsWithdrawn);
        Assert.Equal(["CVE-2021-44228"], record.Aliases);
        Assert.Equal("Remote code injection in Log4j", record.Summary);
        var severity = Assert.Single(record.Severity);
        Assert.Equal("CVSS_V3", severity.Type);
        Assert.Equal("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", severity.Score);
        var affected = record.Affected[0];
        Assert.Equal("Maven", affected.Package!.Ecosystem);
        Assert.Equal("org.apache.logging.log4j:log4j-core", affected.Package.Name);
        var range = Assert.Single(affected.Ranges);
        Assert.Equal("ECOSYSTEM", range.Type);
        Assert.Equal("2.13.0", range.Events[0].Introduced);
        Assert.Equal("2.15.0", range.Events[1].Fixed);
        Assert.NotEmpty(record.References);
        Assert.NotNull(record.DatabaseSpecific);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_absent_lists_are_empty()
    {
        var record = Parse("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "x_future_field": {"a": [1, 2]}, "affected": [{"package": {"ecosystem": "npm", "name": "a", "x": 1}}]}""");
        Assert.Empty(record.Aliases);
        Assert.Empty(record.Severity);
        Assert.Empty(record.Affected[0].Ranges);
        Assert.Empty(record.Affected[0].Versions);
        Assert.Null(record.Withdrawn);
    }

    [Fact]
    public void A_withdrawn_time_marks_the_record_withdrawn() =>
        Assert.True(Parse("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-02-01T00:00:00Z"}""").IsWithdrawn);

    [Theory]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "aliases": "CVE-1"}""", "Invalid OSV record 'X-1' in test.zip!X.json: ")]
    [InlineData("""{"id": "X-1", "modified": 17}""", "Invalid OSV record 'X-1' in test.zip!X.json: ")]
    [InlineData("""{"id": "X-1"}""", "Invalid OSV record 'X-1' in test.zip!X.json: ")]
    [InlineData("""{"modified": "2024-01-01T00:00:00Z"}""", "Invalid OSV record (no id) in test.zip!X.json: ")]
    [InlineData("""[1, 2]""", "Invalid OSV record (no id) in test.zip!X.json: ")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1"}]}]}]}""",
        "Invalid OSV record 'X-1' in test.zip!X.json: affected[0].ranges[0].events[0] must have exactly one of introduced, fixed, last_affected, limit.")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "DATE", "events": [{"introduced": "0"}]}]}]}""",
        "Invalid OSV record 'X-1' in test.zip!X.json: affected[0].ranges[0].type is 'DATE', expected ECOSYSTEM, SEMVER or GIT.")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm"}}]}""",
        "Invalid OSV record 'X-1' in test.zip!X.json: affected[0].package needs both 'ecosystem' and 'name'.")]
    [InlineData("""{"id": "", "modified": "2024-01-01T00:00:00Z"}""", "Invalid OSV record in test.zip!X.json: 'id' is missing or empty.")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ecosystem_specific": [1]}]}""",
        "Invalid OSV record 'X-1' in test.zip!X.json: affected[0].ecosystem_specific must be an object, not array.")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "severity": [{"type": "CVSS_V3", "score": 9.8}]}""", "Invalid OSV record 'X-1' in test.zip!X.json: ")]
    public void A_malformed_record_is_rejected_naming_its_id_and_entry(string json, string expectedStart)
    {
        var error = Assert.Throws<InvalidOsvRecordException>(() => Parse(json));
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_hostile_json_is_rejected_not_a_crash()
    {
        var json = "{\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"database_specific\": " + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Throws<InvalidOsvRecordException>(() => Parse(json));
    }

    // the database's own reader (OsvFastReader) must give exactly the serializer's record, or leave the input to it
    public static TheoryData<string> StoredForms() =>
    [
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z"}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00+02:00","published":"2023-12-31T23:59:59.123Z","withdrawn":null,"aliases":null,"summary":null,"details":"d"}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","aliases":["CVE-1","GHSA-\u0041"],"summary":"caf\u00e9 \"quoted\" \ud83d\ude00","x":{"y":[1,{"z":null}]}}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","id":"X-2","aliases":["A"],"aliases":["B","C"]}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","extra":1}],"references":[{"type":"ADVISORY","url":"https://a"},{"url":"https://b","type":"WEB"}]}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":"HIGH","ubuntu_priority":"medium"},"credits":[{"name":"n","contact":["c"],"type":"FINDER"}],"related":["R"],"upstream":["U"],"schema_version":"1.6.0"}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","database_specific":null,"affected":[{"package":{"ecosystem":"Debian:12","name":"glibc","purl":"pkg:deb/debian/glibc"},"severity":[],"ranges":[{"type":"ECOSYSTEM","repo":"r","events":[{"introduced":"0"},{"fixed":"2.36-9+deb12u3"},{"last_affected":"3"},{"limit":"*"}],"database_specific":{"a":1}}],"versions":["2.36-1","2.36-2"],"ecosystem_specific":{"urgency":"high"},"database_specific":null}]}""",
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":null,"ranges":null,"versions":null},{"ranges":[{"type":"GIT","events":[{"introduced":"abc"}]}]}]}""",
        """  {"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[]}  """,
        """{"id":"X-1","modified":"2024-01-01T00:00:00Z","severity":[{"type":"CVSS_V3"}]}""",
        // left to the serializer: an escaped member name
        """{"\u0069d":"X-1","modified":"2024-01-01T00:00:00Z"}""",
    ];

    [Theory]
    [MemberData(nameof(StoredForms))]
    public void The_database_reader_reads_a_record_as_the_serializer_does(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var general = OsvReader.Parse(bytes, "the database (record X-1)");
        var stored = OsvReader.ParseStored(bytes, "X-1");
        Assert.Equal(Serialise(general), Serialise(stored));
    }

    [Fact]
    public void The_database_reader_reads_a_real_record_as_the_serializer_does()
    {
        var path = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Osv", "testdata", "osv", "GHSA-jfh8-c2jp-5v3q.json");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Serialise(OsvReader.Parse(bytes, path)), Serialise(OsvReader.ParseStored(bytes, "GHSA-jfh8-c2jp-5v3q")));
    }

    [Theory]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "aliases": "CVE-1"}""")]
    [InlineData("""{"id": "X-1", "modified": 17}""")]
    [InlineData("""{"id": "X-1"}""")]
    [InlineData("""{"id": null, "modified": "2024-01-01T00:00:00Z"}""")]
    [InlineData("""{"id": "X-1", "modified": "yesterday"}""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "aliases": [null]}""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [null]}""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1"}]}]}]}""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "published": 17}""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z"} trailing""")]
    [InlineData("""{"id": "X-1", "modified": "2024-01-01T00:00:00Z",""")]
    public void The_database_reader_refuses_what_the_serializer_refuses_with_the_same_message(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var general = Assert.Throws<InvalidOsvRecordException>(() => OsvReader.Parse(bytes, "the database (record X-1)"));
        var stored = Assert.Throws<InvalidOsvRecordException>(() => OsvReader.ParseStored(bytes, "X-1"));
        Assert.Equal(general.Message, stored.Message);
    }

    private static string Serialise(OsvRecord record) => System.Text.Json.JsonSerializer.Serialize(record, OsvJsonContext.Default.OsvRecord);
}
