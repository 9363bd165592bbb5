// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Npm;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Npm;

public sealed class PnpmLockCatalogerTests
{
    private const string Data = "Ecosystems/Npm/testdata/";
    private static readonly PnpmLockCataloger Cataloger = new();

    [Theory]
    // Counts made independently with testdata/count-pnpm.py (python3 + PyYAML): distinct name@version without
    // peer suffixes, named importers included, distinct edges from snapshots/packages and importers, and
    // required/optional/dev counts (flags before version 9, best path from an importer in version 9).
    [InlineData("pnpm/CycloneDX__cdxgen/pnpm-lock.yaml", 309, 487, 175, 124, 10)]
    [InlineData(Data + "pnpm-v5/pnpm-lock.yaml", 9, 11, 6, 1, 2)]
    [InlineData(Data + "pnpm-v6/pnpm-lock.yaml", 5, 4, 3, 0, 2)]
    [InlineData(Data + "pnpm-v9-workspace/pnpm-lock.yaml", 13, 13, 11, 1, 1)]
    public async Task Reads_every_package_edge_and_scope(string file, int packages, int edges, int required, int optional, int dev)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, file.StartsWith(Data, StringComparison.Ordinal) ? file : CatalogerRun.Corpus(file));

        result.AssertTotals(packages, edges, required, optional, dev);
    }

    [Fact]
    public async Task Merges_peer_variants_of_a_real_v9_lockfile_into_one_package()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pnpm/CycloneDX__cdxgen/pnpm-lock.yaml"));

        Assert.Single(result.Packages, p => p.Name == "ajv-formats");
        var formats = result.Single("pkg:npm/ajv-formats@3.0.1");
        Assert.Equal(["pkg:npm/ajv@8.17.1"], CatalogerRun.Deps(formats));
        var root = result.Single("pkg:npm/%40cyclonedx/cdxgen@12.1.0");
        Assert.True(root.IsRoot);
        Assert.Contains("pkg:npm/ajv-formats@3.0.1", CatalogerRun.Deps(root));
        var atom = result.Single("pkg:npm/%40appthreat/atom-common@1.0.12");
        Assert.Equal(Scope.Optional, atom.Scope);
        Assert.Equal(new FileLocation("pnpm-lock.yaml", 511), atom.Locations.Single());
        Assert.Equal(HashAlgorithm.Sha512, atom.Hashes.Single().Algorithm);
    }

    [Fact]
    public async Task Reads_version_5_keys_flags_and_aliases()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "pnpm-v5/pnpm-lock.yaml");

        Assert.Equal(
            ["pkg:npm/%40types/node@18.0.0", "pkg:npm/fsevents@2.3.3", "pkg:npm/git-thing@1.1.0", "pkg:npm/jest-lite@1.2.0", "pkg:npm/left-pad@1.3.0",
             "pkg:npm/loose-envify@1.4.0", "pkg:npm/pnpm-v5-app@1.0.0", "pkg:npm/react-dom@17.0.2", "pkg:npm/react@17.0.2"],
            result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/%40types/node@18.0.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/jest-lite@1.2.0").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        // no "dev" flag: needed by both the production and the dev tree
        Assert.Equal(Scope.Required, result.Single("pkg:npm/loose-envify@1.4.0").Scope);
        Assert.Equal(["pkg:npm/loose-envify@1.4.0", "pkg:npm/react@17.0.2"], CatalogerRun.Deps(result.Single("pkg:npm/react-dom@17.0.2")));
        Assert.Equal("lp", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);
        var root = result.Single("pkg:npm/pnpm-v5-app@1.0.0");
        Assert.Equal(
            ["pkg:npm/%40types/node@18.0.0", "pkg:npm/fsevents@2.3.3", "pkg:npm/git-thing@1.1.0", "pkg:npm/jest-lite@1.2.0",
             "pkg:npm/left-pad@1.3.0", "pkg:npm/react-dom@17.0.2", "pkg:npm/react@17.0.2"],
            CatalogerRun.Deps(root));
        Assert.Equal(["MIT"], root.Licenses.ToArray());
        var git = result.Single("pkg:npm/git-thing@1.1.0");
        // a GitHub commit archive: the repository and commit, and the archive it was downloaded as
        Assert.Equal("git", git.Properties["bulwark:source"]);
        Assert.Equal(
            [new ExternalReference("distribution", "https://codeload.github.com/acme/git-thing/tar.gz/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"),
             new ExternalReference("vcs", "https://github.com/acme/git-thing.git#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")],
            git.ExternalReferences.ToArray());
    }

    [Fact]
    public async Task Reads_version_6_peer_variants_as_one_package_with_the_stronger_scope()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "pnpm-v6/pnpm-lock.yaml");

        Assert.Equal(
            ["pkg:npm/ajv-formats@2.1.1", "pkg:npm/ajv@6.12.6", "pkg:npm/ajv@8.12.0", "pkg:npm/eslint-thing@1.0.0", "pkg:npm/left-pad@1.3.0"],
            result.Packages.Select(p => p.Purl.ToString()));
        var formats = result.Single("pkg:npm/ajv-formats@2.1.1");
        Assert.Equal(Scope.Required, formats.Scope); // one variant is dev, the other is not
        Assert.Equal(["pkg:npm/ajv@6.12.6", "pkg:npm/ajv@8.12.0"], CatalogerRun.Deps(formats));
        Assert.Equal(new FileLocation("pnpm-lock.yaml", 25), formats.Locations.Single()); // the first variant
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/ajv@6.12.6").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/ajv@8.12.0").Scope);
        Assert.Equal("lp", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);
        Assert.DoesNotContain(result.Packages, p => p.IsRoot); // no package.json names the project
    }

    [Fact]
    public async Task Reads_version_9_workspaces_and_derives_scopes_from_importers()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "pnpm-v9-workspace/pnpm-lock.yaml");

        var app = result.Single("pkg:npm/%40mono/app@0.2.0");
        Assert.True(app.IsRoot);
        Assert.Equal("workspace", app.Properties["bulwark:source"]);
        Assert.Equal(
            ["pkg:npm/%40mono/lib@0.1.0", "pkg:npm/fsevents@2.3.3", "pkg:npm/git-thing@1.1.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/tar-thing@0.1.0"],
            CatalogerRun.Deps(app));
        Assert.Equal(["Apache-2.0"], result.Single("pkg:npm/%40mono/lib@0.1.0").Licenses.ToArray());
        Assert.Equal(["pkg:npm/typescript@5.4.5"], CatalogerRun.Deps(result.Single("pkg:npm/pnpm-mono@1.0.0")));
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/typescript@5.4.5").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/js-tokens@4.0.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/vcs-thing@2.0.0").Scope);
    }

    [Fact]
    public async Task Reads_version_9_git_tarball_and_alias_resolutions()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "pnpm-v9-workspace/pnpm-lock.yaml");

        var vcs = result.Single("pkg:npm/vcs-thing@2.0.0");
        Assert.Equal("git", vcs.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("vcs", "https://github.com/acme/vcs-thing.git#0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6")], vcs.ExternalReferences.ToArray());
        Assert.Equal(["pkg:npm/vcs-thing@2.0.0"], CatalogerRun.Deps(result.Single("pkg:npm/git-thing@1.1.0")));
        Assert.Equal("git", result.Single("pkg:npm/git-thing@1.1.0").Properties["bulwark:source"]);
        var tarball = result.Single("pkg:npm/tar-thing@0.1.0");
        Assert.Equal("tarball", tarball.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("distribution", "https://cdn.example.com/files/tar-thing-0.1.0.tgz")], tarball.ExternalReferences.ToArray());
        Assert.Single(tarball.Hashes);
        Assert.Equal("lp", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);
        Assert.False(result.Single("pkg:npm/react@18.2.0").Properties.ContainsKey("bulwark:source"));
    }

    [Fact]
    public async Task Reads_an_empty_lockfile_as_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "pnpm-empty/pnpm-lock.yaml");

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Theory]
    [InlineData("pnpm-malformed", "line 6")]
    [InlineData("pnpm-unknown-version", "line 1: lockfileVersion '2' is not one this reader knows")]
    public async Task Records_a_broken_lockfile_as_unreadable(string scenario, string reason)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + scenario + "/pnpm-lock.yaml");

        Assert.Empty(result.Packages);
        Assert.StartsWith(reason, Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pnpm-lock.yaml", true)]
    [InlineData("apps/web/pnpm-lock.yaml", true)]
    [InlineData("node_modules/a/pnpm-lock.yaml", false)]
    [InlineData("pnpm-workspace.yaml", false)]
    public void Wants_pnpm_lock_yaml_outside_node_modules(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));
}
