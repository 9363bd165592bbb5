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
            // the filtered tree is not a directory on disk, as in an image: what catalogers learn from a disk
            // listing they must learn from the tree's own list of paths, and its streams cannot seek
            var kept = new FilteredFileTree(new DirectoryFileTree(root), p => cataloger.Wants(p) || neighbours?.MayRead(p) == true, forwardOnly: true);
            var expected = Describe(await Catalog.RunAsync(new DirectoryFileTree(root), [cataloger]));
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

    [Fact]
    public async Task Names_a_lock_files_root_after_the_one_project_beside_it_in_a_tree_that_is_not_on_disk()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-neighbours-").FullName;
        try
        {
            var app = Path.Combine(dir, "src", "Tool");
            Directory.CreateDirectory(app);
            File.Copy(Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/DotNet/testdata/lock-v2/App/packages.lock.json"), Path.Combine(app, "packages.lock.json"));
            await File.WriteAllTextAsync(Path.Combine(app, "Acme.Tool.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Version>2.1.0</Version></PropertyGroup></Project>");
            var cataloger = Catalogers.BuiltIn.Single(c => c.Name == "nuget-packages-lock");
            var image = new FilteredFileTree(new DirectoryFileTree(dir), p => cataloger.Wants(p) || ((IReadsNeighbours)cataloger).MayRead(p));

            var result = await Catalog.RunAsync(image, [cataloger]);

            Assert.Empty(result.Unreadable);
            Assert.True(result.Single("pkg:nuget/Acme.Tool@2.1.0").IsRoot);
            Assert.DoesNotContain(result.Packages, p => p.Name == "Tool");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("lib/app-1.0.jar")]
    [InlineData("packages/acme.widgets.1.2.0.nupkg")]
    public async Task Reads_an_archive_through_a_stream_that_cannot_seek_as_from_disk(string name)
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-neighbours-").FullName;
        try
        {
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, HostileInputTests.Generated(new FilePath(name)));

            var expected = Describe(await Catalog.RunAsync(new DirectoryFileTree(dir), Catalogers.BuiltIn));
            var actual = Describe(await Catalog.RunAsync(new FilteredFileTree(new DirectoryFileTree(dir), _ => true, forwardOnly: true), Catalogers.BuiltIn));

            Assert.Contains(expected, l => l.StartsWith("pkg:", StringComparison.Ordinal));
            Assert.DoesNotContain(expected, l => l.StartsWith("unreadable", StringComparison.Ordinal));
            Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
