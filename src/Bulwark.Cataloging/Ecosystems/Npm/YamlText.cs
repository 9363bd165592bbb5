// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.Npm;

/// Loading the YAML lockfiles (yarn berry, pnpm) and reading their nodes without casts that could throw.
internal static class YamlText
{
    public static YamlMappingNode? LoadMapping(string text, string tool)
    {
        var documents = BoundedYaml.Load(text);
        if (documents.Count == 0) return null;
        return documents[0].RootNode as YamlMappingNode
            ?? throw new InputException($"line {Line(documents[0].RootNode)}: the lockfile is not a YAML mapping. Run '{tool}' to rebuild it.");
    }

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
