// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// Reads installed gems from RubyGems' `specifications/*.gemspec` files, the Ruby code `gem install` writes for
/// each installed gem. Only the literal assignments RubyGems writes are read; nothing is evaluated.
public sealed partial class GemspecCataloger : ICataloger
{
    public string Name => "gemspec";

    public bool Wants(FilePath path)
    {
        if (path.Extension != ".gemspec") return false;
        var dir = path.Directory;
        // default gems (shipped with Ruby) have theirs in specifications/default
        if (dir.EndsWith("/default", StringComparison.Ordinal)) dir = dir[..^"/default".Length];
        return dir == "specifications" || dir.EndsWith("/specifications", StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var spec = Gemspec.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false));
        var p = spec.ToPackage(input.Location);

        // gemspecs name their dependencies without versions: an edge goes to the installed gem of that name
        // beside this one, when exactly one is installed
        var siblings = Siblings(input.Tree, input.Path.Directory);
        var edges = new List<Purl>();
        foreach (var dep in spec.RuntimeDependencies.Distinct(StringComparer.Ordinal))
        {
            var matches = new List<Purl>();
            foreach (var file in siblings)
            {
                if (!file.StartsWith(dep + "-", StringComparison.Ordinal) || file.Length <= dep.Length + 1 || !char.IsAsciiDigit(file[dep.Length + 1]))
                    continue;
                var other = new FilePath(input.Path.Directory.Length == 0 ? file : $"{input.Path.Directory}/{file}");
                if (other == input.Path) continue;
                var text = await input.TryReadTextAsync(other, ct).ConfigureAwait(false);
                if (text is null || !Gemspec.TryParse(text, out var otherSpec) || otherSpec.Name != dep) continue;
                matches.Add(otherSpec.ToPackage(null).Purl);
            }
            if (matches.Count == 1) edges.Add(matches[0]);
        }
        return [p with { DependsOn = [.. edges] }];
    }

    // One listing of the tree's gemspec directories per tree, shared by every gemspec read from it.
    private static readonly ConditionalWeakTable<IFileTree, Lazy<ILookup<string, string>>> Listings = [];

    private IReadOnlyList<string> Siblings(IFileTree tree, string directory)
    {
        var lazy = Listings.GetValue(tree, t => new Lazy<ILookup<string, string>>(
            () => t.Files().Where(f => Wants(f.Path)).ToLookup(f => f.Path.Directory, f => f.Path.FileName, StringComparer.Ordinal),
            LazyThreadSafetyMode.ExecutionAndPublication));
        return [.. lazy.Value[directory]];
    }
}

/// What a gemspec states about one gem.
internal sealed partial record Gemspec(string Name, string Version, string? Platform, ImmutableArray<string> Licenses,
    string? Homepage, string? Summary, string? Authors, ImmutableArray<string> RuntimeDependencies)
{
    // a Ruby string literal as RubyGems writes it: "x", 'x', %q<x>, %q{x}, each maybe followed by .freeze
    private const string Str = @"(?:""(?<s>(?:[^""\\]|\\.)*)""|'(?<s>(?:[^'\\]|\\.)*)'|%q<(?<s>[^>]*)>|%q\{(?<s>[^}]*)\}|%q\((?<s>[^)]*)\))(?:\.freeze)?";

    [GeneratedRegex(@"^[ \t]*\w+\.(?<key>name|version|platform|homepage|summary|license)\s*=\s*(?:Gem::Version\.new\(\s*" + Str + @"\s*\)|Gem::Platform\.new\(\s*" + Str + @"\s*\)|" + Str + ")", RegexOptions.Multiline)]
    private static partial Regex Scalar();

    [GeneratedRegex(@"^[ \t]*\w+\.(?<key>licenses|authors)\s*=\s*\[(?<list>[^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex List();

    [GeneratedRegex(@"^[ \t]*\w+\.add_(?<kind>runtime_dependency|dependency|development_dependency)\s*\(?\s*" + Str, RegexOptions.Multiline)]
    private static partial Regex Dependency();

    [GeneratedRegex(Str)]
    private static partial Regex Literal();

    public static Gemspec Parse(string text) =>
        TryParse(text, out var spec) ? spec
        : throw new InputException("line 1: no literal 's.name = \"…\"' and 's.version = \"…\"' found; this does not look like an installed gemspec. Reinstall the gem to rewrite it.");

    public static bool TryParse(string text, out Gemspec spec)
    {
        spec = null!;
        var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Scalar().Matches(text))
            scalars.TryAdd(m.Groups["key"].Value, m.Groups["s"].Value);
        if (!scalars.TryGetValue("name", out var name) || name.Length == 0) return false;
        if (!scalars.TryGetValue("version", out var version) || version.Length == 0) return false;

        var lists = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (Match m in List().Matches(text))
            lists.TryAdd(m.Groups["key"].Value, [.. Literal().Matches(m.Groups["list"].Value).Select(x => x.Groups["s"].Value)]);
        var licenses = lists.TryGetValue("licenses", out var ls) ? ls
            : scalars.TryGetValue("license", out var l) ? [l] : [];

        var deps = Dependency().Matches(text)
            .Where(m => m.Groups["kind"].Value != "development_dependency")
            .Select(m => m.Groups["s"].Value)
            .ToImmutableArray();
        var platform = scalars.GetValueOrDefault("platform");
        if (platform is "ruby" or "") platform = null;
        spec = new Gemspec(name, version, platform, [.. licenses], scalars.GetValueOrDefault("homepage"),
            scalars.GetValueOrDefault("summary"), lists.TryGetValue("authors", out var a) ? string.Join(", ", a) : null, deps);
        return true;
    }

    public Package ToPackage(FileLocation? location)
    {
        var qualifiers = Platform is null ? null : new[] { new KeyValuePair<string, string>("platform", Platform) };
        var p = Package.Create(Ecosystem.RubyGems, Name, Version, location, qualifiers) with
        {
            Licenses = Licenses,
            Description = Summary,
            Author = Authors,
            ExternalReferences = Homepage is null ? [] : [new ExternalReference("website", Homepage)],
        };
        return p.WithProperty("gem:platform", Platform);
    }
}
