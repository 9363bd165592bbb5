// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Bulwark.Cataloging.Formats.Yaml;
using Bulwark.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Hygiene.Dependencies;

/// The scalar values of a YAML document by their path of mapping keys, with their lines, read from the parser's
/// event stream without building a node tree: no recursion, so a hostile "[[[[…" cannot overflow the stack, nesting
/// is bounded, and aliases are not expanded (a lockfile has no use for them), so "billion laughs" costs nothing.
internal sealed class YamlScalars
{
    public const int MaxNesting = 256;

    private readonly List<(string[] Path, string Value, int Line)> _values = [];

    /// Every scalar reached through mapping keys only (items of sequences are left out), in document order.
    public IReadOnlyList<(string[] Path, string Value, int Line)> Values => _values;

    public static YamlScalars Parse(string text)
    {
        var result = new YamlScalars();
        var parser = new Parser(YamlInput.Reader(text));
        // per open collection: is it a mapping, the key waiting for its value, and whether it is reached by keys only
        var stack = new List<(bool Mapping, string? Key, bool Keyed)>();
        var documents = 0;
        while (BoundedYamlParser.Advance(parser))
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    if (++documents > 1) return result; // the first document only, as the package managers read it
                    break;
                case MappingStart m:
                    Open(true, m.Start);
                    break;
                case SequenceStart s:
                    Open(false, s.Start);
                    break;
                case MappingEnd or SequenceEnd:
                    stack.RemoveAt(stack.Count - 1);
                    Consumed();
                    break;
                case Scalar scalar:
                    if (stack.Count == 0) break;
                    var top = stack[^1];
                    if (top.Mapping && top.Key is null)
                    {
                        stack[^1] = top with { Key = scalar.Value };
                        break;
                    }
                    if (top.Mapping && top.Keyed)
                        result._values.Add(([.. stack.Select(f => f.Key!)], scalar.Value, (int)scalar.Start.Line));
                    Consumed();
                    break;
                case AnchorAlias:
                    Consumed();
                    break;
            }
        }
        return result;

        void Open(bool mapping, Mark start)
        {
            if (stack.Count >= MaxNesting)
                throw new InputException($"line {start.Line}: nested more than {MaxNesting} levels deep; not a real lockfile.");
            var keyed = stack.Count == 0 || (stack[^1].Mapping && stack[^1].Keyed);
            stack.Add((mapping, null, keyed));
        }

        // a value was read: the enclosing mapping waits for its next key
        void Consumed()
        {
            if (stack.Count > 0 && stack[^1].Mapping) stack[^1] = stack[^1] with { Key = null };
        }
    }
}
