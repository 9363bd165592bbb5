// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Text.Unicode;
using Bulwark.Core;

namespace Bulwark.Hygiene.Dependencies;

/// A parsed JSON manifest or lockfile with the line of each property (<see cref="JsonLines"/>).
internal sealed class JsonFile(JsonElement root, JsonLines lines)
{
    public JsonElement Root { get; } = root;
    public JsonLines Lines { get; } = lines;

    /// Parses checked bytes: a byte order mark is dropped; invalid UTF-8 and strings that are not valid Unicode are
    /// refused (JsonDocument accepts both inside strings and fails only when such a string is read); comments and trailing commas are allowed
    /// as npm and NuGet allow them.
    public static JsonFile Parse(byte[] bytes)
    {
        ReadOnlyMemory<byte> m = bytes;
        if (m.Span.StartsWith("\uFEFF"u8)) m = m[3..];
        if (!Utf8.IsValid(m.Span)) throw new InputException("the file is not valid UTF-8, so it is not valid JSON. Save it as UTF-8.");
        using var doc = JsonDocument.Parse(m, new JsonDocumentOptions { MaxDepth = 256, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        // an unpaired surrogate escape ("\ud800") parses, and throws InvalidOperationException only when read
        if (JsonText.NeedsCheck(m.Span)) JsonText.RequireReadableStrings(doc.RootElement, "the file");
        return new JsonFile(doc.RootElement.Clone(), JsonLines.Index(m.Span));
    }

    /// A string member, or null when it is missing or not a string.
    public static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// An object member, or null when it is missing or not an object.
    public static JsonElement? Obj(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static bool True(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// The string-valued members of an object member ("dependencies": {"a": "^1"}); others are skipped.
    public static IEnumerable<(string Name, string Value)> StringMap(JsonElement obj, string name)
    {
        if (Obj(obj, name) is not { } map) yield break;
        foreach (var p in map.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.String) yield return (p.Name, p.Value.GetString()!);
    }
}
