// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

/// The .NET catalogers together, as `bulwark sbom` runs them: what each file says must merge into one graph.
public class DotNetCatalogersTests
{
    private static readonly string[] DotNetNames =
        ["dotnet-deps-json", "nuget-nupkg", "nuget-nuspec", "nuget-packages-config", "nuget-packages-lock", "nuget-project", "nuget-project-assets"];

    [Fact]
    public void Registers_every_dotnet_cataloger_once()
    {
        var names = Catalogers.BuiltIn.Select(c => c.Name).ToList();
        Assert.All(DotNetNames, n => Assert.Single(names, n));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Merges_a_project_file_with_its_lock_into_one_package_per_dependency()
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(Path.Combine(TestDirectory, "lock-v2")), DotNetCatalogers);

        Assert.Empty(result.Unreadable);
        // the same ten packages as the lock alone: "serilog" "3.*" in App.csproj is the lock's Serilog 3.1.1
        Assert.Equal(10, result.Packages.Count);
        var serilog = result.Single("pkg:nuget/Serilog@3.1.1");
        Assert.Equal(["App/App.csproj:8", "App/packages.lock.json"], serilog.Locations());
        Assert.Equal("3.*", serilog.Properties["nuget:version-range"]);
        Assert.Equal("App/packages.lock.json", serilog.Properties["nuget:resolved-by"]);
        Assert.Equal(["nuget-packages-lock", "nuget-project"], serilog.FoundBy.ToArray());

        var root = Assert.Single(result.Packages, p => p.IsRoot && p.Name == "App");
        Assert.Equal("pkg:nuget/App@3.2.1", root.Purl.ToString());
        Assert.Equal(
            ["pkg:nuget/Acme.Tooling@2.0.0", "pkg:nuget/Serilog@3.1.1", "pkg:nuget/Shared@1.0.0", "pkg:nuget/StyleCop.Analyzers@1.1.118"],
            root.Edges());
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/StyleCop.Analyzers@1.1.118").Scope);
    }

    [Fact]
    public async Task Merges_the_bitwarden_project_and_lock_under_one_root()
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(CatalogerRun.Corpus("nuget-lock/bitwarden__server")), DotNetCatalogers);

        Assert.Empty(result.Unreadable);
        var apiRoots = result.Packages.Where(p => p.Name == "Api").ToList();
        Assert.Equal("pkg:nuget/Api@2026.8.0", Assert.Single(apiRoots).Purl.ToString());
        Assert.Equal(["src/Api/Api.csproj", "src/Api/packages.lock.json"], apiRoots[0].Locations());
        // exactly the lock's 167 entries and its root: every reference in Api.csproj is one of them
        Assert.Equal(168, result.Packages.Count);
        // OrganizationAuthorization's project file is not in the corpus; the version restore recorded wins over our guess
        Assert.Equal(["pkg:nuget/OrganizationAuthorization@0.0.1"],
            result.Packages.Where(p => p.Name == "OrganizationAuthorization").Select(p => p.Purl.ToString()).ToArray());
    }

    // the registered .NET catalogers only, so other ecosystems' catalogers cannot change these counts
    private static List<ICataloger> DotNetCatalogers =>
        [.. Catalogers.BuiltIn.Where(c => DotNetNames.Contains(c.Name, StringComparer.Ordinal))];

    private static string TestDirectory => Path.Combine(Bulwark.Testing.TestPaths.Project("Bulwark.Cataloging.Tests"), Testdata);
}
