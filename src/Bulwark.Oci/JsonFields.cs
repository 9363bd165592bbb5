// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Oci;

/// Typed reads of OCI JSON documents that fail with an <see cref="InputException"/> naming the blob and the field.
internal readonly struct JsonFields(JsonElement element, string where, string path)
{
    public JsonElement Element => element;
    public string Where => where;

    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string where)
    {
        try
        {
            var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            try
            {
                JsonText.RequireReadableStrings(doc.RootElement, where);
            }
            catch
            {
                doc.Dispose();
                throw;
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw new InputException($"{where} is not valid JSON ({e.Message}); the file is corrupt or not an OCI document.", e);
        }
    }

    public static JsonFields Root(JsonDocument doc, string where)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new InputException($"{where} is not a JSON object; the file is corrupt or not an OCI document.");
        return new JsonFields(doc.RootElement, where, "");
    }

    private string Field(string name) => path.Length == 0 ? name : path + "." + name;

    public InputException Error(string name, string problem) =>
        new($"{where}: '{Field(name)}' {problem}; the document is malformed.");

    public bool Has(string name) => element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error(name, "must be a string");
    }

    public string RequiredString(string name) => String(name) ?? throw Error(name, "is missing");

    public long? Long(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Error(name, "must be an integer");
    }

    public bool Bool(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return false;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, "must be true or false"),
        };
    }

    public Digest RequiredDigest(string name)
    {
        var text = RequiredString(name);
        return ParseDigest(name, text);
    }

    public Digest ParseDigest(string name, string text)
    {
        // OCI digests are algorithm ":" lowercase hex (image-spec descriptor.md); sha256 and sha512 are registered
        return OciDigests.TryParse(text)
            ?? throw Error(name, $"is '{Shorten(text)}', not a digest of the form sha256:<64 lowercase hex>");
    }

    public JsonFields? Object(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Object ? new JsonFields(v, where, Field(name)) : throw Error(name, "must be an object");
    }

    public IReadOnlyList<JsonFields> Objects(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, "must be an array");
        var list = new List<JsonFields>(v.GetArrayLength());
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw Error($"{name}[{i}]", "must be an object");
            list.Add(new JsonFields(item, where, Field($"{name}[{i}]")));
            i++;
        }
        return list;
    }

    public IReadOnlyList<string>? Strings(string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw Error(name, "must be an array of strings");
        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error(name, "must be an array of strings"));
        return list;
    }

    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return map;
        if (v.ValueKind != JsonValueKind.Object) throw Error(name, "must be an object of strings");
        foreach (var p in v.EnumerateObject())
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Error($"{name}.{p.Name}", "must be a string");
        return map;
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
