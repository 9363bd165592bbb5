// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class PdmLockCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata";
    private static readonly PdmLockCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public async Task Reads_groups_as_scopes_dependencies_hashes_and_sources()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/pdm/pdm.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:pypi/certifi@2024.8.30", "pkg:pypi/click@8.1.7", "pkg:pypi/devtool@0.1.0", "pkg:pypi/localdep@0.0.1", "pkg:pypi/mkdocs@1.6.1",
            "pkg:pypi/pdm-app@1.2.3", "pkg:pypi/pluggy@1.5.0", "pkg:pypi/pysocks@1.7.1", "pkg:pypi/pytest@8.3.3", "pkg:pypi/requests@2.32.3",
            "pkg:pypi/urllib3@2.2.3",
        ], Purls(result.Packages.Select(p => p.Purl)));

        Assert.Equal(Scope.Required, result.Single("pkg:pypi/urllib3@2.2.3").Scope); // default and test: default wins
        Assert.Equal(Scope.Optional, result.Single("pkg:pypi/mkdocs@1.6.1").Scope); // docs is an extra in pyproject.toml
        Assert.Equal(Scope.Optional, result.Single("pkg:pypi/click@8.1.7").Scope); // docs and test: the extra is the stronger need
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pytest@8.3.3").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pluggy@1.5.0").Scope);

        // the entry per extra set is merged into one package; its edges are unioned
        var requests = result.Single("pkg:pypi/requests@2.32.3");
        Assert.Equal(2, requests.Locations.Length);
        Assert.Equal(["pkg:pypi/certifi@2024.8.30", "pkg:pypi/pysocks@1.7.1", "pkg:pypi/urllib3@2.2.3"], Purls(requests.DependsOn));
        Assert.Equal(["pkg:pypi/pluggy@1.5.0"], Purls(result.Single("pkg:pypi/pytest@8.3.3").DependsOn)); // colorama is not locked

        Assert.Equal(2, result.Single("pkg:pypi/certifi@2024.8.30").Hashes.Length);
        var devtool = result.Single("pkg:pypi/devtool@0.1.0");
        Assert.Equal("git", devtool.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/example/devtool.git@9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", devtool.ExternalReferences.Single().Url);
        Assert.Equal("path", result.Single("pkg:pypi/localdep@0.0.1").Properties["bulwark:source"]);

        var root = result.Single("pkg:pypi/pdm-app@1.2.3");
        Assert.True(root.IsRoot);
        Assert.Equal(["pkg:pypi/devtool@0.1.0", "pkg:pypi/localdep@0.0.1", "pkg:pypi/mkdocs@1.6.1", "pkg:pypi/pytest@8.3.3", "pkg:pypi/requests@2.32.3"],
            Purls(root.DependsOn));
    }

    [Fact]
    public async Task Reads_the_old_format_with_sections_and_metadata_files()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/pdm-old-format/pdm.lock");
        Assert.Equal(["pkg:pypi/mock@4.0.3", "pkg:pypi/six@1.16.0"], Purls(result.Packages.Select(p => p.Purl)));
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/mock@4.0.3").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/six@1.16.0").Scope);
        Assert.Equal("sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254", result.Single("pkg:pypi/six@1.16.0").Hashes.Single().ToString());
        Assert.Equal(["pkg:pypi/six@1.16.0"], Purls(result.Single("pkg:pypi/mock@4.0.3").DependsOn));
    }

    [Fact]
    public async Task Without_pyproject_every_group_but_default_is_dev()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/pdm-no-pyproject/pdm.lock");
        Assert.Equal(2, result.Packages.Count);
        Assert.DoesNotContain(result.Packages, p => p.IsRoot);
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/a@1.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/b@2.0").Scope);
    }
}
