// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Elixir;

/// Reads Hex and git dependencies from Mix's mix.lock, with edges from each Hex entry's dependency list; the sibling
/// mix.exs, when present, gives the root (app and version) and scopes (`only:` without :prod is Dev,
/// `optional: true` is Optional).
public sealed partial class MixLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "mix-lock";

    /// Reads mix.exs beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "mix.exs";

    public bool Wants(FilePath path) => path.FileName == "mix.lock";

    private sealed record Entry(string App, Package Package, IReadOnlyList<(string App, bool Optional)> Deps);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var term = ElixirTermReader.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        if (term is null) return [];
        if (term is not ElixirTerm.Map map)
            throw new InputException($"line {term.Line}: mix.lock must hold a map (%{{...}}). Run 'mix deps.get' to rebuild it.");

        var entries = new List<Entry>();
        foreach (var (key, value) in map.Pairs)
        {
            var app = key.Text ?? throw new InputException($"line {key.Line}: expected a dependency name as the key. Run 'mix deps.get' to rebuild mix.lock.");
            if (value is not ElixirTerm.Tuple { Items: [ElixirTerm.Atom kind, ..] } tuple)
                throw new InputException($"line {value.Line}: expected a tuple such as {{:hex, ...}} for '{app}'. Run 'mix deps.get' to rebuild mix.lock.");
            var location = input.LocationAt(key.Line);
            entries.Add(kind.Name switch
            {
                "hex" => HexEntry(app, tuple, location),
                "git" => GitEntry(app, tuple, location),
                // a source kind this reader does not know: still a dependency, though without a version
                _ => new Entry(app, Package.Create(Ecosystem.Hex, app, null, location).WithProperty("mix:source", kind.Name), []),
            });
        }

        var byApp = new Dictionary<string, Purl>(StringComparer.Ordinal);
        foreach (var e in entries)
            if (!byApp.TryAdd(e.App, e.Package.Purl))
                throw new InputException($"line {e.Package.Locations[0].Line}: '{e.App}' is locked twice. Run 'mix deps.get' to rebuild mix.lock.");
        var packages = entries.Select(e => e.Package with
        {
            DependsOn = [.. e.Deps.Select(d => byApp.GetValueOrDefault(d.App)).OfType<Purl>().Distinct()],
        }).ToList();

        var mixExs = await input.TryReadTextAsync(input.Path.Sibling("mix.exs"), ct).ConfigureAwait(false);
        if (mixExs is null) return OnePerPurl(packages);

        var project = MixProject.Read(mixExs);
        packages = ApplyScopes(packages, entries, project.Deps, byApp);
        if (project.App is { Length: > 0 } rootApp)
        {
            packages.Add(Package.Create(Ecosystem.Hex, rootApp, project.Version, input.Location) with
            {
                IsRoot = true,
                Kind = PackageKind.Application,
                DependsOn = [.. project.Deps.Select(d => byApp.GetValueOrDefault(d.App)).OfType<Purl>().Distinct()],
            });
        }
        return OnePerPurl(packages);
    }

    // two apps may lock the same Hex package under different names: one package per purl
    private static List<Package> OnePerPurl(List<Package> packages) =>
        PackageSightings.Merge(packages);

    /// {:hex, :package, "version", "inner_checksum", [:managers], [deps], "repo", "outer_checksum"}; locks written
    /// before Hex 0.20 stop after the deps (and have no outer checksum).
    private static Entry HexEntry(string app, ElixirTerm.Tuple t, FileLocation location)
    {
        var items = t.Items;
        if (items.Count < 3 || items[1] is not ElixirTerm.Atom pkg || items[2] is not ElixirTerm.Str version)
            throw new InputException($"line {t.Line}: '{app}' is not {{:hex, :name, \"version\", ...}}. Run 'mix deps.get' to rebuild mix.lock.");
        var repo = items.Count > 6 ? items[6].Text : null;
        // a private Hex organization's repository is "hexpm:org"; purl-spec hex puts the organization in the namespace
        string? org = repo is not null && repo.StartsWith("hexpm:", StringComparison.Ordinal) ? repo["hexpm:".Length..] : null;
        var p = Package.Create(Ecosystem.Hex, pkg.Name, version.Value, location);
        if (org is { Length: > 0 }) p = p with { Purl = new Purl("hex", org, pkg.Name, version.Value) };
        // the outer checksum is the SHA-256 of the whole package tarball as Hex serves it
        if (items.Count > 7 && items[7] is ElixirTerm.Str outer && Digest.TryCreate("sha256", outer.Value, out var d))
            p = p with { Hashes = [d] };
        p = p.WithProperty("hex:inner-checksum", items.Count > 3 ? items[3].Text : null)
            .WithProperty("hex:repo", repo is null or "hexpm" ? null : repo)
            .WithProperty("mix:app", app != pkg.Name ? app : null);
        if (repo is null or "hexpm")
            p = p with { ExternalReferences = [new ExternalReference("distribution", $"https://repo.hex.pm/tarballs/{pkg.Name}-{version.Value}.tar")] };

        var deps = new List<(string, bool)>();
        if (items.Count > 5 && items[5] is ElixirTerm.List list)
        {
            // {:app, "requirement", [hex: :package, repo: "hexpm", optional: false]}; optional ones are edges too
            foreach (var dep in list.Items)
            {
                if (dep is ElixirTerm.Tuple { Items: [ElixirTerm.Atom depApp, ..] } dt)
                    deps.Add((depApp.Name, dt.Items.Count > 2 && dt.Items[2].Keyword("optional") is ElixirTerm.Atom { Name: "true" }));
            }
        }
        return new Entry(app, p, deps);
    }

    /// {:git, "url", "sha", [branch: ..., tag: ..., ref: ...]}: no version, so the commit is the version.
    private static Entry GitEntry(string app, ElixirTerm.Tuple t, FileLocation location)
    {
        if (t.Items.Count < 3 || t.Items[1] is not ElixirTerm.Str url || t.Items[2] is not ElixirTerm.Str sha)
            throw new InputException($"line {t.Line}: '{app}' is not {{:git, \"url\", \"sha\", ...}}. Run 'mix deps.get' to rebuild mix.lock.");
        var opts = t.Items.Count > 3 ? t.Items[3] : null;
        var p = Package.Create(Ecosystem.Hex, app, sha.Value, location) with
        {
            ExternalReferences = [new ExternalReference("vcs", url.Value)],
        };
        p = p.WithProperty("bulwark:source", "git")
            .WithProperty("bulwark:revision", sha.Value)
            .WithProperty("git:branch", opts?.Keyword("branch")?.Text)
            .WithProperty("git:tag", opts?.Keyword("tag")?.Text)
            .WithProperty("git:ref", opts?.Keyword("ref")?.Text);
        return new Entry(app, p, []);
    }

    /// Scope by reachability from mix.exs's deps: a Required dependency's non-optional edges stay Required; optional
    /// edges and optional deps give Optional; deps `only:` outside :prod give Dev.
    private static List<Package> ApplyScopes(List<Package> packages, List<Entry> entries, IReadOnlyList<MixDep> declared,
        Dictionary<string, Purl> byApp)
    {
        // two apps locking one Hex package share its edges
        var edges = entries.GroupBy(e => e.Package.Purl).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Deps).ToList());
        var scopes = new Dictionary<Purl, Scope>();
        var optionalFrontier = new List<Purl>();
        foreach (var level in (Scope[])[Scope.Required, Scope.Optional, Scope.Dev])
        {
            var queue = new Queue<Purl>(declared.Where(d => d.Scope == level).Select(d => byApp.GetValueOrDefault(d.App)).OfType<Purl>());
            if (level == Scope.Optional) foreach (var p in optionalFrontier) queue.Enqueue(p);
            while (queue.Count > 0)
            {
                var purl = queue.Dequeue();
                if (!scopes.TryAdd(purl, level)) continue;
                foreach (var (app, optional) in edges.GetValueOrDefault(purl) ?? [])
                {
                    if (byApp.GetValueOrDefault(app) is not { } next) continue;
                    if (optional && level == Scope.Required) optionalFrontier.Add(next);
                    else queue.Enqueue(next);
                }
            }
        }
        return [.. packages.Select(p => p with { Scope = scopes.GetValueOrDefault(p.Purl, Scope.Required) })];
    }

    internal sealed record MixDep(string App, Scope Scope);

    /// The parts of mix.exs this reader needs, read without running it: `app:`, a literal or `@version` version,
    /// and the `{:name, ...}` tuples of the deps function.
    internal sealed partial record MixProject(string? App, string? Version, IReadOnlyList<MixDep> Deps)
    {
        [GeneratedRegex(@"^[ \t]*app:\s*:(?<app>\w+)", RegexOptions.Multiline)]
        private static partial Regex AppLine();

        [GeneratedRegex(@"^[ \t]*version:\s*(?:""(?<v>[^""]+)""|@(?<attr>\w+))", RegexOptions.Multiline)]
        private static partial Regex VersionLine();

        [GeneratedRegex(@"^[ \t]*\{:(?<app>\w+)\s*,(?<rest>.*)\}", RegexOptions.Multiline)]
        private static partial Regex DepTuple();

        [GeneratedRegex(@"\bonly:\s*(?<only>\[[^\]]*\]|:\w+)")]
        private static partial Regex Only();

        [GeneratedRegex(@"\boptional:\s*true\b")]
        private static partial Regex OptionalTrue();

        [GeneratedRegex(@"^[ \t]*defp?\s+deps\b[^\n]*$", RegexOptions.Multiline)]
        private static partial Regex DepsFunction();

        [GeneratedRegex(@"^[ \t]*defp?\s", RegexOptions.Multiline)]
        private static partial Regex NextDefinition();

        public static MixProject Read(string text)
        {
            var app = AppLine().Match(text) is { Success: true } a ? a.Groups["app"].Value : null;
            string? version = null;
            if (VersionLine().Match(text) is { Success: true } v)
            {
                version = v.Groups["v"].Success ? v.Groups["v"].Value
                    : Regex.Match(text, $@"^[ \t]*@{Regex.Escape(v.Groups["attr"].Value)}\s+""(?<v>[^""]+)""", RegexOptions.Multiline, TimeSpan.FromSeconds(1)) is { Success: true } attr ? attr.Groups["v"].Value
                    : null;
            }
            var deps = new List<MixDep>();
            if (DepsFunction().Match(text) is { Success: true } f)
            {
                var body = text[(f.Index + f.Length)..];
                // the deps function ends where the next function starts (its own 'end' is at its indentation, which
                // this reader does not track: the next def is a safe bound)
                if (NextDefinition().Match(body) is { Success: true } next) body = body[..next.Index];
                foreach (Match m in DepTuple().Matches(body))
                {
                    var rest = m.Groups["rest"].Value;
                    var scope = Scope.Required;
                    if (Only().Match(rest) is { Success: true } only && !only.Groups["only"].Value.Contains(":prod", StringComparison.Ordinal))
                        scope = Scope.Dev;
                    else if (OptionalTrue().IsMatch(rest))
                        scope = Scope.Optional;
                    deps.Add(new MixDep(m.Groups["app"].Value, scope));
                }
            }
            return new MixProject(app, version, deps);
        }
    }
}
