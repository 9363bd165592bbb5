// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// The scope each gem of a Gemfile is declared with, read from its `group` blocks and `group:` options.
/// A Gemfile is Ruby code; this reads the common declarative shapes line by line and never runs anything.
internal static partial class GemfileGroups
{
    /// Groups whose gems are only needed to develop the project (Bundler's own `--without development test`).
    private static readonly HashSet<string> DevGroups = new(StringComparer.Ordinal) { "development", "test" };

    [GeneratedRegex(@"^gem\s*\(?\s*[""'](?<name>[^""']+)[""'](?<rest>.*)$")]
    private static partial Regex GemLine();

    [GeneratedRegex(@"^group\s*\(?(?<args>.*?)\)?\s+do(\s*\|[^|]*\|)?\s*$")]
    private static partial Regex GroupLine();

    [GeneratedRegex(@"\bdo(\s*\|[^|]*\|)?\s*$")]
    private static partial Regex OpensBlock();

    [GeneratedRegex(@"^(if|unless|case|begin|while|until|def|class|module)\b")]
    private static partial Regex OpensStatement();

    // `group: :test` and the older hash-rocket `:group => :test`
    [GeneratedRegex(@"(?:\bgroups?:|:groups?\s*=>)\s*(?<value>\[[^\]]*\]|%[iw]\[[^\]]*\]|%[iw]\([^)]*\)|:[\w]+|""[^""]*""|'[^']*')")]
    private static partial Regex GroupOption();

    [GeneratedRegex(@"(?:\boptional:|:optional\s*=>)\s*true\b")]
    private static partial Regex OptionalTrue();

    [GeneratedRegex(@"[A-Za-z_][\w]*")]
    private static partial Regex Word();

    /// Scope of each gem declared in the Gemfile: Dev when every group it is in is development or test,
    /// Optional when it is only in groups declared `optional: true`, else Required.
    public static Dictionary<string, Scope> Read(string gemfile)
    {
        var result = new Dictionary<string, Scope>(StringComparer.Ordinal);
        // each open block: the groups it adds (empty for non-group blocks) and whether they are optional
        var blocks = new Stack<(string[] Groups, bool Optional)>();
        foreach (var raw in gemfile.Split('\n'))
        {
            var line = StripComment(raw).Trim();
            if (line.Length == 0) continue;
            if (line == "end" || line.StartsWith("end ", StringComparison.Ordinal) || line.StartsWith("end.", StringComparison.Ordinal))
            {
                if (blocks.Count > 0) blocks.Pop();
                continue;
            }
            var g = GroupLine().Match(line);
            if (g.Success)
            {
                var args = g.Groups["args"].Value;
                var optional = OptionalTrue().IsMatch(args);
                var groups = Symbols(OptionalTrue().Replace(args, ""));
                blocks.Push((groups, optional));
                continue;
            }
            var gem = GemLine().Match(line);
            if (gem.Success)
            {
                var groups = blocks.SelectMany(b => b.Groups).ToList();
                var optional = blocks.Any(b => b.Optional && b.Groups.Length > 0);
                if (GroupOption().Match(gem.Groups["rest"].Value) is { Success: true } opt)
                    groups.AddRange(Symbols(opt.Groups["value"].Value));
                var scope = groups.Count == 0 ? Scope.Required
                    : groups.All(DevGroups.Contains) ? Scope.Dev
                    : optional ? Scope.Optional
                    : Scope.Required;
                var name = gem.Groups["name"].Value;
                // a gem declared twice (in two platform blocks, say) takes the stronger need
                result[name] = result.TryGetValue(name, out var before) ? (Scope)Math.Min((int)before, (int)scope) : scope;
                if (OpensBlock().IsMatch(line)) blocks.Push(([], false));
                continue;
            }
            if (OpensBlock().IsMatch(line) || (OpensStatement().IsMatch(line) && !line.EndsWith(" end", StringComparison.Ordinal)))
                blocks.Push(([], false));
        }
        return result;
    }

    private static string[] Symbols(string args) =>
        [.. Word().Matches(args).Select(m => m.Value).Where(w => w is not ("i" or "w" or "optional" or "true" or "false"))];

    private static string StripComment(string line)
    {
        // a '#' outside quotes starts a comment
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && c is '"' or '\'') quote = c;
            else if (quote == c) quote = null;
            else if (quote is null && c == '#') return line[..i];
        }
        return line;
    }
}
