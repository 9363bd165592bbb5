// SPDX-License-Identifier: Apache-2.0
using System.Collections;
using Bulwark.Core;

namespace Bulwark.Cataloging.Formats.Toml;

/// How a table came to exist; TOML 1.0 forbids redefining a table in some of these states.
internal enum TomlTableKind
{
    /// Created as a prefix of a [header] ([a.b] creates a): a later [a] may still define it once.
    Implicit,
    /// Defined by its own [header] or [[header]] (and the root table).
    Header,
    /// Created by a dotted key (a.b = 1 creates a): only more dotted keys of the same table may add to it.
    Dotted,
    /// An inline table { … }: complete when closed.
    Inline,
}

/// A TOML table: keys in document order mapped to values, each value one of string, long, double, bool,
/// <see cref="TomlDateTime"/>, <see cref="TomlArray"/> or <see cref="TomlTable"/>.
public sealed class TomlTable : IReadOnlyDictionary<string, object>
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// An empty table, for "this table or none": `table ?? TomlTable.None` enumerates with the table's own enumerator,
    /// where `?? []` would enumerate an empty KeyValuePair array (whose enumerator is JIT-compiled at start).
    public static TomlTable None { get; } = new(0, TomlTableKind.Inline);

    internal TomlTable(int line, TomlTableKind kind)
    {
        Line = line;
        Kind = kind;
    }

    /// The 1-based line where the table starts (its header, its inline brace, or the first key that created it).
    public int Line { get; internal set; }

    internal TomlTableKind Kind { get; set; }

    /// Keys in the order the document gives them.
    public IEnumerable<string> Keys => _order;
    public IEnumerable<object> Values => _order.Select(k => _values[k]);
    public int Count => _order.Count;
    public object this[string key] => _values[key];
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) =>
        _values.TryGetValue(key, out value);

    /// The 1-based line of the key, or of the table when the key is missing.
    public int LineOf(string key) => _lines.TryGetValue(key, out var line) ? line : Line;

    /// The string at <paramref name="key"/>, null when absent; a value of another type is an input error.
    public string? GetString(string key) => Get<string>(key, "a string");

    public long? GetInteger(string key) => TryGetValue(key, out var v) ? v as long? ?? throw WrongType(key, v, "an integer") : null;

    public double? GetFloat(string key) => TryGetValue(key, out var v) ? v as double? ?? throw WrongType(key, v, "a float") : null;

    public bool? GetBoolean(string key) => TryGetValue(key, out var v) ? v as bool? ?? throw WrongType(key, v, "a boolean") : null;

    public TomlDateTime? GetDateTime(string key) => Get<TomlDateTime>(key, "a date-time");

    public TomlTable? GetTable(string key) => Get<TomlTable>(key, "a table");

    public TomlArray? GetArray(string key) => Get<TomlArray>(key, "an array");

    /// An array of tables ([[key]] or key = [{…}, …]); empty when absent.
    public IReadOnlyList<TomlTable> GetTables(string key)
    {
        var array = GetArray(key);
        if (array is null) return [];
        var tables = new List<TomlTable>(array.Count);
        for (var i = 0; i < array.Count; i++)
            tables.Add(array[i] as TomlTable ?? throw new InputException($"line {array.Line}: element {i + 1} of '{key}' is {TypeName(array[i])}, expected a table."));
        return tables;
    }

    /// An array of strings; empty when absent.
    public IReadOnlyList<string> GetStrings(string key)
    {
        var array = GetArray(key);
        if (array is null) return [];
        var strings = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
            strings.Add(array[i] as string ?? throw new InputException($"line {array.Line}: element {i + 1} of '{key}' is {TypeName(array[i])}, expected a string."));
        return strings;
    }

    // an iterator, not LINQ: Select's instantiation over KeyValuePair is JIT-compiled at start
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        foreach (var k in _order) yield return new(k, _values[k]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string key, object value, int line)
    {
        _values.Add(key, value);
        _lines[key] = line;
        _order.Add(key);
    }

    /// The kind of value as TOML names it, for messages: "a string", "an array", "a table".
    public static string TypeName(object? value) => value switch
    {
        string => "a string",
        long => "an integer",
        double => "a float",
        bool => "a boolean",
        TomlDateTime => "a date-time",
        TomlArray => "an array",
        TomlTable => "a table",
        _ => "nothing",
    };

    private T? Get<T>(string key, string expected) where T : class =>
        TryGetValue(key, out var v) ? v as T ?? throw WrongType(key, v, expected) : null;

    private InputException WrongType(string key, object value, string expected) =>
        new($"line {LineOf(key)}: '{key}' is {TypeName(value)}, expected {expected}.");
}

/// A TOML array; its elements may be of mixed types (TOML 1.0).
public sealed class TomlArray : IReadOnlyList<object>
{
    private readonly List<object> _items = [];

    internal TomlArray(int line, bool isTableArray)
    {
        Line = line;
        IsTableArray = isTableArray;
    }

    /// The 1-based line where the array starts.
    public int Line { get; }

    /// True for an array built by [[header]]s, which later headers may extend; a literal array is complete.
    internal bool IsTableArray { get; }

    public int Count => _items.Count;
    public object this[int index] => _items[index];
    public IEnumerator<object> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(object value) => _items.Add(value);
}

/// Which of the four TOML date and time forms a value is.
public enum TomlDateTimeKind { OffsetDateTime, LocalDateTime, LocalDate, LocalTime }

/// A date, time or date-time, kept as the document wrote it (validated, not converted).
public sealed record TomlDateTime(string Text, TomlDateTimeKind Kind)
{
    public override string ToString() => Text;
}
