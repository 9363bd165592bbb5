// SPDX-License-Identifier: Apache-2.0
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Cataloging.Formats.Yaml;

/// Reads the plain YAML that lockfiles are written in straight to YamlDotNet's parsing events, which YamlDotNet's node
/// model then loads as it would from its own parser. Lockfiles are machine-written in a small part of YAML: block
/// mappings and sequences indented with spaces, one-line plain and quoted scalars, one-line flow collections and
/// comments. For that part this reader gives the same events (values, styles and start positions) as YamlDotNet's
/// scanner and parser at a fraction of the cost: YamlDotNet's parser builds its default tag directives with a regular
/// expression at first use (2 ms of a 50 ms run) and its scanner reads a 370 KB yarn.lock in 9 ms.
/// Anything outside that part (anchors, aliases, tags, block scalars, multi-line scalars, directives, several
/// documents, tabs, escapes it does not know, a root that is not a mapping) makes <see cref="TryRead"/> return null,
/// and the caller reads the text with YamlDotNet's parser instead: this reader never decides what odd YAML means.
/// Tests compare the events of both on every YAML file of the corpus and on generated text.
internal static class YamlSubset
{
    /// The events of <paramref name="text"/>, or null when it uses YAML this reader leaves to YamlDotNet.
    public static List<ParsingEvent>? TryRead(string text)
    {
        var reader = new Reader(text);
        return reader.Read() ? reader.Events : null;
    }

    /// One line per event, what the node model takes from it (kind, value, style, start): how the differential tests
    /// and the formats.yaml-subset fuzz target compare this reader's events with YamlDotNet's.
    internal static string Describe(ParsingEvent e) => e switch
    {
        Scalar s => $"scalar {s.Style} {s.Start.Line}:{s.Start.Column} [{s.Value}]",
        MappingStart m => $"mapping {m.Style} {m.Start.Line}:{m.Start.Column}",
        SequenceStart q => $"sequence {q.Style} {q.Start.Line}:{q.Start.Column}",
        AnchorAlias a => $"alias {a.Value}",
        _ => e.GetType().Name,
    };

    /// Hands a list of events to YamlDotNet's loaders.
    internal sealed class EventList(List<ParsingEvent> events) : IParser
    {
        private int _next;

        public ParsingEvent? Current { get; private set; }

        public bool MoveNext()
        {
            if (_next >= events.Count)
            {
                Current = null;
                return false;
            }
            Current = events[_next++];
            return true;
        }
    }

    private sealed class Reader(string text)
    {
        public List<ParsingEvent> Events { get; } = [];

        // the current line: where it starts, where its content ends (before "\r\n" or "\n"), its number (1-based)
        private int _lineStart;
        private int _lineEnd;
        private int _lineNo = 1;
        private int _indent;

        // collections open now: past MaxDepth the text is left to YamlDotNet's parser, whose events BoundedYamlParser
        // counts (this reader recurses per level, and a hostile file may nest thousands deep)
        private int _depth;
        private const int MaxDepth = 64;

        private Mark MarkAt(int index) => new(index, _lineNo, index - _lineStart + 1);

        private bool Enter() => ++_depth <= MaxDepth;

        public bool Read()
        {
            if (text.Length > 0 && text[0] == '\uFEFF') return false;
            var origin = new Mark(0, 1, 1);
            Events.Add(new StreamStart(origin, origin));
            _lineEnd = LineEnd(0);
            if (!ToContentLine()) return false;
            if (AtEnd)
            {
                Events.Add(new StreamEnd(MarkAt(text.Length), MarkAt(text.Length)));
                return true;
            }
            if (_indent != 0 || IsSequenceEntry(_lineStart)) return false;
            if (text.AsSpan(_lineStart).StartsWith("---", StringComparison.Ordinal) || text.AsSpan(_lineStart).StartsWith("...", StringComparison.Ordinal))
                return false;
            var start = MarkAt(_lineStart);
            Events.Add(new DocumentStart(null, null, true, start, start));
            if (!BlockMapping(0, _lineStart)) return false;
            if (!AtEnd) return false;
            var end = MarkAt(text.Length);
            Events.Add(new DocumentEnd(true, end, end));
            Events.Add(new StreamEnd(end, end));
            return true;
        }

