// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging.Formats.Yaml;
using Bulwark.Fuzzing.Mutation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Fuzzing.Targets;

/// Our reader of lockfile YAML (src/Bulwark.Cataloging/Formats/Yaml/YamlSubset) against YamlDotNet's parser, on
/// hostile text: whenever ours takes a text, YamlDotNet must read it too and give the same events (kinds, values,
/// styles, start lines and columns), as the tests check on the corpus. Nothing may throw: ours declines what it does
/// not know, and YamlDotNet's refusal of a text ours took is a finding.
public sealed class YamlSubsetTarget : FuzzTarget
{
    public override string Name => "formats.yaml-subset";
    public override InputFormat Format => InputFormat.Yaml;

    public override bool IsSeed(string relativePath) =>
        relativePath.EndsWith("pnpm-lock.yaml", StringComparison.Ordinal) || relativePath.EndsWith("yarn.lock", StringComparison.Ordinal)
        || relativePath.EndsWith("pubspec.lock", StringComparison.Ordinal) || relativePath.EndsWith("Podfile.lock", StringComparison.Ordinal);

    public override IReadOnlyList<string> Dictionary { get; } =
        [": ", "- ", "  ", "'", "\"", "''", "\\\"", "\\u00e9", "#", " #", "[", "]", "{", "}", ", ", "?", "|", ">", "&a", "*a", "!!str", "~", "null",
         "true", "0x1F", "1e3", ".inf", "---", "...", "\t", "\r\n", "%YAML 1.2", "@", "`"];

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (YamlSubset.TryRead(text) is not { } ours) return;
        var mine = ours.Select(YamlSubset.Describe).ToList();
        List<string> theirs = [];
        try
        {
            var parser = new Parser(YamlInput.Reader(text));
            while (parser.MoveNext()) theirs.Add(YamlSubset.Describe(parser.Current!));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new PropertyViolationException($"YamlDotNet refuses a text our reader took ({e.GetType().Name}: {e.Message})");
        }
        for (var i = 0; i < Math.Max(mine.Count, theirs.Count); i++)
        {
            var a = i < mine.Count ? mine[i] : "(none)";
            var b = i < theirs.Count ? theirs[i] : "(none)";
            if (a != b) throw new PropertyViolationException($"event {i} differs: ours {a}, YamlDotNet's {b}");
        }
    }

    public override bool IsExpected(Exception e) => false;
}
