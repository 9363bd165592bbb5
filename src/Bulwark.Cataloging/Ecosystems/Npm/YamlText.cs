// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Loading the YAML lockfiles (yarn berry, pnpm) and reading their nodes without casts that could throw.
internal static class YamlText
{
    // YamlDotNet builds nested collections recursively; lockfiles nest a handful of levels, so anything deeper
    // is rejected before parsing rather than risking the stack
    private const int MaxNesting = 128;

    public static YamlMappingNode? LoadMapping(string text, string tool)
    {
        CheckNesting(text, tool);
        var stream = new YamlStream();
        using (var reader = new StringReader(text)) stream.Load(reader);
        if (stream.Documents.Count == 0) return null;
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new InputException($"line {Line(stream.Documents[0].RootNode)}: the lockfile is not a YAML mapping. Run '{tool}' to rebuild it.");
    }

    private static void CheckNesting(string text, string tool)
    {
        var depth = 0;
        var line = 1;
        CheckIndent(text, 0, line, tool);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[' or '{':
                    if (++depth > MaxNesting) throw TooDeep(line, tool);
                    break;
                case ']' or '}':
                    if (depth > 0) depth--;
                    break;
                case '\n':
                    line++;
                    CheckIndent(text, i + 1, line, tool);
                    break;
            }
        }
    }

    // block nesting needs indentation or compact "- - -" / "? ? ?" prefixes: both are bounded by the line's lead
    private static void CheckIndent(string text, int start, int line, string tool)
    {
        var i = start;
        while (i < text.Length && text[i] is ' ' or '-' or '?' or ':') i++;
        if (i - start > MaxNesting * 4) throw TooDeep(line, tool);
    }

    private static InputException TooDeep(int line, string tool) =>
        new($"line {line}: nesting is too deep for a lockfile. Run '{tool}' to rebuild it.");

    public static int Line(YamlNode node) => (int)node.Start.Line;

    public static YamlNode? Get(YamlNode? map, string key) =>
        map is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static string? Str(YamlNode? map, string key) => Get(map, key) is YamlScalarNode s ? s.Value : null;

    public static bool True(YamlNode? map, string key) => Str(map, key) is "true" or "True" or "TRUE";

    public static IEnumerable<(string Key, YamlNode Value, YamlNode KeyNode)> Pairs(YamlNode? map)
    {
        if (map is not YamlMappingNode m) yield break;
        foreach (var (k, v) in m.Children)
        {
            if (k is YamlScalarNode { Value: { } key }) yield return (key, v, k);
        }
    }

    /// A name → string map ("dependencies"); a value that is itself a mapping (pnpm's {specifier, version}) gives its "version".
    public static IEnumerable<KeyValuePair<string, string>> StringMap(YamlNode? map, string key)
    {
        foreach (var (name, value, _) in Pairs(Get(map, key)))
        {
            var text = value switch
            {
                YamlScalarNode s => s.Value,
                YamlMappingNode => Str(value, "version"),
                _ => null,
            };
            if (text is not null) yield return new(name, text);
        }
    }
}
