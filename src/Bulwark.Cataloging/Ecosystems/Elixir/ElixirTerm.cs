// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Elixir;

/// A literal Elixir term as mix.lock writes it: maps, tuples, lists (keyword entries become 2-tuples, as in
/// Elixir itself), strings, atoms, numbers, true/false/nil. Each term knows the line it starts on.
internal abstract record ElixirTerm(int Line)
{
    public sealed record Str(string Value, int Line) : ElixirTerm(Line);
    public sealed record Atom(string Name, int Line) : ElixirTerm(Line);
    public sealed record Number(string Digits, int Line) : ElixirTerm(Line);
    public sealed record Tuple(IReadOnlyList<ElixirTerm> Items, int Line) : ElixirTerm(Line);
    public sealed record List(IReadOnlyList<ElixirTerm> Items, int Line) : ElixirTerm(Line);
    public sealed record Map(IReadOnlyList<(ElixirTerm Key, ElixirTerm Value)> Pairs, int Line) : ElixirTerm(Line);

    /// The text of a string or the name of an atom.
    public string? Text => this switch { Str s => s.Value, Atom a => a.Name, _ => null };

    /// The value of `key: value` in a keyword list, or null.
    public ElixirTerm? Keyword(string key) =>
        this is List l ? l.Items.OfType<Tuple>().FirstOrDefault(t => t.Items.Count == 2 && t.Items[0] is Atom a && a.Name == key)?.Items[1] : null;
}

/// Reads the literal term syntax of mix.lock: a tokenizer and a recursive-descent parser with a nesting limit.
/// It evaluates nothing; anything that is not a literal (a function call, a variable) is an error.
internal sealed class ElixirTermReader
{
    private const int MaxDepth = 128;
    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _depth;

    private ElixirTermReader(string text) => _text = text;

    /// Parses one term filling the whole text; null when the text holds only whitespace and comments.
    public static ElixirTerm? Parse(string text)
    {
        var reader = new ElixirTermReader(text);
        reader.SkipSpace();
        if (reader.AtEnd) return null;
        var term = reader.ReadTerm();
        reader.SkipSpace();
        if (!reader.AtEnd) throw reader.Error($"unexpected '{reader.Peek}' after the end of the term");
        return term;
    }

    private bool AtEnd => _pos >= _text.Length;
    private char Peek => _text[_pos];

