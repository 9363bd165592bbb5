// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging;
using Bulwark.Cataloging.Formats.Yaml;
using Bulwark.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Hygiene.Workflows;

/// A CI file read for auditing: its exact bytes, its text, and YamlDotNet's node tree, whose Start and End marks give
/// every node's line, column and character offset. Loading is bounded: a size limit, strict UTF-8, a nesting limit,
/// and a limit on the nodes aliases stand for (YamlDotNet shares an anchored node, but a walker that follows aliases
/// visits a "billion laughs" document exponentially often). Every refusal is an <see cref="InputException"/>.
public sealed class YamlFile
{
    /// Far larger than any real workflow (GitHub refuses workflow files over 512 KiB).
    public const int MaxBytes = 1 << 20;

    /// Deeper than any real workflow nests; YamlDotNet builds nodes recursively, so this also guards the stack.
    public const int MaxDepth = 128;

    /// Nodes aliases may stand for in all: real workflows use a few anchors for shared steps.
    public const long MaxAliasedNodes = 100_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int[] _lineStarts;

    /// The file as read (the fixer edits these bytes).
    public byte[] Bytes { get; }
    /// Bytes of a UTF-8 byte-order mark before <see cref="Text"/> (0 or 3).
    public int Preamble { get; }
    public string Text { get; }
    /// The first document's root, or null for an empty file.
    public YamlNode? Root { get; }

    private YamlFile(byte[] bytes, int preamble, string text, YamlNode? root)
    {
        Bytes = bytes;
        Preamble = preamble;
        Text = text;
        Root = root;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    public static YamlFile Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > MaxBytes)
            throw new InputException($"{bytes.Length:N0} bytes, over the {MaxBytes:N0}-byte limit for a CI file; not audited.");
        var preamble = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, preamble, bytes.Length - preamble);
        }
        catch (DecoderFallbackException e)
        {
            throw new InputException($"not valid UTF-8 (byte {e.Index + preamble:N0}); YAML files must be UTF-8. Re-save the file as UTF-8.", e);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new BoundedYamlParser(new Parser(YamlInput.Reader(text)), MaxDepth, MaxAliasedNodes, "not audited"));
        }
        catch (YamlException e)
        {
            throw new InputException($"line {e.Start.Line}, column {e.Start.Column}: not valid YAML ({e.Message}).", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some damaged input: unreadable input, not a bug of ours
            throw new InputException($"YAML the parser cannot read ({e.Message}).", e);
        }
        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        return new YamlFile(bytes, preamble, text, root);
    }

    /// Line and column (from 1) of a character offset in <see cref="Text"/>.
    public (int Line, int Column) Position(int index)
    {
        var i = Array.BinarySearch(_lineStarts, index);
        if (i < 0) i = ~i - 1;
        return (i + 1, index - _lineStarts[i] + 1);
    }

    /// The source text a node was written as (with quotes, block indicators and indentation).
    public string Source(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var start = (int)Math.Clamp(node.Start.Index, 0, Text.Length);
        var end = (int)Math.Clamp(node.End.Index, start, Text.Length);
        return Text[start..end];
    }

    /// Where <paramref name="needle"/> first occurs in the source of <paramref name="node"/>, or the node's own
    /// position when the value does not appear verbatim (an escaped or folded scalar).
    public (int Line, int Column) Locate(YamlNode node, string needle)
    {
        ArgumentNullException.ThrowIfNull(node);
        var at = Source(node).IndexOf(needle, StringComparison.Ordinal);
        return at >= 0 ? Position((int)node.Start.Index + at) : ((int)node.Start.Line, (int)node.Start.Column);
    }
}

/// Small readers over YamlDotNet nodes.
internal static class YamlNodes
{
    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static string? Text(this YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children : [];
}
