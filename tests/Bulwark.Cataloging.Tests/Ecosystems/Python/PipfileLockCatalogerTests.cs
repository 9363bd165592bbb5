// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class PipfileLockCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata";
    private static readonly PipfileLockCataloger Cataloger = new();

    [Fact]
    public async Task Reads_the_real_pipenv_lockfile_default_as_required_and_develop_as_dev()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pipenv/pypa__pipenv/Pipfile.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(105, result.Packages.Count);
        Assert.Equal(10, result.Packages.Count(p => p.Scope == Scope.Required));
        Assert.Equal(95, result.Packages.Count(p => p.Scope == Scope.Dev));
        var pytz = result.Single("pkg:pypi/pytz@2026.1.post1");
        Assert.Equal(Scope.Required, pytz.Scope);
        Assert.Equal(["sha256:3378dde6a0c3d26719182142c56e60c7f9af7e968076f31aae569d72a0358ee1", "sha256:f2fd16142fda348286a75e1a524be810bb05d444e5a081f37f7affc635035f7a"],
            pytz.Hashes.Select(h => h.ToString()).ToArray());
        Assert.Equal(Scope.Required, result.Single("pkg:pypi/pytest@9.0.3").Scope); // in both sections
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/sphinx@9.1.0").Scope);
        Assert.Equal("python_version >= '3.7'", result.Single("pkg:pypi/exceptiongroup@1.3.1").Properties["python:marker"]);
        Assert.All(result.Packages, p => Assert.Empty(p.DependsOn));
    }

    [Fact]
    public async Task Reads_the_small_real_lockfile()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pipenv/rubysec__ruby-advisory-db/Pipfile.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(5, result.Packages.Count);
        Assert.All(result.Packages, p => Assert.Equal(Scope.Required, p.Scope));
    }

    [Fact]
    public async Task Reads_git_editable_and_file_entries_with_their_source()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/pipenv-vcs/Pipfile.lock");
        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:pypi/archived", "pkg:pypi/localpkg", "pkg:pypi/pytest@8.3.3", "pkg:pypi/requests@2.32.3", "pkg:pypi/toolkit"],
            result.Packages.Select(p => p.Purl.ToString()).ToArray());
        var toolkit = result.Single("pkg:pypi/toolkit");
        Assert.Equal("git", toolkit.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/example/toolkit.git@4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c", toolkit.ExternalReferences.Single().Url);
        Assert.Equal("path", result.Single("pkg:pypi/localpkg").Properties["bulwark:source"]);
        Assert.Equal("url", result.Single("pkg:pypi/archived").Properties["bulwark:source"]);
        // listed in both sections: the stronger need wins and the hash is kept
        var requests = result.Single("pkg:pypi/requests@2.32.3");
        Assert.Equal(Scope.Required, requests.Scope);
        Assert.Single(requests.Hashes);
        Assert.Equal(Scope.Dev, result.Single("pkg:pypi/pytest@8.3.3").Scope);
    }

    [Fact]
    public async Task Malformed_json_is_unreadable_with_its_line()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/pipenv-malformed/Pipfile.lock");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 4: ", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }
}
