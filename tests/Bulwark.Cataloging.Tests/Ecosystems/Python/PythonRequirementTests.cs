// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Python;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

public class PythonRequirementTests
{
    // text | name | extras | specifier | url | marker | pinned version ("-" for none)
    [Theory]
    [InlineData("requests", "requests", "", "", null, null, "-")]
    [InlineData("requests==2.32.3", "requests", "", "==2.32.3", null, null, "2.32.3")]
    [InlineData("Django === 4.2.0", "Django", "", "===4.2.0", null, null, "4.2.0")]
    [InlineData("requests[socks, security] >= 2.0, < 3", "requests", "socks,security", ">=2.0,<3", null, null, "-")]
    [InlineData("build (>=1.2.1,<2.0.0)", "build", "", ">=1.2.1,<2.0.0", null, null, "-")]
    [InlineData("numpy==1.*", "numpy", "", "==1.*", null, null, "-")]
    [InlineData("tomli==2.0.1; python_version < \"3.11\"", "tomli", "", "==2.0.1", null, "python_version < \"3.11\"", "2.0.1")]
    [InlineData("colorama; sys_platform == 'win32'", "colorama", "", "", null, "sys_platform == 'win32'", "-")]
    [InlineData("pkg @ https://x.example/pkg-1.0.whl ; python_version >= '3.8'", "pkg", "", "", "https://x.example/pkg-1.0.whl", "python_version >= '3.8'", "-")]
    [InlineData("poetry-core @ git+https://github.com/python-poetry/poetry-core.git", "poetry-core", "", "", "git+https://github.com/python-poetry/poetry-core.git", null, "-")]
    [InlineData("zope.interface~=6.0", "zope.interface", "", "~=6.0", null, null, "-")]
    [InlineData("PySocks!=1.5.7,>=1.5.6", "PySocks", "", "!=1.5.7,>=1.5.6", null, null, "-")]
    public void Parses_PEP_508_requirements(string text, string name, string extras, string specifier, string? url, string? marker, string pinned)
    {
        Assert.True(PythonRequirement.TryParse(text, out var r));
        Assert.Equal(name, r.Name);
        Assert.Equal(extras, string.Join(',', r.Extras));
        Assert.Equal(specifier, r.Specifier);
        Assert.Equal(url, r.Url);
        Assert.Equal(marker, r.Marker);
        Assert.Equal(pinned == "-" ? null : pinned, r.PinnedVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-bad")]
    [InlineData("this is not a requirement")]
    [InlineData("name >= ")]
    [InlineData("name @ url extra-words")]
    public void Rejects_text_that_is_not_a_requirement(string text) => Assert.False(PythonRequirement.TryParse(text, out _));

    [Theory]
    [InlineData("Typing_Extensions", "typing-extensions")]
    [InlineData("zope.interface", "zope-interface")]
    [InlineData("A__b-.C", "a-b-c")]
    public void Normalises_names_as_PEP_503_says(string name, string expected) => Assert.Equal(expected, PythonNames.Normalise(name));
}
