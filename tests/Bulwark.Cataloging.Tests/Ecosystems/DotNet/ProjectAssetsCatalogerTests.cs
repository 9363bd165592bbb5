// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class ProjectAssetsCatalogerTests
{
    private static readonly ProjectAssetsCataloger Cataloger = new();

    [Theory]
    [InlineData("src/Web/obj/project.assets.json", true)]
    [InlineData("project.assets.json", true)]
    [InlineData("obj/project.nuget.cache", false)]
    [InlineData("obj/Web.csproj.nuget.dgspec.json", false)]
    public void Wants_assets_files_by_name(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_packages_projects_hashes_and_the_restoring_project_as_root()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/assets-web");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:nuget/Acme.Analyzers.Rules@2.0.0", "pkg:nuget/Acme.Analyzers@2.0.0", "pkg:nuget/Acme.Client@1.5.0",
            "pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0", "pkg:nuget/Microsoft.NET.ILLink.Tasks@8.0.4",
            "pkg:nuget/Newtonsoft.Json@13.0.3", "pkg:nuget/System.Text.Json@8.0.0", "pkg:nuget/Web.Core@1.0.0", "pkg:nuget/Web@2.4.0",
            "pkg:nuget/runtime.linux-x64.Acme.Client.Native@1.5.0",
        ], result.Purls());

        var root = result.Single("pkg:nuget/Web@2.4.0");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(
        [
            "pkg:nuget/Acme.Analyzers@2.0.0", "pkg:nuget/Acme.Client@1.5.0", "pkg:nuget/Microsoft.NET.ILLink.Tasks@8.0.4",
            "pkg:nuget/Newtonsoft.Json@13.0.3", "pkg:nuget/Web.Core@1.0.0",
        ], root.Edges());
        Assert.Equal([Sha512(Sha512NewtonsoftJson1303)], result.Single("pkg:nuget/Newtonsoft.Json@13.0.3").Hashes());
        Assert.Equal(["project.assets.json"], result.Single("pkg:nuget/Newtonsoft.Json@13.0.3").Locations());
        Assert.Equal("newtonsoft.json/13.0.3", result.Single("pkg:nuget/Newtonsoft.Json@13.0.3").Properties["nuget:path"]);
    }

    [Fact]
    public async Task Marks_what_only_suppress_parent_all_references_bring_in_as_dev()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/assets-web");

        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/Acme.Analyzers@2.0.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/Acme.Analyzers.Rules@2.0.0").Scope);
        // the analyzer also uses System.Text.Json, but so does Acme.Client: it ships
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/System.Text.Json@8.0.0").Scope);
        var illink = result.Single("pkg:nuget/Microsoft.NET.ILLink.Tasks@8.0.4");
        Assert.Equal(Scope.Dev, illink.Scope);
        Assert.Equal("true", illink.Properties["nuget:auto-referenced"]);
        // reached through the project reference Web.Core
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0").Scope);
    }

    [Fact]
    public async Task Resolves_dependency_ranges_within_the_target_and_reads_runtime_specific_targets()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/assets-web");

        // "Newtonsoft.Json": "13.0.1" is a minimum; the target holds 13.0.3
        var core = result.Single("pkg:nuget/Web.Core@1.0.0");
        Assert.True(core.IsRoot);
        Assert.Equal("path", core.Properties["bulwark:source"]);
        Assert.Equal("../Web.Core/Web.Core.csproj", core.Properties["nuget:project-path"]);
        Assert.Equal(["pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0", "pkg:nuget/Newtonsoft.Json@13.0.3"], core.Edges());
        // net8.0/linux-x64 adds the native package; System.Text.Json resolves through net8.0
        Assert.Equal(["pkg:nuget/System.Text.Json@8.0.0", "pkg:nuget/runtime.linux-x64.Acme.Client.Native@1.5.0"],
            result.Single("pkg:nuget/Acme.Client@1.5.0").Edges());
        // "AQID" is three bytes, not a SHA-512: no hash
        Assert.Empty(result.Single("pkg:nuget/runtime.linux-x64.Acme.Client.Native@1.5.0").Hashes);
    }

    [Fact]
    public async Task Reads_an_assets_file_written_by_the_dotnet_10_sdk()
    {
        // the assets file of a project restored by SDK 10 (format version 4, central package management, targets by alias)
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "Tool", "obj"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Tool", "obj", "project.assets.json"), """
                {
                  "version": 4,
                  "targets": {
                    "net10.0": {
                      "Microsoft.NET.Test.Sdk/18.0.1": { "type": "package", "dependencies": { "Microsoft.CodeCoverage": "18.0.1" } },
                      "Microsoft.CodeCoverage/18.0.1": { "type": "package" },
                      "Tool.Core/1.0.0": { "type": "project", "framework": ".NETCoreApp,Version=v10.0" }
                    }
                  },
                  "libraries": {
                    "Microsoft.CodeCoverage/18.0.1": { "sha512": "O+utSr97NAJowIQT/OVp3Lh9QgW/wALVTP4RG1m2AfFP4IyJmJz0ZBmFJUsRQiAPgq6IRC0t8AAzsiPIsaUDEA==", "type": "package", "path": "microsoft.codecoverage/18.0.1" },
                    "Microsoft.NET.Test.Sdk/18.0.1": { "type": "package", "path": "microsoft.net.test.sdk/18.0.1" },
                    "Tool.Core/1.0.0": { "type": "project", "path": "../Tool.Core/Tool.Core.csproj", "msbuildProject": "../Tool.Core/Tool.Core.csproj" }
                  },
                  "projectFileDependencyGroups": { "net10.0": [ "Microsoft.NET.Test.Sdk >= 18.0.1", "Tool.Core >= 1.0.0" ] },
                  "project": {
                    "version": "1.0.0",
                    "restore": { "projectPath": "/build/Tool/Tool.csproj", "projectStyle": "PackageReference" },
                    "frameworks": { "net10.0": { "targetAlias": "net10.0", "dependencies": {
                      "Microsoft.NET.Test.Sdk": { "target": "Package", "version": "[18.0.1, )", "versionCentrallyManaged": true } } } }
                  }
                }
                """);

            var result = await Catalog.RunAsync(new DirectoryFileTree(dir.FullName), [Cataloger]);

            Assert.Empty(result.Unreadable);
            // no projectName: the name comes from projectPath
            var root = result.Single("pkg:nuget/Tool@1.0.0");
            Assert.Equal(["pkg:nuget/Microsoft.NET.Test.Sdk@18.0.1", "pkg:nuget/Tool.Core@1.0.0"], root.Edges());
            Assert.Equal(["sha512:3bebad4abf7b340268c08413fce569dcb87d4205bfc002d54cfe111b59b601f14fe08c89989cf4641985254b1142200f82ae88442d2df00033b223c8b1a50310"],
                result.Single("pkg:nuget/Microsoft.CodeCoverage@18.0.1").Hashes());
            Assert.Equal(["Tool/obj/project.assets.json"], root.Locations());
            Assert.Equal(4, result.Packages.Count);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
