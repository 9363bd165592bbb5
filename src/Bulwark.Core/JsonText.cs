// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Bulwark.Core;

/// System.Text.Json parses a document whose strings hold invalid UTF-8 or unpaired surrogate escapes ("\ud800") and
/// only fails later, with an InvalidOperationException, when such a string is read. Readers of untrusted JSON check
/// the document once after parsing so that this is an <see cref="InputException"/> like any other malformed input.
public static class JsonText
{
    /// Throws an <see cref="InputException"/> naming <paramref name="source"/> when a string or property name in
    /// <paramref name="root"/> cannot be read as text. Reads raw bytes; only strings with escapes are decoded. With
    /// <paramref name="propertyNamesOnly"/>, string values are left to a reader that reports them with their place.
    public static void RequireReadableStrings(JsonElement root, string source, bool propertyNamesOnly = false)
    {
        var pending = new Stack<JsonElement>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        if (!Readable(JsonMarshal.GetRawUtf8PropertyName(p))) Fail(source);
                        if (HasEscape(JsonMarshal.GetRawUtf8PropertyName(p))) Decode(() => p.Name, source);
                        pending.Push(p.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) pending.Push(item);
                    break;
                case JsonValueKind.String when !propertyNamesOnly:
                    var raw = JsonMarshal.GetRawUtf8Value(e);
                    if (!Readable(raw)) Fail(source);
                    if (HasEscape(raw)) Decode(e.GetString, source);
                    break;
            }
        }
    }

    /// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> for JSON whose readers take a
    /// <see cref="JsonException"/> to mean "not JSON" (a registry's answers): a document with invalid UTF-8 or an
    /// unpaired surrogate escape is refused with a JsonException too, rather than parsed, to throw
    /// InvalidOperationException from whichever read later meets the string.
    public static JsonDocument ParseReadable(ReadOnlyMemory<byte> utf8Json, JsonDocumentOptions options = default)
    {
        // a UTF-8 byte order mark, which JsonDocument.Parse over bytes does not skip (a config.json saved by Windows tools)
        if (utf8Json.Span.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        if (!Utf8.IsValid(utf8Json.Span)) throw new JsonException("The JSON text is not valid UTF-8.");
        var doc = JsonDocument.Parse(utf8Json, options);
        if (!NeedsCheck(utf8Json.Span)) return doc;
        try
        {
            RequireReadableStrings(doc.RootElement, "the JSON text");
            return doc;
        }
        catch (InputException e)
        {
            doc.Dispose();
            throw new JsonException(e.Message, e);
        }
    }

    /// For a document already known to be valid UTF-8: only a "\u" escape can make a string unreadable (an unpaired
    /// surrogate), so a document without one needs no walk (lockfiles almost never have one).
    public static bool NeedsCheck(ReadOnlySpan<byte> validUtf8Json) => validUtf8Json.IndexOf("\\u"u8) >= 0;

    private static bool Readable(ReadOnlySpan<byte> raw) => Utf8.IsValid(raw);

    private static bool HasEscape(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'\\') >= 0;

    private static void Decode(Func<string?> read, string source)
    {
        try
        {
            _ = read();
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"Cannot read {source}: a JSON string is not valid Unicode (an unpaired surrogate escape). The file is damaged or was not written by a JSON encoder.", e);
        }
    }

    private static void Fail(string source) =>
        throw new InputException($"Cannot read {source}: a JSON string is not valid UTF-8. The file is damaged or is not UTF-8 JSON.");
}
