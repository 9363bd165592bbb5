// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.CocoaPods;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.CocoaPods;

public class PodfileLockCatalogerTests
{
    private static readonly PodfileLockCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/CocoaPods/testdata/{name}/Podfile.lock");

    [Fact]
    public void Wants_Podfile_lock_only()
    {
        Assert.True(Cataloger.Wants("ios/Podfile.lock"));
        Assert.False(Cataloger.Wants("ios/Podfile"));
        Assert.False(Cataloger.Wants("ios/Pods/Manifest.lock"));
    }

    [Fact]
    public async Task Reads_pods_and_subspecs_as_subpaths_of_the_root_pod()
    {
        var result = await Scenario("MyApp");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:cocoapods/Alamofire@5.9.1", "pkg:cocoapods/Firebase@10.29.0#Analytics", "pkg:cocoapods/Firebase@10.29.0#Core",
             "pkg:cocoapods/Firebase@10.29.0#CoreOnly", "pkg:cocoapods/FirebaseAnalytics@10.29.0", "pkg:cocoapods/FirebaseCore@10.29.0",
             "pkg:cocoapods/GoogleUtilities@7.13.3#AppDelegateSwizzler", "pkg:cocoapods/InternalKit@2.0.0", "pkg:cocoapods/LocalHelpers@0.1.0",
             "pkg:cocoapods/MyApp", "pkg:cocoapods/SwiftLint@0.55.1", "pkg:cocoapods/Toast@4.1.1"],
            result.Packages.Select(p => p.Purl.ToString()));

        var core = result.Single("pkg:cocoapods/Firebase@10.29.0#Core");
        Assert.Equal("Firebase/Core", core.Name);
        Assert.Equal("Core", core.Properties["cocoapods:subspec"]);
        Assert.Equal(new FileLocation("Podfile.lock", 5), Assert.Single(core.Locations));
        Assert.Equal(["pkg:cocoapods/Firebase@10.29.0#CoreOnly", "pkg:cocoapods/FirebaseAnalytics@10.29.0"], core.DependsOn.Select(d => d.ToString()));
        // the podspec checksum belongs to the root pod and so to each of its subspecs
        Assert.Equal(Digest.Parse("sha1:cec914dab6fd7b1bd8ab56ea07ce4e03dd251c2d"), Assert.Single(core.Hashes));
        Assert.Equal(Digest.Parse("sha1:cec914dab6fd7b1bd8ab56ea07ce4e03dd251c2d"), Assert.Single(result.Single("pkg:cocoapods/Firebase@10.29.0#Analytics").Hashes));

        Assert.Equal(["pkg:cocoapods/FirebaseCore@10.29.0", "pkg:cocoapods/GoogleUtilities@7.13.3#AppDelegateSwizzler"],
            result.Single("pkg:cocoapods/FirebaseAnalytics@10.29.0").DependsOn.Select(d => d.ToString()));
        Assert.Equal(Digest.Parse("sha1:f36a35757af4587d8e4f4bfa223ad10be2422b8c"), Assert.Single(result.Single("pkg:cocoapods/Alamofire@5.9.1").Hashes));
    }

    [Fact]
    public async Task Reads_external_sources_checkout_commits_and_private_spec_repos()
    {
        var result = await Scenario("MyApp");
        var internalKit = result.Single("pkg:cocoapods/InternalKit@2.0.0");
        Assert.Equal("git", internalKit.Properties["bulwark:source"]);
        Assert.Equal("4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e", internalKit.Properties["bulwark:revision"]);
        Assert.Equal("2.0.0", internalKit.Properties["git:tag"]);
        Assert.Equal<ExternalReference>([new("vcs", "https://github.com/acme/InternalKit.git")], internalKit.ExternalReferences);
        Assert.Equal<Purl>([Purl.Parse("pkg:cocoapods/Alamofire@5.9.1")], internalKit.DependsOn);

        var local = result.Single("pkg:cocoapods/LocalHelpers@0.1.0");
        Assert.Equal("path", local.Properties["bulwark:source"]);
        Assert.Equal("../LocalHelpers", local.Properties["bulwark:path"]);

        var toast = result.Single("pkg:cocoapods/Toast@4.1.1");
        Assert.Equal("url", toast.Properties["bulwark:source"]);
        Assert.Equal("https://example.com/specs/Toast.podspec", toast.Properties["cocoapods:podspec"]);

        Assert.Equal("https://github.com/acme/private-specs.git", result.Single("pkg:cocoapods/SwiftLint@0.55.1").Properties["cocoapods:spec-repo"]);
        Assert.False(result.Single("pkg:cocoapods/Alamofire@5.9.1").Properties.ContainsKey("cocoapods:spec-repo")); // trunk
    }

    [Fact]
    public async Task Makes_the_directory_the_root_with_the_DEPENDENCIES_as_its_edges()
    {
        var result = await Scenario("MyApp");
        var root = result.Single("pkg:cocoapods/MyApp");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(
            ["pkg:cocoapods/Alamofire@5.9.1", "pkg:cocoapods/Firebase@10.29.0#Analytics", "pkg:cocoapods/InternalKit@2.0.0",
             "pkg:cocoapods/LocalHelpers@0.1.0", "pkg:cocoapods/SwiftLint@0.55.1", "pkg:cocoapods/Toast@4.1.1"],
            root.DependsOn.Select(d => d.ToString()));
        Assert.Equal("1.15.2", root.Properties["cocoapods:version"]);
        Assert.Equal("9c7b9e5e0c0d6a4a3a2f3f1e2d3c4b5a69788796", root.Properties["cocoapods:podfile-checksum"]);
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
        Assert.Matches(@"^line [3-5]: ", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task Records_a_lockfile_that_is_not_a_mapping_as_unreadable()
    {
        var result = await Scenario("not-a-mapping");
        Assert.StartsWith("line 1: Podfile.lock must be a mapping", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_a_pod_without_a_version_as_unreadable()
    {
        var result = await Scenario("no-version");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 3: pod 'Toast' has no version", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/CocoaPods/testdata/MyApp/Podfile.lock"), "Podfile.lock");

    [Fact]
    public async Task Records_yaml_that_crashes_the_yaml_scanner_as_unreadable()
    {
        // YamlDotNet throws InvalidOperationException from ScanPlainScalar on this damaged copy of MyApp/Podfile.lock
        var result = await Scenario("damaged");
        Assert.Empty(result.Packages);
        Assert.Contains("YAML the parser cannot read", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }
}
