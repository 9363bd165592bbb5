// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Cataloging.Ecosystems.GitHubActions;

/// Reads the actions and reusable workflows a repository's GitHub workflows and composite actions use: every `uses:`
/// of jobs.&lt;id&gt; (reusable workflows), jobs.&lt;id&gt;.steps[] and an action's runs.steps[], plus a Docker
/// action's runs.image, and the images of jobs' `container:` and `services:`. `owner/repo[/path]@ref` becomes
/// pkg:githubactions/owner/repo@ref#path; `docker://image` becomes a pkg:docker purl, since the image is what runs;
/// local `./path` actions are part of the repository itself and are left out.
public sealed partial class GitHubActionsCataloger : ICataloger
{
    /// Container images are not an OSV ecosystem; this entry only carries the purl type.
    internal static readonly Ecosystem Docker = new("", "docker", "Docker");

    public string Name => "github-actions";

    public bool Wants(FilePath path)
    {
        var file = path.FileName;
        if (file is not ("action.yml" or "action.yaml") && path.Extension is not (".yml" or ".yaml")) return false;
        // workflows and actions that installed dependencies ship (node_modules/x/.github/…) never run in this
        // project's pipelines: they are not part of its supply chain
        if (path.HasDirectorySegment("node_modules")) return false;
        if (file is "action.yml" or "action.yaml") return true;
        // GitHub reads workflows from .github/workflows itself, not from its subdirectories
        var dir = path.Directory;
        return (dir == ".github/workflows" || dir.EndsWith("/.github/workflows", StringComparison.Ordinal))
            && (path.Extension is ".yml" or ".yaml");
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullSha();

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var root = BoundedYaml.LoadRoot(await input.ReadTextAsync(ct).ConfigureAwait(false));
        if (root is null) return [];
        if (root is not YamlMappingNode map)
            throw new InputException($"line {root.Start.Line}: a workflow or action file must be a mapping. Fix the YAML so that GitHub can load it.");

        var uses = new List<YamlScalarNode>();
        var images = new List<(YamlScalarNode Node, string Kind)>();
        if (map.Child("jobs") is { } jobsNode)
        {
            if (jobsNode is not YamlMappingNode jobs)
                throw new InputException($"line {jobsNode.Start.Line}: 'jobs' must be a mapping of job ids. Fix the workflow.");
            foreach (var (_, jobNode) in jobs.Children)
            {
                if (jobNode is not YamlMappingNode job) continue;
                if (job.Child("uses") is YamlScalarNode workflow) uses.Add(workflow);
                CollectSteps(job.Child("steps"), uses);
                // the job's own container and its service containers: images pulled when the job runs
                if (Image(job.Child("container")) is { } container) images.Add((container, "container"));
                if (job.Child("services") is YamlMappingNode services)
                    foreach (var (_, service) in services.Children)
                        if (Image(service) is { } image) images.Add((image, "service"));
            }
        }
        if (map.Child("runs") is YamlMappingNode runs)
        {
            CollectSteps(runs.Child("steps"), uses);
            // runs.using: docker with a prebuilt image (a Dockerfile path is built from the repository instead)
            if (runs.Child("image") is YamlScalarNode image && (image.Value ?? "").StartsWith("docker://", StringComparison.Ordinal)) uses.Add(image);
        }

        var byPurl = new Dictionary<Purl, Package>();
        var order = new List<Purl>();
        foreach (var node in uses)
        {
            var p = ToPackage((node.Value ?? "").Trim(), input.LocationAt((int)node.Start.Line));
            if (p is null) continue;
            if (byPurl.TryGetValue(p.Purl, out var seen)) byPurl[p.Purl] = seen.Merge(p);
            else { byPurl[p.Purl] = p; order.Add(p.Purl); }
        }
        foreach (var (node, kind) in images)
        {
            var value = (node.Value ?? "").Trim();
            if (value.Length == 0 || value.Contains("${{", StringComparison.Ordinal)) continue;
            if (value.StartsWith("docker://", StringComparison.Ordinal)) value = value["docker://".Length..];
            var p = DockerPackage(value, input.LocationAt((int)node.Start.Line), kind);
            if (p is null) continue;
            if (byPurl.TryGetValue(p.Purl, out var seen)) byPurl[p.Purl] = seen.Merge(p);
            else { byPurl[p.Purl] = p; order.Add(p.Purl); }
        }
        return [.. order.Select(purl => byPurl[purl])];
    }

