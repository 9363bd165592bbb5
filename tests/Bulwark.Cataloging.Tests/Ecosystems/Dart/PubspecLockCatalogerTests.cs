// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Dart;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Dart;

public class PubspecLockCatalogerTests
{
    private static readonly PubspecLockCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Dart/testdata/{name}/pubspec.lock");

    [Fact]
    public void Wants_pubspec_lock_only()
    {
        Assert.True(Cataloger.Wants("app/pubspec.lock"));
        Assert.False(Cataloger.Wants("app/pubspec.yaml"));
    }

    [Fact]
    public async Task Reads_the_localsend_workspace_lockfile()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pub/localsend__localsend/pubspec.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(260, result.Packages.Count); // 259 locked packages and the workspace root

        var analyzer = result.Single("pkg:pub/analyzer@10.0.1");
        Assert.Equal(Scope.Required, analyzer.Scope);
        Assert.Equal("transitive", analyzer.Properties["pub:dependency"]);
        Assert.Equal(Digest.Parse("sha256:de7148ed2fcec579b19f122c1800933dfa028f6d9fd38a152b04b1516cec120b"), Assert.Single(analyzer.Hashes));
        Assert.Equal(new FileLocation("pubspec.lock", 12), Assert.Single(analyzer.Locations));

        var deviceApps = result.Single("pkg:pub/device_apps@2.2.0");
        Assert.Equal("direct overridden", deviceApps.Properties["pub:dependency"]);
        Assert.Equal("git", deviceApps.Properties["bulwark:source"]);
        Assert.Equal("5dc7956d938541254d2e175766b3b84ea38bb85b", deviceApps.Properties["bulwark:revision"]);
        Assert.Equal<ExternalReference>([new("vcs", "https://github.com/Tienisto/device_apps.git")], deviceApps.ExternalReferences);

        Assert.Equal("path", result.Single("pkg:pub/rust_lib_localsend_app@0.0.1").Properties["bulwark:source"]);
        var flutter = result.Single("pkg:pub/flutter@0.0.0");
        Assert.Equal("sdk", flutter.Properties["bulwark:source"]);
        Assert.Equal("flutter", flutter.Properties["pub:sdk"]);
        Assert.Equal(5, result.Packages.Count(p => p.Properties.GetValueOrDefault("bulwark:source") == "sdk"));

        // the workspace root has no dependencies of its own; only the three overrides are direct
        var root = result.Single("pkg:pub/_localsend_workspace");
        Assert.True(root.IsRoot);
        Assert.Equal(3, root.DependsOn.Length);
    }

    [Fact]
    public async Task Scopes_direct_dev_as_dev_and_keeps_every_source_kind()
    {
        var result = await Scenario("app");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:pub/charts@0.9.3?repository_url=https://pub.example.com", "pkg:pub/flutter@0.0.0", "pkg:pub/flutter_test@0.0.0",
             "pkg:pub/http@1.2.2", "pkg:pub/intl@0.19.1", "pkg:pub/lints@4.0.0", "pkg:pub/local_storage@1.0.0", "pkg:pub/meta@1.15.0",
             "pkg:pub/weather_app@2.1.0%2B7"],
            result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal(Scope.Dev, result.Single("pkg:pub/lints@4.0.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pub/flutter_test@0.0.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pub/http@1.2.2").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pub/meta@1.15.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pub/intl@0.19.1").Scope);

        var charts = result.Single("pkg:pub/charts@0.9.3?repository_url=https://pub.example.com");
        Assert.Equal(Digest.Parse("sha256:0b1c2d3e4f5061728394a5b6c7d8e9f00b1c2d3e4f5061728394a5b6c7d8e9f0"), Assert.Single(charts.Hashes));

        var intl = result.Single("pkg:pub/intl@0.19.1");
        Assert.Equal("9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c", intl.Properties["bulwark:revision"]);
        Assert.Equal("fix-plurals", intl.Properties["git:ref"]);
        Assert.Equal("pkgs/intl", intl.Properties["git:path"]);
        Assert.Empty(intl.Hashes);

        var local = result.Single("pkg:pub/local_storage@1.0.0");
        Assert.Equal("../local_storage", local.Properties["bulwark:path"]);

        var root = result.Single("pkg:pub/weather_app@2.1.0%2B7");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal("Shows the weather.", root.Description);
        Assert.Equal(7, root.DependsOn.Length); // every direct package, not meta
        Assert.DoesNotContain(Purl.Parse("pkg:pub/meta@1.15.0"), root.DependsOn);
    }

    [Fact]
    public async Task Reads_an_empty_lockfile_as_no_packages()
    {
        var result = await Scenario("empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_invalid_yaml_as_unreadable_with_its_line()
    {
        var result = await Scenario("malformed");
        Assert.Empty(result.Packages);
        Assert.Matches(@"^line \d+: ", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task Records_a_lockfile_that_is_not_a_mapping_as_unreadable()
    {
        var result = await Scenario("not-a-mapping");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 1: pubspec.lock must be a mapping", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_hostile_nesting_as_unreadable_instead_of_overflowing_the_stack()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-pub-");
        try
        {
            var path = Path.Combine(dir.FullName, "pubspec.lock");
            await File.WriteAllTextAsync(path, "packages: " + new string('[', 100_000) + new string(']', 100_000));
            var result = await CatalogerRun.FileAsync(Cataloger, path);
            Assert.Empty(result.Packages);
            Assert.Contains("nested more than 256 levels", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("pub/localsend__localsend/pubspec.lock"), "pubspec.lock");

    [Fact]
    public Task Reads_beside_a_damaged_pubspec_yaml_or_records_the_lockfile_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger,
            Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Dart/testdata/app/pubspec.yaml"), "pubspec.yaml",
            "pubspec.lock", Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Dart/testdata/app/pubspec.lock"));

    [Fact]
    public async Task Names_the_manifest_when_the_sibling_pubspec_yaml_is_broken()
    {
        var result = await Scenario("bad-manifest");
        Assert.Empty(result.Packages);
        var u = Assert.Single(result.Unreadable);
        Assert.Equal("pubspec.lock", u.Location.Path);
        Assert.StartsWith("pubspec.yaml: line ", u.Reason, StringComparison.Ordinal);
    }
}
