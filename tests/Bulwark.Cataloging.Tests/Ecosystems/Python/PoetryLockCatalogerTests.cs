// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class PoetryLockCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata";
    private static readonly PoetryLockCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public async Task Reads_a_real_lock_version_2_1_file_with_groups_and_its_pyproject_root()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("poetry/python-poetry__poetry/poetry.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(79, result.Packages.Count); // 78 locked + the project itself
        Assert.Equal(53, result.Packages.Count(p => p.Scope == Scope.Required && !p.IsRoot));
        Assert.Equal(25, result.Packages.Count(p => p.Scope == Scope.Dev));

        var root = Assert.Single(result.Packages, p => p.IsRoot);
        Assert.Equal("pkg:pypi/poetry@2.5.0.dev0", root.Purl.ToString());
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(35, root.DependsOn.Length);
        Assert.Contains(Purl.Parse("pkg:pypi/poetry-core@2.4.1"), root.DependsOn);
        Assert.Contains(Purl.Parse("pkg:pypi/pytest-xdist@3.8.0"), root.DependsOn);

        var core = result.Single("pkg:pypi/poetry-core@2.4.1");
        Assert.Equal("git", core.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/python-poetry/poetry-core.git@e3998b0e111dc03e4aa721fd054c48e5c7de6fc5", core.ExternalReferences.Single().Url);

        var cachecontrol = result.Single("pkg:pypi/cachecontrol@0.14.4");
        Assert.Equal(Scope.Required, cachecontrol.Scope);
        Assert.Equal(2, cachecontrol.Hashes.Length);
        Assert.Equal(3, cachecontrol.DependsOn.Length);
        Assert.Contains(Purl.Parse("pkg:pypi/requests@2.33.1"), cachecontrol.DependsOn);

        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/coverage@7.13.5").Scope);
        Assert.Equal(3, result.Single("pkg:pypi/anyio@4.13.0").Locations.Single().Line);
        // [package.dependencies] typing_extensions resolves through its PEP 503 name
        Assert.Contains(Purl.Parse("pkg:pypi/typing-extensions@4.15.0"), result.Single("pkg:pypi/anyio@4.13.0").DependsOn);
    }

    [Fact]
    public async Task Reads_an_old_lock_version_1_1_file_with_categories_and_metadata_files()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/poetry-1.1/poetry.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:pypi/certifi@2021.10.8", "pkg:pypi/localpkg@0.1.0", "pkg:pypi/old-service@1.0.0", "pkg:pypi/pluggy@1.0.0",
            "pkg:pypi/pysocks@1.7.1", "pkg:pypi/pytest@6.2.5", "pkg:pypi/requests@2.26.0", "pkg:pypi/toolkit@0.4.0",
        ], Purls(result.Packages.Select(p => p.Purl)));

        Assert.Equal(Scope.Required, result.Single("pkg:pypi/certifi@2021.10.8").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pytest@6.2.5").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pluggy@1.0.0").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:pypi/pysocks@1.7.1").Scope);
        Assert.Equal("PySocks", result.Single("pkg:pypi/pysocks@1.7.1").Name);

        Assert.Equal(
            ["sha256:78884e7c1d4b00ce3cea67b44566851c4343c120abd683433ce934a68ea58872", "sha256:d62a0163eb4c2344ac042ab2bdf75399a71a2d8c7d47eac2e2ee91b9d6339569"],
            result.Single("pkg:pypi/certifi@2021.10.8").Hashes.Select(h => h.ToString()).ToArray());
        Assert.Single(result.Single("pkg:pypi/pysocks@1.7.1").Hashes);

        Assert.Equal(["pkg:pypi/certifi@2021.10.8", "pkg:pypi/pysocks@1.7.1"], Purls(result.Single("pkg:pypi/requests@2.26.0").DependsOn));

        var toolkit = result.Single("pkg:pypi/toolkit@0.4.0");
        Assert.Equal("git", toolkit.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/example/toolkit.git@4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c", toolkit.ExternalReferences.Single().Url);
        Assert.Equal("path", result.Single("pkg:pypi/localpkg@0.1.0").Properties["bulwark:source"]);

        var root = result.Single("pkg:pypi/old-service@1.0.0");
        Assert.True(root.IsRoot);
        Assert.Equal("Old_Service", root.Name);
        Assert.Equal(["pkg:pypi/localpkg@0.1.0", "pkg:pypi/pytest@6.2.5", "pkg:pypi/requests@2.26.0", "pkg:pypi/toolkit@0.4.0"], Purls(root.DependsOn));
    }

    [Fact]
    public async Task Takes_scopes_from_pyproject_groups_when_a_lock_version_2_0_file_has_none()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/poetry-2.0/poetry.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(5, result.Packages.Count);
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/click@8.1.7").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/colorama@0.4.6").Scope); // also reached from the dev tool, but main wins
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/black@24.8.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/mypy-extensions@1.0.0").Scope);
        Assert.Equal(["pkg:pypi/black@24.8.0", "pkg:pypi/click@8.1.7"], Purls(result.Single("pkg:pypi/cli-tool@0.3.0").DependsOn));
    }

    [Fact]
    public async Task An_empty_lockfile_has_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/poetry-empty/poetry.lock");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task A_malformed_lockfile_is_unreadable_with_its_line()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/poetry-malformed/poetry.lock");
        Assert.Empty(result.Packages);
        Assert.Equal("line 8: the key 'name' is defined more than once.", Assert.Single(result.Unreadable).Reason);
    }
}
