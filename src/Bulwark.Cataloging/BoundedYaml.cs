// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging;

/// Loads YAML into YamlDotNet's node model with a nesting limit. YamlDotNet builds nodes recursively, so a small
/// hostile file ("[[[[…" 100,000 deep) overflows the stack and kills the process; this stops such input first.
internal static class BoundedYaml
{
    /// Deeper than any real lockfile or workflow nests.
    public const int MaxDepth = 256;

    /// The documents of <paramref name="text"/>; throws <see cref="InputException"/> past <see cref="MaxDepth"/>.
    public static IList<YamlDocument> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new DepthLimitedParser(new Parser(new StringReader(text))));
        return stream.Documents;
    }

    /// The first document's root node, or null for an empty document (an empty file or only comments).
    public static YamlNode? LoadRoot(string text) => Load(text) is { Count: > 0 } docs ? docs[0].RootNode : null;

    /// The plain text of a scalar child of a mapping, or null.
    public static string? Scalar(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    public static YamlNode? Child(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private sealed class DepthLimitedParser(IParser inner) : IParser
    {
        private int _depth;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!Advance()) return false;
            switch (inner.Current)
            {
                case MappingStart or SequenceStart when ++_depth > MaxDepth:
                    throw new InputException($"line {inner.Current.Start.Line}: YAML nested more than {MaxDepth} levels deep; not read.");
                case MappingEnd or SequenceEnd:
                    _depth--;
                    break;
            }
            return true;
        }

        private bool Advance()
        {
            try
            {
                return inner.MoveNext();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                // YamlDotNet's scanner throws these on some damaged input (seen: InvalidOperationException from
                // ScanPlainScalar); the file is unreadable input, not a bug of ours
                throw new InputException($"line {inner.Current?.Start.Line ?? 1}: YAML the parser cannot read ({e.Message}).", e);
            }
        }
    }
}
