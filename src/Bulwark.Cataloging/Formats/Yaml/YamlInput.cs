// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Formats.Yaml;

/// The text YamlDotNet's parser is given: every reader of YAML (lockfiles, CI files, configs) hands its text over
/// through <see cref="Reader"/> rather than a bare StringReader.
/// YamlDotNet 16.3's scanner never finishes a reserved directive ("%FOO bar", any name but YAML and TAG) whose
/// parameters run to the end of the input when that end falls on a multiple of its 1,024-character read buffer: it
/// loops for seconds, then reports errors without end or runs out of memory (found by the fuzzer on a 7 KB
/// pnpm-lock.yaml; bench/RESULTS.md, fuzzing item 15). A line break after a last line that starts with '%' avoids
/// the loop. It changes nothing else: elsewhere such a line is part of a scalar, which a final line break does not
/// alter, or a directive that the end of input cut off, which YamlDotNet reports as an error ("found unexpected end
/// of stream") and reads as a complete directive once the line is ended. Tests compare both readings.
public static class YamlInput
{
    /// A reader of <paramref name="text"/>, with a line break appended when its last line starts with '%'.
    public static TextReader Reader(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new StringReader(NeedsLineBreak(text) ? text + "\n" : text);
    }

    /// True when the text ends without a line break on a line that starts with '%'.
    internal static bool NeedsLineBreak(string text)
    {
        if (text.Length == 0 || LineBreaks.Contains(text[^1])) return false;
        var lastBreak = text.AsSpan().LastIndexOfAny(LineBreaks);
        return text[lastBreak + 1] == '%';
    }

    // what YamlDotNet's scanner takes for a line break (YAML 1.1's set: NEL, LS and PS too)
    private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\n\r\u0085\u2028\u2029");
}
