// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class UvLockCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata";
    private static readonly UvLockCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public async Task Reads_a_real_uv_lock_with_an_editable_root_and_dev_dependencies()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("uv/sigstore__sigstore-python/uv.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(89, result.Packages.Count);
        Assert.Equal(30, result.Packages.Count(p => p.Scope == Scope.Required));
        Assert.Equal(59, result.Packages.Count(p => p.Scope == Scope.Dev));

        // the version is dynamic in pyproject.toml, so the root has none
        var root = Assert.Single(result.Packages, p => p.IsRoot);
        Assert.Equal("pkg:pypi/sigstore", root.Purl.ToString());
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(13 + 11, root.DependsOn.Length);

        var cryptography = result.Single("pkg:pypi/cryptography@50.0.0");
        Assert.Equal(Scope.Required, cryptography.Scope);
        Assert.Equal(46, cryptography.Hashes.Length);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pytest@9.1.1").Scope);
    }

    [Fact]
    public async Task Reads_a_workspace_with_git_path_forked_versions_extras_and_dev_groups()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/uv-workspace/uv.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:pypi/app@0.9.0", "pkg:pypi/iniconfig@2.0.0", "pkg:pypi/numpy@1.26.4", "pkg:pypi/numpy@2.1.0", "pkg:pypi/orjson@3.10.7",
            "pkg:pypi/pytest@8.3.3", "pkg:pypi/shared@0.2.0", "pkg:pypi/toolz@0.12.1", "pkg:pypi/vendored-lib@1.0.0",
        ], Purls(result.Packages.Select(p => p.Purl)));

        // the root's version comes from pyproject.toml; the editable workspace member is a root too
        var app = result.Single("pkg:pypi/app@0.9.0");
        Assert.True(app.IsRoot);
        Assert.Equal(
            ["pkg:pypi/numpy@1.26.4", "pkg:pypi/numpy@2.1.0", "pkg:pypi/orjson@3.10.7", "pkg:pypi/pytest@8.3.3", "pkg:pypi/shared@0.2.0", "pkg:pypi/toolz@0.12.1"],
            Purls(app.DependsOn));
        Assert.True(result.Single("pkg:pypi/shared@0.2.0").IsRoot);
        Assert.Equal(["pkg:pypi/vendored-lib@1.0.0"], Purls(result.Single("pkg:pypi/shared@0.2.0").DependsOn));

        Assert.Equal(Scope.Required, result.Single("pkg:pypi/numpy@2.1.0").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/vendored-lib@1.0.0").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:pypi/orjson@3.10.7").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pytest@8.3.3").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/iniconfig@2.0.0").Scope);

        var toolz = result.Single("pkg:pypi/toolz@0.12.1");
        Assert.Equal("git", toolz.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/pytoolz/toolz?tag=0.12.1#d4b0d93c5f8c2b8b8c9c6a8f0e3c3b5a0f1e2d3c", toolz.ExternalReferences.Single().Url);
        Assert.Equal("path", result.Single("pkg:pypi/vendored-lib@1.0.0").Properties["bulwark:source"]);

        var iniconfig = result.Single("pkg:pypi/iniconfig@2.0.0");
        Assert.Equal(
            ["sha256:2d91e135bf72d31a410b17c16da610a82cb55f6b0477d1a902134b24a455b8b3", "sha256:b6a85871a79d2e3b22d2d1b94ac2824226a63c6b741c88f7ae975f18b6778374"],
            iniconfig.Hashes.Select(h => h.ToString()).ToArray());
        Assert.Equal(new ExternalReference("distribution", "https://files.pythonhosted.org/packages/iniconfig-2.0.0.tar.gz"), iniconfig.ExternalReferences.Single());
        Assert.Equal(28, iniconfig.Locations.Single().Line);
    }

    [Fact]
    public async Task A_malformed_lockfile_is_unreadable_with_its_line()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/uv-malformed/uv.lock");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 6: ", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }
}
