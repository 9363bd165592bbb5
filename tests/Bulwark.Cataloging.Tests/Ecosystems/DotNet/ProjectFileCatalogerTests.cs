// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class ProjectFileCatalogerTests
{
    private static readonly ProjectFileCataloger Cataloger = new();

    [Theory]
    [InlineData("src/App/App.csproj", true)]
    [InlineData("Lib.fsproj", true)]
    [InlineData("Legacy.vbproj", true)]
    [InlineData("App.CSPROJ", true)]
    [InlineData("Directory.Packages.props", false)]
    [InlineData("App.csproj.user", false)]
    [InlineData("App.sln", false)]
    public void Wants_project_files_by_extension(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_central_versions_from_directory_packages_props_for_the_component_detection_projects()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, CatalogerRun.Corpus("nuget-cpm/microsoft__component-detection"));

        Assert.Empty(result.Unreadable);
        // 25 packages (16 + 11, two shared), the 2 scanned projects and 3 more they reference (Common, Contracts, Orchestrator)
        Assert.Equal(30, result.Packages.Count);
        var detectors = result.Single("pkg:nuget/Microsoft.ComponentDetection.Detectors@1.0.0");
        Assert.True(detectors.IsRoot);
        Assert.Equal(17, detectors.DependsOn.Length);
        Assert.Contains("pkg:nuget/yamldotnet@16.3.0", detectors.Edges());   // casing as written in the reference
        Assert.Contains("pkg:nuget/Microsoft.ComponentDetection.Common@1.0.0", detectors.Edges());
        var newtonsoft = result.Single("pkg:nuget/Newtonsoft.Json@13.0.4");
        Assert.Equal("true", newtonsoft.Properties["nuget:central-version"]);
        Assert.Equal(["src/Microsoft.ComponentDetection.Detectors/Microsoft.ComponentDetection.Detectors.csproj:23"], newtonsoft.Locations());
        // referenced from both projects: one package, two locations
        Assert.Equal(2, result.Single("pkg:nuget/Microsoft.Extensions.Logging@8.0.1").Locations.Length);
        // a PrivateAssets="All" project reference is still a local project, not dev tooling
        var orchestrator = result.Single("pkg:nuget/Microsoft.ComponentDetection.Orchestrator@1.0.0");
        Assert.Equal(Scope.Required, orchestrator.Scope);
        Assert.Equal("src/Microsoft.ComponentDetection.Orchestrator/Microsoft.ComponentDetection.Orchestrator.csproj", orchestrator.Properties["nuget:project-path"]);
    }

    [Fact]
    public async Task Evaluates_the_bitwarden_api_project_with_versions_from_directory_build_props()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, CatalogerRun.Corpus("nuget-lock/bitwarden__server"));

        Assert.Equal(
        [
            "pkg:nuget/Api@2026.8.0", "pkg:nuget/AspNetCore.HealthChecks.SqlServer@8.0.2", "pkg:nuget/AspNetCore.HealthChecks.Uris@8.0.1",
            "pkg:nuget/Azure.Messaging.EventGrid@5.0.0", "pkg:nuget/Commercial.Core@2026.8.0",
            "pkg:nuget/Commercial.Infrastructure.EntityFramework@2026.8.0", "pkg:nuget/Core@2026.8.0", "pkg:nuget/HttpExtensions@2026.8.0",
            "pkg:nuget/OrganizationAuthorization@0.0.1", "pkg:nuget/Pam@2026.8.0", "pkg:nuget/SharedWeb@2026.8.0",
            "pkg:nuget/Swashbuckle.AspNetCore@10.1.7",
        ], result.Purls());
        // the lock beside the project records OrganizationAuthorization's version ("[0.0.1, )"); the others are
        // evaluated from the Directory.Build.props their directories inherit
        // "[8.0.2]" pins exactly one version; the reference is on line 41
        Assert.Equal(["src/Api/Api.csproj:41"], result.Single("pkg:nuget/AspNetCore.HealthChecks.SqlServer@8.0.2").Locations());
    }

    [Fact]
    public async Task Applies_version_override_update_remove_properties_and_conditions_under_central_management()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/cpm");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:nuget/Acme.Client@5.0.1", "pkg:nuget/Acme.Generated", "pkg:nuget/Acme.Lib@2.1.0-preview.1", "pkg:nuget/App@1.4.0",
            "pkg:nuget/Dapper", "pkg:nuget/Humanizer", "pkg:nuget/Microsoft.SourceLink.GitHub@8.0.0", "pkg:nuget/Newtonsoft.Json@13.0.3",
            "pkg:nuget/Polly@8.4.0", "pkg:nuget/Secret.Internal", "pkg:nuget/Serilog@3.1.1", "pkg:nuget/StyleCop.Analyzers@1.2.0-beta.556",
            "pkg:nuget/System.ValueTuple@4.5.0",
        ], result.Purls());

        var app = result.Single("pkg:nuget/App@1.4.0");
        Assert.True(app.IsRoot);
        Assert.Equal(12, app.DependsOn.Length);
        // Acme.Legacy's condition is false ($(EnableLegacyClient) is 'false'); Removed.Package is removed
        Assert.DoesNotContain(app.Edges(), e => e.Contains("Acme.Legacy", StringComparison.Ordinal) || e.Contains("Removed", StringComparison.Ordinal));
        // the net48-only reference is kept: its condition reads a property only the build sets
        Assert.Contains("pkg:nuget/System.ValueTuple@4.5.0", app.Edges());
        // a property from Directory.Build.props used in Directory.Packages.props
        Assert.Equal(new FileLocation("src/App/App.csproj", 7), result.Single("pkg:nuget/Acme.Client@5.0.1").Locations.Single());
        // VersionOverride as an attribute ("[13.0.3]") and through an Update item
        Assert.False(result.Single("pkg:nuget/Newtonsoft.Json@13.0.3").Properties.ContainsKey("nuget:central-version"));
        Assert.Equal(new FileLocation("src/App/App.csproj", 10), result.Single("pkg:nuget/Polly@8.4.0").Locations.Single());
    }

    [Fact]
    public async Task Keeps_floating_versions_and_ranges_as_properties_with_no_version()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/cpm");

        var humanizer = result.Single("pkg:nuget/Humanizer");
        Assert.Equal("", humanizer.Version);
        Assert.Equal("2.*", humanizer.Properties["nuget:version-range"]);
        Assert.Equal("[2.0,3.0)", result.Single("pkg:nuget/Dapper").Properties["nuget:version-range"]);
    }

    [Fact]
    public async Task Marks_versions_from_unevaluated_properties_as_unresolved()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/cpm");

        Assert.Equal("$(InternalFeedVersion)", result.Single("pkg:nuget/Secret.Internal").Properties["nuget:unresolved-version"]);
        Assert.Equal("$([System.DateTime]::Now.ToString('yyyy.M.d'))", result.Single("pkg:nuget/Acme.Generated").Properties["nuget:unresolved-version"]);
        Assert.Equal("", result.Single("pkg:nuget/Acme.Generated").Version);
    }

    [Fact]
    public async Task Reads_global_package_references_and_private_assets_from_props_files_as_dev()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/cpm");

        var stylecop = result.Single("pkg:nuget/StyleCop.Analyzers@1.2.0-beta.556");
        Assert.Equal(Scope.Dev, stylecop.Scope);
        Assert.Equal("true", stylecop.Properties["nuget:global-package-reference"]);
        Assert.Equal(new FileLocation("Directory.Packages.props", 19), stylecop.Locations.Single());
        var sourceLink = result.Single("pkg:nuget/Microsoft.SourceLink.GitHub@8.0.0");
        Assert.Equal(Scope.Dev, sourceLink.Scope);
        Assert.Equal(new FileLocation("Directory.Build.props", 10), sourceLink.Locations.Single());
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/Serilog@3.1.1").Scope);
    }

    [Fact]
    public async Task Names_a_referenced_project_by_its_package_id_and_version()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/cpm");

        var lib = result.Single("pkg:nuget/Acme.Lib@2.1.0-preview.1");
        Assert.True(lib.IsRoot);
        Assert.Equal(PackageKind.Application, lib.Kind);
        Assert.Equal("path", lib.Properties["bulwark:source"]);
        Assert.Equal(["src/App/App.csproj:24", "src/Lib/Lib.csproj"], lib.Locations());
        Assert.Equal(
            ["pkg:nuget/Microsoft.SourceLink.GitHub@8.0.0", "pkg:nuget/Serilog@3.1.1", "pkg:nuget/StyleCop.Analyzers@1.2.0-beta.556"],
            lib.Edges());
    }

    [Fact]
    public async Task Reads_versions_as_attributes_child_elements_and_properties_without_central_management()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/plain");

        Assert.Equal(
        [
            "pkg:nuget/Dapper@2.1.0", "pkg:nuget/Microsoft.EntityFrameworkCore@8.0.4", "pkg:nuget/Plain.Service@0.9.0-rc.1",
            "pkg:nuget/Serilog@3.1.1", "pkg:nuget/Swashbuckle.AspNetCore@6.5.0", "pkg:nuget/coverlet.collector@6.0.0",
        ], result.Purls());
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/coverlet.collector@6.0.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/Swashbuckle.AspNetCore@6.5.0").Scope);
        Assert.Equal(5, result.Single("pkg:nuget/Plain.Service@0.9.0-rc.1").DependsOn.Length);
    }

    [Fact]
    public async Task Follows_imports_that_chain_props_files_up_the_tree()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "eng"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "src", "Api"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "src", "Worker"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Directory.Build.props"),
                "<Project><Import Project=\"eng\\Versions.props\" /><PropertyGroup><Version>4.0.0</Version></PropertyGroup></Project>");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "eng", "Versions.props"),
                "<Project><PropertyGroup><PollyVersion>8.4.0</PollyVersion><DapperVersion>2.1.35</DapperVersion></PropertyGroup></Project>");
            // the two chaining idioms, one per directory; each overrides one property of the parent
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "src", "Api", "Directory.Build.props"),
                "<Project><Import Project=\"$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))\" />"
                + "<PropertyGroup><PollyVersion>8.5.0</PollyVersion></PropertyGroup></Project>");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "src", "Worker", "Directory.Build.props"),
                "<Project><Import Project=\"$([MSBuild]::GetDirectoryNameOfFileAbove($(MSBuildThisFileDirectory).., Directory.Build.props))\\Directory.Build.props\" />"
                + "<PropertyGroup><DapperVersion>2.1.66</DapperVersion></PropertyGroup></Project>");
            const string Project = "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Polly\" Version=\"$(PollyVersion)\" />"
                + "<PackageReference Include=\"Dapper\" Version=\"$(DapperVersion)\" /></ItemGroup></Project>";
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "src", "Api", "Api.csproj"), Project);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "src", "Worker", "Worker.csproj"), Project);

            var result = await Catalog.RunAsync(new DirectoryFileTree(dir.FullName), [Cataloger]);

            Assert.Empty(result.Unreadable);
            Assert.Equal(["pkg:nuget/Dapper@2.1.35", "pkg:nuget/Polly@8.5.0"], result.Single("pkg:nuget/Api@4.0.0").Edges());
            Assert.Equal(["pkg:nuget/Dapper@2.1.66", "pkg:nuget/Polly@8.4.0"], result.Single("pkg:nuget/Worker@4.0.0").Edges());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Survives_deeply_nested_choose_elements_and_conditions()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            var nested = string.Concat(Enumerable.Repeat("<Choose><When Condition=\"true\">", 100)) + string.Concat(Enumerable.Repeat("</When></Choose>", 100));
            var condition = new string('(', 100_000) + "'a' == 'a'" + new string(')', 100_000);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Deep.csproj"),
                $"<Project Sdk=\"Microsoft.NET.Sdk\">{nested}<ItemGroup Condition=\"{condition}\"><PackageReference Include=\"Polly\" Version=\"8.4.0\" /></ItemGroup></Project>");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Doubling.csproj"),
                "<Project><PropertyGroup><A>aaaaaaaa</A>" + string.Concat(Enumerable.Repeat("<A>$(A)$(A)</A>", 64))
                + "</PropertyGroup><ItemGroup><PackageReference Include=\"Polly\" Version=\"$(A)\" /></ItemGroup></Project>");

            var result = await Catalog.RunAsync(new DirectoryFileTree(dir.FullName), [Cataloger]);

            var unreadable = Assert.Single(result.Unreadable);
            Assert.Equal("Deep.csproj", unreadable.Location.Path);
            Assert.Contains("nest more than 32 deep", unreadable.Reason, StringComparison.Ordinal);
            // the doubling property is given up on (unresolved), not grown to 2^64 characters
            var polly = result.Single("pkg:nuget/Polly");
            Assert.Equal("$(A)", polly.Properties["nuget:unresolved-version"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