    private ElixirTerm ReadTerm()
    {
        SkipSpace();
        if (AtEnd) throw Error("unexpected end of file");
        var line = _line;
        var c = Peek;
        switch (c)
        {
            case '%' when _pos + 1 < _text.Length && _text[_pos + 1] == '{':
                _pos += 2;
                return Nested(() => new ElixirTerm.Map(ReadPairs('}'), line));
            case '{':
                _pos++;
                return Nested(() => new ElixirTerm.Tuple(ReadItems('}'), line));
            case '[':
                _pos++;
                return Nested(() => new ElixirTerm.List(ReadItems(']'), line));
            case '"':
                return new ElixirTerm.Str(ReadString(), line);
            case ':' when _pos + 1 < _text.Length && _text[_pos + 1] == '"':
                _pos++;
                return new ElixirTerm.Atom(ReadString(), line);
            case ':':
                _pos++;
                var atom = ReadWhile(IsAtomChar);
                if (atom.Length == 0) throw Error("expected an atom name after ':'");
                return new ElixirTerm.Atom(atom, line);
            case '-' or '+' or (>= '0' and <= '9'):
                return new ElixirTerm.Number(ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or '+'), line);
            default:
                var word = ReadWhile(IsAtomChar);
                if (word is "true" or "false" or "nil") return new ElixirTerm.Atom(word, line);
                throw Error(word.Length == 0 ? $"unexpected '{c}'" : $"'{word}' is not a literal term");
        }
    }

    private T Nested<T>(Func<T> read)
    {
        if (++_depth > MaxDepth) throw Error($"terms nested more than {MaxDepth} levels deep");
        var result = read();
        _depth--;
        return result;
    }

    /// Items of a tuple or list up to <paramref name="close"/>; `key: value` items become {:key, value}.
    private List<ElixirTerm> ReadItems(char close)
    {
        var items = new List<ElixirTerm>();
        while (true)
        {
            SkipSpace();
            if (AtEnd) throw Error($"missing '{close}'");
            if (Peek == close) { _pos++; return items; }
            var line = _line;
            if (TryReadKeywordKey(out var key))
                items.Add(new ElixirTerm.Tuple([new ElixirTerm.Atom(key, line), ReadTerm()], line));
            else
                items.Add(ReadTerm());
            if (!Separator(close)) return items;
        }
    }

    private List<(ElixirTerm, ElixirTerm)> ReadPairs(char close)
    {
        var pairs = new List<(ElixirTerm, ElixirTerm)>();
        while (true)
        {
            SkipSpace();
            if (AtEnd) throw Error($"missing '{close}'");
            if (Peek == close) { _pos++; return pairs; }
            var line = _line;
            if (TryReadKeywordKey(out var key))
            {
                pairs.Add((new ElixirTerm.Atom(key, line), ReadTerm()));
            }
            else
            {
                var k = ReadTerm();
                SkipSpace();
                if (!_text.AsSpan(_pos).StartsWith("=>", StringComparison.Ordinal)) throw Error("expected '=>' or 'key:' in a map");
                _pos += 2;
                pairs.Add((k, ReadTerm()));
            }
            if (!Separator(close)) return pairs;
        }
    }

    /// After an item: ',' (more may follow) or the closing bracket (consumed; returns false).
    private bool Separator(char close)
    {
        SkipSpace();
        if (AtEnd) throw Error($"missing '{close}'");
        if (Peek == ',') { _pos++; return true; }
        if (Peek == close) { _pos++; return false; }
        throw Error($"expected ',' or '{close}' but found '{Peek}'");
    }

    /// `name:` or `"quoted name":` followed by whitespace: a keyword key (mix.lock writes `"plug": {...}`).
    private bool TryReadKeywordKey(out string key)
    {
        key = "";
        var start = _pos;
        var startLine = _line;
        string candidate;
        if (Peek == '"') candidate = ReadString();
        else if (char.IsAsciiLetter(Peek) || Peek == '_') candidate = ReadWhile(IsAtomChar);
        else return false;
        if (_pos + 1 < _text.Length && _text[_pos] == ':' && char.IsWhiteSpace(_text[_pos + 1]))
        {
            _pos++;
            key = candidate;
            return true;
        }
        _pos = start;
        _line = startLine;
        return false;
    }

    private string ReadString()
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw Error("unterminated string");
            var c = _text[_pos++];
            switch (c)
            {
                case '"':
                    return sb.ToString();
                case '\n':
                    _line++;
                    sb.Append(c);
                    break;
                case '\\':
                    if (AtEnd) throw Error("unterminated string");
                    var e = _text[_pos++];
                    sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => e });
                    if (e == '\n') _line++;
                    break;
                case '#' when !AtEnd && Peek == '{':
                    throw Error("string interpolation is not a literal");
                default:
                    sb.Append(c);
                    break;
            }
        }
    }

    private string ReadWhile(Func<char, bool> accept)
    {
        var start = _pos;
        while (!AtEnd && accept(Peek)) _pos++;
        return _text[start.._pos];
    }

    private static bool IsAtomChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '?' or '!' or '.';

    private void SkipSpace()
    {
        while (!AtEnd)
        {
            var c = Peek;
            if (c == '\n') { _line++; _pos++; }
            else if (char.IsWhiteSpace(c)) _pos++;
            else if (c == '#') { while (!AtEnd && Peek != '\n') _pos++; }
            else break;
        }
    }

    private InputException Error(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"line {_line}: {what}. Run 'mix deps.get' to rebuild mix.lock."));
}
