// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.Dart;

/// Reads Dart and Flutter packages from pubspec.lock: hosted (with sha256), git, path and SDK packages, scoped by
/// the lockfile's "dependency" field; the sibling pubspec.yaml, when present, is the root.
public sealed class PubspecLockCataloger : ICataloger, IReadsNeighbours
{
    /// Hosted packages from these servers need no repository_url qualifier.
    private static readonly HashSet<string> DefaultHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "https://pub.dev", "https://pub.dartlang.org",
    };

    public string Name => "pubspec-lock";

    /// Reads pubspec.yaml beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "pubspec.yaml";

    public bool Wants(FilePath path) => path.FileName == "pubspec.lock";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var root = BoundedYaml.LoadRoot(await input.ReadTextAsync(ct).ConfigureAwait(false));
        if (root is null) return [];
        if (root is not YamlMappingNode map)
            throw new InputException($"line {root.Start.Line}: pubspec.lock must be a mapping with 'packages'. Run 'dart pub get' to rebuild it.");

        var packages = new List<Package>();
        var direct = new List<Purl>();
        if (map.Child("packages") is YamlMappingNode entries)
        {
            foreach (var (keyNode, valueNode) in entries.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value;
                if (string.IsNullOrEmpty(name) || valueNode is not YamlMappingNode entry)
                    throw new InputException($"line {keyNode.Start.Line}: expected a package name with a mapping of its details. Run 'dart pub get' to rebuild pubspec.lock.");
                var (p, dependency) = ToPackage(name, entry, input.LocationAt((int)keyNode.Start.Line));
                packages.Add(p);
                if (dependency.StartsWith("direct", StringComparison.Ordinal)) direct.Add(p.Purl);
            }
        }
        else if (map.Child("packages") is { } other && !(other is YamlScalarNode { Value: "" or null }))
        {
            throw new InputException($"line {other.Start.Line}: 'packages' must be a mapping. Run 'dart pub get' to rebuild pubspec.lock.");
        }

        var manifestPath = input.Path.Sibling("pubspec.yaml");
        var manifest = await input.TryReadTextAsync(manifestPath, ct).ConfigureAwait(false);
        if (manifest is not null && LoadManifest(manifest, manifestPath) is YamlMappingNode pubspec && pubspec.Scalar("name") is { Length: > 0 } rootName)
        {
            var rootPackage = Package.Create(Ecosystem.Pub, rootName, pubspec.Scalar("version"), input.Location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                Description = pubspec.Scalar("description"),
                DependsOn = [.. direct],
            };
            packages.Add(rootPackage);
        }
        // two keys may lock the same hosted package (description.name): one package per purl
        return PackageSightings.Merge(packages);
    }

    private static YamlNode? LoadManifest(string text, FilePath path)
    {
        try
        {
            return BoundedYaml.LoadRoot(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // the error is in the manifest beside the lockfile: say so, or the line number points into the wrong file
            throw new InputException($"{path}: line {e.Start.Line}: {e.Message} Fix pubspec.yaml, then run 'dart pub get'.", e);
        }
    }

    private static (Package Package, string Dependency) ToPackage(string name, YamlMappingNode entry, FileLocation location)
    {
        var version = entry.Scalar("version");
        var source = entry.Scalar("source") ?? "hosted";
        var dependency = entry.Scalar("dependency") ?? "transitive";
        var description = entry.Child("description");
        var descriptionMap = description as YamlMappingNode;

        var qualifiers = new List<KeyValuePair<string, string>>();
        var hostedUrl = descriptionMap?.Scalar("url");
        if (source == "hosted" && hostedUrl is { Length: > 0 } && !DefaultHosts.Contains(hostedUrl.TrimEnd('/')))
            qualifiers.Add(new("repository_url", hostedUrl));
        // a hosted package may be locked under another name than its key (description.name)
        var packageName = source == "hosted" && descriptionMap?.Scalar("name") is { Length: > 0 } n ? n : name;
        var p = Package.Create(Ecosystem.Pub, packageName, version, location, qualifiers) with
        {
            // pubspec.lock has no edges: a transitive package may serve a dev dependency, but nothing says so
            Scope = dependency == "direct dev" ? Scope.Dev : Scope.Required,
        };
        p = p.WithProperty("pub:dependency", dependency);

        switch (source)
        {
            case "hosted":
                if (descriptionMap?.Scalar("sha256") is { } sha && Digest.TryCreate("sha256", sha, out var d)) p = p with { Hashes = [d] };
                break;
            case "git":
                p = p.WithProperty("bulwark:source", "git")
                    .WithProperty("bulwark:revision", descriptionMap?.Scalar("resolved-ref"))
                    .WithProperty("git:ref", descriptionMap?.Scalar("ref"))
                    .WithProperty("git:path", descriptionMap?.Scalar("path") is "." ? null : descriptionMap?.Scalar("path"));
                if (descriptionMap?.Scalar("url") is { Length: > 0 } url) p = p with { ExternalReferences = [new ExternalReference("vcs", url)] };
                break;
            case "path":
                p = p.WithProperty("bulwark:source", "path").WithProperty("bulwark:path", descriptionMap?.Scalar("path"));
                break;
            case "sdk":
                // flutter, flutter_test, sky_engine…: shipped with an SDK, version 0.0.0; kept so the SBOM shows them
                p = p.WithProperty("bulwark:source", "sdk").WithProperty("pub:sdk", (description as YamlScalarNode)?.Value);
                break;
            default:
                p = p.WithProperty("bulwark:source", source);
                break;
        }
        return (p, dependency);
    }
}
