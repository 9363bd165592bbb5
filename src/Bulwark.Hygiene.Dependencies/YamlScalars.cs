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

    // the key of a value whose key is not a scalar (a collection or an alias): such values are left out
    private static readonly string ComplexKey = new('\0', 1);

    private readonly List<(string[] Path, string Value, int Line)> _values = [];

    /// Every scalar reached through mapping keys only (items of sequences are left out), in document order.
    public IReadOnlyList<(string[] Path, string Value, int Line)> Values => _values;

    public static YamlScalars Parse(string text)
    {
        var result = new YamlScalars();
        var parser = new Parser(YamlInput.Reader(text));
        // per open collection: is it a mapping, the key waiting for its value, whether it is reached by keys only, and
        // whether it is itself a mapping key ("? [a, b]: c", legal YAML that no lockfile writes)
        var stack = new List<(bool Mapping, string? Key, bool Keyed, bool IsKey)>();
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
                    var closed = stack[^1];
                    stack.RemoveAt(stack.Count - 1);
                    // a key that closes leaves its mapping waiting for the value
                    if (!closed.IsKey) Consumed();
                    break;
                case Scalar scalar:
                    if (stack.Count == 0) break;
                    var top = stack[^1];
                    if (top.Mapping && top.Key is null)
                    {
                        stack[^1] = top with { Key = scalar.Value };
                        break;
                    }
                    if (top.Mapping && top.Keyed && !ReferenceEquals(top.Key, ComplexKey))
                        result._values.Add(([.. stack.Select(f => f.Key!)], scalar.Value, (int)scalar.Start.Line));
                    Consumed();
                    break;
                case AnchorAlias:
                    // an alias in a key's place is the key
                    if (stack.Count > 0 && stack[^1] is { Mapping: true, Key: null }) stack[^1] = stack[^1] with { Key = ComplexKey };
                    else Consumed();
                    break;
            }
        }
        return result;

        void Open(bool mapping, Mark start)
        {
            if (stack.Count >= MaxNesting)
                throw new InputException($"line {start.Line}: nested more than {MaxNesting} levels deep; not a real lockfile.");
            var isKey = stack.Count > 0 && stack[^1] is { Mapping: true, Key: null };
            // a collection in a key's place is the key: its mapping then waits for the value of a key with no name
            if (isKey) stack[^1] = stack[^1] with { Key = ComplexKey };
            var keyed = stack.Count == 0 || (stack[^1].Mapping && stack[^1].Keyed && !isKey && !ReferenceEquals(stack[^1].Key, ComplexKey));
            stack.Add((mapping, null, keyed, isKey));
        }

        // a value was read: the enclosing mapping waits for its next key
        void Consumed()
        {
            if (stack.Count > 0 && stack[^1].Mapping) stack[^1] = stack[^1] with { Key = null };
        }
    }
}
