// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Hygiene.Secrets;

/// Reads `.bulwark/secrets.yaml` (or `.yml`):
/// <code>
/// allow:
///   paths: ["docs/**", "**/testdata/**"]   # globs relative to the scanned directory
///   regexes: ["^AKIA[A-Z0-9]{12}TEST$"]    # matched against the secret
///   stopwords: ["sandbox"]                 # a secret containing one is not reported
/// rules:
///   disable: ["jwt"]                       # rule ids
/// </code>
/// Unknown keys are errors, so a typo never silently allows nothing.
public static class SecretsConfig
{
    /// The file looked for in the scanned directory when no --config is given.
    public static readonly string[] DefaultNames = [".bulwark/secrets.yaml", ".bulwark/secrets.yml"];

    /// The config file in <paramref name="root"/>, or null when there is none.
    public static string? Find(string root) =>
        DefaultNames.Select(n => Path.Combine(root, n)).FirstOrDefault(File.Exists);

    public static SecretAllowlist Load(string path, IEnumerable<string> ruleIds)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(BoundedYaml.LoadSettings(path, "secrets config"), path, ruleIds);
    }

    internal static SecretAllowlist Parse(YamlNode? document, string path, IEnumerable<string> ruleIds)
    {
        if (document is null) return SecretAllowlist.Empty;
        if (document is not YamlMappingNode root)
            throw Error(path, document, "the document must be a mapping with 'allow' and 'rules'");
        var known = ruleIds.ToHashSet(StringComparer.Ordinal);
        var paths = new List<Glob>();
        var regexes = new List<Regex>();
        var stopWords = new List<string>();
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, keyNode, value) in EntriesWithKeys(path, root))
        {
            switch (key)
            {
                case "allow":
                    foreach (var (k, kNode, v) in EntriesWithKeys(path, value))
                    {
                        switch (k)
                        {
                            case "paths":
                                foreach (var (node, text) in Strings(path, v))
                                {
                                    try { paths.Add(new Glob(text)); }
                                    catch (ArgumentException e) { throw Error(path, node, $"'{text}' is not a glob: {e.Message}"); }
                                }
                                break;
                            case "regexes":
                                foreach (var (node, text) in Strings(path, v))
                                {
                                    try
                                    {
                                        regexes.Add(new Regex(text, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, SecretRule.MatchTimeout));
                                    }
                                    catch (Exception e) when (e is ArgumentException or NotSupportedException)
                                    {
                                        throw Error(path, node, $"'{text}' is not a usable regular expression ({e.Message}); lookarounds and backreferences are not supported");
                                    }
                                }
                                break;
                            case "stopwords":
                                stopWords.AddRange(Strings(path, v).Select(s => s.Text).Where(s => s.Length > 0));
                                break;
                            default:
                                throw Error(path, kNode, $"unknown key 'allow.{k}': use paths, regexes or stopwords");
                        }
                    }
                    break;
                case "rules":
                    foreach (var (k, kNode, v) in EntriesWithKeys(path, value))
                    {
                        if (k != "disable") throw Error(path, kNode, $"unknown key 'rules.{k}': use disable");
                        foreach (var (node, id) in Strings(path, v))
                        {
                            if (!known.Contains(id)) throw Error(path, node, $"no rule '{id}' (see 'bulwark secrets --list-rules')");
                            disabled.Add(id);
                        }
                    }
                    break;
                default:
                    throw Error(path, keyNode, $"unknown key '{key}': use allow or rules");
            }
        }
        return new SecretAllowlist { Paths = paths, Secrets = regexes, StopWords = stopWords, DisabledRules = disabled };
    }

    private static IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> EntriesWithKeys(string path, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" }) yield break; // "allow:" with nothing under it
        if (node is not YamlMappingNode map) throw Error(path, node, "expected a mapping");
        foreach (var (k, v) in map.Children)
            yield return (k is YamlScalarNode { Value: { } s } ? s : throw Error(path, k, "keys must be plain strings"), k, v);
    }

    private static IEnumerable<(YamlNode Node, string Text)> Strings(string path, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" }) yield break;
        if (node is not YamlSequenceNode list) throw Error(path, node, "expected a list of strings");
        foreach (var item in list.Children)
            yield return (item, item is YamlScalarNode { Value: { } s } ? s : throw Error(path, item, "expected a string"));
    }

    private static InputException Error(string path, YamlNode node, string what) =>
        new($"Cannot read secrets config {path}: line {node.Start.Line}: {what}.");
}
