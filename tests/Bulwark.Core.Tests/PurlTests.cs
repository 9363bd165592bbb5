// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public class PurlTests
{
    [Theory]
    [InlineData("pkg:npm/%40babel/core@7.0.0", "npm", "@babel", "core", "7.0.0")]
    [InlineData("pkg:npm/@babel/core@7.0.0", "npm", "@babel", "core", "7.0.0")]
    [InlineData("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "maven", "org.apache.logging.log4j", "log4j-core", "2.14.1")]
    [InlineData("pkg:pypi/Django_Rest@1.0", "pypi", null, "django-rest", "1.0")]
    public void Parses_the_parts_of_a_purl(string text, string type, string? ns, string name, string version)
    {
        var p = Purl.Parse(text);
        Assert.Equal(type, p.Type);
        Assert.Equal(ns, p.Namespace);
        Assert.Equal(name, p.Name);
        Assert.Equal(version, p.Version);
    }

    [Fact]
    public void Formats_an_npm_scope_percent_encoded() =>
        Assert.Equal("pkg:npm/%40babel/core@7.0.0", Purl.Parse("pkg:npm/@babel/core@7.0.0").ToString());
}

public class PurlRobustnessTests
{
    [Theory]
    [InlineData("pkg:npm/@babel/core", "pkg:npm/%40babel/core")]
    [InlineData("pkg:npm/@babel/core@7.24.0", "pkg:npm/%40babel/core@7.24.0")]
    [InlineData("pkg:golang/github.com/docker/docker@v24.0.7+incompatible", "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible")]
    [InlineData("pkg:generic/a%2Fb@1", "pkg:generic/a%2Fb@1")]
    [InlineData("pkg:generic/name@1?k=", "pkg:generic/name@1")]
    [InlineData("pkg:generic/name#./a/../b/", "pkg:generic/name#a/b")]
    [InlineData("pkg:docker/library/nginx@sha256:abc?arch=amd64", "pkg:docker/library/nginx@sha256:abc?arch=amd64")]
    [InlineData("pkg:cargo/rand@0.8.5?vcs_url=git%2Bhttps://github.com/rust-random/rand%40abc", "pkg:cargo/rand@0.8.5?vcs_url=git%2Bhttps://github.com/rust-random/rand%40abc")]
    public void Formats_the_canonical_text(string text, string canonical) => Assert.Equal(canonical, Purl.Parse(text).ToString());

    // Type rules from the purl-spec type definitions (types/*-definition.json) and tests/types/cpan-test.json.
    [Theory]
    [InlineData("pkg:cpan/URI::PackageURL@2.11", "pkg:cpan/URI::PackageURL@2.11")]
    [InlineData("pkg:cpan/DROLSKY/DateTime@1.55", "pkg:cpan/DROLSKY/DateTime@1.55")]
    [InlineData("pkg:cpan/GDT/URI-PackageURL", "pkg:cpan/GDT/URI-PackageURL")]
    [InlineData("pkg:rpm/Fedora/curl@7.50.3-1.fc25", "pkg:rpm/fedora/curl@7.50.3-1.fc25")]
    [InlineData("pkg:githubactions/Actions/Checkout@v4", "pkg:githubactions/actions/checkout@v4")]
    [InlineData("pkg:githubactions/MyOrg/Actions-Repo%2FMyAction@main", "pkg:githubactions/myorg/actions-repo%2FMyAction@main")]
    [InlineData("pkg:oci/Debian@sha256:244fd47e07d10?tag=latest", "pkg:oci/debian@sha256:244fd47e07d10?tag=latest")]
    [InlineData("pkg:golang/github.com/BurntSushi/toml@v1.3.2", "pkg:golang/github.com/BurntSushi/toml@v1.3.2")]
    public void Applies_the_type_rules(string text, string canonical) => Assert.Equal(canonical, Purl.Parse(text).ToString());

    [Theory]
    [InlineData("pkg:cpan/Perl-Version@1.013")]
    [InlineData("pkg:cpan/GDT/URI::PackageURL@2.11")]
    public void Refuses_what_a_type_forbids(string text) => Assert.False(Purl.TryParse(text, out _, out _));

    [Theory]
    [InlineData("pkg:")]
    [InlineData("pkg:/")]
    [InlineData("pkg:npm/")]
    [InlineData("pkg:npm/@")]
    [InlineData("pkg:npm/@scope/")]
    [InlineData("pkg:generic/name@1?=v")]
    [InlineData("pkg:generic/name@1?novalue")]
    [InlineData("pkg:generic/name@1?a=1&A=2")]
    [InlineData("pkg:generic/name%zz")]
    [InlineData("pkg:generic/ns%2Fx/name")]
    [InlineData("pkg:generic/name@1%")]
    [InlineData("pkg:gen eric/name")]
    [InlineData("pkg:golang/github.com/a/@v1.0.0")]
    public void Refuses_malformed_text(string text)
    {
        Assert.False(Purl.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Parses_random_text_without_throwing_and_formats_a_stable_canonical_form()
    {
        // every accepted purl must reparse from its canonical text to an equal purl with the same text
        const string alphabet = "pkg:/@?#&=%2F40aAzZ._-+~ 9:é";
        var random = new Random(42);
        var accepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var k = 0; k < chars.Length; k++) chars[k] = alphabet[random.Next(alphabet.Length)];
            var text = (random.Next(2) == 0 ? "pkg:" : "pkg:generic/") + new string(chars);
            if (!Purl.TryParse(text, out var purl, out _)) continue;
            accepted++;
            var canonical = purl.ToString();
            var again = Purl.Parse(canonical);
            Assert.Equal(purl, again);
            Assert.Equal(canonical, again.ToString());
            Assert.Equal(purl, new Purl(purl.Type, purl.Namespace, purl.Name, purl.Version, purl.Qualifiers, purl.Subpath));
        }
        Assert.True(accepted > 1000, $"only {accepted} random purls were accepted; the generator is too strict to test anything");
    }
}
