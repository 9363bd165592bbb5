// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class RequirementsTxtCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata/requirements";
    private static readonly RequirementsTxtCataloger Cataloger = new();

    private static string[] Purls(CatalogResult r) => [.. r.Packages.Select(p => p.Purl.ToString())];

    [Theory]
    [InlineData("requirements.txt", true)]
    [InlineData("app/requirements-dev.txt", true)]
    [InlineData("Requirements_Test.TXT", true)]
    [InlineData("requirements.in", false)]
    [InlineData("constraints.txt", false)]
    [InlineData("dev-requirements.txt", false)]
    public void Wants_requirements_star_txt_files(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_pins_extras_hashes_includes_and_constraints()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/requirements.txt");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:pypi/attrs",
            "pkg:pypi/certifi@2024.8.30",
            "pkg:pypi/django@4.2.0",
            "pkg:pypi/flask@3.0.3",
            "pkg:pypi/idna@3.10",
            "pkg:pypi/requests@2.32.3",
            "pkg:pypi/typing-extensions@4.12.2",
            "pkg:pypi/urllib3@2.2.3",
            "pkg:pypi/zope.interface@6.4.post2",
        ], Purls(result));

        var flask = result.Single("pkg:pypi/flask@3.0.3");
        Assert.Equal("Flask", flask.Name);
        Assert.Equal([new FileLocation("requirements.txt", 8)], flask.Locations.ToArray());

        Assert.Equal("socks,security", result.Single("pkg:pypi/requests@2.32.3").Properties["python:extras"]);

        var certifi = result.Single("pkg:pypi/certifi@2024.8.30");
        Assert.Equal(
            ["sha256:922820b53db7a7257ffbda3f597266d435245903d80737e34f8a45ff3e3230d8", "sha256:bec941d2aa8195e248a60b31ff9f0558284cf01a52591ceda73ea9afea9d8cb9"],
            certifi.Hashes.Select(h => h.ToString()).ToArray());
        Assert.Equal(15, certifi.Locations.Single().Line);

        // unpinned: no version, the specifier kept
        var attrs = result.Single("pkg:pypi/attrs");
        Assert.Equal("", attrs.Version);
        Assert.Equal(">=23.1,<25", attrs.Properties["python:specifier"]);

        // pinned by constraints.txt (under its PEP 503 name), the requirement's own spelling kept
        var typing = result.Single("pkg:pypi/typing-extensions@4.12.2");
        Assert.Equal("typing_extensions", typing.Name);
        Assert.Equal(">=4.8", typing.Properties["python:specifier"]);

        // from included files, located there; the include cycle back to requirements.txt is read once
        Assert.Equal([new FileLocation("requirements-base.txt", 4)], result.Single("pkg:pypi/urllib3@2.2.3").Locations.ToArray());
        Assert.Equal([new FileLocation("sub/requirements-extra.txt", 2)], result.Single("pkg:pypi/idna@3.10").Locations.ToArray());
        Assert.All(result.Packages, p => Assert.Single(p.Locations));
    }

    [Fact]
    public async Task Keeps_environment_markers_as_a_property()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/requirements-markers.txt");
        Assert.Equal(["pkg:pypi/exceptiongroup", "pkg:pypi/pywin32@306", "pkg:pypi/tomli@2.0.1"], Purls(result));
        Assert.Equal("sys_platform == \"win32\"", result.Single("pkg:pypi/pywin32@306").Properties["python:marker"]);
        Assert.Equal("python_version < \"3.11\"", result.Single("pkg:pypi/tomli@2.0.1").Properties["python:marker"]);
        var eg = result.Single("pkg:pypi/exceptiongroup");
        Assert.Equal("python_version < '3.11'", eg.Properties["python:marker"]);
        Assert.Equal(">=1.0.0rc8", eg.Properties["python:specifier"]);
    }

    [Fact]
    public async Task Reads_vcs_url_and_path_requirements_with_their_source()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/requirements-vcs.txt");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:pypi/black",
            "pkg:pypi/click",
            "pkg:pypi/hgpkg",
            "pkg:pypi/local-pkg",
            "pkg:pypi/local-wheel@2.0.0",
            "pkg:pypi/mylib",
            "pkg:pypi/tarball-pkg@1.4.0",
            "pkg:pypi/wheelpkg@0.9.1",
        ], Purls(result));

        var click = result.Single("pkg:pypi/click");
        Assert.Equal("git", click.Properties["bulwark:source"]);
        Assert.Equal([new ExternalReference("vcs", "git+https://github.com/pallets/click.git@8.1.7#egg=click")], click.ExternalReferences.ToArray());
        Assert.Equal("git", result.Single("pkg:pypi/black").Properties["bulwark:source"]);
        Assert.Equal("path", result.Single("pkg:pypi/local-pkg").Properties["bulwark:source"]);
        Assert.Equal("path", result.Single("pkg:pypi/local-wheel@2.0.0").Properties["bulwark:source"]);
        Assert.Equal("url", result.Single("pkg:pypi/hgpkg").Properties["bulwark:source"]);

        var mylib = result.Single("pkg:pypi/mylib");
        Assert.Equal("git", mylib.Properties["bulwark:source"]);
        Assert.Equal("git+https://github.com/example/mylib.git@v1.2.0", mylib.ExternalReferences.Single().Url);

        var wheel = result.Single("pkg:pypi/wheelpkg@0.9.1");
        Assert.Equal("url", wheel.Properties["bulwark:source"]);
        Assert.Equal(new ExternalReference("distribution", "https://files.example.com/packages/wheelpkg-0.9.1-py3-none-any.whl"), wheel.ExternalReferences.Single());
        Assert.Equal("url", result.Single("pkg:pypi/tarball-pkg@1.4.0").Properties["bulwark:source"]);
    }

    [Fact]
    public async Task Reads_real_pip_compile_output_with_hashes()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pip-requirements/sigstore__sigstore-python/install/requirements.txt"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(32, result.Packages.Count);
        Assert.All(result.Packages, p => Assert.NotEmpty(p.Version));
        var cryptography = result.Single("pkg:pypi/cryptography@50.0.0");
        Assert.Equal(46, cryptography.Hashes.Length);
        Assert.Contains(new Digest(HashAlgorithm.Sha256, "031e2d5dd4bb9caa3ca9c82e5a197fd8ae680232cee62603d1a813f3f07e3d03"), cryptography.Hashes);
        Assert.Equal(212, cryptography.Locations.Single().Line);
        Assert.Equal(2, result.Single("pkg:pypi/annotated-types@0.8.0").Hashes.Length);
    }

    [Fact]
    public async Task Reads_the_second_real_file()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("pip-requirements/sigstore__sigstore-conformance/requirements.txt"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(28, result.Packages.Count);
        Assert.Equal("pytest", result.Single("pkg:pypi/pytest@9.1.1").Name);
    }

    [Fact]
    public async Task An_empty_file_has_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/requirements-empty.txt");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task A_malformed_line_makes_the_file_unreadable_naming_the_line()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Dir}/requirements-malformed.txt");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 3: 'this is not a requirement' is not a valid requirement.", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }
}