    /// `container: node:20` or `container: {image: node:20}`; a service is always the mapping form.
    private static YamlScalarNode? Image(YamlNode? node) => node switch
    {
        YamlScalarNode s => s,
        YamlMappingNode m => m.Child("image") as YamlScalarNode,
        _ => null,
    };

    private static void CollectSteps(YamlNode? stepsNode, List<YamlScalarNode> uses)
    {
        if (stepsNode is not YamlSequenceNode steps) return;
        foreach (var step in steps.Children)
            if (step is YamlMappingNode s && s.Child("uses") is YamlScalarNode u) uses.Add(u);
    }

    /// The package a `uses:` value names, or null for one that names none (a local action, an expression).
    internal static Package? ToPackage(string value, FileLocation location)
    {
        if (value.Length == 0 || value.StartsWith('.') || value.Contains("${{", StringComparison.Ordinal)) return null;
        if (value.StartsWith("docker://", StringComparison.Ordinal)) return DockerPackage(value["docker://".Length..], location, "docker");

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1) return null; // GitHub rejects a uses: without @ref
        var reference = value[(at + 1)..];
        var segments = value[..at].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return null;
        var (owner, repo) = (segments[0], segments[1]);
        var subpath = segments.Length > 2 ? string.Join('/', segments[2..]) : null;
        var isWorkflow = subpath is not null && subpath.StartsWith(".github/workflows/", StringComparison.Ordinal)
            && (subpath.EndsWith(".yml", StringComparison.Ordinal) || subpath.EndsWith(".yaml", StringComparison.Ordinal));
        var p = new Package
        {
            Ecosystem = Ecosystem.GitHubActions,
            Name = $"{owner}/{repo}", // OSV names an action by its repository
            Version = reference,
            Purl = new Purl("githubactions", owner, repo, reference, null, subpath),
            Locations = [location],
            ExternalReferences = [new ExternalReference("vcs", $"https://github.com/{owner}/{repo}")],
        };
        return p.WithProperty("github:pinned", FullSha().IsMatch(reference) ? "true" : "false")
            .WithProperty("github:kind", isWorkflow ? "reusable-workflow" : "action")
            .WithProperty("github:path", subpath);
    }

    /// docker://[registry/]path[:tag][@sha256:digest] → pkg:docker/path@tag-or-digest?repository_url=registry.
    private static Package? DockerPackage(string image, FileLocation location, string kind)
    {
        if (image.Length == 0) return null;
        string? digest = null, tag = null;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }
        if (image.LastIndexOf(':') is var colon and > 0 && colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }
        // the digest names the exact image; a tag beside it ("postgres:16@sha256:…") is only a label
        var version = digest ?? tag;
        var segments = image.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count == 0) return null;
        string? registry = null;
        if (segments.Count > 1 && (segments[0].Contains('.') || segments[0].Contains(':') || segments[0] == "localhost"))
        {
            registry = segments[0];
            segments.RemoveAt(0);
        }
        var name = segments[^1];
        var ns = segments.Count > 1 ? string.Join('/', segments[..^1]) : null;
        var qualifiers = registry is null ? null : new[] { new KeyValuePair<string, string>("repository_url", registry) };
        var p = new Package
        {
            Ecosystem = Docker,
            Name = ns is null ? name : $"{ns}/{name}",
            Version = version ?? "",
            Purl = new Purl("docker", ns, name, string.IsNullOrEmpty(version) ? null : version, qualifiers),
            Locations = [location],
        };
        return p.WithProperty("github:pinned", version is not null && version.StartsWith("sha256:", StringComparison.Ordinal) ? "true" : "false")
            .WithProperty("github:kind", kind)
            .WithProperty("docker:tag", digest is null ? null : tag);
    }
}
