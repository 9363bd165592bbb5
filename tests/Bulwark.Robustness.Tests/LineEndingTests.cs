// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Robustness.Tests;

/// CRLF line endings and a UTF-8 byte-order mark change nothing: each lockfile and workflow of the corpus gives the
/// same packages (or findings, at the same lines and columns) as its LF copy. UTF-16 with a BOM is read as text by
/// the line-based readers; JSON and YAML must be UTF-8 and say so.
public sealed class LineEndingTests
{
    [Theory]
    [InlineData("requirements", true)]
    [InlineData("yarn", true)]
    [InlineData("cargo", true)]
    [InlineData("pnpm-lock", true)]
    [InlineData("package-lock", false)]
    [InlineData("workflow", false)]
    public async Task CRLF_and_a_UTF_8_BOM_parse_exactly_like_LF(string stem, bool utf16Read)
    {
        var lf = await Corpus.OutcomeAsync($"text/{stem}-lf");
        Assert.DoesNotContain(lf.Split('\n'), line => line.StartsWith("unreadable ", StringComparison.Ordinal) || line.StartsWith("not audited ", StringComparison.Ordinal));
        Assert.Equal(lf, await Corpus.OutcomeAsync($"text/{stem}-crlf"));
        Assert.Equal(lf, await Corpus.OutcomeAsync($"text/{stem}-utf8-bom"));
        var utf16 = await Corpus.OutcomeAsync($"text/{stem}-utf16-bom");
        if (utf16Read) Assert.Equal(lf, utf16);
        else Assert.Contains("not valid UTF-8", utf16, StringComparison.Ordinal);
    }
}
