// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Npm;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Npm;

public sealed class PackageLockCatalogerTests
{
    private const string Data = "Ecosystems/Npm/testdata/";
    private static readonly PackageLockCataloger Cataloger = new();

    [Theory]
    // Counts made independently with testdata/count-package-lock.js (node): distinct name@version, root included,
    // distinct dependency edges resolved by Node's nearest-node_modules rule, and required/optional/dev counts.
    [InlineData("npm-package-lock-v2/in-toto__attestation/package-lock.json", 75, 155, 75, 0, 0)]
    [InlineData("npm-package-lock-v2/slsa-framework__slsa-verifier/actions/installer/package-lock.json", 307, 559, 31, 0, 276)]
    [InlineData("npm-package-lock-v3/nodejs__security-wg/package-lock.json", 55, 68, 55, 0, 0)]
    [InlineData("npm-package-lock-v3/phoenixframework__phoenix/package-lock.json", 635, 1324, 1, 0, 634)]
    public async Task Reads_every_package_edge_and_scope_of_real_lockfiles(string file, int packages, int edges, int required, int optional, int dev)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(file));

        // the script does not count a workspace's own devDependencies; none of these lockfiles has workspaces
        result.AssertTotals(packages, edges, required, optional, dev);
    }

    [Fact]
    public async Task Reads_scopes_of_a_real_v3_lockfile()
    {
        // node: 1 required (the root), 634 dev; "dev" with "optional" (fsevents) is Dev
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("npm-package-lock-v3/phoenixframework__phoenix/package-lock.json"));

        Assert.Equal(634, result.Packages.Count(p => p.Scope == Scope.Dev));
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        var root = result.Single("pkg:npm/phoenix@1.9.0-dev");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(Scope.Required, root.Scope);
        Assert.Equal(["MIT"], root.Licenses.ToArray());
        Assert.Equal(
            ["pkg:npm/%40eslint/js@10.0.1", "pkg:npm/%40stylistic/eslint-plugin@5.10.0", "pkg:npm/documentation@14.0.3",
             "pkg:npm/eslint-plugin-jest@29.16.0", "pkg:npm/eslint@10.8.0", "pkg:npm/jest-environment-jsdom@30.4.1",
             "pkg:npm/jest@30.4.2", "pkg:npm/jsdom@30.0.1", "pkg:npm/mock-socket@9.3.1"],
            CatalogerRun.Deps(root));
    }

    [Fact]
    public async Task Resolves_a_nested_copy_before_the_hoisted_one()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("npm-package-lock-v3/phoenixframework__phoenix/package-lock.json"));

        var color = result.Single("pkg:npm/%40asamuzakjp/css-color@6.0.5");
        Assert.Contains("pkg:npm/lru-cache@11.5.2", CatalogerRun.Deps(color));
        Assert.Equal(new FileLocation("package-lock.json", 23), color.Locations.Single());
        Assert.Equal(["MIT"], color.Licenses.ToArray());
        // python3: base64.b64decode(integrity).hex()
        Assert.Equal(new Digest(HashAlgorithm.Sha512,
            "99b8693cc9a7c3f9305b5f5a44d992525d50ccb6dd1a8d520ae138f414fdf0c370a85eb36876f7a36a30b2c15cfcf10eff8b76523aad08dc2872e0ed268ae7cc"),
            color.Hashes.Single());
        Assert.Contains(new ExternalReference("distribution", "https://registry.npmjs.org/@asamuzakjp/css-color/-/css-color-6.0.5.tgz"), color.ExternalReferences.ToArray());
    }

    [Fact]
    public async Task Names_an_unnamed_root_from_the_lockfile_name()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("npm-package-lock-v2/in-toto__attestation/package-lock.json"));

        var root = result.Single("pkg:npm/attestation");
        Assert.True(root.IsRoot);
        Assert.Equal(["pkg:npm/markdownlint-cli@0.49.1"], CatalogerRun.Deps(root));
    }

    [Fact]
    public async Task Reads_workspace_members_as_roots_with_their_own_dependencies()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-workspaces/package-lock.json");

        Assert.Empty(result.Unreadable);
        Assert.Equal(14, result.Packages.Count);
        var app = result.Single("pkg:npm/%40acme/app@1.0.0");
        Assert.True(app.IsRoot);
        Assert.Equal("workspace", app.Properties["bulwark:source"]);
        Assert.Equal(
            ["pkg:npm/%40acme/util@0.3.0", "pkg:npm/git-thing@1.1.0", "pkg:npm/left-pad@1.3.0", "pkg:npm/opt-thing@1.0.0",
             "pkg:npm/react@18.2.0", "pkg:npm/shim@0.0.1", "pkg:npm/tar-thing@0.1.0", "pkg:npm/typescript@5.4.5"],
            CatalogerRun.Deps(app));
        Assert.Equal(["pkg:npm/react@17.0.2"], CatalogerRun.Deps(result.Single("pkg:npm/%40acme/util@0.3.0")));
        // react 18 sits in packages/app/node_modules; its own dependency is found by walking up to the root
        Assert.Equal(["pkg:npm/loose-envify@1.4.0"], CatalogerRun.Deps(result.Single("pkg:npm/react@18.2.0")));
        Assert.Equal(["pkg:npm/both@1.0.0", "pkg:npm/fsevents@2.3.3", "pkg:npm/typescript@5.4.5"], CatalogerRun.Deps(result.Single("pkg:npm/monorepo@1.0.0")));
    }

    [Fact]
    public async Task Reads_dev_optional_and_dev_optional_flags_as_scopes()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-workspaces/package-lock.json");

        Assert.Equal(Scope.Dev, result.Single("pkg:npm/typescript@5.4.5").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/fsevents@2.3.3").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/opt-thing@1.0.0").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/both@1.0.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:npm/react@18.2.0").Scope);
    }

    [Fact]
    public async Task Reads_aliases_git_tarball_and_folder_sources()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-workspaces/package-lock.json");

        var leftPad = result.Single("pkg:npm/left-pad@1.3.0");
        Assert.Equal("lp", leftPad.Properties["npm:alias"]);
        Assert.Equal(["WTFPL"], leftPad.Licenses.ToArray());
        Assert.DoesNotContain(result.Packages, p => p.Name == "lp");

        var git = result.Single("pkg:npm/git-thing@1.1.0");
        Assert.Equal("git", git.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("vcs", "git+ssh://git@github.com/acme/git-thing.git#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")], git.ExternalReferences.ToArray());

        var tarball = result.Single("pkg:npm/tar-thing@0.1.0");
        Assert.Equal("tarball", tarball.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("distribution", "https://cdn.example.com/files/tar-thing-0.1.0.tgz")], tarball.ExternalReferences.ToArray());
        Assert.Single(tarball.Hashes);

        var shim = result.Single("pkg:npm/shim@0.0.1");
        Assert.Equal("path", shim.Properties["bulwark:source"]);
        Assert.False(shim.IsRoot);

        Assert.False(result.Single("pkg:npm/react@17.0.2").Properties.ContainsKey("bulwark:source"));
    }

    [Fact]
    public async Task Reads_a_version_1_tree_with_requires()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-v1/package-lock.json");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:npm/debug@2.6.9", "pkg:npm/left-pad@1.3.0", "pkg:npm/legacy-app@2.0.0", "pkg:npm/local-lib",
             "pkg:npm/mocha-lib@0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6", "pkg:npm/ms@2.0.0", "pkg:npm/ms@2.1.3", "pkg:npm/tarball-dep@0.4.1"],
            result.Packages.Select(p => p.Purl.ToString()));
        // debug's nested ms 2.0.0 wins over the hoisted 2.1.3; mocha-lib walks up to the hoisted one
        Assert.Equal(["pkg:npm/ms@2.0.0"], CatalogerRun.Deps(result.Single("pkg:npm/debug@2.6.9")));
        Assert.Equal(["pkg:npm/ms@2.1.3"], CatalogerRun.Deps(result.Single("pkg:npm/mocha-lib@0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6")));
        Assert.Equal(["pkg:npm/debug@2.6.9"], CatalogerRun.Deps(result.Single("pkg:npm/local-lib")));
        Assert.Equal(new FileLocation("package-lock.json", 15), result.Single("pkg:npm/ms@2.0.0").Locations.Single());
        Assert.Equal(new Digest(HashAlgorithm.Sha1, "5608aeadfc00be6c2901df5f9861788de0d597c8"), result.Single("pkg:npm/ms@2.0.0").Hashes.Single());
    }

    [Fact]
    public async Task Reads_version_1_sources_and_scopes()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-v1/package-lock.json");

        var git = result.Single("pkg:npm/mocha-lib@0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6");
        Assert.Equal(Scope.Dev, git.Scope);
        Assert.Equal("git", git.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("vcs", "git+https://github.com/example/mocha-lib.git#0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6")], git.ExternalReferences.ToArray());
        var tarball = result.Single("pkg:npm/tarball-dep@0.4.1");
        Assert.Equal(Scope.Optional, tarball.Scope);
        Assert.Equal("tarball", tarball.Properties["bulwark:source"]);
        Assert.Equal("path", result.Single("pkg:npm/local-lib").Properties["bulwark:source"]);
        Assert.Equal("left", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);
    }

    [Fact]
    public async Task Takes_version_1_root_dependencies_from_package_json_when_present()
    {
        var without = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-v1/package-lock.json");
        var with = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-v1-with-manifest/package-lock.json");

        // without package.json: the top-level packages nothing else requires (debug is required by local-lib)
        Assert.Equal(
            ["pkg:npm/left-pad@1.3.0", "pkg:npm/local-lib", "pkg:npm/mocha-lib@0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6", "pkg:npm/tarball-dep@0.4.1"],
            CatalogerRun.Deps(without.Single("pkg:npm/legacy-app@2.0.0")));
        var root = with.Single("pkg:npm/legacy-app@2.0.0");
        Assert.Equal(
            ["pkg:npm/debug@2.6.9", "pkg:npm/left-pad@1.3.0", "pkg:npm/local-lib", "pkg:npm/mocha-lib@0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6", "pkg:npm/tarball-dep@0.4.1"],
            CatalogerRun.Deps(root));
        Assert.Equal(["ISC"], root.Licenses.ToArray());
        Assert.True(root.IsRoot);
    }

    [Fact]
    public async Task Reads_npm_shrinkwrap_json_like_a_lockfile()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "shrinkwrap/npm-shrinkwrap.json");

        Assert.Equal(["pkg:npm/cli-tool@0.9.1", "pkg:npm/semver@7.6.3"], result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal(["pkg:npm/semver@7.6.3"], CatalogerRun.Deps(result.Single("pkg:npm/cli-tool@0.9.1")));
        Assert.Equal(["ISC"], result.Single("pkg:npm/semver@7.6.3").Licenses.ToArray());
        Assert.Equal(new FileLocation("npm-shrinkwrap.json", 15), result.Single("pkg:npm/semver@7.6.3").Locations.Single());
    }

    [Fact]
    public async Task Reads_a_lockfile_that_starts_with_a_byte_order_mark()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + "package-lock-bom/package-lock.json");

        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:npm/ms@2.1.3"], CatalogerRun.Deps(result.Single("pkg:npm/bom-app@1.0.0")));
        Assert.Equal(new FileLocation("package-lock.json", 7), result.Single("pkg:npm/ms@2.1.3").Locations.Single());
    }

    [Theory]
    [InlineData("package-lock-empty", "line 1")]
    [InlineData("package-lock-malformed", "line 7")]
    [InlineData("package-lock-wrong-shape", "line 6: packages[\"node_modules/a\"] is not an object")]
    public async Task Records_a_broken_lockfile_as_unreadable(string scenario, string reason)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, Data + scenario + "/package-lock.json");

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.StartsWith(reason, unreadable.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", unreadable.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("package-lock.json", true)]
    [InlineData("web/npm-shrinkwrap.json", true)]
    [InlineData("node_modules/a/npm-shrinkwrap.json", true)]
    [InlineData("node_modules/a/package-lock.json", false)]
    [InlineData("node_modules/.package-lock.json", false)]
    [InlineData("package.json", false)]
    public void Wants_lockfiles_but_not_those_published_inside_packages(string path, bool wanted) =>
        Assert.Equal(wanted, Cataloger.Wants(path));
}
