// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Core.Tests;

/// The table in RelaxedJsonEncoder comes from the platform's UnsafeRelaxedJsonEscaping; these tests fail the day a
/// runtime update changes what that escapes (regenerate the table then).
public sealed class RelaxedJsonEncoderTests
{
    private static readonly JavaScriptEncoder Platform = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static string Write(JavaScriptEncoder encoder, Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder, Indented = true })) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Same(Action<Utf8JsonWriter> write) => Assert.Equal(Write(Platform, write), Write(RelaxedJsonEncoder.Instance, write));

    [Fact]
    public void Escapes_every_BMP_code_point_as_the_platform_does()
    {
        for (var c = 0; c < 0x10000; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            Assert.True(Platform.WillEncode(c) == RelaxedJsonEncoder.Instance.WillEncode(c), $"U+{c:X4}");
        }
        // and writes them the same, in strings, property names and UTF-8 input, a thousand at a time
        for (var start = 0; start < 0x10000; start += 1000)
        {
            var text = new string(Enumerable.Range(start, Math.Min(1000, 0x10000 - start)).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => (char)c).ToArray());
            Same(w => w.WriteStringValue(text));
            Same(w => { w.WriteStartObject(); w.WriteString(text, text); w.WriteEndObject(); });
            Same(w => w.WriteStringValue(Encoding.UTF8.GetBytes(text)));
        }
    }

    [Theory]
    [InlineData("plain ascii, with + < > & ' / kept")]
    [InlineData("quote \" backslash \\ tab \t newline \n cr \r bell \u0007 del \u007f")]
    [InlineData("emoji \U0001F600 and math \U0001D400 outside the BMP")]
    [InlineData("lone high \ud800 and lone low \udc00 surrogates")]
    [InlineData("nbsp \u00a0, line separator \u2028, BOM \ufeff, replacement \ufffd, non-character \uffff")]
    [InlineData("Ünïcödé, 日本語, עברית, العربية")]
    public void Writes_text_as_the_platform_does(string text)
    {
        Same(w => w.WriteStringValue(text));
        Same(w => { w.WriteStartObject(); w.WriteString(text, text); w.WriteEndObject(); });
    }

    [Fact]
    public void Random_text_and_invalid_UTF8_come_out_as_from_the_platform()
    {
        var random = new Random(5);
        for (var n = 0; n < 2_000; n++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = random.Next(4) switch { 0 => (char)random.Next(0, 0x80), 1 => (char)random.Next(0xD7F0, 0xE010), _ => (char)random.Next(0, 0x10000) };
            var text = new string(chars);
            Same(w => w.WriteStringValue(text));
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            var platform = Record(() => Write(Platform, w => w.WriteStringValue(bytes)));
            var ours = Record(() => Write(RelaxedJsonEncoder.Instance, w => w.WriteStringValue(bytes)));
            Assert.Equal(platform, ours);
        }
    }

    private static string Record(Func<string> write)
    {
        try
        {
            return write();
        }
        catch (ArgumentException e)
        {
            return "error: " + e.GetType().Name;
        }
    }
}
