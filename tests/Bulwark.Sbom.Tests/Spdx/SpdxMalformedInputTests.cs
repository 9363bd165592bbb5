// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Sbom.Spdx;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Spdx;

/// Damaged documents must fail as unreadable input (InputException, or JsonException for broken JSON), never
/// with another exception type, and never hang.
public class SpdxMalformedInputTests
{
    private static readonly string JsonExample = File.ReadAllText(Path.Combine(TestPaths.Corpora, "spdx-spec", "v2.3.1", "examples", "SPDXJSONExample-v2.3.spdx.json"));
    private static readonly string TagValueExample = File.ReadAllText(Path.Combine(TestPaths.Corpora, "spdx-spec", "v2.3.1", "examples", "SPDXTagExample-v2.3.spdx"));

    [Fact]
    public void Fails_cleanly_on_every_truncation_of_a_json_document() => AssertEachFailsCleanly(Truncations(JsonExample));

    [Fact]
    public void Fails_cleanly_on_every_truncation_of_a_tag_value_document() => AssertEachFailsCleanly(Truncations(TagValueExample));

    [Fact]
    public void Fails_cleanly_without_any_one_line_of_a_tag_value_document()
    {
        var lines = TagValueExample.Split('\n');
        AssertEachFailsCleanly(Enumerable.Range(0, lines.Length).Select(i => string.Join('\n', lines.Where((_, j) => j != i))));
    }

    [Fact]
    public void Fails_cleanly_when_json_values_have_the_wrong_type()
    {
        // replace each string value in turn with a number, an array, an object and null
        var variants = new List<string>();
        var positions = new List<(int Start, int End)>();
        for (var i = JsonExample.IndexOf(": \"", StringComparison.Ordinal); i >= 0 && positions.Count < 120; i = JsonExample.IndexOf(": \"", i + 1, StringComparison.Ordinal))
        {
            var end = JsonExample.IndexOf('"', i + 3);
            if (end > 0) positions.Add((i + 2, end + 1));
        }
        foreach (var (start, end) in positions)
            foreach (var replacement in (string[])["42", "[]", "{}", "null", "true"])
                variants.Add(string.Concat(JsonExample.AsSpan(0, start), replacement, JsonExample.AsSpan(end)));
        AssertEachFailsCleanly(variants);
    }

    private const string Damage = "{}[]\":,<>\n#x0 ";

    [Fact]
    public void Fails_cleanly_on_random_byte_damage()
    {
        var random = new Random(20240501);
        var variants = new List<string>();
        foreach (var text in (string[])[JsonExample, TagValueExample])
        {
            for (var n = 0; n < 150; n++)
            {
                var chars = text.ToCharArray();
                for (var k = 0; k < 5; k++) chars[random.Next(chars.Length)] = Damage[random.Next(Damage.Length)];
                variants.Add(new string(chars));
            }
        }
        AssertEachFailsCleanly(variants);
    }

    private static IEnumerable<string> Truncations(string text)
    {
        for (var n = 0; n < 200; n++) yield return text[..(int)((long)text.Length * n / 200)];
    }

    private static void AssertEachFailsCleanly(IEnumerable<string> inputs)
    {
        foreach (var input in inputs)
        {
            try
            {
                var sbom = SpdxReader.Read(input);
                // what reads must also write
                _ = SpdxJsonWriter.Write(sbom);
                _ = SpdxTagValueWriter.Write(sbom);
            }
            catch (InputException)
            {
            }
            catch (JsonException)
            {
            }
        }
    }
}
