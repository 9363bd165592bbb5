// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Tests;

public sealed class SarifLogTests
{
    [Theory]
    [InlineData("src/app.py", "src/app.py")]
    [InlineData("/usr/lib/os-release", "usr/lib/os-release")]
    [InlineData("docs\\notes.md", "docs/notes.md")]
    [InlineData("my dir/a b.yml", "my%20dir/a%20b.yml")]
    [InlineData("c:/x", "c%3A/x")]
    [InlineData("données/é.txt", "donn%C3%A9es/%C3%A9.txt")]
    [InlineData("a#b?c%d", "a%23b%3Fc%25d")]
    [InlineData("keep/sub-delims!$&'()*+,;=@", "keep/sub-delims!$&'()*+,;=@")]
    [InlineData("", ".")]
    public void Relative_uris_are_rfc_3986_references_with_everything_outside_the_path_set_percent_encoded(string path, string uri) =>
        Assert.Equal(uri, SarifLog.RelativeUri(path));

    [Fact]
    public void A_log_is_framed_once_and_a_location_without_a_line_has_no_region()
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream))
        {
            SarifLog.StartRun(w, "1.0");
            SarifLog.EndDriver(w);
            w.WriteStartArray("results");
            w.WriteStartObject();
            SarifLog.WriteLocations(w, "a.yml");
            w.WriteEndObject();
            w.WriteStartObject();
            SarifLog.WriteLocation(w, "b.yml", 3, 7, "k/v1", "f", uriBaseId: "%SRCROOT%");
            w.WriteEndObject();
            w.WriteEndArray();
            SarifLog.EndRun(w, stream);
        }
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith(
            "\"results\":[{\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"a.yml\"}}}]}," +
            "{\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"b.yml\",\"uriBaseId\":\"%SRCROOT%\"}," +
            "\"region\":{\"startLine\":3,\"startColumn\":7}}}],\"partialFingerprints\":{\"k/v1\":\"f\"}}]}]}\n", text, StringComparison.Ordinal);
    }
}

public sealed class JsonTextTests
{
    [Theory]
    [InlineData("{\"a\":\"plain\"}", false)]
    [InlineData("{\"a\":\"\\u00e9\"}", true)]
    [InlineData("{\"a\":\"\\ud800\"}", true)]
    [InlineData("{\"a\":\"back\\\\slash u\"}", false)]
    public void Only_documents_with_a_unicode_escape_need_the_string_walk(string json, bool needs) =>
        Assert.Equal(needs, JsonText.NeedsCheck(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_unpaired_surrogate_escape_is_an_input_error_naming_the_source()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"a\":[\"ok\",\"\\ud800\"]}");
        Assert.True(JsonText.NeedsCheck(bytes));
        using var doc = System.Text.Json.JsonDocument.Parse(bytes);
        var e = Assert.Throws<InputException>(() => JsonText.RequireReadableStrings(doc.RootElement, "x.json"));
        Assert.StartsWith("Cannot read x.json: a JSON string is not valid Unicode", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "Cannot read the JSON text: a JSON string is not valid Unicode (an unpaired surrogate escape).")]
    [InlineData("""{"\udc00":1}""", "Cannot read the JSON text: a JSON string is not valid Unicode (an unpaired surrogate escape).")]
    public void ParseReadable_refuses_unpaired_surrogate_escapes_as_json_errors(string json, string message)
    {
        var e = Assert.Throws<System.Text.Json.JsonException>(() => JsonText.ParseReadable(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseReadable_refuses_invalid_utf8_as_a_json_error_and_reads_good_json()
    {
        byte[] bad = [.. "{\"a\":\"x"u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal("The JSON text is not valid UTF-8.", Assert.Throws<System.Text.Json.JsonException>(() => JsonText.ParseReadable(bad)).Message);
        using var good = JsonText.ParseReadable("""{"a":"\u00e9\ud83d\ude00","b":[1]}"""u8.ToArray());
        Assert.Equal("é😀", good.RootElement.GetProperty("a").GetString());
        // a UTF-8 byte order mark is skipped, as JsonDocument does for a stream (config.json saved by Windows tools)
        using var bom = JsonText.ParseReadable((byte[])[0xEF, 0xBB, 0xBF, .. "{\"a\":1}"u8]);
        Assert.Equal(1, bom.RootElement.GetProperty("a").GetInt32());
    }
}
