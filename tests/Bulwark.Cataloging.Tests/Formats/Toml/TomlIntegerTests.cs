// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Toml;

namespace Bulwark.Cataloging.Tests.Formats.Toml;

public sealed class TomlIntegerTests
{
    // the TOML specification's decimal integer, as the reader matched it before the hand-written check
    private static readonly System.Text.RegularExpressions.Regex Grammar = new(@"^[+-]?(?:0|[1-9](?:_?[0-9])*)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    [Fact]
    public void The_hand_written_integer_check_agrees_with_the_grammar_on_every_short_token()
    {
        // every token of up to five characters from the characters that matter, and random longer ones
        const string alphabet = "0159_+-.xe";
        var tokens = new List<string> { "" };
        for (var length = 1; length <= 5; length++)
            tokens.AddRange(Enumerable.Range(0, (int)Math.Pow(alphabet.Length, length)).Select(n =>
            {
                var chars = new char[length];
                for (var i = 0; i < length; i++, n /= alphabet.Length) chars[i] = alphabet[n % alphabet.Length];
                return new string(chars);
            }));
        var random = new Random(1);
        for (var n = 0; n < 20_000; n++) tokens.Add(new string(Enumerable.Range(0, random.Next(1, 30)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        foreach (var token in tokens)
            Assert.True(Grammar.IsMatch(token) == TomlDocument.IsDecimalInteger(token), token);
    }
}
