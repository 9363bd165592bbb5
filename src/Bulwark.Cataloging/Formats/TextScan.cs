// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Formats;

/// Small steps of the readers written by hand in place of regular expressions (mix.exs, Gemfile).
internal static class TextScan
{
    /// The first position at or after <paramref name="i"/> that is not white space (`\s*`).
    public static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }

    /// Whether <paramref name="literal"/> stands at <paramref name="i"/>.
    public static bool At(string text, int i, string literal) => text.AsSpan(i).StartsWith(literal, StringComparison.Ordinal);
}
