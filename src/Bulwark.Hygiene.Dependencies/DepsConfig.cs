// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Hygiene.Dependencies;

/// Reads `.bulwark/deps.yaml` (or `.yml`), in the style of `.bulwark/secrets.yaml`:
/// <code>
/// registries:                              # allowed in addition to each ecosystem's public registry
///   - https://npm.example.internal/
///   - https://pkgs.example.internal/pypi/simple/
/// rules:
///   disable: ["BW-DEP-007"]                # rule ids
/// </code>
/// Unknown keys are errors, so a typo never silently allows nothing.
public sealed record DepsConfig(IReadOnlyList<string> Registries, IReadOnlySet<string> DisabledRules)
{
    /// The file looked for in the checked directory when no --config is given.
    public static readonly string[] DefaultNames = [".bulwark/deps.yaml", ".bulwark/deps.yml"];

    public static DepsConfig Empty { get; } = new([], new HashSet<string>(StringComparer.Ordinal));

    /// The config file in <paramref name="root"/>, or null when there is none.
    public static string? Find(string root) =>
        DefaultNames.Select(n => Path.Combine(root, n)).FirstOrDefault(File.Exists);

    public static DepsConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(BoundedYaml.LoadSettings(path, "deps config"), path);
    }

    internal static DepsConfig Parse(YamlNode? document, string path)
    {
        if (document is null) return Empty;
        if (document is not YamlMappingNode root)
            throw Error(path, document, "the document must be a mapping with 'registries' and 'rules'");
        var known = DependencyRules.All.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var registries = new List<string>();
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in root.Children)
        {
            var key = k is YamlScalarNode { Value: { } s } ? s : throw Error(path, k, "keys must be plain strings");
            switch (key)
            {
                case "registries":
                    foreach (var (node, url) in Strings(path, v))
                    {
                        if (Dependencies.Registries.Parse(url) is null) throw Error(path, node, $"'{url}' is not an absolute http(s) URL");
                        registries.Add(url);
                    }
                    break;
                case "rules":
                    if (v is YamlScalarNode { Value: null or "" }) break;
                    if (v is not YamlMappingNode rules) throw Error(path, v, "expected a mapping with 'disable'");
                    foreach (var (rk, rv) in rules.Children)
                    {
                        if (rk is not YamlScalarNode { Value: "disable" }) throw Error(path, rk, $"unknown key 'rules.{rk}': use disable");
                        foreach (var (node, id) in Strings(path, rv))
                        {
                            if (!known.Contains(id)) throw Error(path, node, $"no rule '{id}' (the rules are {string.Join(", ", known.Order(StringComparer.Ordinal))})");
                            disabled.Add(id);
                        }
                    }
                    break;
                default:
                    throw Error(path, k, $"unknown key '{key}': use registries or rules");
            }
        }
        return new DepsConfig(registries, disabled);
    }

    private static IEnumerable<(YamlNode Node, string Text)> Strings(string path, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" }) yield break;
        if (node is not YamlSequenceNode list) throw Error(path, node, "expected a list of strings");
        foreach (var item in list.Children)
            yield return (item, item is YamlScalarNode { Value: { } s } ? s : throw Error(path, item, "expected a string"));
    }

    private static InputException Error(string path, YamlNode node, string what) =>
        new($"Cannot read deps config {path}: line {node.Start.Line}: {what}.");
}