        private bool AtEnd => _lineStart >= text.Length;

        private int LineEnd(int start)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            if (end > start && text[end - 1] == '\r') end--;
            return end;
        }

        private void NextLine()
        {
            var newline = text.IndexOf('\n', _lineEnd);
            if (newline < 0)
            {
                _lineStart = _lineEnd = text.Length;
                return;
            }
            _lineStart = newline + 1;
            _lineNo++;
            _lineEnd = LineEnd(_lineStart);
        }

        /// Moves to the next line with content (skipping blank and comment lines), setting its indentation; false on
        /// what this reader does not take (a tab before the content, a lone '\r', a control character).
        private bool ToContentLine()
        {
            while (_lineStart < text.Length)
            {
                var i = _lineStart;
                while (i < _lineEnd && text[i] == ' ') i++;
                for (var k = _lineStart; k < _lineEnd; k++)
                {
                    var c = text[k];
                    if (c < ' ' || c is >= '\u007F' and <= '\u009F' || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF'
                        || char.IsSurrogate(c)) return false;
                }
                if (i < _lineEnd && text[i] != '#')
                {
                    _indent = i - _lineStart;
                    return true;
                }
                NextLine();
            }
            _indent = 0;
            return true;
        }

        private bool IsSequenceEntry(int at) => at < _lineEnd && text[at] == '-' && (at + 1 == _lineEnd || text[at + 1] == ' ');

