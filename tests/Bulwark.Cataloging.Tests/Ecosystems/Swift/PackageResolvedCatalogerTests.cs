// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Swift;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Swift;

public class PackageResolvedCatalogerTests
{
    private static readonly PackageResolvedCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Swift/testdata/{name}/Package.resolved");

    [Fact]
    public void Wants_Package_resolved_only()
    {
        Assert.True(Cataloger.Wants("App.xcworkspace/xcshareddata/swiftpm/Package.resolved"));
        Assert.False(Cataloger.Wants("Package.swift"));
    }

    [Fact]
    public async Task Reads_version_1_pins_with_https_and_scp_like_urls()
    {
        var result = await Scenario("v1");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
             "pkg:swift/github.com/SnapKit/SnapKit@e74fe2a978d1216c3602b129da7c7e8d1b8e8bba"],
            result.Packages.Select(p => p.Purl.ToString()));
        var alamofire = result.Single("pkg:swift/github.com/Alamofire/Alamofire@5.4.3");
        Assert.Equal("github.com/Alamofire/Alamofire", alamofire.Name);
        Assert.Equal("5.4.3", alamofire.Version);
        Assert.Equal("f96b619bcb2383b43d898402283924b80e2c4bae", alamofire.Properties["bulwark:revision"]);
        Assert.Equal("Alamofire", alamofire.Properties["swift:identity"]);
        Assert.Equal<ExternalReference>([new("vcs", "https://github.com/Alamofire/Alamofire.git")], alamofire.ExternalReferences);
        Assert.Equal(Scope.Required, alamofire.Scope);

        // a branch pin has no version: the revision stands in for it, as purl-spec swift requires one
        var snapKit = result.Single("pkg:swift/github.com/SnapKit/SnapKit@e74fe2a978d1216c3602b129da7c7e8d1b8e8bba");
        Assert.Equal("develop", snapKit.Properties["git:branch"]);
        Assert.Equal("git", snapKit.Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Reads_version_2_pins_with_ports_and_branch_pins()
    {
        var result = await Scenario("v2");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:swift/git.example.com:8443/platform/internal-kit@0123456789abcdef0123456789abcdef01234567",
             "pkg:swift/github.com/apple/swift-argument-parser@1.5.0",
             "pkg:swift/github.com/apple/swift-nio@2.72.0"],
            result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal("swift-nio", result.Single("pkg:swift/github.com/apple/swift-nio@2.72.0").Properties["swift:identity"]);
        Assert.Equal(new FileLocation("Package.resolved"), Assert.Single(result.Packages[0].Locations));
    }

    [Fact]
    public async Task Reads_version_3_with_registry_and_local_pins()
    {
        var result = await Scenario("v3");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:swift/Users/dev/src/shared-models@0.3.0", "pkg:swift/github.com/apple/swift-collections@1.1.4", "pkg:swift/mona/linkedlist@1.1.0"],
            result.Packages.Select(p => p.Purl.ToString()));
        var registry = result.Single("pkg:swift/mona/linkedlist@1.1.0");
        Assert.Equal("registry", registry.Properties["bulwark:source"]);
        Assert.Empty(registry.ExternalReferences);
        var local = result.Single("pkg:swift/Users/dev/src/shared-models@0.3.0");
        Assert.Equal("path", local.Properties["bulwark:source"]);
        Assert.Equal("/Users/dev/src/shared-models", local.Properties["bulwark:path"]);
    }

    [Fact]
    public async Task Reads_an_empty_file_as_no_packages()
    {
        var result = await Scenario("empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_invalid_json_as_unreadable_with_its_line()
    {
        var result = await Scenario("malformed");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 6: ", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_a_pin_without_version_or_revision_as_unreadable()
    {
        var result = await Scenario("no-version");
        Assert.Empty(result.Packages);
        Assert.StartsWith("pin #1 (x) has neither a version nor a revision", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/apple/swift-nio.git", "github.com/apple", "swift-nio")]
    [InlineData("https://github.com/apple/swift-nio", "github.com/apple", "swift-nio")]
    [InlineData("git@github.com:apple/swift-nio.git", "github.com/apple", "swift-nio")]
    [InlineData("ssh://git@gitlab.example.com/group/sub/lib.git", "gitlab.example.com/group/sub", "lib")]
    public void Splits_a_location_into_namespace_and_name(string location, string ns, string name) =>
        Assert.Equal((ns, name), PackageResolvedCataloger.SplitLocation(location));

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Swift/testdata/v2/Package.resolved"), "Package.resolved");

    [Fact]
    public async Task Records_invalid_utf8_in_a_string_as_unreadable_with_its_line()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-swift-");
        try
        {
            var path = Path.Combine(dir.FullName, "Package.resolved");
            var text = "{\"pins\":[{\"identity\":\"x\",\"location\":\"https://github.com/a/X\u00ff.git\",\"state\":{\"version\":\"1.0.0\"}}],\"version\":2}";
            var bytes = System.Text.Encoding.UTF8.GetBytes(text.Replace("\u00ff", "#", StringComparison.Ordinal));
            bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF; // not UTF-8
            await File.WriteAllBytesAsync(path, bytes);
            var result = await CatalogerRun.FileAsync(Cataloger, path);
            Assert.Empty(result.Packages);
            Assert.StartsWith("line 1 (byte 59): the file is not valid UTF-8", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
