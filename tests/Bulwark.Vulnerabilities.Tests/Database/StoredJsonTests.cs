// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Osv;
using Microsoft.Data.Sqlite;

namespace Bulwark.Vulnerabilities.Tests.Database;

public sealed class StoredJsonTests
{
    private const string Record = """
        {
          "schema_version": "1.6.0",
          "id": "GHSA-aaaa-bbbb-cccc",
          "modified": "2024-05-01T10:00:00.123456Z",
          "published": "2024-04-01T00:00:00Z",
          "aliases": ["CVE-2024-0001"],
          "related": ["CVE-2024-0002"],
          "summary": "Bad \"thing\" in ü",
          "details": "Long text\nthat no finding shows.",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
          "affected": [{
            "package": {"ecosystem": "PyPI", "name": "demo", "purl": "pkg:pypi/demo"},
            "ranges": [
              {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}], "database_specific": {"source": "x"}},
              {"type": "GIT", "repo": "https://example.com/demo.git", "events": [{"introduced": "abc"}]}
            ],
            "versions": ["1.0", "1.1"],
            "ecosystem_specific": {"imports": [{"path": "demo", "symbols": ["A", "B"]}]},
            "database_specific": {"source": "https://example.com"}
          }],
          "references": [{"type": "ADVISORY", "url": "https://example.com/a"}],
          "credits": [{"name": "Someone", "contact": ["mailto:x@example.com"]}],
          "database_specific": {"cwe_ids": ["CWE-79"], "severity": "HIGH", "github_reviewed": true, "ubuntu_priority": "low"}
        }
        """;

    private static byte[] Compact(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return StoredJson.Compact(bytes, OsvReader.Parse(bytes, "test"));
    }

    [Fact]
    public void Keeps_what_matching_and_reports_read_and_drops_the_rest_byte_for_byte()
    {
        var expected = """{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-05-01T10:00:00.123456Z","published":"2024-04-01T00:00:00Z","aliases":["CVE-2024-0001"],"summary":"Bad \"thing\" in ü","severity":[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],"affected":[{"package":{"ecosystem": "PyPI", "name": "demo", "purl": "pkg:pypi/demo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced": "0"}, {"fixed": "1.2"}]},{"type":"GIT","events":[{"introduced": "abc"}]}],"versions":["1.0", "1.1"]}],"references":[{"type": "ADVISORY", "url": "https://example.com/a"}],"database_specific":{"severity":"HIGH","ubuntu_priority":"low"}}""";
        Assert.Equal(expected, Encoding.UTF8.GetString(Compact(Record)));
    }

    [Fact]
    public void Details_are_kept_when_the_summary_is_missing_or_blank()
    {
        var blank = Record.Replace("\"summary\": \"Bad \\\"thing\\\" in ü\"", "\"summary\": \"  \"", StringComparison.Ordinal);
        var withoutSummary = Record.Replace("\"summary\": \"Bad \\\"thing\\\" in ü\",", "", StringComparison.Ordinal);
        Assert.Equal("Long text\nthat no finding shows.", OsvReader.Parse(Compact(blank), "test").Details);
        Assert.Equal("Long text\nthat no finding shows.", OsvReader.Parse(Compact(withoutSummary), "test").Details);
        Assert.Null(OsvReader.Parse(Compact(Record), "test").Details);
    }

