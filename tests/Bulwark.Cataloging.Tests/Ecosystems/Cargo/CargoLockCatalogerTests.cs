// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Cargo;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Cargo;

public class CargoLockCatalogerTests
{
    private const string Dir = "Ecosystems/Cargo/testdata";
    private static readonly CargoLockCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public void Wants_only_Cargo_lock()
    {
        Assert.True(Cataloger.Wants("a/b/Cargo.lock"));
        Assert.False(Cataloger.Wants("a/b/Cargo.toml"));
        Assert.False(Cataloger.Wants("cargo.lock"));
    }

    [Fact]
    public async Task Reads_version_1_checksums_from_the_metadata_table()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/v1/Cargo.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:cargo/app@0.1.0", "pkg:cargo/libc@0.2.40", "pkg:cargo/rand@0.4.2"], Purls(result.Packages.Select(p => p.Purl)));
        var rand = result.Single("pkg:cargo/rand@0.4.2");
        Assert.Equal([new Digest(HashAlgorithm.Sha256, "eba5f8cb59cc50ed56be8880a5c7b496bfd9bd26394e176bc67884094145c2c5")], rand.Hashes.ToArray());
        Assert.Equal(["pkg:cargo/libc@0.2.40"], Purls(rand.DependsOn));
        Assert.Equal([new FileLocation("Cargo.lock", 14)], rand.Locations.ToArray());
        Assert.Equal([new ExternalReference("distribution", "https://crates.io/api/v1/crates/rand/0.4.2/download")], rand.ExternalReferences.ToArray());
        // no Cargo.toml beside it: a sourceless crate nothing depends on is taken to be the root
        var app = result.Single("pkg:cargo/app@0.1.0");
        Assert.True(app.IsRoot);
        Assert.Equal(PackageKind.Application, app.Kind);
        Assert.Empty(app.Hashes);
        Assert.Equal(["pkg:cargo/libc@0.2.40", "pkg:cargo/rand@0.4.2"], Purls(app.DependsOn));
    }

    [Fact]
    public async Task Reads_version_2_inline_checksums_and_short_dependency_names()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/v2/Cargo.lock");
        Assert.Equal(3, result.Packages.Count);
        Assert.Equal(["pkg:cargo/itoa@1.0.9", "pkg:cargo/serde@1.0.188"], Purls(result.Single("pkg:cargo/hello@0.2.0").DependsOn));
        Assert.Equal("af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38", result.Single("pkg:cargo/itoa@1.0.9").Hashes.Single().Hex);
        Assert.Equal(Scope.Required, result.Single("pkg:cargo/itoa@1.0.9").Scope);
    }

    [Fact]
    public async Task Reads_version_3_git_path_and_alternative_registry_sources()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/v3-git-path-registry/Cargo.lock");
        Assert.Equal(6, result.Packages.Count);
        var demo = result.Single("pkg:cargo/demo@0.1.0");
        Assert.True(demo.IsRoot);
        Assert.Equal(
            ["pkg:cargo/helper@0.3.0", "pkg:cargo/internal-crate@2.1.0", "pkg:cargo/rand@0.7.3", "pkg:cargo/rand@0.8.5", "pkg:cargo/regex@1.9.0"],
            Purls(demo.DependsOn));

        var helper = result.Single("pkg:cargo/helper@0.3.0");
        Assert.False(helper.IsRoot);
        Assert.Equal("path", helper.Properties["bulwark:source"]);

        var regex = result.Single("pkg:cargo/regex@1.9.0");
        Assert.Equal("git", regex.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("vcs", "git+https://github.com/rust-lang/regex#17284451f1b25b0b5b4d8d1e8a7c8b6e0d3a3f51")], regex.ExternalReferences.ToArray());
        Assert.Empty(regex.Hashes);

        var internalCrate = result.Single("pkg:cargo/internal-crate@2.1.0");
        Assert.Equal("registry", internalCrate.Properties["bulwark:source"]);
        Assert.Equal("https://my-registry.example.com/index", internalCrate.Properties["cargo:registry"]);
        Assert.Empty(internalCrate.ExternalReferences);
    }

    [Fact]
    public async Task Marks_workspace_members_named_by_Cargo_toml_as_roots_and_path_crates_as_path()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/workspace");
        Assert.Equal(4, result.Packages.Count);
        var roots = result.Packages.Where(p => p.IsRoot).Select(p => p.Purl.ToString()).ToArray();
        Assert.Equal(["pkg:cargo/widget-cli@0.5.0", "pkg:cargo/widget-core@0.5.0"], roots);
        Assert.Equal("workspace", result.Single("pkg:cargo/widget-core@0.5.0").Properties["bulwark:source"]);
        Assert.Equal(["pkg:cargo/cfg-if@1.0.0", "pkg:cargo/vendored@0.1.0"], Purls(result.Single("pkg:cargo/widget-core@0.5.0").DependsOn));
        var vendored = result.Single("pkg:cargo/vendored@0.1.0");
        Assert.False(vendored.IsRoot);
        Assert.Equal("path", vendored.Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Reads_the_root_table_of_the_oldest_version_1_lockfiles()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/v1-root/Cargo.lock");
        Assert.Equal(["pkg:cargo/libc@0.2.20", "pkg:cargo/old-app@0.0.1"], Purls(result.Packages.Select(p => p.Purl)));
        var root = result.Single("pkg:cargo/old-app@0.0.1");
        Assert.True(root.IsRoot);
        Assert.Equal(["pkg:cargo/libc@0.2.20"], Purls(root.DependsOn));
        Assert.Equal("684f330624d8c3784fb9558ca46c4ce488073a8d22450415c5eb4f4cfb0d11b5", result.Single("pkg:cargo/libc@0.2.20").Hashes.Single().Hex);
    }

    [Fact]
    public async Task Matches_glob_workspace_members_by_directory_name_and_honours_exclude()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/workspace-glob");
        Assert.Equal(["pkg:cargo/alpha@0.1.0", "pkg:cargo/beta@0.1.0"], Purls(result.Packages.Where(p => p.IsRoot).Select(p => p.Purl)));
        Assert.Equal("path", result.Single("pkg:cargo/skipped@0.9.0").Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Reads_a_real_version_4_workspace_lockfile()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("cargo/zizmorcore__zizmor/Cargo.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(450, result.Packages.Count);
        // the workspace members are listed as paths in Cargo.toml; their own manifests are not in the corpus
        Assert.Equal(
            ["github-actions-expressions", "github-actions-models", "pre-commit-models", "subfeature", "tree-sitter-iter", "yamlpatch", "yamlpath", "zizmor-sarif", "zizmor"],
            result.Packages.Where(p => p.IsRoot).Select(p => p.Name).ToArray());
        var zizmor = result.Single("pkg:cargo/zizmor@1.30.0-rc1");
        Assert.Equal(57, zizmor.DependsOn.Length);
        Assert.Contains(Purl.Parse("pkg:cargo/yamlpath@1.30.0-rc1"), zizmor.DependsOn);
        var yamlpath = result.Single("pkg:cargo/yamlpath@1.30.0-rc1");
        Assert.Contains(Purl.Parse("pkg:cargo/thiserror@2.0.20"), yamlpath.DependsOn);
        Assert.DoesNotContain(Purl.Parse("pkg:cargo/thiserror@1.0.69"), yamlpath.DependsOn);
        Assert.Equal("4148590afebada386688f18773da617792bf2ef03ffc1e4cbd2b1d45b023e0ba", result.Single("pkg:cargo/serde@1.0.229").Hashes.Single().Hex);
        Assert.All(result.Packages.Where(p => !p.IsRoot), p => Assert.Single(p.Hashes));
    }

    [Fact]
    public async Task An_empty_lockfile_has_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/empty/Cargo.lock");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Theory]
    [InlineData("malformed", "line 5: the string is not closed on this line")]
    [InlineData("missing-version", "line 7: package 'b' has no version.")]
    // the lockfile itself is fine: the reason says which manifest to fix
    [InlineData("broken-manifest", "Cargo.toml beside it: line 1: expected ']' to close the table header")]
    [InlineData("broken-member", "crates/cli/Cargo.toml: line 3: expected a value, found '='.")]
    public async Task An_unreadable_lockfile_or_manifest_is_recorded_with_the_file_and_line(string scenario, string reason)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/{scenario}/Cargo.lock");
        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("Cargo.lock", unreadable.Location.Path);
        Assert.StartsWith(reason, unreadable.Reason, StringComparison.Ordinal);
    }
}
