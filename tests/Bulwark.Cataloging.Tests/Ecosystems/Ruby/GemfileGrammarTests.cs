// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Ruby;

/// The hand-written Gemfile and Gemfile.lock line readers against the regular expressions they replaced (kept here
/// as the reference), on every line of the corpus and on random lines built from the pieces that matter.
public sealed class GemfileGrammarTests
{
    private static readonly Regex GemLine = new(@"^gem\s*\(?\s*[""'](?<name>[^""']+)[""'](?<rest>.*)$");
    private static readonly Regex GroupLine = new(@"^group\s*\(?(?<args>.*?)\)?\s+do(\s*\|[^|]*\|)?\s*$");
    private static readonly Regex OpensBlock = new(@"\bdo(\s*\|[^|]*\|)?\s*$");
    private static readonly Regex OpensStatement = new(@"^(if|unless|case|begin|while|until|def|class|module)\b");
    private static readonly Regex GroupOption = new(@"(?:\bgroups?:|:groups?\s*=>)\s*(?<value>\[[^\]]*\]|%[iw]\[[^\]]*\]|%[iw]\([^)]*\)|:[\w]+|""[^""]*""|'[^']*')");
    private static readonly Regex OptionalTrue = new(@"(?:\boptional:|:optional\s*=>)\s*true\b");
    private static readonly Regex Word = new(@"[A-Za-z_][\w]*");
    private static readonly Regex SpecLine = new(@"^(?<name>[^\s()!]+) \((?<version>[^()\s]+)\)$");
    private static readonly Regex DependencyLine = new(@"^(?<name>[^\s()!]+)(?: \((?<req>[^()]*)\))?(?<pinned>!)?$");
    private static readonly Regex ChecksumLine = new(@"^(?<name>[^\s()!]+) \((?<version>[^()\s]+)\)(?: (?<sums>\S+))?$");

    private static IEnumerable<string> Lines()
    {
        var files = Directory.EnumerateFiles(TestPaths.Lockfiles, "Gemfile*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "tests"), "Gemfile*", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal)));
        foreach (var file in files)
            foreach (var line in File.ReadLines(file))
            {
                yield return line.Trim();
                yield return line.TrimStart();
            }
        string[] pieces =
        [
            "gem", "group", "do", " do", " do |x|", "|", "|a, b|", " ", "  ", "\t", "(", ")", "'", "\"", "rails", "~> 7.0",
            ",", ", ", "group:", "groups:", ":group =>", ":groups=>", ":development", ":test", "[:development, :test]", "[", "]",
            "%i[dev test]", "%w(a b)", "%i(", "optional:", "optional: true", ":optional => true", "true", "trueish", "=>",
            "if", "unless", "case", "begin", "def", "class", "module", "end", "undo", "x", "_", "1", "é", "\u200D", "\u00A0",
            "name (1.0)", "name (1.0-x86_64-linux)", "!", " (", "sha256=abc", "sha256=a,sha512=b", "(>= 1.0, < 2)",
        ];
        var random = new Random(2);
        for (var n = 0; n < 60_000; n++)
            yield return string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => pieces[random.Next(pieces.Length)]));
    }

    [Fact]
    public void Gemfile_line_readers_agree_with_the_regular_expressions()
    {
        foreach (var line in Lines())
        {
            var g = GroupLine.Match(line);
            Assert.True((g.Success ? g.Groups["args"].Value : null) == GemfileGroups.GroupArguments(line), $"group: '{line}'");
            var gem = GemLine.Match(line);
            var gemOk = GemfileGroups.GemName(line, out var name, out var rest);
            Assert.True(gem.Success == gemOk && (!gemOk || (gem.Groups["name"].Value == name && gem.Groups["rest"].Value == rest)), $"gem: '{line}'");
            Assert.True(OpensBlock.IsMatch(line) == GemfileGroups.OpensBlock(line), $"block: '{line}'");
            Assert.True(OpensStatement.IsMatch(line) == GemfileGroups.OpensStatement(line), $"statement: '{line}'");
            var opt = GroupOption.Match(line);
            Assert.True((opt.Success ? opt.Groups["value"].Value : null) == GemfileGroups.GroupOption(line), $"group option: '{line}'");
            Assert.True(OptionalTrue.IsMatch(line) == (GemfileGroups.FindOptionalTrue(line, 0).Index >= 0), $"optional: '{line}'");
            Assert.True(OptionalTrue.Replace(line, "") == GemfileGroups.WithoutOptionalTrue(line), $"optional removed: '{line}'");
            var words = Word.Matches(line).Select(m => m.Value).Where(w => w is not ("i" or "w" or "optional" or "true" or "false"));
            Assert.True(words.SequenceEqual(GemfileGroups.Symbols(line)), $"symbols: '{line}'");
        }
    }

    [Fact]
    public void Gemfile_lock_line_readers_agree_with_the_regular_expressions()
    {
        foreach (var line in Lines())
        {
            var spec = SpecLine.Match(line);
            var specOk = GemfileLock.TrySpecLine(line, out var name, out var version);
            Assert.True(spec.Success == specOk && (!specOk || (spec.Groups["name"].Value == name && spec.Groups["version"].Value == version)), $"spec: '{line}'");
            var dep = DependencyLine.Match(line);
            var depOk = GemfileLock.TryDependencyLine(line, out name, out var requirement, out var pinned);
            Assert.True(dep.Success == depOk && (!depOk || (dep.Groups["name"].Value == name
                && (dep.Groups["req"].Success ? dep.Groups["req"].Value : null) == requirement && dep.Groups["pinned"].Success == pinned)), $"dependency: '{line}'");
            var sum = ChecksumLine.Match(line);
            var sumOk = GemfileLock.TryChecksumLine(line, out name, out version, out var sums);
            Assert.True(sum.Success == sumOk && (!sumOk || (sum.Groups["name"].Value == name && sum.Groups["version"].Value == version
                && sum.Groups["sums"].Value == sums)), $"checksum: '{line}'");
        }
    }
}
