// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

internal sealed record GoRequire(string Path, string Version, bool Indirect, int Line);

/// `replace Old [OldVersion] => New [NewVersion]`; a New without version is a directory.
internal sealed record GoReplace(string OldPath, string? OldVersion, string NewPath, string? NewVersion, int Line);

internal sealed record GoExclude(string Path, string Version, int Line);

/// A go.mod file (https://go.dev/ref/mod#go-mod-file): directives one per line or grouped in `verb ( … )` blocks,
/// `//` comments, arguments optionally quoted ("…" or `…`).
internal sealed class GoModFile
{
    private static readonly HashSet<string> KnownVerbs =
        ["module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"];

    public string? Module { get; private set; }
    public int ModuleLine { get; private set; }
    public string? GoVersion { get; private set; }
    public string? Toolchain { get; private set; }
    public List<GoRequire> Requires { get; } = [];
    public List<GoReplace> Replaces { get; } = [];
    public List<GoExclude> Excludes { get; } = [];
    public int Retracts { get; private set; }

    public static GoModFile Parse(string text)
    {
        var file = new GoModFile();
        string? blockVerb = null;
        var blockLine = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var (tokens, comment) = Tokenize(lines[i], lineNo);
            if (tokens.Count == 0) continue;
            if (blockVerb is not null)
            {
                if (tokens is [")"]) { blockVerb = null; continue; }
                file.Apply(blockVerb, tokens, comment, lineNo);
                continue;
            }
            var verb = tokens[0];
            if (!KnownVerbs.Contains(verb))
                throw Error(lineNo, $"unknown directive '{verb}'", "Check the file with 'go mod edit -fmt'.");
            if (tokens.Count == 2 && tokens[1] == "(")
            {
                blockVerb = verb;
                blockLine = lineNo;
                continue;
            }
            if (tokens.Count == 3 && tokens[1] == "(" && tokens[2] == ")") continue; // an empty block on one line
            file.Apply(verb, tokens.GetRange(1, tokens.Count - 1), comment, lineNo);
        }
        if (blockVerb is not null)
            throw Error(blockLine, $"the '{blockVerb} (' block is never closed with ')'", "Check the file with 'go mod edit -fmt'.");
        return file;
    }

    private void Apply(string verb, List<string> args, string comment, int line)
    {
        switch (verb)
        {
            case "module":
                Expect(args.Count == 1, line, "usage: module module/path");
                Module = args[0];
                ModuleLine = line;
                break;
            case "go":
                Expect(args.Count == 1, line, "usage: go 1.23");
                GoVersion = args[0];
                break;
            case "toolchain":
                Expect(args.Count == 1, line, "usage: toolchain go1.23.1");
                Toolchain = args[0];
                break;
            case "require":
                Expect(args.Count == 2, line, "usage: require module/path v1.2.3");
                CheckVersion(args[1], line);
                Requires.Add(new(args[0], args[1], IsIndirect(comment), line));
                break;
            case "exclude":
                Expect(args.Count == 2, line, "usage: exclude module/path v1.2.3");
                CheckVersion(args[1], line);
                Excludes.Add(new(args[0], args[1], line));
                break;
            case "replace":
            {
                var arrow = args.IndexOf("=>");
                Expect(arrow is 1 or 2 && args.Count - arrow - 1 is 1 or 2, line,
                    "usage: replace module/path [v1.2.3] => other/module v1.4.5 or replace module/path [v1.2.3] => ../local/directory");
                var oldVersion = arrow == 2 ? args[1] : null;
                var newVersion = args.Count - arrow - 1 == 2 ? args[^1] : null;
                var newPath = args[arrow + 1];
                if (oldVersion is not null) CheckVersion(oldVersion, line);
                if (newVersion is not null) CheckVersion(newVersion, line);
                else Expect(GoVersions.IsLocalPath(newPath), line,
                    $"replacement module '{newPath}' has no version, and a directory path must start with ./ or ../");
                Replaces.Add(new(args[0], oldVersion, newPath, newVersion, line));
                break;
            }
            case "retract":
                Retracts++;
                break;
            // godebug, tool and ignore name no modules
        }
    }

    // "// indirect" marks a requirement no package of the main module imports directly; text may follow after ';'
    private static bool IsIndirect(string comment)
    {
        var c = comment.Trim();
        return c == "indirect" || c.StartsWith("indirect;", StringComparison.Ordinal);
    }

    private static void CheckVersion(string version, int line) =>
        Expect(version.Length > 1 && version[0] == 'v', line, $"version '{version}' must be a semantic version starting with 'v'");

    private static void Expect(bool condition, int line, string message)
    {
        if (!condition) throw Error(line, message, "Run 'go mod tidy' to repair the file.");
    }

    private static InputException Error(int line, string what, string next) => new($"line {line}: {what}. {next}");

    /// Splits one line into tokens ("(" and ")" and "[" "]" "," stand alone) and the text of its // comment.
    private static (List<string> Tokens, string Comment) Tokenize(string line, int lineNo)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < line.Length && line[i + 1] == '/')
                return (tokens, line[(i + 2)..]);
            if (c is '(' or ')' or '[' or ']' or ',')
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }
            if (c is '"' or '`')
            {
                var (value, end) = ReadQuoted(line, i, lineNo);
                tokens.Add(value);
                i = end;
                continue;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('(' or ')' or '[' or ']' or ',' or '"' or '`')
                   && !(line[i] == '/' && i + 1 < line.Length && line[i + 1] == '/'))
                i++;
            tokens.Add(line[start..i]);
        }
        return (tokens, "");
    }

    private static (string Value, int End) ReadQuoted(string line, int start, int lineNo)
    {
        var quote = line[start];
        var sb = new StringBuilder();
        for (var i = start + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == quote) return (sb.ToString(), i + 1);
            if (c == '\\' && quote == '"' && i + 1 < line.Length)
            {
                i++;
                sb.Append(line[i] switch { 'n' => '\n', 't' => '\t', var other => other });
                continue;
            }
            sb.Append(c);
        }
        throw Error(lineNo, "a quoted string is not closed", "Check the file with 'go mod edit -fmt'.");
    }
}
