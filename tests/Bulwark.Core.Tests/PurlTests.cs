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
