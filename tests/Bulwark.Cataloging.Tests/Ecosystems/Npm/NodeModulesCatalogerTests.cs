// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Npm;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Npm;

public sealed class NodeModulesCatalogerTests
{
    private const string Tree = "Ecosystems/Npm/testdata/node-modules-tree";
    private static readonly NodeModulesCataloger Cataloger = new();

    [Fact]
    public async Task Reads_each_installed_package_once()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Tree);

        Assert.Equal(
            ["pkg:npm/%40types/node@20.1.0", "pkg:npm/chalk@5.3.0", "pkg:npm/debug@2.6.9", "pkg:npm/debug@4.3.4", "pkg:npm/express@4.18.2",
             "pkg:npm/left-pad@1.3.0", "pkg:npm/ms@2.0.0", "pkg:npm/ms@2.1.2", "pkg:npm/supports-color@9.4.0"],
            result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal(
            [new FileLocation("node_modules/express/node_modules/debug/package.json")],
            result.Single("pkg:npm/debug@2.6.9").Locations.ToArray());
    }

    [Fact]
    public async Task Resolves_dependencies_by_nodes_lookup_rules()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Tree);

        // express's own node_modules first; the missing optional dependency is simply not there
        Assert.Equal(["pkg:npm/debug@2.6.9"], CatalogerRun.Deps(result.Single("pkg:npm/express@4.18.2")));
        // debug 2.6.9 (in express/node_modules) finds ms 2.0.0 one level up, not the top-level 2.1.2
        Assert.Equal(["pkg:npm/ms@2.0.0"], CatalogerRun.Deps(result.Single("pkg:npm/debug@2.6.9")));
        // an absent peer dependency is no edge
        Assert.Equal(["pkg:npm/ms@2.1.2"], CatalogerRun.Deps(result.Single("pkg:npm/debug@4.3.4")));
        // pnpm's store: node_modules/.pnpm/node_modules holds the hoisted packages
        Assert.Equal(["pkg:npm/supports-color@9.4.0"], CatalogerRun.Deps(result.Single("pkg:npm/chalk@5.3.0")));
    }

    [Fact]
    public async Task Takes_scopes_from_npms_hidden_lockfile_or_old_install_fields()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Tree);

        Assert.Equal(Scope.Dev, result.Single("pkg:npm/%40types/node@20.1.0").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:npm/ms@2.1.2").Scope); // devOptional
        Assert.Equal(Scope.Required, result.Single("pkg:npm/express@4.18.2").Scope);
        // not in the hidden lockfile: npm 6's "_development": true
        Assert.Equal(Scope.Dev, result.Single("pkg:npm/left-pad@1.3.0").Scope);
        // pnpm's store has no npm hidden lockfile
        Assert.Equal(Scope.Required, result.Single("pkg:npm/chalk@5.3.0").Scope);
    }

    [Fact]
    public async Task Reads_licenses_in_every_form_and_the_install_metadata()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Tree);

        Assert.Equal(["MIT"], result.Single("pkg:npm/debug@4.3.4").Licenses.ToArray()); // {"type": "MIT"}
        Assert.Equal(["MIT"], result.Single("pkg:npm/debug@2.6.9").Licenses.ToArray()); // legacy "licenses" array
        var express = result.Single("pkg:npm/express@4.18.2");
        Assert.Equal(["MIT"], express.Licenses.ToArray());
        Assert.Equal([new ExternalReference("distribution", "https://registry.npmjs.org/express/-/express-4.18.2.tgz")], express.ExternalReferences.ToArray());
        Assert.Equal(HashAlgorithm.Sha512, express.Hashes.Single().Algorithm);
        Assert.Equal("lp", result.Single("pkg:npm/left-pad@1.3.0").Properties["npm:alias"]);
    }

    [Fact]
    public async Task Records_a_broken_package_json_and_skips_manifests_without_a_version()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Tree);

        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("node_modules/broken/package.json", unreadable.Location.Path);
        Assert.DoesNotContain(result.Packages, p => p.Name is "no-version" or "fixture" or "fake" or "broken");
    }

    [Theory]
    [InlineData("node_modules/a/package.json", true)]
    [InlineData("app/node_modules/@s/a/package.json", true)]
    [InlineData("node_modules/a/node_modules/b/package.json", true)]
    [InlineData("node_modules/@s/a/node_modules/@t/b/package.json", true)]
    [InlineData("node_modules/.pnpm/a@1.0.0/node_modules/a/package.json", true)]
    [InlineData("node_modules/.pnpm/node_modules/a/package.json", true)]
    [InlineData("package.json", false)]
    [InlineData("node_modules/package.json", false)]
    [InlineData("node_modules/@s/package.json", false)]
    [InlineData("node_modules/a/dist/package.json", false)]
    [InlineData("node_modules/a/test/fixtures/node_modules/b/package.json", false)]
    [InlineData("node_modules/.bin/package.json", false)]
    [InlineData("node_modules/a/package.json.bak", false)]
    public void Wants_only_package_roots_inside_node_modules(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));
}
