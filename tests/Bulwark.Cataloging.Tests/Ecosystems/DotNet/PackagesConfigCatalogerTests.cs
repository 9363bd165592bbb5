// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class PackagesConfigCatalogerTests
{
    private static readonly PackagesConfigCataloger Cataloger = new();

    [Theory]
    [InlineData("LegacyApp/packages.config", true)]
    [InlineData("Packages.Config", true)]
    [InlineData("packages.LegacyApp.config", true)]
    [InlineData("web.config", false)]
    [InlineData("packages..config", false)]
    public void Wants_packages_config_files(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_packages_with_lines_development_dependencies_and_the_project_root()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/packages-config");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:nuget/EntityFramework@6.4.4", "pkg:nuget/LegacyApp", "pkg:nuget/Microsoft.CodeAnalysis.NetAnalyzers@7.0.4",
            "pkg:nuget/Newtonsoft.Json@12.0.3", "pkg:nuget/log4net@2.0.15",
        ], result.Purls());
        var analyzers = result.Single("pkg:nuget/Microsoft.CodeAnalysis.NetAnalyzers@7.0.4");
        Assert.Equal(Scope.Dev, analyzers.Scope);
        Assert.Equal(["LegacyApp/packages.config:5"], analyzers.Locations());
        Assert.Equal("net472", analyzers.Properties["nuget:target-framework"]);
        // "2.0.15.0" is written the way NuGet normalises it
        Assert.Equal("2.0.15", result.Single("pkg:nuget/log4net@2.0.15").Version);
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/EntityFramework@6.4.4").Scope);

        // a non-SDK project has no default version; the flat list gives no edges, so the root has them all
        var root = result.Single("pkg:nuget/LegacyApp");
        Assert.True(root.IsRoot);
        Assert.Equal(4, root.DependsOn.Length);
    }
}
