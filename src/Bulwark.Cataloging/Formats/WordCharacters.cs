// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace Bulwark.Cataloging.Formats;

/// What .NET's regular expressions call word characters, for the readers written by hand in place of a regex
/// (mix.exs, Gemfile) that must answer exactly as the pattern did. Tests check both against Regex on every UTF-16 unit.
internal static class WordCharacters
{
    /// `\w`: letters, non-spacing marks, decimal digits and connector punctuation.
    public static bool IsWordChar(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    /// A word character for `\b`, which also counts ZERO WIDTH (NON-)JOINER (UTS #18).
    public static bool IsBoundaryWordChar(char c) => IsWordChar(c) || c is '\u200C' or '\u200D';
}