    [Fact]
    public void Member_names_written_with_escapes_are_kept_as_the_serializer_reads_them()
    {
        // "\u0061ffected" is "affected" to the serializer; the stored form used to drop every escaped name, so a
        // record's ranges, summary or severity word vanished from the database (found by the osv.stored fuzz target)
        var escaped = Record
            .Replace("\"affected\"", "\"\\u0061ffected\"", StringComparison.Ordinal)
            .Replace("\"summary\"", "\"summ\\u0061ry\"", StringComparison.Ordinal)
            .Replace("\"events\"", "\"\\u0065vents\"", StringComparison.Ordinal)
            .Replace("\"severity\": \"HIGH\"", "\"\\u0073everity\": \"HIGH\"", StringComparison.Ordinal)
            .Replace("\"ubuntu_priority\"", "\"\\ud800\"", StringComparison.Ordinal)
            // every character escaped: 60 bytes as written for a 10-character name (was dropped as too long)
            .Replace("\"references\"", "\"" + string.Concat("references".Select(c => $"\\u{(int)c:x4}")) + "\"", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(escaped);
        var original = OsvReader.Parse(bytes, "test");
        Assert.Equal(2, original.Affected[0].Ranges[0].Events.Count);
        var stored = OsvReader.Parse(StoredJson.Compact(bytes, original), "test");
        Assert.Equal(Matched(original), Matched(stored));
        Assert.Equal("Bad \"thing\" in ü", stored.Summary);
        Assert.Equal("1.2", stored.Affected[0].Ranges[0].Events[1].Fixed);
        Assert.Equal("""{"severity":"HIGH"}""", stored.DatabaseSpecific?.GetRawText());
        Assert.Equal("https://example.com/a", Assert.Single(stored.References).Url);
    }

    /// Every record of these ecosystems in ../shared/vulndb, original against stored form: every field a match or a
    /// report reads parses to the same value.
    [Theory]
    [InlineData("osv", "PyPI")]
    [InlineData("osv", "Go")]
    [InlineData("osv", "Debian")]
    [InlineData("osv", "Ubuntu")]
    [InlineData("osv", "Maven")]
    [InlineData("malicious", "npm")]
    public void Every_shared_record_reads_the_same_in_its_stored_form(string tree, string ecosystem)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Mirror.Shared, tree, ecosystem, "all.zip"));
        var count = 0;
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            var original = OsvReader.Parse(bytes, entry.FullName);
            var stored = OsvReader.Parse(StoredJson.Compact(bytes, original), entry.FullName);
            Assert.Equal(Matched(original), Matched(stored));
            count++;
        }
        Assert.True(count > 0);
    }

    // what Matcher reads of a record, as text
    private static string Matched(OsvRecord r)
    {
        var text = new StringBuilder();
        text.Append(r.Id).Append('|').Append(r.Modified.ToString("O")).Append('|').Append(r.Published?.ToString("O")).Append('|')
            .Append(r.Withdrawn?.ToString("O")).Append('|').AppendJoin(',', r.Aliases).Append('|').Append(r.Summary).Append('|')
            .Append(string.IsNullOrWhiteSpace(r.Summary) ? r.Details : null).Append('|');
        foreach (var s in r.Severity) text.Append(s.Type).Append('=').Append(s.Score).Append(';');
        foreach (var reference in r.References) text.Append(reference.Type).Append('=').Append(reference.Url).Append(';');
        if (r.DatabaseSpecific is { ValueKind: JsonValueKind.Object } d)
            foreach (var key in new[] { "severity", "ubuntu_priority" })
                if (d.TryGetProperty(key, out var v)) text.Append(key).Append('=').Append(v.GetRawText()).Append(';');
        foreach (var a in r.Affected)
        {
            text.Append("\n").Append(a.Package?.Ecosystem).Append('/').Append(a.Package?.Name).Append('/').Append(a.Package?.Purl).Append('|');
            foreach (var s in a.Severity) text.Append(s.Type).Append('=').Append(s.Score).Append(';');
            text.AppendJoin(',', a.Versions).Append('|');
            foreach (var range in a.Ranges)
            {
                text.Append(range.Type).Append(':');
                foreach (var e in range.Events) text.Append(e.Introduced).Append('/').Append(e.Fixed).Append('/').Append(e.LastAffected).Append('/').Append(e.Limit).Append(' ');
            }
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_database_of_the_previous_format_is_refused_with_a_rebuild_hint_and_rebuilt_by_an_update()
    {
        using var mirror = new Mirror(["GHC"], ["Maven"]);
        using var http = new HttpClient();
        var options = new UpdateOptions { Directory = mirror.DbDirectory, Source = mirror.Osv };
        await new DatabaseUpdater(http).UpdateAsync(options);
        using (var connection = new SqliteConnection($"Data Source={mirror.DbFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '2' WHERE key = 'format'";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InputException>(() => VulnerabilityDatabase.Open(mirror.DbDirectory));
        Assert.Equal($"The vulnerability database at {mirror.DbFile} has format 2, expected 3. Run 'bulwark db update' to rebuild it.", error.Message);

        var result = await new DatabaseUpdater(http).UpdateAsync(options);
        Assert.Equal(2, result.ZipsImported);
        using var db = VulnerabilityDatabase.Open(mirror.DbDirectory);
        Assert.Equal(3, db.Status().Ecosystems.Single(e => e.Ecosystem == "GHC").Vulnerabilities);
    }
}
