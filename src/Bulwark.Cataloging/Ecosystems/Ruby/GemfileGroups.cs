// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Formats;
using static Bulwark.Cataloging.Formats.TextScan;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// The scope each gem of a Gemfile is declared with, read from its `group` blocks and `group:` options.
/// A Gemfile is Ruby code; this reads the common declarative shapes line by line and never runs anything.
internal static class GemfileGroups
{
    /// Groups whose gems are only needed to develop the project (Bundler's own `--without development test`).
    private static readonly HashSet<string> DevGroups = new(StringComparer.Ordinal) { "development", "test" };

    // The line shapes below are read by hand rather than with regular expressions (the first generated regex used in
    // a run initialises every regex of the assembly: ~2 ms of a 40 ms run). Each is given as the pattern it follows;
    // tests check the readers against those patterns.

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
            if (GroupArguments(line) is { } args)
            {
                var optional = FindOptionalTrue(args, 0).Index >= 0;
                var groups = Symbols(WithoutOptionalTrue(args));
                blocks.Push((groups, optional));
                continue;
            }
            if (GemName(line, out var name, out var rest))
            {
                var groups = blocks.SelectMany(b => b.Groups).ToList();
                var optional = blocks.Any(b => b.Optional && b.Groups.Length > 0);
                if (GroupOption(rest) is { } value)
                    groups.AddRange(Symbols(value));
                var scope = groups.Count == 0 ? Scope.Required
                    : groups.All(DevGroups.Contains) ? Scope.Dev
                    : optional ? Scope.Optional
                    : Scope.Required;
                // a gem declared twice (in two platform blocks, say) takes the stronger need
                result[name] = result.TryGetValue(name, out var before) ? (Scope)Math.Min((int)before, (int)scope) : scope;
                if (OpensBlock(line)) blocks.Push(([], false));
                continue;
            }
            if (OpensBlock(line) || (OpensStatement(line) && !line.EndsWith(" end", StringComparison.Ordinal)))
                blocks.Push(([], false));
        }
        return result;
    }

    // the words of [A-Za-z_]\w* that name groups
    internal static string[] Symbols(string args)
    {
        var words = new List<string>();
        var i = 0;
        while (i < args.Length)
        {
            if (!(char.IsAsciiLetter(args[i]) || args[i] == '_')) { i++; continue; }
            var start = i++;
            while (i < args.Length && WordCharacters.IsWordChar(args[i])) i++;
            var w = args[start..i];
            if (w is not ("i" or "w" or "optional" or "true" or "false")) words.Add(w);
        }
        return [.. words];
    }

    // a word boundary before a word character at i
    private static bool BoundaryBefore(string s, int i) => i == 0 || !WordCharacters.IsBoundaryWordChar(s[i - 1]);

    // a word boundary after a word character ending at i
    private static bool BoundaryAt(string s, int i) => i == s.Length || !WordCharacters.IsBoundaryWordChar(s[i]);

    // the position of "do" when the line ends (\s*\|[^|]*\|)?\s* after it: "do" at the end, or "do |x|"; else -1
    private static int BlockDo(string s)
    {
        var end = s.Length;
        while (end > 0 && char.IsWhiteSpace(s[end - 1])) end--;
        if (end > 0 && s[end - 1] == '|')
        {
            var open = s.LastIndexOf('|', end - 2 < 0 ? 0 : end - 2);
            if (end < 2 || open < 0) return AtEndDo(s, end);
            var before = open;
            while (before > 0 && char.IsWhiteSpace(s[before - 1])) before--;
            if (before >= 2 && s[before - 2] == 'd' && s[before - 1] == 'o') return before - 2;
            return AtEndDo(s, end);
        }
        return AtEndDo(s, end);
    }

    private static int AtEndDo(string s, int end) => end >= 2 && s[end - 2] == 'd' && s[end - 1] == 'o' ? end - 2 : -1;

    // \bdo(\s*\|[^|]*\|)?\s*$
    internal static bool OpensBlock(string s) => BlockDo(s) is var d && d >= 0 && BoundaryBefore(s, d);

    // ^(if|unless|case|begin|while|until|def|class|module)\b
    internal static bool OpensStatement(string s)
    {
        foreach (var keyword in (string[])["if", "unless", "case", "begin", "while", "until", "def", "class", "module"])
            if (At(s, 0, keyword) && BoundaryAt(s, keyword.Length)) return true;
        return false;
    }

    // ^group\s*\(?(?<args>.*?)\)?\s+do(\s*\|[^|]*\|)?\s*$: the arguments, or null when the line is not a group block
    internal static string? GroupArguments(string s)
    {
        if (!At(s, 0, "group")) return null;
        var doAt = BlockDo(s);
        if (doAt < 0) return null;
        // the run of whitespace before "do" (at least one character), and a ')' just before it
        var w0 = doAt;
        while (w0 > 0 && char.IsWhiteSpace(s[w0 - 1])) w0--;
        if (w0 == doAt) return null;
        var paren = w0 > 0 && s[w0 - 1] == ')';
        // the arguments start after "group", its whitespace and an optional '('; the regex tries the most whitespace
        // and the '(' first and the shortest arguments, then gives back whitespace
        var spaceEnd = SkipSpace(s, 5);
        for (var start = spaceEnd; start >= 5; start--)
        {
            foreach (var takeParen in (bool[])[true, false])
            {
                if (takeParen && (start != spaceEnd || start >= s.Length || s[start] != '(')) continue;
                var a = takeParen ? start + 1 : start;
                // the smallest end p >= a from which \)?\s+ reaches "do": w0 - 1 when a ')' is there, else w0..doAt-1
                int p;
                if (paren && w0 - 1 >= a) p = w0 - 1;
                else if (w0 >= a) p = w0;
                else if (a <= doAt - 1) p = a;
                else continue;
                return s[a..p];
            }
        }
        return null;
    }

    // ^gem\s*\(?\s*["'](?<name>[^"']+)["'](?<rest>.*)$
    internal static bool GemName(string s, out string name, out string rest)
    {
        name = rest = "";
        if (!At(s, 0, "gem")) return false;
        var i = SkipSpace(s, 3);
        if (i < s.Length && s[i] == '(') i = SkipSpace(s, i + 1);
        if (i >= s.Length || s[i] is not ('"' or '\'')) return false;
        var close = s.AsSpan(i + 1).IndexOfAny('"', '\'');
        if (close <= 0) return false;
        name = s.Substring(i + 1, close);
        rest = s[(i + 2 + close)..];
        return true;
    }

    // (?:\boptional:|:optional\s*=>)\s*true\b, the first match at or after from
    internal static (int Index, int Length) FindOptionalTrue(string s, int from)
    {
        for (var i = from; i < s.Length; i++)
        {
            int j;
            if (s[i] == 'o' && At(s, i, "optional:") && BoundaryBefore(s, i)) j = i + 9;
            else if (s[i] == ':' && At(s, i, ":optional") && At(s, SkipSpace(s, i + 9), "=>")) j = SkipSpace(s, i + 9) + 2;
            else continue;
            j = SkipSpace(s, j);
            if (At(s, j, "true") && BoundaryAt(s, j + 4)) return (i, j + 4 - i);
        }
        return (-1, 0);
    }

    internal static string WithoutOptionalTrue(string s)
    {
        var (index, length) = FindOptionalTrue(s, 0);
        if (index < 0) return s;
        var b = new System.Text.StringBuilder(s.Length);
        var from = 0;
        while (index >= 0)
        {
            b.Append(s, from, index - from);
            from = index + length;
            (index, length) = FindOptionalTrue(s, from);
        }
        return b.Append(s, from, s.Length - from).ToString();
    }

    // (?:\bgroups?:|:groups?\s*=>)\s*(?<value>\[[^\]]*\]|%[iw]\[[^\]]*\]|%[iw]\([^)]*\)|:\w+|"[^"]*"|'[^']*'): the first value
    internal static string? GroupOption(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            int j;
            if (s[i] == 'g' && At(s, i, "group") && BoundaryBefore(s, i))
            {
                j = i + 5;
                if (At(s, j, "s:")) j += 2;
                else if (At(s, j, ":")) j += 1;
                else continue;
            }
            else if (s[i] == ':' && At(s, i, ":group"))
            {
                j = i + 6;
                if (At(s, j, "s")) j++;
                j = SkipSpace(s, j);
                if (!At(s, j, "=>")) continue;
                j += 2;
            }
            else continue;
            j = SkipSpace(s, j);
            if (Value(s, j) is { } value) return value;
        }
        return null;
    }

    private static string? Value(string s, int j)
    {
        if (j >= s.Length) return null;
        int close;
        switch (s[j])
        {
            case '[':
                close = s.IndexOf(']', j + 1);
                return close >= 0 ? s[j..(close + 1)] : null;
            case '%' when j + 2 < s.Length && s[j + 1] is 'i' or 'w' && s[j + 2] is '[' or '(':
                close = s.IndexOf(s[j + 2] == '[' ? ']' : ')', j + 3);
                return close >= 0 ? s[j..(close + 1)] : null;
            case ':':
                var end = j + 1;
                while (end < s.Length && WordCharacters.IsWordChar(s[end])) end++;
                return end > j + 1 ? s[j..end] : null;
            case '"' or '\'':
                close = s.IndexOf(s[j], j + 1);
                return close >= 0 ? s[j..(close + 1)] : null;
            default:
                return null;
        }
    }

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
