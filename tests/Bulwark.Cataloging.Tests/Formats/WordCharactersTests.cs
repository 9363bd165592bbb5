// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Formats;

namespace Bulwark.Cataloging.Tests.Formats;

public sealed class WordCharactersTests
{
    [Fact]
    public void Agree_with_the_regular_expression_classes_on_every_UTF16_unit()
    {
        var word = new Regex(@"^\w$");
        // "#" is no word character: a boundary between c and "#" exists exactly when c counts as one for \b
        var boundary = new Regex(@"^.\b#$", RegexOptions.Singleline);
        for (var n = 0; n <= char.MaxValue; n++)
        {
            var c = (char)n;
            Assert.True(word.IsMatch(c.ToString()) == WordCharacters.IsWordChar(c), $"\\w U+{n:X4}");
            Assert.True(boundary.IsMatch($"{c}#") == WordCharacters.IsBoundaryWordChar(c), $"\\b U+{n:X4}");
        }
    }
}
