// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class InstalledPackageCatalogerTests
{
    private const string Dir = "Ecosystems/Python/testdata/site-packages";
    private const string Site = "lib/python3.12/site-packages";
    private static readonly InstalledPackageCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Theory]
    [InlineData("venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA", true)]
    [InlineData("usr/lib/python3/dist-packages/certifi-2024.8.30.egg-info/PKG-INFO", true)]
    [InlineData("usr/lib/python3/dist-packages/six-1.16.0.egg-info", true)]
    [InlineData("venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/RECORD", false)]
    [InlineData("src/METADATA", false)]
    [InlineData("pkg/PKG-INFO", false)]
    public void Wants_core_metadata_files(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_an_installed_site_packages_tree()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, Dir);
        Assert.Equal(
        [
            "pkg:pypi/certifi@2024.8.30", "pkg:pypi/idna@3.10", "pkg:pypi/my-app@1.0", "pkg:pypi/requests@2.32.3", "pkg:pypi/six@1.16.0",
            "pkg:pypi/urllib3@1.26.20", "pkg:pypi/urllib3@2.2.3", "pkg:pypi/zope.interface@6.4",
        ], Purls(result.Packages.Select(p => p.Purl)));

        var broken = Assert.Single(result.Unreadable);
        Assert.Equal($"{Site}/broken-1.0.dist-info/METADATA", broken.Location.Path);
        Assert.Equal("METADATA has no Name header; it is not Python core metadata.", broken.Reason);

        var requests = result.Single("pkg:pypi/requests@2.32.3");
        Assert.Equal([new FileLocation($"{Site}/requests-2.32.3.dist-info/METADATA")], requests.Locations.ToArray());
        Assert.Equal(["Apache Software License", "Apache-2.0"], requests.Licenses.ToArray());
        Assert.Equal("Python HTTP for Humans.", requests.Description);
        Assert.Equal("Kenneth Reitz", requests.Author);
        Assert.Equal([new ExternalReference("website", "https://requests.readthedocs.io")], requests.ExternalReferences.ToArray());
        // only installed requirements become edges, and only from the same site directory (not the other venv's urllib3)
        Assert.Equal(["pkg:pypi/certifi@2024.8.30", "pkg:pypi/idna@3.10", "pkg:pypi/urllib3@2.2.3"], Purls(requests.DependsOn));

        Assert.Equal(["BSD-3-Clause"], result.Single("pkg:pypi/idna@3.10").Licenses.ToArray());
        Assert.Equal(["MIT"], result.Single("pkg:pypi/urllib3@2.2.3").Licenses.ToArray());
        Assert.Equal(["MPL-2.0"], result.Single("pkg:pypi/certifi@2024.8.30").Licenses.ToArray());
        Assert.Equal(["MIT"], result.Single("pkg:pypi/six@1.16.0").Licenses.ToArray());
        Assert.Empty(result.Single("pkg:pypi/zope.interface@6.4").DependsOn); // setuptools is not installed

        // names match after PEP 503 normalisation; the edge uses the installed distribution's own name
        var app = result.Single("pkg:pypi/my-app@1.0");
        Assert.Equal("My_App", app.Name);
        Assert.Empty(app.Licenses); // a multi-line License field is license text, not a license name
        Assert.Equal(["pkg:pypi/requests@2.32.3", "pkg:pypi/six@1.16.0", "pkg:pypi/zope.interface@6.4"], Purls(app.DependsOn));
    }
}
