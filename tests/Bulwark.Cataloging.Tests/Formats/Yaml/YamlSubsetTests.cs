// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats.Yaml;
using Bulwark.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Cataloging.Tests.Formats.Yaml;

/// Our reader of lockfile YAML against YamlDotNet's parser: whenever it takes a text, its events (kinds, values,
/// styles, start lines and columns) must be YamlDotNet's, and YamlDotNet must read the text without error.
public sealed class YamlSubsetTests
{
    private static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(TestPaths.Corpora, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "tests"), "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" || Path.GetFileName(f) is "yarn.lock" or "pubspec.lock" or "Podfile.lock")
            .Where(f => new FileInfo(f).Length < 2_000_000)
            .OrderBy(f => f, StringComparer.Ordinal);

    private static List<string>? YamlDotNetEvents(string text)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var events = new List<string>();
            while (parser.MoveNext()) events.Add(YamlSubset.Describe(parser.Current!));
            return events;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    // true when our reader took the text
    private static bool AssertSameOrDeclined(string text, string what)
    {
        var ours = YamlSubset.TryRead(text);
        if (ours is null) return false;
        var theirs = YamlDotNetEvents(text);
        Assert.True(theirs is not null, $"{what}: YamlDotNet refuses a text our reader took:\n{text}");
        var mine = ours.Select(YamlSubset.Describe).ToList();
        Assert.True(theirs.SequenceEqual(mine), $"{what}:\n{text}\n--- YamlDotNet\n{string.Join('\n', theirs)}\n--- ours\n{string.Join('\n', mine)}");
        return true;
    }

    [Fact]
    public void Takes_the_corpus_lockfiles_and_gives_YamlDotNets_events()
    {
        foreach (var name in (string[])["pnpm/CycloneDX__cdxgen/pnpm-lock.yaml", "yarn-berry/prettier__prettier/yarn.lock", "pub/localsend__localsend/pubspec.lock"])
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.Lockfiles, name));
            Assert.True(YamlSubset.TryRead(text) is not null, $"{name} is read by YamlDotNet, not by our reader");
            AssertSameOrDeclined(text, name);
        }
    }

    [Fact]
    public void Gives_YamlDotNets_events_for_every_YAML_file_it_takes()
    {
        var files = YamlFiles().ToList();
        Assert.True(files.Count > 50);
        var taken = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (AssertSameOrDeclined(text, file)) taken++;
            AssertSameOrDeclined(text.ReplaceLineEndings("\r\n"), file + " (CRLF)");
        }
        // most are workflows and lockfiles in the part of YAML our reader takes
        Assert.True(taken > files.Count / 3, $"{taken} of {files.Count} taken");
    }

    [Fact]
    public void Gives_YamlDotNets_events_for_mutated_lockfiles()
    {
        // line-level damage to real files: lines dropped, repeated, re-indented, cut, joined, and pieces inserted
        var random = new Random(7);
        string[] pieces = [" ", "  ", ":", ": ", "- ", "-", "#", " #x", "'", "\"", "''", "\\", "\\u0041", "\\x41", "{", "}", "[", "]", ",", ", ",
            "&a ", "*a", "!tag ", "|", ">", "---", "...", "%YAML 1.2", "?", "? x", "@", "`", "\t", "é", "key: value", "k:", "{a: b}", "[a, b]",
            "{a: [b, c]}", "x:y", "http://x", "a #b", "'it''s'", "\"q\\\"q\"", ":x", "-x", "?x"];
        var sources = YamlFiles().Select(File.ReadAllText).Where(t => t.Length < 200_000).ToList();
        var taken = 0;
        for (var n = 0; n < 3_000; n++)
        {
            var lines = sources[random.Next(sources.Count)].Split('\n').ToList();
            var at = random.Next(lines.Count);
            var count = Math.Min(lines.Count - at, random.Next(1, 40));
            var window = lines.GetRange(at, count);
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                var i = random.Next(window.Count);
                switch (random.Next(6))
                {
                    case 0: window.RemoveAt(i); break;
                    case 1: window.Insert(i, window[i]); break;
                    case 2: window[i] = new string(' ', random.Next(0, 8)) + window[i].TrimStart(); break;
                    case 3: window[i] = window[i][..random.Next(window[i].Length + 1)]; break;
                    case 4: var p = random.Next(window[i].Length + 1); window[i] = window[i][..p] + pieces[random.Next(pieces.Length)] + window[i][p..]; break;
                    default: if (i + 1 < window.Count) { window[i] += window[i + 1]; window.RemoveAt(i + 1); } break;
                }
                if (window.Count == 0) window.Add("");
            }
            // the window is re-rooted at column 0 so that it stays a document our reader may take
            var indent = window.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
            var text = string.Join('\n', window.Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l));
            if (AssertSameOrDeclined(text, $"mutation {n}")) taken++;
        }
        Assert.True(taken > 500, $"{taken} of 3,000 mutations taken");
    }

    [Fact]
    public void Gives_YamlDotNets_events_for_generated_documents()
    {
        // small documents of keys, values, sequences and flow collections made of tricky scalars
        string[] scalars = ["a", "a b", "a:b", "a: b", "a:", ":a", "-a", "- a", "?a", "? a", "a#b", "a #b", "#a", "'a'", "'a''b'", "\"a\"",
            "\"a\\\"b\"", "\"a\\nb\"", "\"\\u00e9\"", "\"\\q\"", "''", "\"\"", "1.0", "~> 1.0", ">=1", "<2", "true", "null", "~", "@a", "`a",
            "a,b", "a]", "a}", "[a]", "{a: b}", "[a, b]", "{a: b, c: d}", "[]", "{}", "[a,]", "{a}", "{a: }", "[a: b]", "{a: [b, {c: d}]}",
            "http://x/y", "a:b:c", "é", "a  ", "a\tb", "!t a", "&x a", "*x", "|", ">", "%a", "a ,b", "[ a , b ]", "{ a : b }", "{a: b,c: d}"];
        var random = new Random(11);
        var taken = 0;
        for (var n = 0; n < 60_000; n++)
        {
            var b = new System.Text.StringBuilder();
            var indent = 0;
            for (var line = random.Next(1, 8); line > 0; line--)
            {
                var pad = new string(' ', indent);
                switch (random.Next(5))
                {
                    case 0: b.Append(pad).Append(scalars[random.Next(scalars.Length)]).Append(':').Append('\n'); indent += random.Next(1, 4); break;
                    case 1: b.Append(pad).Append("- ").Append(scalars[random.Next(scalars.Length)]).Append('\n'); break;
                    case 2: indent = Math.Max(0, indent - random.Next(0, 4)); goto default;
                    case 3: b.Append(pad).Append("- ").Append(scalars[random.Next(scalars.Length)]).Append(": ").Append(scalars[random.Next(scalars.Length)]).Append('\n'); break;
                    default: b.Append(new string(' ', indent)).Append(scalars[random.Next(scalars.Length)]).Append(": ").Append(scalars[random.Next(scalars.Length)])
                        .Append(random.Next(4) == 0 ? " # c" : "").Append('\n'); break;
                }
            }
            if (AssertSameOrDeclined(b.ToString(), $"document {n}")) taken++;
        }
        Assert.True(taken > 1_000, $"{taken} of 60,000 documents taken");
    }

    [Fact]
    public void Leaves_deep_nesting_to_the_bounded_parser()
    {
        // past 64 levels our reader declines (it recurses per level); BoundedYaml then refuses past its own limit
        Assert.Null(YamlSubset.TryRead("a: " + new string('[', 100_000) + new string(']', 100_000)));
        Assert.Null(YamlSubset.TryRead(string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 2_000) + "k: v\n"));
        Assert.NotNull(YamlSubset.TryRead("a: " + new string('[', 60) + "x" + new string(']', 60)));
        var deep = Assert.Throws<Bulwark.Core.InputException>(() => BoundedYaml.Load("a: " + new string('[', 100_000) + new string(']', 100_000)));
        Assert.Contains("nested more than", deep.Message);
    }

    [Theory]
    // found by the formats.yaml-subset fuzz target: our reader took both, and YamlDotNet read them otherwise
    [InlineData("e *: I")]                 // YamlDotNet: one scalar "e *: I" (yet "e &: I" is a mapping)
    [InlineData("a: e *: I\nb: c\n")]
    [InlineData("LONGKEY: v\n")]          // a key over 1,024 characters: YamlDotNet refuses the document
    [InlineData("a:\n  LONGKEY: v\n")]
    public void Declines_what_YamlDotNet_reads_its_own_way(string text)
    {
        text = text.Replace("LONGKEY", new string('k', 1030), StringComparison.Ordinal);
        Assert.Null(YamlSubset.TryRead(text));
        Assert.False(AssertSameOrDeclined(text, "declined"));
        // a key of 1,000 characters is still ours, and the same as YamlDotNet's
        Assert.True(AssertSameOrDeclined(new string('k', 1000) + ": v\n", "long key"));
    }
}
