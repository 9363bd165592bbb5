// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.CocoaPods;

/// Reads pods from CocoaPods' Podfile.lock: PODS with their dependency lists, DEPENDENCIES as the project's direct
/// dependencies, spec repos, external sources, checkout options and podspec checksums. A subspec
/// ("Firebase/Core") is the root pod with the subspec as purl subpath (purl-spec cocoapods).
public sealed partial class PodfileLockCataloger : ICataloger
{
    private const string Trunk = "trunk";

    public string Name => "podfile-lock";

    public bool Wants(FilePath path) => path.FileName == "Podfile.lock";

    [GeneratedRegex(@"^(?<name>[^\s()]+)(?:\s+\((?<version>[^()]*)\))?$")]
    private static partial Regex PodEntry();

    private sealed record Pod(string Name, string Version, int Line, List<string> Deps);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var root = BoundedYaml.LoadRoot(await input.ReadTextAsync(ct).ConfigureAwait(false));
        if (root is null) return [];
        if (root is not YamlMappingNode map)
            throw new InputException($"line {root.Start.Line}: Podfile.lock must be a mapping with 'PODS'. Run 'pod install' to rebuild it.");

        var pods = ReadPods(map.Child("PODS"));
        var specRepos = ReadSpecRepos(map.Child("SPEC REPOS"));
        var external = ReadOptionMaps(map.Child("EXTERNAL SOURCES"));
        var checkout = ReadOptionMaps(map.Child("CHECKOUT OPTIONS"));
        var checksums = ScalarPairs(map.Child("SPEC CHECKSUMS") as YamlMappingNode);

        var byName = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var packages = new List<(Pod Pod, Package Package)>();
        foreach (var pod in pods)
        {
            var p = ToPackage(pod, input.LocationAt(pod.Line), specRepos, external, checkout, checksums);
            if (!byName.TryAdd(pod.Name, p.Purl)) continue;
            packages.Add((pod, p));
        }
        var result = packages.Select(x => x.Package with { DependsOn = Resolve(x.Pod.Deps, byName) }).ToList();

