// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging;

/// Loads YAML into YamlDotNet's node model with a nesting limit. YamlDotNet builds nodes recursively, so a small
/// hostile file ("[[[[…" 100,000 deep) overflows the stack and kills the process; this stops such input first.
/// Aliases are bounded too: the node model shares an anchored node rather than copying it, but a reader that walks
/// the tree would visit "billion laughs" aliases exponentially often, so the nodes aliases stand for are counted.
public static class BoundedYaml
{
    /// Deeper than any real lockfile or workflow nests.
    public const int MaxDepth = 256;

    /// Nodes that aliases may stand for, in all: real files use a few anchors for shared settings.
    public const long MaxAliasedNodes = 1_000_000;

    /// Longer than any line of a real lockfile or workflow: a longer one is damage or an attack, and YamlDotNet
    /// takes seconds per ten megabytes of it.
    public const int MaxLineLength = 1 << 20;

    /// The documents of <paramref name="text"/>; throws <see cref="InputException"/> past <see cref="MaxDepth"/>.
    public static IList<YamlDocument> Load(string text)
    {
        CheckLineLengths(text);
        var stream = new YamlStream();
        try
        {
            // the plain YAML of lockfiles is read by our own reader; anything else by YamlDotNet's parser
            IParser events = Formats.Yaml.YamlSubset.TryRead(text) is { } list
                ? new Formats.Yaml.YamlSubset.EventList(list)
                : new Parser(Formats.Yaml.YamlInput.Reader(text));
            stream.Load(new BoundedYamlParser(events));
        }
        catch (ArgumentException e)
        {
            // the node model refuses some event sequences the parser lets through (seen: " : n", a mapping whose key is
            // empty, gives "The current event is of an unsupported type"): unreadable input, as in Advance below
            throw new InputException($"YAML the parser cannot read ({e.Message}).", e);
        }
        return stream.Documents;
    }

    /// The first document's root node, or null for an empty document (an empty file or only comments).
    public static YamlNode? LoadRoot(string text) => Load(text) is { Count: > 0 } docs ? docs[0].RootNode : null;

    /// The first document's root node of a settings file such as .bulwark/secrets.yaml (<paramref name="what"/>:
    /// "secrets config"), or null when it is empty; an <see cref="InputException"/> naming the file and line when it
    /// is missing or cannot be read as YAML.
    public static YamlNode? LoadSettings(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InputException($"Cannot read {what} {path}: no such file.");
        try
        {
            return LoadRoot(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            throw new InputException($"Cannot read {what} {path}: line {e.Start.Line}: {e.Message.TrimEnd('.')}. Fix the YAML.", e);
        }
        catch (InputException e)
        {
            throw new InputException($"Cannot read {what} {path}: {e.Message} Fix the YAML.", e);
        }
    }

    /// The plain text of a scalar child of a mapping, or null.
    public static string? Scalar(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    /// The node under a key of a mapping, or null.
    public static YamlNode? Child(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static void CheckLineLengths(string text)
    {
        var line = 1;
        for (var start = 0; start < text.Length; line++)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            if (end - start > MaxLineLength)
                throw new InputException($"line {line}: {end - start:N0} characters long, over the {MaxLineLength:N0}-character limit for a YAML line; not read.");
            start = end + 1;
        }
    }
}

/// A YamlDotNet parser that refuses nesting deeper than <paramref name="maxDepth"/> and aliases standing for more than
/// <paramref name="maxAliasedNodes"/> nodes in all, and turns the scanner's own exceptions on damaged input into
/// <see cref="InputException"/>s; <paramref name="consequence"/> ends each message ("not read", "not audited").
public sealed class BoundedYamlParser(IParser inner, int maxDepth = BoundedYaml.MaxDepth, long maxAliasedNodes = BoundedYaml.MaxAliasedNodes,
    string consequence = "not read") : IParser
{
    private int _depth;
    private long _nodes;
    private long _aliased;
    // per open collection: its anchor (or empty) and the node count when it started
    private readonly Stack<(AnchorName Anchor, long Start)> _open = new();
    private readonly Dictionary<AnchorName, long> _sizes = [];

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!Advance(inner)) return false;
        switch (inner.Current)
        {
            case DocumentStart:
                // anchors belong to their document: an alias in the next one cannot name them (YamlDotNet's node model
                // starts afresh too, so one let through here would be the forward alias refused below)
                _sizes.Clear();
                break;
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                throw new InputException($"line {inner.Current.Start.Line}: YAML nested more than {maxDepth} levels deep; {consequence}.");
            case NodeEvent { } start and (MappingStart or SequenceStart):
                _nodes++;
                _open.Push((start.Anchor, _nodes));
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                if (_open.TryPop(out var closed) && !closed.Anchor.IsEmpty) _sizes[closed.Anchor] = _nodes - closed.Start + 1;
                break;
            case Scalar scalar:
                _nodes++;
                if (!scalar.Anchor.IsEmpty) _sizes[scalar.Anchor] = 1;
                break;
            case AnchorAlias alias:
                // an alias inside the node it names makes a cyclic graph: YamlDotNet's node model then recurses without
                // end (GetHashCode of a sequence that contains itself, used as a mapping key) and the stack overflows
                foreach (var open in _open)
                    if (open.Anchor == alias.Value)
                        throw new InputException($"line {alias.Start.Line}: YAML alias *{alias.Value} refers to a node that contains it (a cycle); {consequence}.");
                // an alias must follow its anchor (YAML 1.2 §3.2.2.2); YamlDotNet's node model keeps one that does not
                // as a placeholder, and a placeholder used as a mapping key ("*x : 1" before "b: &x c") makes
                // YamlAliasNode.Equals call itself until the stack overflows and the process dies (found by the
                // settings.deps fuzz target; every YAML reader but deps check's event reader was exposed)
                if (!_sizes.TryGetValue(alias.Value, out var n))
                    throw new InputException($"line {alias.Start.Line}: YAML alias *{alias.Value} comes before any anchor &{alias.Value}; {consequence}.");
                var size = n;
                _nodes += size;
                _aliased += size;
                if (_aliased > maxAliasedNodes)
                    throw new InputException($"line {alias.Start.Line}: YAML aliases stand for more than {maxAliasedNodes:N0} nodes (an alias bomb?); {consequence}.");
                break;
        }
        return true;
    }

    /// <paramref name="parser"/>'s next event, with the exceptions YamlDotNet's scanner throws on some damaged input
    /// turned into an <see cref="InputException"/>, for readers that walk the events themselves.
    public static bool Advance(IParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            return parser.MoveNext();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some damaged input (seen: InvalidOperationException from
            // ScanPlainScalar, ArgumentNullException from "%TAG ! " at the end); unreadable input, not a bug of ours
            throw new InputException($"line {parser.Current?.Start.Line ?? 1}: YAML the parser cannot read ({e.Message}).", e);
        }
    }
}
