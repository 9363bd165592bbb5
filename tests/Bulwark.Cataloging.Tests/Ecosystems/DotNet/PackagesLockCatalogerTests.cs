// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Core;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class PackagesLockCatalogerTests
{
    private static readonly PackagesLockCataloger Cataloger = new();

    [Theory]
    [InlineData("packages.lock.json", true)]
    [InlineData("src/Api/packages.lock.json", true)]
    [InlineData("src/packages.Api.lock.json", true)]
    [InlineData("packages..lock.json", false)]
    [InlineData("package-lock.json", false)]
    [InlineData("packages.lock.json.bak", false)]
    public void Wants_lock_files_by_name(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_every_entry_of_the_bitwarden_lock_with_the_project_as_root()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, CatalogerRun.Corpus("nuget-lock/bitwarden__server"));

        Assert.Empty(result.Unreadable);
        // 14 Direct + 139 Transitive + 14 Project entries, and the Api project itself
        Assert.Equal(168, result.Packages.Count);
        Assert.Equal(15, result.Packages.Count(p => p.IsRoot));
        Assert.All(result.Packages, p => Assert.Equal(Scope.Required, p.Scope));

        // the root is named after Api.csproj and versioned by Directory.Build.props
        var root = result.Single("pkg:nuget/Api@2026.8.0");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal("path", root.Properties["bulwark:source"]);
        Assert.Equal(
        [
            "pkg:nuget/AspNetCore.HealthChecks.SqlServer@8.0.2", "pkg:nuget/AspNetCore.HealthChecks.Uris@8.0.1",
            "pkg:nuget/Azure.Messaging.EventGrid@5.0.0", "pkg:nuget/Bitwarden.Server.Sdk.Environment@0.1.0",
            "pkg:nuget/Bitwarden.Server.Sdk.Features@1.4.0", "pkg:nuget/Bitwarden.Server.Sdk.WebEssentials@0.5.0",
            "pkg:nuget/Commercial.Core@2026.8.0", "pkg:nuget/Commercial.Infrastructure.EntityFramework@2026.8.0",
            "pkg:nuget/Core@2026.8.0", "pkg:nuget/HttpExtensions@2026.8.0",
            "pkg:nuget/OpenTelemetry.Exporter.OpenTelemetryProtocol@1.15.3", "pkg:nuget/OpenTelemetry.Extensions.Hosting@1.15.3",
            "pkg:nuget/OpenTelemetry.Instrumentation.AspNetCore@1.15.2", "pkg:nuget/OpenTelemetry.Instrumentation.EntityFrameworkCore@1.12.0-beta.2",
            "pkg:nuget/OpenTelemetry.Instrumentation.Http@1.15.1", "pkg:nuget/OpenTelemetry.Instrumentation.Runtime@1.15.1",
            "pkg:nuget/OpenTelemetry.Instrumentation.SqlClient@1.15.2", "pkg:nuget/OrganizationAuthorization@0.0.1",
            "pkg:nuget/Pam@2026.8.0", "pkg:nuget/SharedWeb@2026.8.0", "pkg:nuget/Swashbuckle.AspNetCore@10.1.7",
        ], root.Edges());
    }

    [Fact]
    public async Task Reads_content_hashes_as_sha512_and_resolves_edges_to_locked_versions()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("nuget-lock/bitwarden__server/src/Api/packages.lock.json"));

        var swashbuckle = result.Single("pkg:nuget/Swashbuckle.AspNetCore@10.1.7");
        Assert.Equal([Sha512(Sha512Swashbuckle1017)], swashbuckle.Hashes());
        Assert.Equal(
        [
            "pkg:nuget/Microsoft.Extensions.ApiDescription.Server@10.0.0", "pkg:nuget/Swashbuckle.AspNetCore.Swagger@10.1.7",
            "pkg:nuget/Swashbuckle.AspNetCore.SwaggerGen@10.1.7", "pkg:nuget/Swashbuckle.AspNetCore.SwaggerUI@10.1.7",
        ], swashbuckle.Edges());
        Assert.Equal(["packages.lock.json"], swashbuckle.Locations());
        // "Microsoft.Data.SqlClient": "5.2.0" is a minimum; the lock resolved 7.0.0 in the same framework
        Assert.Equal(["pkg:nuget/Microsoft.Data.SqlClient@7.0.0"], result.Single("pkg:nuget/AspNetCore.HealthChecks.SqlServer@8.0.2").Edges());
    }

    [Fact]
    public async Task Reads_project_entries_as_local_roots_named_and_versioned_by_the_ranges_that_use_them()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("nuget-lock/bitwarden__server/src/Api/packages.lock.json"));

        // the key is "pam.domain"; other entries call it "Pam.Domain": "[2026.8.0, )"
        var domain = result.Single("pkg:nuget/Pam.Domain@2026.8.0");
        Assert.True(domain.IsRoot);
        Assert.Equal(PackageKind.Application, domain.Kind);
        Assert.Equal("path", domain.Properties["bulwark:source"]);
        Assert.Equal(["pkg:nuget/Data@0.0.1"], domain.Edges());
        Assert.Empty(domain.Hashes);
        var dapper = result.Single("pkg:nuget/Infrastructure.Dapper@2026.8.0");
        Assert.Equal(["pkg:nuget/Core@2026.8.0", "pkg:nuget/Dapper@2.1.66", "pkg:nuget/Pam.Domain@2026.8.0"], dapper.Edges());
    }

    [Fact]
    public async Task Marks_packages_reached_only_through_private_assets_references_as_dev()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/lock-v2");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:nuget/Acme.Tooling.Core@2.0.0", "pkg:nuget/Acme.Tooling@2.0.0", "pkg:nuget/App@3.2.1",
            "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.3", "pkg:nuget/Serilog@3.1.1",
            "pkg:nuget/Shared@1.0.0", "pkg:nuget/StyleCop.Analyzers@1.1.118", "pkg:nuget/System.Memory@4.5.5",
            "pkg:nuget/runtime.linux-x64.Acme.Native@1.0.0",
        ], result.Purls());
        // PrivateAssets="all" in App.csproj (attribute and child element) and what only they bring in
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/StyleCop.Analyzers@1.1.118").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/Acme.Tooling@2.0.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:nuget/Acme.Tooling.Core@2.0.0").Scope);
        // System.Memory is also needed by Serilog, so it ships
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/System.Memory@4.5.5").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:nuget/Serilog@3.1.1").Scope);
    }

    [Fact]
    public async Task Resolves_each_target_framework_separately()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/lock-v2");

        // CentralTransitive Newtonsoft.Json resolved to 13.0.1 for net6.0 and 13.0.3 for net8.0
        var shared = result.Single("pkg:nuget/Shared@1.0.0");
        Assert.True(shared.IsRoot);
        Assert.Equal(["pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.3"], shared.Edges());
        Assert.Equal([Sha512(Sha512NewtonsoftJson1303)], result.Single("pkg:nuget/Newtonsoft.Json@13.0.3").Hashes());
        // net6.0 Acme.Tooling depends on System.Memory; net8.0 does not; edges are the union
        Assert.Equal(["pkg:nuget/Acme.Tooling.Core@2.0.0", "pkg:nuget/System.Memory@4.5.5"], result.Single("pkg:nuget/Acme.Tooling@2.0.0").Edges());
        // a runtime-specific section falls back to its framework's entries: Serilog 3.0.0 → the 3.1.1 locked for net8.0
        Assert.Equal(["pkg:nuget/Serilog@3.1.1"], result.Single("pkg:nuget/runtime.linux-x64.Acme.Native@1.0.0").Edges());
        // "/w==" is one byte: not a SHA-512, so no hash rather than a wrong one
        Assert.Empty(result.Single("pkg:nuget/Acme.Tooling.Core@2.0.0").Hashes);
        Assert.Equal(
            ["pkg:nuget/Acme.Tooling@2.0.0", "pkg:nuget/Serilog@3.1.1", "pkg:nuget/Shared@1.0.0", "pkg:nuget/StyleCop.Analyzers@1.1.118"],
            result.Single("pkg:nuget/App@3.2.1").Edges());
    }

    [Fact]
    public async Task Names_the_root_after_the_directory_and_links_top_level_projects_when_no_project_file_is_beside_it()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/lock-no-project");

        Assert.Equal(
        [
            "pkg:nuget/Polly.Core@8.4.0", "pkg:nuget/Polly@8.4.0", "pkg:nuget/Worker", "pkg:nuget/Worker.Model@1.4.0", "pkg:nuget/worker.core",
        ], result.Purls());
        var root = result.Single("pkg:nuget/Worker");
        Assert.Equal("", root.Version);
        // worker.core is used by no other project: it is the root's; Worker.Model is worker.core's
        Assert.Equal(["pkg:nuget/Polly@8.4.0", "pkg:nuget/worker.core"], root.Edges());
        Assert.Equal(["pkg:nuget/Polly.Core@8.4.0", "pkg:nuget/Worker.Model@1.4.0"], result.Single("pkg:nuget/worker.core").Edges());
    }

    [Fact]
    public async Task Finds_the_one_project_file_beside_the_lock_whatever_its_name()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            var service = Directory.CreateDirectory(Path.Combine(dir.FullName, "service"));
            await File.WriteAllTextAsync(Path.Combine(service.FullName, "Billing.Api.csproj"),
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Version>7.1.0</Version></PropertyGroup></Project>");
            await File.WriteAllTextAsync(Path.Combine(service.FullName, "packages.lock.json"),
                """{ "version": 1, "dependencies": { "net8.0": { "Polly": { "type": "Direct", "resolved": "8.4.0" } } } }""");

            var result = await Catalog.RunAsync(new Bulwark.Cataloging.FileSources.DirectoryFileTree(dir.FullName), [Cataloger]);

            Assert.Equal(["pkg:nuget/Billing.Api@7.1.0", "pkg:nuget/Polly@8.4.0"], result.Purls());
            Assert.Equal(["pkg:nuget/Polly@8.4.0"], result.Single("pkg:nuget/Billing.Api@7.1.0").Edges());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Names_the_root_after_the_scanned_directory_when_the_lock_is_at_the_top()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Testdata}/lock-no-project/Worker");

        Assert.True(result.Single("pkg:nuget/Worker").IsRoot);
        Assert.Equal(5, result.Packages.Count);
    }
}
