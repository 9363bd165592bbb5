// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Toml;

namespace Bulwark.Hygiene.Dependencies;

/// A parsed TOML manifest or lockfile with its text, so items of arrays (which the table keeps no line for) can be
/// placed on their line.
internal sealed class TomlFile(TomlTable root, string[] lines)
{
    public TomlTable Root { get; } = root;

    public static TomlFile Parse(byte[] bytes)
    {
        var text = DependencyTree.DecodeUtf8(bytes);
        return new TomlFile(TomlDocument.Parse(text), text.Split('\n'));
    }

    /// The first line at or after <paramref name="from"/> that holds <paramref name="value"/> as a quoted string.
    public int LineOf(string value, int from)
    {
        for (var i = Math.Max(0, from - 1); i < lines.Length; i++)
        {
            if (lines[i].Contains($"\"{value}\"", StringComparison.Ordinal) || lines[i].Contains($"'{value}'", StringComparison.Ordinal)) return i + 1;
        }
        return from;
    }

    /// A table reached through <paramref name="keys"/>, or null when any step is missing or not a table.
    public static TomlTable? Table(TomlTable? t, params string[] keys)
    {
        foreach (var k in keys)
        {
            if (t is null || !t.TryGetValue(k, out var v) || v is not TomlTable next) return null;
            t = next;
        }
        return t;
    }

    /// A string value, or null when it is missing or not a string.
    public static string? Str(TomlTable? t, string key) => t is not null && t.TryGetValue(key, out var v) ? v as string : null;

    /// The strings of an array value (other items skipped), or nothing.
    public static IEnumerable<string> Strings(TomlTable? t, string key) =>
        t is not null && t.TryGetValue(key, out var v) && v is TomlArray a ? a.OfType<string>() : [];

    /// The tables of an array of tables (other items skipped), or nothing.
    public static IEnumerable<TomlTable> Tables(TomlTable? t, string key) =>
        t is not null && t.TryGetValue(key, out var v) && v is TomlArray a ? a.OfType<TomlTable>() : [];

    public static int? ArrayLine(TomlTable? t, string key) => t is not null && t.TryGetValue(key, out var v) && v is TomlArray a ? a.Line : null;
}
