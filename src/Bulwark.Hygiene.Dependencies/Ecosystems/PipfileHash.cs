// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Cataloging.Formats.Toml;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// The hash pipenv records in Pipfile.lock (`_meta.hash.sha256`) of the Pipfile it locked: SHA-256 of the Pipfile's
/// data as {"_meta": {"sources", "requires"}, "default": packages, "develop": dev-packages, other categories…},
/// serialised the way Python's json.dumps(sort_keys=True, separators=(",", ":")) does (keys sorted, no spaces,
/// non-ASCII escaped as \uXXXX). [pipenv] and [scripts] do not count: changing them needs no new lock.
internal static class PipfileHash
{
    private static readonly HashSet<string> NotCategories = new(StringComparer.Ordinal)
    {
        "source", "requires", "packages", "dev-packages", "pipenv", "scripts", "pipfile",
    };

    /// The hex hash, or null when the Pipfile holds a value whose Python rendering is not reproduced here (a float, a
    /// date) or names no source (pipenv then adds its default one).
    public static string? Compute(TomlTable pipfile)
    {
        ArgumentNullException.ThrowIfNull(pipfile);
        if (!pipfile.TryGetValue("source", out var sources)) return null;
        var meta = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["sources"] = sources,
            ["requires"] = pipfile.TryGetValue("requires", out var r) ? r : Empty(),
        };
        var data = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["_meta"] = meta,
            ["default"] = pipfile.TryGetValue("packages", out var p) ? p : Empty(),
            ["develop"] = pipfile.TryGetValue("dev-packages", out var d) ? d : Empty(),
        };
        foreach (var key in pipfile.Keys)
        {
            if (!NotCategories.Contains(key) && key is not ("default" or "develop")) data[key] = pipfile[key];
        }
        return PythonJson.Dumps(data, compact: true) is { } json ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))) : null;
    }

    private static SortedDictionary<string, object?> Empty() => new(StringComparer.Ordinal);
}

/// Python's json.dumps(value, sort_keys=True) for TOML values (with separators=(",", ":") when compact), ensure_ascii
/// on: what pipenv and Poetry hash. Null when a value's Python rendering is not reproduced (floats, dates).
internal static class PythonJson
{
    public static string? Dumps(object? value, bool compact)
    {
        var json = new StringBuilder();
        return Write(json, value, 0, compact) ? json.ToString() : null;
    }

    private static bool Write(StringBuilder json, object? value, int depth, bool compact)
    {
        if (depth > 64) return false;
        switch (value)
        {
            case null:
                json.Append("null");
                return true;
            case string s:
                AsciiJson.WriteString(json, s, escapeSlash: false);
                return true;
            case bool b:
                json.Append(b ? "true" : "false");
                return true;
            case long l:
                json.Append(l.ToString(CultureInfo.InvariantCulture));
                return true;
            case TomlArray a:
                json.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) json.Append(compact ? "," : ", ");
                    if (!Write(json, a[i], depth + 1, compact)) return false;
                }
                json.Append(']');
                return true;
            case TomlTable t:
                return WriteObject(json, t.Keys.Select(k => (k, (object?)t[k])), depth, compact);
            case IDictionary<string, object?> m:
                return WriteObject(json, m.Select(kv => (kv.Key, kv.Value)), depth, compact);
            default:
                return false; // floats and dates: Python's repr is not reproduced
        }
    }

    private static bool WriteObject(StringBuilder json, IEnumerable<(string Key, object? Value)> members, int depth, bool compact)
    {
        json.Append('{');
        var first = true;
        foreach (var (key, v) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!first) json.Append(compact ? "," : ", ");
            first = false;
            AsciiJson.WriteString(json, key, escapeSlash: false);
            json.Append(compact ? ":" : ": ");
            if (!Write(json, v, depth + 1, compact)) return false;
        }
        json.Append('}');
        return true;
    }
}
