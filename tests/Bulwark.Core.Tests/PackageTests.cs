// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public class PackageTests
{
    [Theory]
    [InlineData("npm", "@babel/core", "7.1.0", "pkg:npm/%40babel/core@7.1.0")]
    [InlineData("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")]
    [InlineData("Go", "github.com/sigstore/cosign/v2", "v2.4.1", "pkg:golang/github.com/sigstore/cosign/v2@v2.4.1")]
    [InlineData("PyPI", "Flask_Cors", "4.0.0", "pkg:pypi/flask-cors@4.0.0")]
    [InlineData("Packagist", "symfony/console", "v7.1.0", "pkg:composer/symfony/console@v7.1.0")]
    [InlineData("NuGet", "Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json@13.0.3")]
    public void Builds_the_purl_from_the_ecosystem_native_name(string osv, string name, string version, string purl) =>
        Assert.Equal(purl, Package.Create(Ecosystem.FromOsvName(osv)!, name, version).Purl.ToString());

    [Fact]
    public void A_package_without_a_version_has_a_versionless_purl() =>
        Assert.Equal("pkg:npm/left-pad", Package.Create(Ecosystem.Npm, "left-pad", null).Purl.ToString());

    [Fact]
    public void Merging_unions_lists_and_keeps_the_stronger_scope()
    {
        var a = Package.Create(Ecosystem.Npm, "x", "1.0.0", new FileLocation("b/package-lock.json", 9)) with
        {
            Scope = Scope.Dev,
            Licenses = ["MIT"],
            DependsOn = [Purl.Parse("pkg:npm/y@2.0.0")],
        };
        var b = Package.Create(Ecosystem.Npm, "x", "1.0.0", new FileLocation("a/yarn.lock", 3)) with
        {
            Scope = Scope.Optional,
            Licenses = ["MIT"],
            DependsOn = [Purl.Parse("pkg:npm/z@1.0.0"), Purl.Parse("pkg:npm/y@2.0.0")],
            Description = "from b",
        };
        var m = a.Merge(b).Normalised();
        Assert.Equal(Scope.Optional, m.Scope);
        Assert.Equal(["MIT"], m.Licenses.ToArray());
        Assert.Equal(["pkg:npm/y@2.0.0", "pkg:npm/z@1.0.0"], m.DependsOn.Select(d => d.ToString()));
        Assert.Equal(["a/yarn.lock:3", "b/package-lock.json:9"], m.Locations.Select(l => l.ToString()));
        Assert.Equal("from b", m.Description);
    }

    [Fact]
    public void Refuses_to_merge_different_packages() =>
        Assert.Throws<ArgumentException>(() =>
            Package.Create(Ecosystem.Npm, "x", "1.0.0").Merge(Package.Create(Ecosystem.Npm, "x", "1.0.1")));

    [Fact]
    public void Normalising_drops_a_self_edge() =>
        Assert.Empty((Package.Create(Ecosystem.Npm, "x", "1.0.0") with { DependsOn = [Purl.Parse("pkg:npm/x@1.0.0")] }).Normalised().DependsOn);

    [Fact]
    public void Merging_gives_the_same_package_in_any_order()
    {
        var a = Package.Create(Ecosystem.Maven, "g:a", "1.0", new FileLocation("x/pom.xml")).WithProperty("maven:scope", "test") with { Description = "zeta", Scope = Scope.Dev };
        var b = Package.Create(Ecosystem.Maven, "g:a", "1.0", new FileLocation("y/pom.xml")).WithProperty("maven:scope", "compile") with { Description = "alpha", Kind = PackageKind.Application };
        var c = Package.Create(Ecosystem.Maven, "g:a", "1.0", new FileLocation("z/pom.xml")).WithProperty("extra", "1");
        string Show(Package p) => string.Join("|", p.Description, p.Scope, p.Kind, string.Join(",", p.Properties), string.Join(",", p.Locations));
        var expected = Show(a.Merge(b).Merge(c).Normalised());
        Assert.Equal(expected, Show(c.Merge(b).Merge(a).Normalised()));
        Assert.Equal(expected, Show(b.Merge(a.Merge(c)).Normalised()));
        Assert.Contains("[maven:scope, compile]", expected, StringComparison.Ordinal);
        Assert.StartsWith("alpha|Required|Application", expected, StringComparison.Ordinal);
    }
}
