// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Formats;
using static Bulwark.Cataloging.Formats.TextScan;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Elixir;

/// Reads Hex and git dependencies from Mix's mix.lock, with edges from each Hex entry's dependency list; the sibling
/// mix.exs, when present, gives the root (app and version) and scopes (`only:` without :prod is Dev,
/// `optional: true` is Optional).
public sealed class MixLockCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "mix-lock";

    /// Reads mix.exs beside the lockfile.
    public bool MayRead(FilePath path) => path.FileName == "mix.exs";

    public bool Wants(FilePath path) => path.FileName == "mix.lock";

    private sealed record Entry(string App, Package Package, List<(string App, bool Optional)> Deps);

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
            DependsOn = [.. Targets(e.Deps, byApp)],
        }).ToList();

        var project = await input.TryReadNeighbourAsync(input.Path.Sibling("mix.exs"), MixProject.Read, ct).ConfigureAwait(false);
        if (project is null) return OnePerPurl(packages);

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

    // the distinct purls of the locked apps among the edges, in order (a loop: LINQ over the tuples is JIT-compiled)
    private static List<Purl> Targets(List<(string App, bool Optional)> deps, Dictionary<string, Purl> byApp)
    {
        var seen = new HashSet<Purl>();
        var targets = new List<Purl>();
        foreach (var (app, _) in deps)
            if (byApp.TryGetValue(app, out var purl) && seen.Add(purl)) targets.Add(purl);
        return targets;
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
        // loops, not LINQ, over the (app, optional) tuples: LINQ instantiations over value tuples are JIT-compiled at start
        var edges = new Dictionary<Purl, List<(string App, bool Optional)>>();
        foreach (var e in entries)
        {
            if (!edges.TryGetValue(e.Package.Purl, out var list)) edges[e.Package.Purl] = list = [];
            foreach (var d in e.Deps) list.Add(d);
        }
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
                if (!edges.TryGetValue(purl, out var outgoing)) continue;
                foreach (var (app, optional) in outgoing)
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
    internal sealed record MixProject(string? App, string? Version, IReadOnlyList<MixDep> Deps)
    {
        // Read by hand, not with regular expressions (the first generated regex used in a run initialises every regex
        // of the assembly: 2 ms of a 40 ms run). What is matched, as patterns (multiline: ^ is a line start):
        //   app:      ^[ \t]*app:\s*:(\w+)
        //   version:  ^[ \t]*version:\s*("([^"]+)"|@(\w+)), an attribute then ^[ \t]*@NAME\s+"([^"]+)"
        //   deps:     the text after the line ^[ \t]*defp?\s+deps\b, up to the next line ^[ \t]*defp?\s
        //   a dep:    ^[ \t]*\{:(\w+)\s*,(rest to the line's last '}')\}
        //   its scope: \bonly:\s*(\[[^\]]*\]|:\w+) without ":prod" is Dev, else \boptional:\s*true\b is Optional
        public static MixProject Read(string text)
        {
            string? app = null, version = null;
            foreach (var line in LineStarts(text, 0, text.Length))
            {
                var i = SkipBlanks(text, line);
                if (app is null && At(text, i, "app:") && WordAfterColon(text, i + 4) is { } a) app = a;
                if (version is null && At(text, i, "version:"))
                {
                    var j = SkipSpace(text, i + 8);
                    if (j < text.Length && text[j] == '"' && Quoted(text, j) is { } literal) version = literal;
                    else if (j < text.Length && text[j] == '@' && Word(text, j + 1) is { Length: > 0 } attr) version = Attribute(text, attr) ?? "";
                }
            }
            var deps = new List<MixDep>();
            if (DepsBody(text) is var (from, to) && from >= 0)
            {
                var at = from;
                while (at < to)
                {
                    var next = NextDep(text, at, to, out var dep);
                    if (dep is not null) deps.Add(dep);
                    at = next;
                }
            }
            return new MixProject(app, string.IsNullOrEmpty(version) ? null : version, deps);
        }

        // the positions in [from, to) where a line starts: 0, and after every '\n'
        private static IEnumerable<int> LineStarts(string text, int from, int to)
        {
            if (from == 0 && to > 0) yield return 0;
            for (var i = text.IndexOf('\n', from); i >= 0 && i + 1 < to; i = text.IndexOf('\n', i + 1))
                yield return i + 1;
        }

        private static int SkipBlanks(string text, int i)
        {
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            return i;
        }

        private static string Word(string text, int i)
        {
            var end = i;
            while (end < text.Length && WordCharacters.IsWordChar(text[end])) end++;
            return text[i..end];
        }

        // \s*:(\w+) at i
        private static string? WordAfterColon(string text, int i)
        {
            i = SkipSpace(text, i);
            return i < text.Length && text[i] == ':' && Word(text, i + 1) is { Length: > 0 } w ? w : null;
        }

        // "([^"]+)" at i, the quote at i
        private static string? Quoted(string text, int i)
        {
            var close = text.IndexOf('"', i + 1);
            return close > i + 1 ? text[(i + 1)..close] : null;
        }

        // the first line ^[ \t]*@NAME\s+"([^"]+)"
        private static string? Attribute(string text, string name)
        {
            foreach (var line in LineStarts(text, 0, text.Length))
            {
                var i = SkipBlanks(text, line);
                if (i >= text.Length || text[i] != '@' || !At(text, i + 1, name)) continue;
                var j = i + 1 + name.Length;
                var k = SkipSpace(text, j);
                if (k > j && k < text.Length && text[k] == '"' && Quoted(text, k) is { } v) return v;
            }
            return null;
        }

        // ^[ \t]*defp?\s at i (a line start)
        private static bool IsDefinition(string text, int line, out int after)
        {
            var i = SkipBlanks(text, line);
            after = i;
            if (!At(text, i, "def")) return false;
            i += 3;
            if (i < text.Length && text[i] == 'p') i++;
            if (i >= text.Length || !char.IsWhiteSpace(text[i])) return false;
            after = i;
            return true;
        }

        // the deps function's body: from the end of its `def deps` line to the next definition's line
        private static (int From, int To) DepsBody(string text)
        {
            foreach (var line in LineStarts(text, 0, text.Length))
            {
                if (!IsDefinition(text, line, out var i)) continue;
                i = SkipSpace(text, i);
                if (!At(text, i, "deps") || (i + 4 < text.Length && WordCharacters.IsBoundaryWordChar(text[i + 4]))) continue;
                var from = text.IndexOf('\n', i + 4);
                if (from < 0) from = text.Length;
                var to = text.Length;
                foreach (var next in LineStarts(text, from, text.Length))
                    if (next > from && IsDefinition(text, next, out _)) { to = next; break; }
                return (from, to);
            }
            return (-1, -1);
        }

        // the next dep tuple at or after at, before to; returns where to look next
        private static int NextDep(string text, int at, int to, out MixDep? dep)
        {
            dep = null;
            foreach (var line in LineStarts(text, at, to))
            {
                if (line < at || line >= to) continue;
                var i = SkipBlanks(text, line);
                if (i + 1 >= to || text[i] != '{' || text[i + 1] != ':') continue;
                var app = Word(text, i + 2);
                if (app.Length == 0 || i + 2 + app.Length > to) continue;
                var j = i + 2 + app.Length;
                while (j < to && char.IsWhiteSpace(text[j])) j++;
                if (j >= to || text[j] != ',') continue;
                var lineEnd = text.IndexOf('\n', j);
                if (lineEnd < 0 || lineEnd > to) lineEnd = to;
                var close = text.LastIndexOf('}', lineEnd - 1, lineEnd - j);
                if (close <= j) continue;
                var rest = text[(j + 1)..close];
                dep = new MixDep(app, ScopeOf(rest));
                return close + 1;
            }
            return to;
        }

        private static Scope ScopeOf(string rest)
        {
            if (Only(rest) is { } only && !only.Contains(":prod", StringComparison.Ordinal)) return Scope.Dev;
            return HasOptionalTrue(rest) ? Scope.Optional : Scope.Required;
        }

        private static bool WordStart(string s, int i) => i == 0 || !WordCharacters.IsBoundaryWordChar(s[i - 1]);

        // \bonly:\s*(\[[^\]]*\]|:\w+), the first place it matches
        private static string? Only(string s)
        {
            for (var i = s.IndexOf("only:", StringComparison.Ordinal); i >= 0; i = s.IndexOf("only:", i + 1, StringComparison.Ordinal))
            {
                if (!WordStart(s, i)) continue;
                var j = SkipSpace(s, i + 5);
                if (j >= s.Length) continue;
                if (s[j] == '[')
                {
                    var close = s.IndexOf(']', j + 1);
                    if (close >= 0) return s[j..(close + 1)];
                }
                else if (s[j] == ':' && Word(s, j + 1) is { Length: > 0 } w)
                {
                    return ":" + w;
                }
            }
            return null;
        }

        // \boptional:\s*true\b
        private static bool HasOptionalTrue(string s)
        {
            for (var i = s.IndexOf("optional:", StringComparison.Ordinal); i >= 0; i = s.IndexOf("optional:", i + 1, StringComparison.Ordinal))
            {
                if (!WordStart(s, i)) continue;
                var j = SkipSpace(s, i + 9);
                if (At(s, j, "true") && (j + 4 == s.Length || !WordCharacters.IsBoundaryWordChar(s[j + 4]))) return true;
            }
            return false;
        }
    }
}
