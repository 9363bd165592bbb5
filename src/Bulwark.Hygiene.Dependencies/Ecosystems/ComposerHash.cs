// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// The `content-hash` Composer records in composer.lock: MD5 of the parts of composer.json that change what gets
/// locked (name, version, require, require-dev, conflict, replace, provide, minimum-stability, prefer-stable,
/// repositories, extra and config.platform), top-level keys sorted, encoded as PHP's json_encode does by default
/// ('/' escaped as "\/", non-ASCII as \uXXXX, an empty object as []). Nested keys keep the file's order.
internal static class ComposerHash
{
    private static readonly string[] RelevantKeys =
        ["name", "version", "require", "require-dev", "conflict", "replace", "provide", "minimum-stability", "prefer-stable", "repositories", "extra"];

    /// The hex hash, or null when composer.json holds something whose PHP encoding is not reproduced here (a
    /// non-integer number, a key given twice).
    public static string? Compute(JsonElement composer)
    {
        if (composer.ValueKind != JsonValueKind.Object) return null;
        var relevant = new SortedDictionary<string, JsonElement?>(StringComparer.Ordinal);
        foreach (var key in RelevantKeys)
            if (composer.TryGetProperty(key, out var v)) relevant[key] = v;
        JsonElement? platform = composer.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("platform", out var p) ? p : null;
        if (platform is not null) relevant["config"] = null;
        var json = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in relevant)
        {
            if (!first) json.Append(',');
            first = false;
            AsciiJson.WriteString(json, key, escapeSlash: true);
            json.Append(':');
            if (value is { } element)
            {
                if (!Write(json, element, 0)) return null;
            }
            else
            {
                json.Append("{\"platform\":");
                if (!Write(json, platform!.Value, 0)) return null;
                json.Append('}');
            }
        }
        json.Append('}');
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    private static bool Write(StringBuilder json, JsonElement value, int depth)
    {
        if (depth > 64) return false;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                if (members.Count == 0)
                {
                    json.Append("[]"); // json_decode(…, true) turns {} into an empty array
                    return true;
                }
                if (members.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != members.Count) return false;
                json.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) json.Append(',');
                    AsciiJson.WriteString(json, members[i].Name, escapeSlash: true);
                    json.Append(':');
                    if (!Write(json, members[i].Value, depth + 1)) return false;
                }
                json.Append('}');
                return true;
            case JsonValueKind.Array:
                json.Append('[');
                var n = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (n++ > 0) json.Append(',');
                    if (!Write(json, item, depth + 1)) return false;
                }
                json.Append(']');
                return true;
            case JsonValueKind.String:
                AsciiJson.WriteString(json, value.GetString()!, escapeSlash: true);
                return true;
            case JsonValueKind.Number:
                if (!value.TryGetInt64(out var l)) return false;
                json.Append(l.ToString(CultureInfo.InvariantCulture));
                return true;
            case JsonValueKind.True: json.Append("true"); return true;
            case JsonValueKind.False: json.Append("false"); return true;
            case JsonValueKind.Null: json.Append("null"); return true;
            default: return false;
        }
    }
}
