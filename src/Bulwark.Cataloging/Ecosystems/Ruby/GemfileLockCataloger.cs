// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// Reads gems from Bundler's Gemfile.lock (GEM, GIT and PATH sources, platforms, checksums), with the project as
/// root and dev scope from the sibling Gemfile's development and test groups.
public sealed class GemfileLockCataloger : ICataloger, IReadsNeighbours
{
    private const string RubyGemsOrg = "https://rubygems.org/";

    public string Name => "gemfile-lock";

    /// Reads the Gemfile (or gems.rb) beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName is "Gemfile" or "gems.rb";

    public bool Wants(FilePath path) => path.FileName is "Gemfile.lock" or "gems.locked";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var lockFile = GemfileLock.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        if (!lockFile.HasSections) return [];

        // every platform variant of a gem is a package of its own; a dependency by name points at all of them,
        // since which variant is installed depends on the machine
        var found = new List<(LockedGem Spec, Package Package)>();
        var byName = new Dictionary<string, List<Purl>>(StringComparer.Ordinal);
        var seen = new HashSet<Purl>();
        foreach (var spec in lockFile.Specs)
        {
            var p = ToPackage(spec, lockFile, input);
            if (!seen.Add(p.Purl)) continue;
            found.Add((spec, p));
            if (!byName.TryGetValue(spec.Name, out var list)) byName[spec.Name] = list = [];
            list.Add(p.Purl);
        }
        var packages = found.Select(f => f.Package with { DependsOn = Resolve(f.Spec.Dependencies, byName) }).ToList();

        var rootName = ProjectName.Of(input);
        var root = Package.Create(Ecosystem.RubyGems, rootName, null, input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            DependsOn = Resolve(lockFile.Dependencies.Select(d => d.Name), byName),
        };
        root = root.WithProperty("bundler:version", lockFile.BundledWith)
            .WithProperty("ruby:version", lockFile.RubyVersion)
            .WithProperty("gem:platforms", lockFile.Platforms.Count == 0 ? null : string.Join(',', lockFile.Platforms));

        var groups = await input.TryReadNeighbourAsync(input.Path.Sibling(input.Path.FileName == "gems.locked" ? "gems.rb" : "Gemfile"), GemfileGroups.Read, ct)
            .ConfigureAwait(false);
        if (groups is not null)
            packages = ApplyScopes(packages, lockFile, groups, byName);

        packages.Add(root);
        return packages;
    }

    private static Package ToPackage(LockedGem spec, GemfileLock lockFile, CatalogInput input)
    {
        var qualifiers = new List<KeyValuePair<string, string>>();
        if (spec.Platform is not null) qualifiers.Add(new("platform", spec.Platform));
        var remote = spec.Source.Remote;
        // a gem from a server other than rubygems.org is another package than the rubygems.org one of that name
        if (spec.Source.Kind == "GEM" && remote is not null && !IsRubyGemsOrg(remote))
            qualifiers.Add(new("repository_url", remote));
        var p = Package.Create(Ecosystem.RubyGems, spec.Name, spec.Version, input.LocationAt(spec.Line), qualifiers);
        if (lockFile.Checksums.TryGetValue($"{spec.Name} ({spec.FullVersion})", out var digests))
            p = p with { Hashes = [.. digests] };
        p = p.WithProperty("gem:platform", spec.Platform);
        switch (spec.Source.Kind)
        {
            case "GEM":
                if (remote is not null)
                {
                    p = p.WithProperty("gem:remote", remote);
                    var file = spec.Platform is null ? $"{spec.Name}-{spec.Version}.gem" : $"{spec.Name}-{spec.Version}-{spec.Platform}.gem";
                    p = p with { ExternalReferences = [new ExternalReference("distribution", $"{remote.TrimEnd('/')}/gems/{file}")] };
                }
                break;
            case "GIT":
                p = p.WithProperty("bulwark:source", "git")
                    .WithProperty("bulwark:revision", spec.Source.Options.GetValueOrDefault("revision"))
                    .WithProperty("git:branch", spec.Source.Options.GetValueOrDefault("branch"))
                    .WithProperty("git:tag", spec.Source.Options.GetValueOrDefault("tag"));
                if (remote is not null) p = p with { ExternalReferences = [new ExternalReference("vcs", remote)] };
                break;
            case "PATH":
                p = p.WithProperty("bulwark:source", "path").WithProperty("bulwark:path", remote);
                // `gemspec` in the Gemfile locks the project's own gem from "."; it is the project, not a dependency
                if (remote is "." or "./") p = p with { IsRoot = true, Kind = PackageKind.Application };
                break;
            default:
                p = p.WithProperty("bulwark:source", spec.Source.Kind == "PLUGIN SOURCE" ? "plugin" : spec.Source.Kind.ToLowerInvariant());
                break;
        }
        return p;
    }

    private static bool IsRubyGemsOrg(string remote) =>
        remote.TrimEnd('/').Equals(RubyGemsOrg.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        || remote.TrimEnd('/').Equals("http://rubygems.org", StringComparison.OrdinalIgnoreCase);

    private static ImmutableArray<Purl> Resolve(IEnumerable<string> names, Dictionary<string, List<Purl>> byName) =>
        [.. names.Where(byName.ContainsKey).SelectMany(n => byName[n]).Distinct()];

    /// Scope by reachability: a gem needed by a Required direct dependency is Required, else by an Optional one
    /// Optional, else (only reachable from development and test groups) Dev.
    private static List<Package> ApplyScopes(List<Package> packages, GemfileLock lockFile, Dictionary<string, Scope> declared,
        Dictionary<string, List<Purl>> byName)
    {
        var byPurl = packages.ToDictionary(p => p.Purl);
        var scopes = new Dictionary<Purl, Scope>();
        foreach (var level in (Scope[])[Scope.Required, Scope.Optional, Scope.Dev])
        {
            // a gem in DEPENDENCIES but not in the Gemfile (a gemspec's dependency, say) counts as Required
            var start = lockFile.Dependencies
                .Where(d => declared.GetValueOrDefault(d.Name, Scope.Required) == level)
                .SelectMany(d => byName.GetValueOrDefault(d.Name) ?? []);
            var queue = new Queue<Purl>(start);
            while (queue.Count > 0)
            {
                var purl = queue.Dequeue();
                if (!scopes.TryAdd(purl, level)) continue;
                if (byPurl.TryGetValue(purl, out var p))
                    foreach (var d in p.DependsOn) queue.Enqueue(d);
            }
        }
        // a gem nothing reaches is kept Required: nothing says it is only for development
        return [.. packages.Select(p => p with { Scope = scopes.GetValueOrDefault(p.Purl, Scope.Required) })];
    }
}
