// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Npm;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Npm;

public sealed class YarnLockCatalogerTests
{
    private const string Data = "Ecosystems/Npm/testdata/";
    private static readonly YarnLockCataloger Cataloger = new();

    [Theory]
    // Counts made independently with testdata/count-yarn.py (python3; PyYAML for berry): distinct name@version with
    // the root, distinct edges, each resolved to the entry whose header lists "name@range", and scope counts
    // (best path from a root, a path as weak as its weakest edge).
    [InlineData("yarn-v1/open-policy-agent__gatekeeper/website/yarn.lock", 1129, 2148, 1127, 2, 0)]
    [InlineData("yarn-berry/prettier__prettier/yarn.lock", 1050, 1824, 306, 36, 708)]
    public async Task Reads_every_package_edge_and_scope_of_real_lockfiles(string file, int packages, int edges, int required, int optional, int dev)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(file));

        result.AssertTotals(packages, edges, required, optional, dev);
    }

    [Fact]
    public async Task Reads_a_real_berry_lockfile_with_patches_and_checksums()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("yarn-berry/prettier__prettier/yarn.lock"));

        var root = result.Single("pkg:npm/prettier@3.10.0-dev");
        Assert.True(root.IsRoot);
        Assert.Equal("workspace", root.Properties["bulwark:source"]);
        var typescript = result.Single("pkg:npm/typescript@6.0.3");
        Assert.StartsWith("patch:typescript@npm%3A6.0.3", typescript.Properties["yarn:patch"], StringComparison.Ordinal);
        Assert.Empty(typescript.Hashes); // yarn's checksum hashes its own zip archive: kept as a property only
        Assert.StartsWith("10/", typescript.Properties["yarn:checksum"], StringComparison.Ordinal);
        var frame = result.Single("pkg:npm/%40babel/code-frame@7.29.7");
        Assert.Equal(new FileLocation("yarn.lock", 27), frame.Locations.Single());
        Assert.Equal(["pkg:npm/%40babel/helper-validator-identifier@7.29.7", "pkg:npm/js-tokens@4.0.0", "pkg:npm/picocolors@1.1.1"], CatalogerRun.Deps(frame));
    }

    [Fact]
    public async Task Reads_classic_entries_with_several_specifiers()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-v1/yarn.lock");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:npm/%40babel/code-frame@7.22.13", "pkg:npm/%40babel/highlight@7.22.20", "pkg:npm/chalk@2.4.2", "pkg:npm/fsevents@2.3.3",
             "pkg:npm/git-thing@1.1.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/local-lib@0.0.1", "pkg:npm/tar-thing@0.1.0", "pkg:npm/yarn-app@3.1.0"],
            result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal(["pkg:npm/%40babel/highlight@7.22.20"], CatalogerRun.Deps(result.Single("pkg:npm/%40babel/code-frame@7.22.13")));
        Assert.Equal(["pkg:npm/fsevents@2.3.3"], CatalogerRun.Deps(result.Single("pkg:npm/chalk@2.4.2")));
        Assert.Equal(new FileLocation("yarn.lock", 18), result.Single("pkg:npm/chalk@2.4.2").Locations.Single());
        var root = result.Single("pkg:npm/yarn-app@3.1.0");
        Assert.True(root.IsRoot);
        Assert.Equal(["MIT"], root.Licenses.ToArray());
        Assert.Equal(
            ["pkg:npm/%40babel/code-frame@7.22.13", "pkg:npm/git-thing@1.1.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/local-lib@0.0.1", "pkg:npm/tar-thing@0.1.0"],
            CatalogerRun.Deps(root));
    }

    [Fact]
    public async Task Marks_packages_reachable_only_from_dev_dependencies_as_dev()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-v1/yarn.lock");

        Assert.Equal(Scope.Dev, result.Single("pkg:npm/%40babel/code-frame@7.22.13").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/%40babel/highlight@7.22.20").Scope);
        // chalk is also needed by local-lib, a production dependency
        Assert.Equal(Scope.Required, result.Single("pkg:npm/chalk@2.4.2").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/tar-thing@0.1.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/left-pad@1.3.0").Scope);
    }

    [Fact]
    public async Task Reads_classic_workspace_members_named_by_folder()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-v1-workspaces/yarn.lock");

        Assert.Equal(
            ["pkg:npm/%40cm/a@1.0.0", "pkg:npm/%40cm/b@1.1.0", "pkg:npm/chalk@2.4.2", "pkg:npm/classic-mono@1.0.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/ms@2.1.3"],
            result.Packages.Select(p => p.Purl.ToString()));
        var a = result.Single("pkg:npm/%40cm/a@1.0.0");
        Assert.True(a.IsRoot);
        Assert.Equal("workspace", a.Properties["bulwark:source"]);
        Assert.Equal(["pkg:npm/%40cm/b@1.1.0", "pkg:npm/left-pad@1.3.0"], CatalogerRun.Deps(a));
        Assert.Equal(["pkg:npm/ms@2.1.3"], CatalogerRun.Deps(result.Single("pkg:npm/%40cm/b@1.1.0")));
        Assert.Equal(Scope.Required, result.Single("pkg:npm/left-pad@1.3.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/ms@2.1.3").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/chalk@2.4.2").Scope);
    }

    [Fact]
    public async Task Reads_everything_as_required_without_package_json()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-v1-no-manifest/yarn.lock");

        Assert.Equal(8, result.Packages.Count);
        Assert.All(result.Packages, p => Assert.Equal(Scope.Required, p.Scope));
        Assert.DoesNotContain(result.Packages, p => p.IsRoot);
    }

    [Fact]
    public async Task Reads_classic_hashes_aliases_and_sources()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-v1/yarn.lock");

        // integrity and the URL's #sha1 fragment are both kept
        Assert.Equal(
            ["sha1:e3c1c099402598483b7a8c46a721d1038803755e",
             "sha512:5e4b6e856949e60fb74c95dce6ea5df4ab351eeb5202b8a4ea37f67808d815d20ecc7fa4c5125c9f4a45f90596958a7146d319ed34b95b7ff0dfb023af42f17f"],
            result.Single("pkg:npm/%40babel/code-frame@7.22.13").Hashes.Select(h => h.ToString()));
        Assert.Equal([new Digest(HashAlgorithm.Sha1, "4ca92b71d80554b01427815e06f2df965b9c1f54")], result.Single("pkg:npm/%40babel/highlight@7.22.20").Hashes.ToArray());
        Assert.Equal(
            [new ExternalReference("distribution", "https://registry.yarnpkg.com/chalk/-/chalk-2.4.2.tgz")],
            result.Single("pkg:npm/chalk@2.4.2").ExternalReferences.ToArray());
        Assert.Equal("lp", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);

        var git = result.Single("pkg:npm/git-thing@1.1.0");
        Assert.Equal("git", git.Properties["bulwark:source"]);
        Assert.Empty(git.Hashes); // the fragment of a git URL is a commit, not a checksum
        Assert.Equal([new ExternalReference("vcs", "git+https://github.com/acme/git-thing.git#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")], git.ExternalReferences.ToArray());
        Assert.Equal("tarball", result.Single("pkg:npm/tar-thing@0.1.0").Properties["bulwark:source"]);
        Assert.Equal("path", result.Single("pkg:npm/local-lib@0.0.1").Properties["bulwark:source"]);
        Assert.Empty(result.Single("pkg:npm/local-lib@0.0.1").ExternalReferences);
    }

    [Fact]
    public async Task Reads_berry_workspaces_as_roots_with_versions_from_their_package_json()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-berry-workspaces/yarn.lock");

        Assert.Empty(result.Unreadable);
        Assert.Equal(9, result.Packages.Count); // count-yarn.py: 9 packages, 8 edges
        Assert.Equal(8, result.Packages.Sum(p => p.DependsOn.Length));
        var root = result.Single("pkg:npm/berry-mono@2.0.0");
        Assert.True(root.IsRoot);
        Assert.Equal(["pkg:npm/fsevents@2.3.3", "pkg:npm/lodash@4.17.21", "pkg:npm/typescript@5.4.5"], CatalogerRun.Deps(root));
        var app = result.Single("pkg:npm/%40mono/app@0.5.0");
        Assert.True(app.IsRoot);
        Assert.Equal(["MIT"], app.Licenses.ToArray());
        Assert.Equal(["pkg:npm/git-thing@1.1.0", "pkg:npm/jest-lite@1.2.0", "pkg:npm/left-pad@1.3.0"], CatalogerRun.Deps(app));
        // "lodash: ^4.17.0" without the "npm:" prefix (older berry) still resolves
        Assert.Equal(["pkg:npm/lodash@4.17.21"], CatalogerRun.Deps(result.Single("pkg:npm/jest-lite@1.2.0")));
    }

    [Fact]
    public async Task Reads_berry_scopes_from_each_workspace_manifest()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-berry-workspaces/yarn.lock");

        Assert.Equal(Scope.Required, result.Single("pkg:npm/lodash@4.17.21").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/node-gyp@10.1.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/typescript@5.4.5").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/jest-lite@1.2.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/left-pad@1.3.0").Scope);
    }

    [Fact]
    public async Task Reads_berry_patches_aliases_git_and_checksums()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-berry-workspaces/yarn.lock");

        var fsevents = result.Single("pkg:npm/fsevents@2.3.3");
        Assert.Equal("patch:fsevents@npm%3A2.3.3#optional!builtin<compat/fsevents>::version=2.3.3&hash=df0bf1", fsevents.Properties["yarn:patch"]);
        Assert.Equal(2, fsevents.Locations.Length); // the plain and the patched entry
        Assert.False(fsevents.Properties.ContainsKey("bulwark:source"));
        var leftPad = result.Single("pkg:npm/left-pad@1.3.0");
        Assert.Equal("lp", leftPad.Properties["npm:alias"]);
        Assert.Equal(new FileLocation("yarn.lock", 73), leftPad.Locations.Single());
        Assert.Equal(
            "10c0/d8cbea072bb08655bb4c989da418994b073a608dffa608b09ac04b43a791b12aeae7cd7ad919aa4c925f33b48490b5cfe6c1f71d827956071dae2e7bb3a6b74c",
            result.Single("pkg:npm/lodash@4.17.21").Properties["yarn:checksum"]);
        var git = result.Single("pkg:npm/git-thing@1.1.0");
        Assert.Equal("git", git.Properties["bulwark:source"]);
        Assert.Equal(
            [new ExternalReference("vcs", "https://github.com/acme/git-thing.git#commit=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")],
            git.ExternalReferences.ToArray());
    }

    [Fact]
    public async Task Reads_an_empty_yarn_lock_as_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "yarn-empty/yarn.lock");

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Theory]
    [InlineData("yarn-v1-malformed", "line 5: a quoted string is not closed")]
    [InlineData("yarn-berry-malformed", "line 8")]
    public async Task Records_a_broken_yarn_lock_as_unreadable(string scenario, string reason)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + scenario + "/yarn.lock");

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.StartsWith(reason, unreadable.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yarn.lock", true)]
    [InlineData("web/yarn.lock", true)]
    [InlineData("node_modules/a/yarn.lock", false)]
    [InlineData("yarn.lock.bak", false)]
    public void Wants_yarn_lock_outside_node_modules(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));
}
