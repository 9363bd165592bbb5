// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// One entry of a yarn.lock: the specifiers that resolve to it ("a@^1.0.0", "a@^1.1.0") and its fields.
internal sealed class YarnLockEntry(IReadOnlyList<string> specifiers, int line)
{
    public IReadOnlyList<string> Specifiers { get; } = specifiers;
    public int Line { get; } = line;
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
    /// Block name ("dependencies", "optionalDependencies") to its name → range pairs.
    public Dictionary<string, List<KeyValuePair<string, string>>> Blocks { get; } = new(StringComparer.Ordinal);

    public string? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;
    public IReadOnlyList<KeyValuePair<string, string>> Block(string name) => Blocks.TryGetValue(name, out var b) ? b : [];
}

/// Parses yarn's own "# yarn lockfile v1" format: indentation-structured, two spaces a level, keys and values
/// separated by a space, strings optionally double-quoted with JSON escapes, an entry header listing every
/// specifier that resolves to it, comma-separated.
internal static class YarnV1Lockfile
{
    public static List<YarnLockEntry> Parse(string text)
    {
        var entries = new List<YarnLockEntry>();
        YarnLockEntry? current = null;
        List<KeyValuePair<string, string>>? block = null;
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.TrimEnd();
            var content = line.TrimStart(' ');
            if (content.IsEmpty || content[0] == '#') continue;
            var indent = line.Length - content.Length;
            switch (indent)
            {
                case 0:
                    if (content[^1] != ':') throw Error(lineNumber, "expected an entry header ending in ':'");
                    current = new YarnLockEntry(Specifiers(content[..^1], lineNumber), lineNumber);
                    entries.Add(current);
                    block = null;
                    break;
                case 2:
                    if (current is null) throw Error(lineNumber, "a field outside any entry");
                    var (key, value) = KeyValue(content, lineNumber);
                    if (value is null)
                    {
                        block = [];
                        current.Blocks[key] = block;
                    }
                    else
                    {
                        current.Fields[key] = value;
                        block = null;
                    }
                    break;
                case 4:
                    if (block is null) throw Error(lineNumber, "an indented line outside a dependencies block");
                    var (name, range) = KeyValue(content, lineNumber);
                    block.Add(new(name, range ?? ""));
                    break;
                default:
                    // deeper levels (nested objects yarn never writes for packages) are not needed
                    if (indent % 2 != 0) throw Error(lineNumber, $"unexpected indentation of {indent} spaces");
                    break;
            }
        }
        return entries;
    }

    /// Splits a header ("a@^1, \"b@npm:c@^2\"") into its specifiers.
    private static List<string> Specifiers(ReadOnlySpan<char> header, int line)
    {
        var list = new List<string>();
        var i = 0;
        while (i < header.Length)
        {
            while (i < header.Length && header[i] == ' ') i++;
            if (i >= header.Length) break;
            string spec;
            if (header[i] == '"') spec = Quoted(header, ref i, line);
            else
            {
                var end = header[i..].IndexOf(',');
                end = end < 0 ? header.Length : i + end;
                spec = header[i..end].TrimEnd().ToString();
                i = end;
            }
            if (spec.Length > 0) list.Add(spec);
            while (i < header.Length && header[i] == ' ') i++;
            if (i < header.Length && header[i] != ',') throw Error(line, "expected ',' between specifiers");
            i++;
        }
        if (list.Count == 0) throw Error(line, "an entry header names no package");
        return list;
    }

    /// "key value", "\"key\" \"value\"", or "key:" (value null: a block follows).
    private static (string Key, string? Value) KeyValue(ReadOnlySpan<char> content, int line)
    {
        var i = 0;
        string key;
        if (content[0] == '"') key = Quoted(content, ref i, line);
        else
        {
            while (i < content.Length && content[i] != ' ' && !(content[i] == ':' && i == content.Length - 1)) i++;
            key = content[..i].ToString();
        }
        var rest = content[i..].Trim(' ');
        if (rest.IsEmpty) throw Error(line, $"'{key}' has no value");
        if (rest.SequenceEqual(":")) return (key, null);
        if (rest[0] == '"')
        {
            var j = 0;
            var value = Quoted(rest, ref j, line);
            return (key, value);
        }
        return (key, rest.ToString());
    }

    /// Reads a double-quoted string starting at <paramref name="i"/>, leaving <paramref name="i"/> after the closing quote.
    private static string Quoted(ReadOnlySpan<char> s, ref int i, int line)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (i < s.Length)
        {
            var c = s[i++];
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (i >= s.Length) break;
            var e = s[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when i + 4 <= s.Length && int.TryParse(s.Slice(i, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        throw Error(line, "a quoted string is not closed");
    }

    private static InputException Error(int line, string what) =>
        new($"line {line}: {what}. Run 'yarn install' to rebuild yarn.lock.");
}
