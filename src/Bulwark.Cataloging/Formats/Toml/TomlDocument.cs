// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Cataloging.Formats.Toml;

/// Reads TOML 1.0 (https://toml.io/en/v1.0.0) into a <see cref="TomlTable"/>. Errors are
/// <see cref="InputException"/>s whose message starts with "line N: ".
public static partial class TomlDocument
{
    /// Parses a whole document and returns its root table.
    public static TomlTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Reader(text).ReadDocument();
    }

    /// One pass over the text, recursive descent for values; nesting is capped so hostile input cannot overflow the stack.
    private sealed class Reader(string text)
    {
        private const int MaxDepth = 128;
        private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
        private readonly string _s = text;
        private int _pos;
        private int _countedTo;
        private int _countedLine = 1;

        public TomlTable ReadDocument()
        {
            var root = new TomlTable(1, TomlTableKind.Header);
            var current = root;
            if (_s.Length > 0 && _s[0] == '\uFEFF') _pos = 1;
            while (true)
            {
                SkipBlank();
                if (AtEnd) break;
                var c = _s[_pos];
                if (c == '[') current = ReadHeader(root);
                else if (c is not '#' and not '\n' and not '\r') ReadKeyValue(current, 0);
                EndLine();
            }
            return root;
        }

        private bool AtEnd => _pos >= _s.Length;
        private char Peek(int ahead = 0) => _pos + ahead < _s.Length ? _s[_pos + ahead] : '\0';
        private bool LooksAt(string token) => string.CompareOrdinal(_s, _pos, token, 0, token.Length) == 0;

        private int Line(int pos)
        {
            // positions asked for move mostly forward, so count from the last answer in either direction
            pos = Math.Clamp(pos, 0, _s.Length);
            if (pos > _countedTo) _countedLine += Newlines(_countedTo, pos);
            else if (pos < _countedTo) _countedLine -= Newlines(pos, _countedTo);
            _countedTo = pos;
            return _countedLine;
        }

        private int Newlines(int from, int to)
        {
            var count = 0;
            var rest = _s.AsSpan(from, to - from);
            for (var i = rest.IndexOf('\n'); i >= 0; i = rest.IndexOf('\n'))
            {
                count++;
                rest = rest[(i + 1)..];
            }
            return count;
        }

        private InputException Error(string message, int? at = null) => new($"line {Line(at ?? _pos)}: {message}");

        private static string Describe(char c) => c switch
        {
            '\n' or '\r' => "end of line",
            _ when char.IsControl(c) => $"control character U+{(int)c:X4}",
            _ => $"'{c}'",
        };

        private string Here => AtEnd ? "end of file" : Describe(_s[_pos]);

        /// Spaces and tabs.
        private void SkipBlank()
        {
            while (!AtEnd && _s[_pos] is ' ' or '\t') _pos++;
        }

        /// After a key/value pair or a header: optional blanks and comment, then a newline or the end.
        private void EndLine()
        {
            SkipBlank();
            if (Peek() == '#') SkipComment();
            if (AtEnd) return;
            if (!TryNewline()) throw Error($"expected the end of the line, found {Here}.");
        }

        private bool TryNewline()
        {
            if (Peek() == '\n') { _pos++; return true; }
            if (Peek() == '\r')
            {
                if (Peek(1) == '\n') { _pos += 2; return true; }
                throw Error("a carriage return must be followed by a line feed.");
            }
            return false;
        }

        private void SkipComment()
        {
            _pos++; // '#'
            while (!AtEnd && _s[_pos] != '\n')
            {
                var c = _s[_pos];
                if (c == '\r' && Peek(1) == '\n') break;
                if (IsForbiddenControl(c)) throw Error($"{Describe(c)} is not allowed in a comment.");
                _pos++;
            }
        }

        /// Whitespace, newlines and comments, as arrays allow between elements.
        private void SkipBlankLinesAndComments()
        {
            while (true)
            {
                SkipBlank();
                if (Peek() == '#') SkipComment();
                if (!TryNewline()) return;
            }
        }

        private static bool IsForbiddenControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;

        // ---- headers and keys ----

        private TomlTable ReadHeader(TomlTable root)
        {
            var start = _pos;
            var isArray = LooksAt("[[");
            _pos += isArray ? 2 : 1;
            SkipBlank();
            var keys = ReadKey();
            SkipBlank();
            if (isArray ? !LooksAt("]]") : Peek() != ']')
                throw Error($"expected '{(isArray ? "]]" : "]")}' to close the table header, found {Here}.");
            _pos += isArray ? 2 : 1;
            var line = Line(start);

            var table = root;
            for (var i = 0; i < keys.Count - 1; i++)
            {
                var (key, _) = keys[i];
                if (!table.TryGetValue(key, out var existing))
                {
                    var created = new TomlTable(line, TomlTableKind.Implicit);
                    table.Add(key, created, line);
                    table = created;
                }
                else if (existing is TomlTable t && t.Kind != TomlTableKind.Inline) table = t;
                else if (existing is TomlArray { IsTableArray: true } tables) table = (TomlTable)tables[^1];
                else throw Error($"cannot define [{Path(keys, i + 1)}]: '{Path(keys, i + 1)}' is already {TypeName(existing)}.", start);
            }

            var last = keys[^1].Key;
            var path = Path(keys, keys.Count);
            table.TryGetValue(last, out var found);
            if (isArray)
            {
                TomlArray array;
                if (found is null)
                {
                    array = new TomlArray(line, isTableArray: true);
                    table.Add(last, array, line);
                }
                else if (found is TomlArray { IsTableArray: true } existingArray) array = existingArray;
                else throw Error($"cannot define [[{path}]]: '{path}' is already {TypeName(found)}.", start);
                var element = new TomlTable(line, TomlTableKind.Header);
                array.Add(element);
                return element;
            }
            if (found is null)
            {
                var created = new TomlTable(line, TomlTableKind.Header);
                table.Add(last, created, line);
                return created;
            }
            if (found is TomlTable { Kind: TomlTableKind.Implicit } implicitTable)
            {
                implicitTable.Kind = TomlTableKind.Header;
                implicitTable.Line = line;
                return implicitTable;
            }
            throw found is TomlTable { Kind: TomlTableKind.Header }
                ? Error($"table [{path}] is defined more than once.", start)
                : Error($"cannot define [{path}]: '{path}' is already {TypeName(found)}.", start);
        }

        private static string TypeName(object value) => value switch
        {
            TomlArray { IsTableArray: true } => "an array of tables",
            TomlTable { Kind: TomlTableKind.Inline } => "an inline table",
            TomlTable { Kind: TomlTableKind.Dotted } => "a table defined by dotted keys",
            _ => TomlTable.TypeName(value),
        };

        // without LINQ: its generic instantiations over (string, int) are compiled at start (a header per package)
        private static string Path(List<(string Key, int Pos)> keys, int count)
        {
            if (count == 1 && IsBareKey(keys[0].Key)) return keys[0].Key;
            var b = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                if (i > 0) b.Append('.');
                var key = keys[i].Key;
                if (IsBareKey(key)) b.Append(key);
                else b.Append('"').Append(key).Append('"');
            }
            return b.ToString();
        }

        private static bool IsBareKey(string key)
        {
            if (key.Length == 0) return false;
            foreach (var c in key)
                if (!IsBareKeyChar(c)) return false;
            return true;
        }

        private List<(string Key, int Pos)> ReadKey()
        {
            var keys = new List<(string, int)>();
            while (true)
            {
                SkipBlank();
                var start = _pos;
                var c = Peek();
                string key;
                if (c == '"')
                {
                    if (LooksAt("\"\"\"")) throw Error("a key cannot be a multi-line string.");
                    key = ReadBasicString();
                }
                else if (c == '\'')
                {
                    if (LooksAt("'''")) throw Error("a key cannot be a multi-line string.");
                    key = ReadLiteralString();
                }
                else
                {
                    while (!AtEnd && IsBareKeyChar(_s[_pos])) _pos++;
                    if (_pos == start) throw Error($"expected a key, found {Here}.");
                    key = _s[start.._pos];
                }
                keys.Add((key, start));
                SkipBlank();
                if (Peek() != '.') return keys;
                _pos++;
            }
        }

        private static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

        private void ReadKeyValue(TomlTable target, int depth)
        {
            var keys = ReadKey();
            if (Peek() != '=') throw Error($"expected '=' after the key '{Path(keys, keys.Count)}', found {Here}.");
            _pos++;
            SkipBlank();
            var value = ReadValue(depth);

            var table = target;
            for (var i = 0; i < keys.Count - 1; i++)
            {
                var (key, pos) = keys[i];
                if (!table.TryGetValue(key, out var existing))
                {
                    var created = new TomlTable(Line(pos), TomlTableKind.Dotted);
                    table.Add(key, created, Line(pos));
                    table = created;
                }
                else if (existing is TomlTable { Kind: TomlTableKind.Dotted } dotted) table = dotted;
                else if (existing is TomlTable { Kind: TomlTableKind.Implicit } implicitTable)
                {
                    // a table only implied by a deeper [header] may be filled in by dotted keys, which then define it
                    implicitTable.Kind = TomlTableKind.Dotted;
                    table = implicitTable;
                }
                else throw Error($"cannot add keys to '{Path(keys, i + 1)}': it is already {TypeName(existing)}.", pos);
            }
            var (lastKey, lastPos) = keys[^1];
            if (table.ContainsKey(lastKey)) throw Error($"the key '{Path(keys, keys.Count)}' is defined more than once.", lastPos);
            table.Add(lastKey, value, Line(lastPos));
        }

        // ---- values ----

        private object ReadValue(int depth)
        {
            if (depth > MaxDepth) throw Error($"values are nested more than {MaxDepth} deep.");
            var c = Peek();
            switch (c)
            {
                case '"': return LooksAt("\"\"\"") ? ReadMultilineBasicString() : ReadBasicString();
                case '\'': return LooksAt("'''") ? ReadMultilineLiteralString() : ReadLiteralString();
                case '[': return ReadArray(depth);
                case '{': return ReadInlineTable(depth);
                case 't' when LooksAt("true"): _pos += 4; return true;
                case 'f' when LooksAt("false"): _pos += 5; return false;
            }
            if (char.IsAsciiDigit(c) || c is '+' or '-' or 'i' or 'n') return ReadNumberOrDate();
            throw Error($"expected a value, found {Here}.");
        }

        private TomlArray ReadArray(int depth)
        {
            var array = new TomlArray(Line(_pos), isTableArray: false);
            _pos++; // '['
            while (true)
            {
                SkipBlankLinesAndComments();
                if (Peek() == ']') { _pos++; return array; }
                if (AtEnd) throw Error("the array is not closed; expected ']'.");
                array.Add(ReadValue(depth + 1));
                SkipBlankLinesAndComments();
                if (Peek() == ',') { _pos++; continue; }
                if (Peek() == ']') { _pos++; return array; }
                throw Error($"expected ',' or ']' in the array, found {Here}.");
            }
        }

        private TomlTable ReadInlineTable(int depth)
        {
            var table = new TomlTable(Line(_pos), TomlTableKind.Inline);
            _pos++; // '{'
            SkipBlank();
            if (Peek() == '}') { _pos++; return table; }
            while (true)
            {
                if (Peek() is '\n' or '\r') throw Error("an inline table must be on one line (TOML 1.0).");
                ReadKeyValue(table, depth + 1);
                SkipBlank();
                if (Peek() == ',')
                {
                    _pos++;
                    SkipBlank();
                    if (Peek() == '}') throw Error("an inline table cannot end with a comma.");
                    continue;
                }
                if (Peek() == '}') { _pos++; break; }
                throw Error(Peek() is '\n' or '\r' or '#'
                    ? "an inline table must be on one line (TOML 1.0)."
                    : $"expected ',' or '}}' in the inline table, found {Here}.");
            }
            Seal(table);
            return table;
        }

        /// An inline table and the tables its dotted keys made are complete: nothing may add to them later.
        private static void Seal(TomlTable table)
        {
            table.Kind = TomlTableKind.Inline;
            foreach (var v in table.Values)
                if (v is TomlTable { Kind: TomlTableKind.Dotted } t) Seal(t);
        }

        // ---- strings ----

        private string ReadBasicString()
        {
            var start = _pos;
            // most strings have no escape: up to the closing quote in one piece
            for (var i = _pos + 1; i < _s.Length; i++)
            {
                var ch = _s[i];
                if (ch == '"')
                {
                    _pos = i + 1;
                    return _s.Substring(start + 1, i - start - 1);
                }
                if (ch is '\\' or '\n' or '\r' || IsForbiddenControl(ch)) break;
            }
            _pos++; // '"'
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd || _s[_pos] is '\n' or '\r') throw Error("the string is not closed on this line; expected '\"'.", start);
                var c = _s[_pos];
                if (c == '"') { _pos++; return sb.ToString(); }
                if (c == '\\') { ReadEscape(sb); continue; }
                if (IsForbiddenControl(c)) throw Error($"{Describe(c)} is not allowed in a string; use an escape.");
                sb.Append(c);
                _pos++;
            }
        }

        private string ReadMultilineBasicString()
        {
            var start = _pos;
            _pos += 3;
            TryNewline(); // a newline right after the opening quotes is trimmed
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the multi-line string is not closed; expected '\"\"\"'.", start);
                var c = _s[_pos];
                if (c == '"' && LooksAt("\"\"\""))
                {
                    var quotes = 3;
                    while (Peek(quotes) == '"') quotes++;
                    if (quotes > 5) throw Error("too many quotes at the end of a multi-line string.");
                    sb.Append('"', quotes - 3);
                    _pos += quotes;
                    return sb.ToString();
                }
                if (c == '\\')
                {
                    // a line-ending backslash trims the newline and all whitespace after it
                    var p = _pos + 1;
                    while (p < _s.Length && _s[p] is ' ' or '\t') p++;
                    if (p < _s.Length && (_s[p] == '\n' || (_s[p] == '\r' && p + 1 < _s.Length && _s[p + 1] == '\n')))
                    {
                        _pos = p;
                        while (!AtEnd)
                        {
                            if (_s[_pos] is ' ' or '\t') _pos++;
                            else if (!TryNewline()) break;
                        }
                        continue;
                    }
                    ReadEscape(sb);
                    continue;
                }
                if (c is '\n' or '\r')
                {
                    TryNewline();
                    sb.Append('\n'); // CRLF is normalised to LF, as the spec allows
                    continue;
                }
                if (IsForbiddenControl(c)) throw Error($"{Describe(c)} is not allowed in a string; use an escape.");
                sb.Append(c);
                _pos++;
            }
        }

        private void ReadEscape(StringBuilder sb)
        {
            var c = Peek(1);
            _pos += 2;
            switch (c)
            {
                case 'b': sb.Append('\b'); return;
                case 't': sb.Append('\t'); return;
                case 'n': sb.Append('\n'); return;
                case 'f': sb.Append('\f'); return;
                case 'r': sb.Append('\r'); return;
                case '"': sb.Append('"'); return;
                case '\\': sb.Append('\\'); return;
                case 'u': sb.Append(ReadCodePoint(4)); return;
                case 'U': sb.Append(ReadCodePoint(8)); return;
                default:
                    _pos -= 2;
                    throw Error($"'\\{(AtEnd || _pos + 1 >= _s.Length ? "" : _s[_pos + 1].ToString())}' is not a TOML escape sequence.");
            }
        }

        private string ReadCodePoint(int digits)
        {
            if (_pos + digits > _s.Length || _s.AsSpan(_pos, digits).ContainsAnyExcept(HexDigits))
                throw Error($"a \\{(digits == 4 ? 'u' : 'U')} escape needs {digits} hex digits.");
            var value = int.Parse(_s.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF || value < 0)
                throw Error($"U+{value:X} is not a Unicode scalar value.");
            _pos += digits;
            return char.ConvertFromUtf32(value);
        }

        private string ReadLiteralString()
        {
            var start = _pos;
            _pos++; // '\''
            var from = _pos;
            while (true)
            {
                if (AtEnd || _s[_pos] is '\n' or '\r') throw Error("the string is not closed on this line; expected \"'\".", start);
                var c = _s[_pos];
                if (c == '\'') { _pos++; return _s[from..(_pos - 1)]; }
                if (IsForbiddenControl(c)) throw Error($"{Describe(c)} is not allowed in a literal string.");
                _pos++;
            }
        }

        private string ReadMultilineLiteralString()
        {
            var start = _pos;
            _pos += 3;
            TryNewline();
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the multi-line string is not closed; expected \"'''\".", start);
                var c = _s[_pos];
                if (c == '\'' && LooksAt("'''"))
                {
                    var quotes = 3;
                    while (Peek(quotes) == '\'') quotes++;
                    if (quotes > 5) throw Error("too many quotes at the end of a multi-line string.");
                    sb.Append('\'', quotes - 3);
                    _pos += quotes;
                    return sb.ToString();
                }
                if (c is '\n' or '\r')
                {
                    TryNewline();
                    sb.Append('\n'); // CRLF is normalised to LF, as the spec allows
                    continue;
                }
                if (IsForbiddenControl(c)) throw Error($"{Describe(c)} is not allowed in a literal string.");
                sb.Append(c);
                _pos++;
            }
        }

        // ---- numbers and dates ----

        private object ReadNumberOrDate()
        {
            var start = _pos;
            while (!AtEnd && IsTokenChar(_s[_pos])) _pos++;
            // "1979-05-27 07:32:00": a space may separate date and time
            if (_pos - start == 10 && DatePattern().IsMatch(_s.AsSpan(start, 10)) && Peek() == ' '
                && char.IsAsciiDigit(Peek(1)) && char.IsAsciiDigit(Peek(2)) && Peek(3) == ':')
            {
                _pos++;
                while (!AtEnd && IsTokenChar(_s[_pos])) _pos++;
            }
            var token = _s[start.._pos];
            return Classify(token, start);
        }

        private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.' or ':';

        private object Classify(string token, int start)
        {
            // the common case by hand: the first use of a generated regex initialises every regex of the assembly
            if (IsDecimalInteger(token))
            {
                return long.TryParse(token.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    ? n : throw Error($"the integer {token} does not fit in 64 bits.", start);
            }
            if (token.Length > 2 && token[0] == '0' && token[1] is 'x' or 'o' or 'b')
            {
                var (radix, pattern) = token[1] switch
                {
                    'x' => (16, HexPattern()),
                    'o' => (8, OctalPattern()),
                    _ => (2, BinaryPattern()),
                };
                if (!pattern.IsMatch(token)) throw Error($"'{token}' is not a valid integer.", start);
                long value = 0;
                foreach (var c in token.AsSpan(2))
                {
                    if (c == '_') continue;
                    var digit = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
                    if (value > (long.MaxValue - digit) / radix) throw Error($"the integer {token} does not fit in 64 bits.", start);
                    value = (value * radix) + digit;
                }
                return value;
            }
            if (FloatPattern().IsMatch(token))
            {
                var d = double.Parse(token.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
                return d;
            }
            switch (token)
            {
                case "inf" or "+inf": return double.PositiveInfinity;
                case "-inf": return double.NegativeInfinity;
                case "nan" or "+nan" or "-nan": return double.NaN;
            }
            if (DateTimePattern().Match(token) is { Success: true } m)
            {
                if (!ValidDate(m.Groups["y"].Value, m.Groups["mo"].Value, m.Groups["d"].Value))
                    throw Error($"'{token}' is not a valid date.", start);
                if (!m.Groups["h"].Success) return new TomlDateTime(token, TomlDateTimeKind.LocalDate);
                if (!ValidTime(m.Groups["h"].Value, m.Groups["mi"].Value, m.Groups["s"].Value)
                    || (m.Groups["oh"].Success && !ValidTime(m.Groups["oh"].Value, m.Groups["om"].Value, "00")))
                    throw Error($"'{token}' is not a valid time.", start);
                return new TomlDateTime(token, m.Groups["z"].Success ? TomlDateTimeKind.OffsetDateTime : TomlDateTimeKind.LocalDateTime);
            }
            if (TimePattern().Match(token) is { Success: true } t)
            {
                if (!ValidTime(t.Groups["h"].Value, t.Groups["mi"].Value, t.Groups["s"].Value))
                    throw Error($"'{token}' is not a valid time.", start);
                return new TomlDateTime(token, TomlDateTimeKind.LocalTime);
            }
            throw Error(token.Length == 0 ? $"expected a value, found {Here}." : $"'{Shorten(token)}' is not a valid value (strings need quotes).", start);
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

        private static bool ValidDate(string y, string mo, string d)
        {
            var year = int.Parse(y, CultureInfo.InvariantCulture);
            var month = int.Parse(mo, CultureInfo.InvariantCulture);
            var day = int.Parse(d, CultureInfo.InvariantCulture);
            return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(1, year), month);
        }

        private static bool ValidTime(string h, string mi, string s) =>
            int.Parse(h, CultureInfo.InvariantCulture) <= 23 && int.Parse(mi, CultureInfo.InvariantCulture) <= 59
            && int.Parse(s, CultureInfo.InvariantCulture) <= 60; // 60: a leap second
    }

    /// The TOML decimal integer grammar, ^[+-]?(?:0|[1-9](?:_?[0-9])*)$: a sign, then 0 or a non-zero digit
    /// followed by digits each optionally preceded by one underscore.
    internal static bool IsDecimalInteger(ReadOnlySpan<char> token)
    {
        if (token.Length > 0 && token[0] is '+' or '-') token = token[1..];
        if (token.Length == 0 || !char.IsAsciiDigit(token[0])) return false;
        if (token[0] == '0') return token.Length == 1;
        for (var i = 1; i < token.Length; i++)
        {
            if (token[i] == '_')
            {
                if (++i == token.Length || !char.IsAsciiDigit(token[i])) return false;
            }
            else if (!char.IsAsciiDigit(token[i]))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"^0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^0o[0-7](?:_?[0-7])*$", RegexOptions.CultureInvariant)]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0b[01](?:_?[01])*$", RegexOptions.CultureInvariant)]
    private static partial Regex BinaryPattern();

    // an exponent may have leading zeros; the integer part may not (TOML 1.0, Float)
    [GeneratedRegex(@"^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[eE][+-]?[0-9](?:_?[0-9])*)$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:[Tt ](?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.[0-9]+)?(?<z>[Zz]|[+-](?<oh>[0-9]{2}):(?<om>[0-9]{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();
}
