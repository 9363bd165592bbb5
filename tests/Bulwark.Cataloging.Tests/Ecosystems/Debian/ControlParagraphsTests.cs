// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Debian;

namespace Bulwark.Cataloging.Tests.Ecosystems.Debian;

public sealed class ControlParagraphsTests
{
    [Fact]
    public void Reads_fields_continuations_comments_and_paragraph_lines()
    {
        var text = "Package: a\r\nDescription: short\n long one\n .\n more\n# note\nVersion:  1.0 \n\n\nPackage: b\nbad line\n continued\nstatus : x\nX-Y: z\n";
        var paragraphs = ControlParagraphs.Parse(text, "status");
        Assert.Equal([1, 10], paragraphs.Select(p => p.Line));
        Assert.Equal("short\nlong one\n\nmore", paragraphs[0]["description"]);
        Assert.Equal("1.0", paragraphs[0]["Version"]);
        Assert.Equal("a", paragraphs[0]["PACKAGE"]);
        Assert.Equal(["Package", "X-Y"], paragraphs[1].Fields.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_long_multi_line_value_is_read_in_linear_time()
    {
        // 200,000 continuation lines: joined once, not line by line
        var text = "Package: p\nConffiles:\n" + string.Concat(Enumerable.Repeat(" /etc/x 0123456789abcdef\n", 200_000));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var value = ControlParagraphs.Parse(text, "status")[0]["Conffiles"]!;
        Assert.Equal(200_000, value.Count(c => c == '\n'));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Gives_what_the_line_splitting_reading_gave_on_random_control_text()
    {
        // the reference is the earlier reading (split into lines, values extended line by line), kept here as the
        // specification; random files from control-file pieces must give the same paragraphs, lines and values
        string[] pieces = ["Package: a", "package: b", "Version: 1", "Description: d", " more", " .", "\t tab", "# c", "", "  ", "\r",
            "bad", "x y: z", ":", "A:", "B: v:w", "é: ü", " ", "Status: install ok installed"];
        var random = new Random(7);
        for (var n = 0; n < 3_000; n++)
        {
            var lines = Enumerable.Range(0, random.Next(0, 25)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(8) == 0 ? "\r" : ""));
            var text = string.Join('\n', lines) + (random.Next(2) == 0 ? "\n" : "");
            string Describe(Func<IReadOnlyList<ControlParagraph>> parse)
            {
                try
                {
                    return string.Join(" | ", parse().Select(p => p.Line + ": " + string.Join("; ", p.Fields.Select(f => $"{f.Key}={f.Value}"))));
                }
                catch (Bulwark.Core.InputException e)
                {
                    return "error: " + e.Message;
                }
            }
            Assert.Equal(Describe(() => Reference(text)), Describe(() => ControlParagraphs.Parse(text, "f")));
        }
    }

    private static List<ControlParagraph> Reference(string text)
    {
        var result = new List<ControlParagraph>();
        Dictionary<string, string>? fields = null;
        string? last = null;
        var start = 0;
        var lineNo = 0;
        var sawText = false;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (fields is { Count: > 0 }) result.Add(new ControlParagraph(start, fields));
                fields = null;
                last = null;
                continue;
            }
            sawText = true;
            if (line[0] is ' ' or '\t')
            {
                if (fields is not null && last is not null)
                {
                    var cont = line.Trim();
                    fields[last] += "\n" + (cont == "." ? "" : cont);
                }
                continue;
            }
            if (line[0] == '#') continue;
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Any(char.IsWhiteSpace)) { last = null; continue; }
            if (fields is null) { fields = new(StringComparer.OrdinalIgnoreCase); start = lineNo; }
            last = line[..colon];
            fields[last] = line[(colon + 1)..].Trim();
        }
        if (fields is { Count: > 0 }) result.Add(new ControlParagraph(start, fields));
        if (sawText && result.Count == 0) throw new Bulwark.Core.InputException("Cannot read f: it has no 'Name: value' fields, so it is not a Debian control file. Check that the file is not damaged.");
        return result;
    }
}
