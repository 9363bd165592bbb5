// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core.Tests;

public sealed class SarifLogTests
{
    [Theory]
    [InlineData("src/app.py", "src/app.py")]
    [InlineData("/usr/lib/os-release", "usr/lib/os-release")]
    [InlineData("docs\\notes.md", "docs/notes.md")]
    [InlineData("my dir/a b.yml", "my%20dir/a%20b.yml")]
    [InlineData("c:/x", "c%3A/x")]
    [InlineData("données/é.txt", "donn%C3%A9es/%C3%A9.txt")]
    [InlineData("a#b?c%d", "a%23b%3Fc%25d")]
    [InlineData("keep/sub-delims!$&'()*+,;=@", "keep/sub-delims!$&'()*+,;=@")]
    [InlineData("", ".")]
    public void Relative_uris_are_rfc_3986_references_with_everything_outside_the_path_set_percent_encoded(string path, string uri) =>
        Assert.Equal(uri, SarifLog.RelativeUri(path));
}
