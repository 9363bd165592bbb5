// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Tests;

public sealed class PackageNamesTests
{
    [Theory]
    [InlineData("PyPI", "Flask_Cors", "flask-cors")]
    [InlineData("PyPI", "zope.interface", "zope-interface")]
    [InlineData("PyPI", "A-_.-b", "a-b")]
    [InlineData("npm", "@Babel/Core", "@babel/core")]
    [InlineData("npm", "lodash", "lodash")]
    [InlineData("NuGet", "Newtonsoft.Json", "newtonsoft.json")]
    [InlineData("Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core")]
    [InlineData("Maven", "org.apache.logging.log4j/log4j-core", "org.apache.logging.log4j:log4j-core")]
    [InlineData("Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml")]
    [InlineData("crates.io", "Serde", "serde")]
    [InlineData("Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel")]
    [InlineData("RubyGems", "RedCloth", "RedCloth")]
    [InlineData("Debian:12", "openssl", "openssl")]
    [InlineData("Alpine:v3.19", "openssl", "openssl")]
    public void Names_are_normalised_per_ecosystem(string ecosystem, string name, string expected) =>
        Assert.Equal(expected, PackageNames.Normalise(ecosystem, name));

    [Theory]
    [InlineData("Debian:12", "Debian")]
    [InlineData("Ubuntu:Pro:14.04:LTS", "Ubuntu")]
    [InlineData("npm", "npm")]
    public void The_base_ecosystem_is_the_part_before_the_first_colon(string ecosystem, string expected) =>
        Assert.Equal(expected, PackageNames.BaseEcosystem(ecosystem));

    [Fact]
    public void A_long_hostile_PyPI_name_is_normalised_in_linear_time() =>
        Assert.Equal(1, PackageNames.Normalise("PyPI", new string('_', 1_000_000)).Length);
}
