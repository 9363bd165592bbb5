// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Yaml;
using YamlDotNet.Core;

namespace Bulwark.Cataloging.Tests.Formats.Yaml;

/// The line break YamlInput adds after a last line starting with '%': it must end YamlDotNet's runaway scan of a
/// reserved directive at a 1,024-character boundary and change no other reading.
public sealed class YamlInputTests
{
    // what a parser run gives: its events, or the exception that ended it; null when it did not end within the limit
    private static string? Outcome(Func<TextReader> open, TimeSpan limit)
    {
        string? result = null;
        var thread = new Thread(() =>
        {
            var events = new System.Text.StringBuilder();
            try
            {
                var parser = new Parser(open());
                for (var n = 0; parser.MoveNext(); n++)
                {
                    if (n > 10_000) throw new InvalidOperationException("more than 10,000 events");
                    events.Append(parser.Current).Append('\n');
                }
                result = events.ToString();
            }
            catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
            {
                result = $"{events}{e.GetType().Name}: {e.Message}";
            }
        }) { IsBackground = true };
        thread.Start();
        return thread.Join(limit) ? result : null;
    }

    public static TheoryData<string, int> BoundaryCases() => new()
    {
        { "%00 = ", 1024 }, { "%00 = ", 4096 }, { "%a b c", 2048 }, { "%a bc", 4096 }, { "%a\tb c", 8192 }, { "%FOO bar", 3072 },
    };

    [Theory]
    [MemberData(nameof(BoundaryCases))]
    public void A_reserved_directive_ending_on_the_read_buffer_boundary_is_read_at_once(string lastLine, int length)
    {
        const string head = "a: b\n  ";
        var text = head + new string('x', length - head.Length - 1 - lastLine.Length) + "\n" + lastLine;
        Assert.Equal(length, text.Length);
        // the bare text makes YamlDotNet 16.3 scan for about six seconds here and then end with the document or an
        // error, or with the scanner alone exhaust memory (not run here); through YamlInput the same parser finishes
        // with the document's events in milliseconds, so two seconds is far beyond any scheduling delay
        var outcome = Outcome(() => YamlInput.Reader(text), TimeSpan.FromSeconds(2));
        Assert.NotNull(outcome);
        Assert.EndsWith("Document end [isImplicit = True]\nStream end\n", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_break_changes_no_reading_but_that_of_a_directive_the_end_cut_off()
    {
        string[] lastLines = ["%", "% ", "%a", "%a b", "%a b c", "%a b #c", "%YAML", "%YAML 1.2 ", "%YAML 1.1", "%TAG", "%TAG !", "%TAG ! ",
            "%TAG ! x", "%TAG !a! tag:x,2024:", "%00 = ", "%\t", "%a\tb"];
        string[] bodies = ["", "a: b\n  x", "- a\n  x", "[a,\n x", "a: |\n x", "---\na\n...\n", "a: b\n---\nc\n", "x\n"];
        string[] breaks = ["\n", "\r\n", "\r", "\u2028"];
        var compared = 0;
        var changed = 0;
        foreach (var last in lastLines)
        foreach (var body in bodies)
        foreach (var lineBreak in breaks)
        foreach (var pad in new[] { 0, 1, 7, 300 })
        {
            // well short of 1,024 characters, where the bare text reads without the runaway
            var text = body + new string('x', pad) + lineBreak + last;
            var bare = Outcome(() => new StringReader(text), TimeSpan.FromSeconds(10));
            var ours = Outcome(() => YamlInput.Reader(text), TimeSpan.FromSeconds(10));
            Assert.NotNull(bare);
            Assert.NotNull(ours);
            compared++;
            if (bare == ours) continue;
            changed++;
            Assert.True(bare.EndsWith("While scanning a directive, found unexpected end of stream.", StringComparison.Ordinal),
                $"[{text}]\n--- bare\n{bare}\n--- through YamlInput\n{ours}");
        }
        Assert.Equal(lastLines.Length * bodies.Length * breaks.Length * 4, compared);
        Assert.InRange(changed, 1, compared - 1);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("a: b", false)]
    [InlineData("%", true)]
    [InlineData("%YAML 1.2", true)]
    [InlineData("a: b\n%x y", true)]
    [InlineData("a: b\r%x y", true)]
    [InlineData("a: b\r\n%x y", true)]
    [InlineData("a: b\u0085%x y", true)]
    [InlineData("a: b\u2029%x y", true)]
    [InlineData("a: b\n%x y\n", false)]
    [InlineData("a: b\n%x y\r", false)]
    [InlineData("a: b\n %x y", false)]
    [InlineData("%x y\nb", false)]
    public void A_line_break_is_added_only_after_a_last_line_that_starts_with_a_percent_sign(string text, bool added)
    {
        Assert.Equal(added, YamlInput.NeedsLineBreak(text));
        Assert.Equal(added ? text + "\n" : text, YamlInput.Reader(text).ReadToEnd());
    }
}
