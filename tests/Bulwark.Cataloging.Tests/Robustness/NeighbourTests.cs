// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Robustness;

/// Images keep only the files some cataloger wants or may read (<see cref="IReadsNeighbours"/>): every cataloger
/// must find the same through a tree that opens nothing else.
public sealed class NeighbourTests
{
    public static TheoryData<string> CatalogerNames() => [.. Catalogers.BuiltIn.Select(c => c.Name)];

    public static IEnumerable<string> Roots =>
    [
        Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems"),
        TestPaths.Lockfiles,
    ];

    [Theory]
    [MemberData(nameof(CatalogerNames))]
    public async Task Finds_the_same_through_a_tree_that_opens_only_wanted_files_and_neighbours(string name)
    {
        var cataloger = Catalogers.BuiltIn.Single(c => c.Name == name);
        var neighbours = cataloger as IReadsNeighbours;
        var packages = 0;
        foreach (var root in Roots)
        {
            // both runs go through a wrapper, so both see a tree that is not a directory on disk, as in an image
            var all = new FilteredFileTree(new DirectoryFileTree(root), _ => true);
            var kept = new FilteredFileTree(new DirectoryFileTree(root), p => cataloger.Wants(p) || neighbours?.MayRead(p) == true);
            var expected = Describe(await Catalog.RunAsync(all, [cataloger]));
            var actual = Describe(await Catalog.RunAsync(kept, [cataloger]));
            Assert.Empty(kept.Refused.Order(StringComparer.Ordinal));
            Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
            packages += expected.Count(l => l.StartsWith("pkg:", StringComparison.Ordinal));
        }
        // the executable and archive catalogers build their inputs in the tests; they read no neighbours
        if (neighbours is not null) Assert.True(packages > 0, $"{name} found no packages in the test data, so this test tests nothing");
    }

    [Fact]
    public void Neighbour_tests_are_path_only_and_name_the_usual_neighbours()
    {
        Assert.True(Reads("go-mod", "a/go.sum"));
        Assert.True(Reads("npm-package-lock", "app/package.json"));
        Assert.True(Reads("python-poetry-lock", "pyproject.toml"));
        Assert.True(Reads("python-requirements", "deps/base.in"));
        Assert.True(Reads("nuget-project", "src/Directory.Packages.props"));
        Assert.True(Reads("nuget-project", "src/App/obj/project.assets.json"));
        Assert.True(Reads("npm-installed", "node_modules/.package-lock.json"));
        Assert.False(Reads("npm-installed", "src/.package-lock.json"));
        Assert.False(Reads("go-mod", "a/go.work.sum.bak"));
        Assert.False(Reads("cargo-lock", "src/main.rs"));
    }

    private static bool Reads(string cataloger, string path) =>
        Catalogers.BuiltIn.Single(c => c.Name == cataloger) is IReadsNeighbours n && n.MayRead(new FilePath(path));

    private static List<string> Describe(CatalogResult result) =>
    [
        .. result.Packages.Select(Describe),
        .. result.Unreadable.Select(u => $"unreadable {u.Location} {u.Reason}"),
    ];

    private static string Describe(Package p) => string.Join(" | ",
        p.Purl.ToString(), p.Scope, p.IsRoot, p.Kind,
        string.Join(",", p.DependsOn.Select(d => d.ToString()).Order(StringComparer.Ordinal)),
        string.Join(",", p.Locations.Select(l => l.ToString()).Order(StringComparer.Ordinal)),
        string.Join(",", p.Licenses), string.Join(",", p.Properties.Select(kv => $"{kv.Key}={kv.Value}")));
}