        /// A block mapping whose keys are at column <paramref name="indent"/>, the first of them at <paramref name="first"/>
        /// (on the current line; later lines start their keys at the indentation).
        private bool BlockMapping(int indent, int first)
        {
            if (!Enter()) return false;
            Events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block, MarkAt(first), MarkAt(first)));
            var at = first;
            while (true)
            {
                if (IsSequenceEntry(at)) return false;
                if (!Scalar(at, flow: false, isKey: true, out var after)) return false;
                if (after >= _lineEnd || text[after] != ':') return false;
                after++;
                if (after < _lineEnd && text[after] != ' ') return false;
                var value = SkipSpaces(after);
                if (value >= _lineEnd || text[value] == '#')
                {
                    // the value is on the following lines, or empty
                    NextLine();
                    if (!ToContentLine()) return false;
                    // a deeper mapping or sequence, or a sequence at the key's own column; anything else is an empty
                    // value, left to YamlDotNet, which places its empty scalar by its own rules
                    var sequence = !AtEnd && IsSequenceEntry(_lineStart + _indent);
                    if (AtEnd || _indent < indent || (_indent == indent && !sequence)) return false;
                    if (!(sequence ? BlockSequence(_indent) : BlockMapping(_indent, _lineStart + _indent))) return false;
                }
                else
                {
                    if (!InlineValue(value)) return false;
                    NextLine();
                    if (!ToContentLine()) return false;
                    // a deeper line after a value on the key's line continues a multi-line scalar (or is an error)
                    if (!AtEnd && _indent > indent) return false;
                }
                if (AtEnd || _indent < indent) break;
                if (_indent > indent) return false;
                at = _lineStart + indent;
            }
            var end = MarkAt(AtEnd ? text.Length : _lineStart + _indent);
            Events.Add(new MappingEnd(end, end));
            _depth--;
            return true;
        }

        /// A block sequence whose '-' entries are at column <paramref name="indent"/> of the current and following lines.
        private bool BlockSequence(int indent)
        {
            if (!Enter()) return false;
            var first = _lineStart + indent;
            Events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block, MarkAt(first), MarkAt(first)));
            while (true)
            {
                var dash = _lineStart + indent;
                var item = SkipSpaces(dash + 1);
                if (item >= _lineEnd || text[item] == '#' || IsSequenceEntry(item) || item == dash + 1) return false;
                if (IsCompactKey(item))
                {
                    // "- key: value" starts a mapping at the key's column
                    if (!BlockMapping(item - _lineStart, item)) return false;
                }
                else
                {
                    if (!InlineValue(item)) return false;
                    NextLine();
                    if (!ToContentLine()) return false;
                    if (!AtEnd && _indent > indent) return false;
                }
                if (AtEnd || _indent != indent || !IsSequenceEntry(_lineStart + _indent))
                {
                    if (!AtEnd && _indent > indent) return false;
                    break;
                }
            }
            var end = MarkAt(AtEnd ? text.Length : _lineStart + _indent);
            Events.Add(new SequenceEnd(end, end));
            _depth--;
            return true;
        }

        // whether a key (a scalar, then ':' and a space or the line's end) starts at the position
        private bool IsCompactKey(int at)
        {
            var count = Events.Count;
            var ok = Scalar(at, flow: false, isKey: true, out var after) && after < _lineEnd && text[after] == ':'
                && (after + 1 == _lineEnd || text[after + 1] == ' ');
            Events.RemoveRange(count, Events.Count - count);
            return ok;
        }

        /// A value on one line: a scalar or a flow collection, then only spaces or a comment.
        private bool InlineValue(int at)
        {
            int after;
            if (text[at] is '{' or '[')
            {
                if (!Flow(at, out after)) return false;
            }
            else if (!Scalar(at, flow: false, isKey: false, out after))
            {
                return false;
            }
            var rest = SkipSpaces(after);
            return rest >= _lineEnd || (text[rest] == '#' && rest > after);
        }

        private int SkipSpaces(int i)
        {
            while (i < _lineEnd && text[i] == ' ') i++;
            return i;
        }

        /// A flow collection on one line, from its '{' or '[' at <paramref name="at"/>; <paramref name="after"/> is past its close.
        private bool Flow(int at, out int after)
        {
            after = at;
            if (!Enter()) return false;
            var mapping = text[at] == '{';
            var close = mapping ? '}' : ']';
            if (mapping) Events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow, MarkAt(at), MarkAt(at)));
            else Events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow, MarkAt(at), MarkAt(at)));
            var i = SkipSpaces(at + 1);
            if (i < _lineEnd && text[i] == close)
            {
                after = i + 1;
                AddEnd(mapping, i);
                return true;
            }
            while (true)
            {
                if (i >= _lineEnd) return false;
                if (mapping)
                {
                    if (!FlowNode(i, isKey: true, out i)) return false;
                    i = SkipSpaces(i);
                    if (i >= _lineEnd || text[i] != ':' || i + 1 >= _lineEnd || text[i + 1] != ' ') return false;
                    i = SkipSpaces(i + 1);
                    if (i >= _lineEnd || text[i] is ',' or '}') return false;
                }
                if (!FlowNode(i, isKey: false, out i)) return false;
                i = SkipSpaces(i);
                if (i >= _lineEnd) return false;
                if (text[i] == close)
                {
                    after = i + 1;
                    AddEnd(mapping, i);
                    return true;
                }
                if (text[i] != ',') return false;
                i = SkipSpaces(i + 1);
                // a trailing comma, or an empty entry: left to YamlDotNet
                if (i >= _lineEnd || text[i] is ',' or ']' or '}') return false;
            }
        }

        private void AddEnd(bool mapping, int at)
        {
            _depth--;
            if (mapping) Events.Add(new MappingEnd(MarkAt(at), MarkAt(at + 1)));
            else Events.Add(new SequenceEnd(MarkAt(at), MarkAt(at + 1)));
        }

        private bool FlowNode(int at, bool isKey, out int after)
        {
            if (text[at] is '{' or '[') return !isKey ? Flow(at, out after) : Fail(out after);
            return Scalar(at, flow: true, isKey, out after);
        }

        private static bool Fail(out int after)
        {
            after = 0;
            return false;
        }

        /// A one-line scalar at <paramref name="at"/>: plain, single- or double-quoted.
        private bool Scalar(int at, bool flow, bool isKey, out int after)
        {
            after = at;
            if (at >= _lineEnd) return false;
            var c = text[at];
            string value;
            ScalarStyle style;
            if (c == '\'')
            {
                if (!SingleQuoted(at, out value, out after)) return false;
                style = ScalarStyle.SingleQuoted;
            }
            else if (c == '"')
            {
                if (!DoubleQuoted(at, out value, out after)) return false;
                style = ScalarStyle.DoubleQuoted;
            }
            else
            {
                if (!Plain(at, flow, out value, out after)) return false;
                style = ScalarStyle.Plain;
            }
            // an implicit key is at most 1,024 characters long (YAML 1.2 §7.4.2), and YamlDotNet refuses a longer one;
            // declined a little before that, so no edge of the count (the ':' after spaces) reads differently
            if (isKey && after - at > MaxKeyLength) return false;
            Events.Add(new Scalar(AnchorName.Empty, TagName.Empty, value, style, style == ScalarStyle.Plain, style != ScalarStyle.Plain,
                MarkAt(at), MarkAt(after), isKey));
            return true;
        }

        private const int MaxKeyLength = 1000;

        private bool Plain(int at, bool flow, out string value, out int after)
        {
            value = "";
            after = at;
            var c = text[at];
            var next = at + 1 < _lineEnd ? text[at + 1] : '\n';
            // what may start a plain scalar: no indicator, except '-', '?' and ':' before a non-blank
            if (c is ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' or ' ') return false;
            if (c is '-' or '?' && (next is ' ' or '\n' || (flow && next is ',' or '[' or ']' or '{' or '}'))) return false;
            // YamlDotNet takes a ':' after a flow collection or a quoted scalar as a value indicator even at the start of
            // the next line; a plain scalar starting with ':' is left to it
            if (c == ':') return false;
            var end = at;
            var i = at;
            while (i < _lineEnd)
            {
                var ch = text[i];
                if (ch == ':')
                {
                    var n = i + 1 < _lineEnd ? text[i + 1] : '\n';
                    if (n is ' ' or '\n') break;
                    // ':' before a flow indicator inside a flow collection: the two parsers' rules differ, left to YamlDotNet
                    if (flow && n is ',' or '[' or ']' or '{' or '}') return false;
                }
                else if (ch == '#' && i > at && text[i - 1] == ' ')
                {
                    break;
                }
                else if (ch == '*' && text[i - 1] == ' ')
                {
                    // YamlDotNet reads "e *: I" as one scalar, though "e &: I" is a mapping: an alias indicator after a
                    // space inside a plain scalar is left to it (found by the formats.yaml-subset fuzz target)
                    return false;
                }
                else if (flow && ch is ',' or '[' or ']' or '{' or '}')
                {
                    break;
                }
                if (ch != ' ') end = i + 1;
                i++;
            }
            value = text[at..end];
            after = end;
            return true;
        }

        private bool SingleQuoted(int at, out string value, out int after)
        {
            value = "";
            after = at;
            System.Text.StringBuilder? b = null;
            var from = at + 1;
            for (var i = at + 1; i < _lineEnd; i++)
            {
                if (text[i] != '\'') continue;
                if (i + 1 < _lineEnd && text[i + 1] == '\'')
                {
                    (b ??= new()).Append(text, from, i + 1 - from);
                    from = i + 2;
                    i++;
                    continue;
                }
                value = b is null ? text[from..i] : b.Append(text, from, i - from).ToString();
                after = i + 1;
                return true;
            }
            return false;
        }

        private bool DoubleQuoted(int at, out string value, out int after)
        {
            value = "";
            after = at;
            System.Text.StringBuilder? b = null;
            var from = at + 1;
            for (var i = at + 1; i < _lineEnd; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    value = b is null ? text[from..i] : b.Append(text, from, i - from).ToString();
                    after = i + 1;
                    return true;
                }
                if (c != '\\') continue;
                if (i + 1 >= _lineEnd) return false;
                b ??= new();
                b.Append(text, from, i - from);
                var e = text[i + 1];
                switch (e)
                {
                    case '"' or '\\' or '/': b.Append(e); break;
                    case 'n': b.Append('\n'); break;
                    case 't': b.Append('\t'); break;
                    case 'r': b.Append('\r'); break;
                    case '0': b.Append('\0'); break;
                    case 'b': b.Append('\b'); break;
                    case 'f': b.Append('\f'); break;
                    default: return false;
                }
                i++;
                from = i + 1;
            }
            return false;
        }
    }
}
