// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class DepsJsonCatalogerTests
{
    private static readonly DepsJsonCataloger Cataloger = new();

    [Theory]
    [InlineData("app/MyApp.deps.json", true)]
    [InlineData("MyApp.DEPS.JSON", true)]
    [InlineData(".deps.json", false)]
    [InlineData("MyApp.runtimeconfig.json", false)]
    public void Wants_deps_json_files(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_the_application_its_projects_and_packages_with_hashes_and_edges()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Testdata}/deps/MyApp.deps.json");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:generic/Legacy.Interop@1.0.0.0", "pkg:nuget/Dapper@2.1.35", "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.4",
            "pkg:nuget/Microsoft.Net.Compilers.Toolset@4.8.0", "pkg:nuget/MyApp.Data@1.2.0", "pkg:nuget/MyApp@1.2.0",
            "pkg:nuget/Newtonsoft.Json@13.0.3",
        ], result.Purls());

        var app = result.Single("pkg:nuget/MyApp@1.2.0");
        Assert.True(app.IsRoot);
        Assert.Equal(PackageKind.Application, app.Kind);
        Assert.Equal(
        [
            "pkg:generic/Legacy.Interop@1.0.0.0", "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.4",
            "pkg:nuget/MyApp.Data@1.2.0", "pkg:nuget/Newtonsoft.Json@13.0.3",
        ], app.Edges());
        Assert.Empty(app.Hashes);

        var data = result.Single("pkg:nuget/MyApp.Data@1.2.0");
        Assert.True(data.IsRoot);
        Assert.Equal("path", data.Properties["bulwark:source"]);
        Assert.Equal(["pkg:nuget/Dapper@2.1.35"], data.Edges());

        var dapper = result.Single("pkg:nuget/Dapper@2.1.35");
        Assert.Equal(["sha512:60a4708d57eb1bb1983a8be51b242832faf5fc825d9feed0ccd5c9c72321d187c5179caf0e64d8689395616b1c92b78d8c6b06484b6b313a67cf14d4abfb5943"], dapper.Hashes());
        Assert.Equal("dapper/2.1.35", dapper.Properties["nuget:path"]);
        Assert.Equal(["MyApp.deps.json"], dapper.Locations());
        // what the app loads is Required; a compileOnly library is not loaded
        Assert.All(result.Packages.Where(p => p.Name != "Microsoft.Net.Compilers.Toolset"), p => Assert.Equal(Scope.Required, p.Scope));
        var compiler = result.Single("pkg:nuget/Microsoft.Net.Compilers.Toolset@4.8.0");
        Assert.Equal(Scope.Dev, compiler.Scope);
        Assert.Equal("true", compiler.Properties["nuget:compile-only"]);
    }

    [Fact]
    public async Task Keeps_runtime_packs_as_nuget_packages_and_references_as_synthetic_generic_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Testdata}/deps/MyApp.deps.json");

        var runtime = result.Single("pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.4");
        Assert.Equal("runtimepack", runtime.Properties["nuget:library-type"]);
        Assert.False(runtime.IsRoot);
        var reference = result.Single("pkg:generic/Legacy.Interop@1.0.0.0");
        Assert.True(reference.PurlIsSynthetic);
        Assert.Equal("reference", reference.Properties["nuget:library-type"]);
        Assert.Equal("path", reference.Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Reads_the_deps_json_the_sdk_wrote_for_this_test_assembly()
    {
        // real output of the SDK that built these tests: project references and packages from nuget.org
        var deps = Path.Combine(AppContext.BaseDirectory, "Bulwark.Cataloging.Tests.deps.json");

        var result = await CatalogerRun.FileAsync(Cataloger, deps);

        Assert.Empty(result.Unreadable);
        var root = result.Single("pkg:nuget/Bulwark.Cataloging.Tests@1.0.0");
        Assert.True(root.IsRoot);
        Assert.Contains("pkg:nuget/Bulwark.Cataloging@1.0.0", root.Edges());
        Assert.Contains("pkg:nuget/YamlDotNet@16.3.0", result.Single("pkg:nuget/Bulwark.Cataloging@1.0.0").Edges());
        Assert.Single(result.Single("pkg:nuget/YamlDotNet@16.3.0").Hashes);
    }
}