        var direct = map.Child("DEPENDENCIES") is YamlSequenceNode deps
            ? deps.Children.OfType<YamlScalarNode>().Select(s => ParseEntry(s).Name).ToList()
            : [];
        if (result.Count > 0 || direct.Count > 0)
        {
            var project = Package.Create(Ecosystem.CocoaPods, ProjectName.Of(input), null, input.Location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = Resolve(direct, byName),
            };
            result.Add(project.WithProperty("cocoapods:version", map.Scalar("COCOAPODS"))
                .WithProperty("cocoapods:podfile-checksum", map.Scalar("PODFILE CHECKSUM")));
        }
        return result;
    }

    private static List<Pod> ReadPods(YamlNode? node)
    {
        var pods = new List<Pod>();
        if (node is null || node is YamlScalarNode { Value: null or "" }) return pods;
        if (node is not YamlSequenceNode seq)
            throw new InputException($"line {node.Start.Line}: 'PODS' must be a list. Run 'pod install' to rebuild Podfile.lock.");
        foreach (var item in seq.Children)
        {
            // "Name (1.0)" alone, or "Name (1.0):" with the list of what it depends on
            YamlScalarNode entry;
            var deps = new List<string>();
            switch (item)
            {
                case YamlScalarNode s:
                    entry = s;
                    break;
                case YamlMappingNode { Children.Count: 1 } m when m.Children.First().Key is YamlScalarNode k:
                    entry = k;
                    if (m.Children.First().Value is YamlSequenceNode list)
                        deps.AddRange(list.Children.OfType<YamlScalarNode>().Select(d => ParseEntry(d).Name));
                    break;
                default:
                    throw new InputException($"line {item.Start.Line}: expected 'Name (version)' in PODS. Run 'pod install' to rebuild Podfile.lock.");
            }
            var (name, version) = ParseEntry(entry);
            if (string.IsNullOrEmpty(version))
                throw new InputException($"line {entry.Start.Line}: pod '{name}' has no version in parentheses. Run 'pod install' to rebuild Podfile.lock.");
            pods.Add(new Pod(name, version, (int)entry.Start.Line, deps));
        }
        return pods;
    }

    private static (string Name, string? Version) ParseEntry(YamlScalarNode node)
    {
        var m = PodEntry().Match((node.Value ?? "").Trim());
        if (!m.Success)
            throw new InputException($"line {node.Start.Line}: '{node.Value}' is not 'Name (version)'. Run 'pod install' to rebuild Podfile.lock.");
        return (m.Groups["name"].Value, m.Groups["version"].Success ? m.Groups["version"].Value : null);
    }

    /// SPEC REPOS: repository (trunk, or a git URL of a private specs repo) → pod root names.
    private static Dictionary<string, string> ReadSpecRepos(YamlNode? node)
    {
        var repos = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode m) return repos;
        foreach (var (key, value) in m.Children)
        {
            if (key is not YamlScalarNode { Value: { } repo } || value is not YamlSequenceNode names) continue;
            foreach (var n in names.Children.OfType<YamlScalarNode>())
                if (n.Value is { } pod) repos.TryAdd(pod, repo);
        }
        return repos;
    }

    /// EXTERNAL SOURCES and CHECKOUT OPTIONS: pod root name → {":git": …, ":commit": …, ":path": …}.
    private static Dictionary<string, Dictionary<string, string>> ReadOptionMaps(YamlNode? node)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (node is not YamlMappingNode m) return result;
        foreach (var (key, value) in m.Children)
        {
            if (key is not YamlScalarNode { Value: { } pod } || value is not YamlMappingNode opts) continue;
            result[pod] = ScalarPairs(opts);
        }
        return result;
    }

    /// The scalar-to-scalar pairs of a mapping, keys without the leading ':' of Ruby symbols; the first of two
    /// keys that differ only by quoting wins.
    private static Dictionary<string, string> ScalarPairs(YamlMappingNode? map)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is null) return pairs;
        foreach (var (key, value) in map.Children)
            if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode v)
                pairs.TryAdd(k.TrimStart(':'), v.Value ?? "");
        return pairs;
    }

    private static Package ToPackage(Pod pod, FileLocation location, Dictionary<string, string> specRepos,
        Dictionary<string, Dictionary<string, string>> external, Dictionary<string, Dictionary<string, string>> checkout,
        Dictionary<string, string> checksums)
    {
        var slash = pod.Name.IndexOf('/');
        var rootName = slash < 0 ? pod.Name : pod.Name[..slash];
        var subspec = slash < 0 ? null : pod.Name[(slash + 1)..];
        var p = new Package
        {
            Ecosystem = Ecosystem.CocoaPods,
            Name = pod.Name,
            Version = pod.Version,
            Purl = new Purl("cocoapods", null, rootName, pod.Version, null, subspec),
            Locations = [location],
        };
        // the checksum is the podspec's SHA-1, one per root pod, so its subspecs share it
        if (checksums.TryGetValue(rootName, out var sum) && Digest.TryCreate("sha1", sum, out var d)) p = p with { Hashes = [d] };
        if (specRepos.TryGetValue(rootName, out var repo) && repo != Trunk) p = p.WithProperty("cocoapods:spec-repo", repo);

        var source = external.GetValueOrDefault(rootName);
        var lockedCheckout = checkout.GetValueOrDefault(rootName);
        if (source?.GetValueOrDefault("git") is { Length: > 0 } git)
        {
            p = p.WithProperty("bulwark:source", "git")
                .WithProperty("bulwark:revision", lockedCheckout?.GetValueOrDefault("commit") ?? source.GetValueOrDefault("commit"))
                .WithProperty("git:branch", source.GetValueOrDefault("branch"))
                .WithProperty("git:tag", source.GetValueOrDefault("tag"));
            p = p with { ExternalReferences = [new ExternalReference("vcs", git)] };
        }
        else if (source?.GetValueOrDefault("path") is { Length: > 0 } path)
        {
            p = p.WithProperty("bulwark:source", "path").WithProperty("bulwark:path", path);
        }
        else if (source?.GetValueOrDefault("podspec") is { Length: > 0 } podspec)
        {
            p = p.WithProperty("bulwark:source", "url").WithProperty("cocoapods:podspec", podspec);
        }
        return p.WithProperty("cocoapods:subspec", subspec);
    }

    private static System.Collections.Immutable.ImmutableArray<Purl> Resolve(IEnumerable<string> names, Dictionary<string, Purl> byName) =>
        [.. names.Select(n => byName.GetValueOrDefault(n)).OfType<Purl>().Distinct()];
}
