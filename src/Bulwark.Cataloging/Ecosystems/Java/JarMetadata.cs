// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// The main section of META-INF/MANIFEST.MF (JAR File Specification, "JAR Manifest"): `Name: value` lines,
/// a line that starts with one space continues the previous value, a blank line ends the section.
internal static class JarManifest
{
    public static IReadOnlyDictionary<string, string> ParseMainSection(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? key = null;
        var value = new StringBuilder();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            if (line.StartsWith(' ') && key is not null)
            {
                value.Append(line, 1, line.Length - 1);
                continue;
            }
            if (key is not null) attributes.TryAdd(key, value.ToString().Trim());
            key = null;
            if (line.Length == 0) break; // end of the main section; per-entry sections follow
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue; // not an attribute: ignore, as the JDK's reader is lenient too
            key = line[..colon].Trim();
            value.Clear().Append(line.AsSpan(colon + 1).TrimStart());
        }
        if (key is not null) attributes.TryAdd(key, value.ToString().Trim());
        return attributes;
    }
}

/// A Java .properties file (java.util.Properties.load): `key=value`, `key: value` or `key value` lines,
/// # and ! comments, backslash continuations and escapes.
internal static class JavaProperties
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var logical = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            var line = logical.Length > 0 ? raw.TrimStart() : raw.TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 && (line.Length == 0 || line[0] is '#' or '!')) continue;
            if (EndsWithContinuation(line))
            {
                logical.Append(line, 0, line.Length - 1);
                continue;
            }
            logical.Append(line);
            Add(result, logical.ToString());
            logical.Clear();
        }
        if (logical.Length > 0) Add(result, logical.ToString());
        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var slashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--) slashes++;
        return slashes % 2 == 1;
    }

    private static void Add(Dictionary<string, string> result, string line)
    {
        var i = 0;
        while (i < line.Length && !(line[i] is '=' or ':' or ' ' or '\t' or '\f'))
        {
            if (line[i] == '\\') i++;
            i++;
        }
        var key = Unescape(line[..Math.Min(i, line.Length)]);
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        if (i < line.Length && line[i] is '=' or ':') i++;
        while (i < line.Length && line[i] is ' ' or '\t' or '\f') i++;
        result[key] = Unescape(i < line.Length ? line[i..] : "");
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal)) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length) { sb.Append(s[i]); continue; }
            var c = s[++i];
            switch (c)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u' when i + 4 < s.Length && int.TryParse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
