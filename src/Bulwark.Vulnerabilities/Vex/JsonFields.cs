// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Vex;

/// Typed reads of JSON members that name the file and the JSON path when a member has the wrong type.
internal sealed class JsonFields(string source)
{
    public string Source { get; } = source;

    public InputException Error(string path, string problem) =>
        new($"Cannot read {Source}: {path}: {problem}");

    public string? String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Error(Join(path, name), $"expected a string, found a JSON {Kind(value)}.");
        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }

    public string RequiredString(JsonElement parent, string name, string path, string what) =>
        String(parent, name, path) ?? throw Error(Join(path, name), $"{what} is missing or empty.");

    public IEnumerable<(JsonElement Item, string Path)> Array(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) yield break;
        var at = Join(path, name);
        if (value.ValueKind != JsonValueKind.Array) throw Error(at, $"expected an array, found a JSON {Kind(value)}.");
        var i = 0;
        foreach (var item in value.EnumerateArray()) yield return (item, $"{at}[{i++}]");
    }

    public IEnumerable<string> Strings(JsonElement parent, string name, string path)
    {
        foreach (var (item, at) in Array(parent, name, path))
        {
            if (item.ValueKind != JsonValueKind.String) throw Error(at, $"expected a string, found a JSON {Kind(item)}.");
            var text = item.GetString()!.Trim();
            if (text.Length > 0) yield return text;
        }
    }

    public JsonElement? Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object) throw Error(Join(path, name), $"expected an object, found a JSON {Kind(value)}.");
        return value;
    }

    public DateTimeOffset? Timestamp(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        if (text is null) return null;
        return ParseTimestamp(text) ?? throw Error(Join(path, name), $"'{text}' is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z).");
    }

    public static DateTimeOffset? ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static string Join(string path, string name) => path.Length == 0 || path.EndsWith('.') ? path + name : $"{path}.{name}";

    public static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
