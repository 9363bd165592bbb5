// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Ecosystems.Elixir;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Elixir;

/// The hand-written mix.exs reader against the regular expressions it replaced (kept here as the reference), on the
/// corpus's and the tests' mix.exs files and on random files built from the pieces that matter.
public sealed class MixProjectGrammarTests
{
    private static readonly Regex AppLine = new(@"^[ \t]*app:\s*:(?<app>\w+)", RegexOptions.Multiline);
    private static readonly Regex VersionLine = new(@"^[ \t]*version:\s*(?:""(?<v>[^""]+)""|@(?<attr>\w+))", RegexOptions.Multiline);
    private static readonly Regex DepTuple = new(@"^[ \t]*\{:(?<app>\w+)\s*,(?<rest>.*)\}", RegexOptions.Multiline);
    private static readonly Regex Only = new(@"\bonly:\s*(?<only>\[[^\]]*\]|:\w+)");
    private static readonly Regex OptionalTrue = new(@"\boptional:\s*true\b");
    private static readonly Regex DepsFunction = new(@"^[ \t]*defp?\s+deps\b[^\n]*$", RegexOptions.Multiline);
    private static readonly Regex NextDefinition = new(@"^[ \t]*defp?\s", RegexOptions.Multiline);

    private static string Reference(string text)
    {
        var app = AppLine.Match(text) is { Success: true } a ? a.Groups["app"].Value : null;
        string? version = null;
        if (VersionLine.Match(text) is { Success: true } v)
        {
            version = v.Groups["v"].Success ? v.Groups["v"].Value
                : Regex.Match(text, $@"^[ \t]*@{Regex.Escape(v.Groups["attr"].Value)}\s+""(?<v>[^""]+)""", RegexOptions.Multiline) is { Success: true } attr ? attr.Groups["v"].Value
                : null;
        }
        var deps = new List<string>();
        if (DepsFunction.Match(text) is { Success: true } f)
        {
            var body = text[(f.Index + f.Length)..];
            if (NextDefinition.Match(body) is { Success: true } next) body = body[..next.Index];
            foreach (Match m in DepTuple.Matches(body))
            {
                var rest = m.Groups["rest"].Value;
                var scope = Scope.Required;
                if (Only.Match(rest) is { Success: true } only && !only.Groups["only"].Value.Contains(":prod", StringComparison.Ordinal))
                    scope = Scope.Dev;
                else if (OptionalTrue.IsMatch(rest))
                    scope = Scope.Optional;
                deps.Add($"{m.Groups["app"].Value}:{scope}");
            }
        }
        return $"{app ?? "<none>"}|{version ?? "<none>"}|{string.Join(' ', deps)}";
    }

    private static string HandWritten(string text)
    {
        var p = MixLockCataloger.MixProject.Read(text);
        return $"{p.App ?? "<none>"}|{p.Version ?? "<none>"}|{string.Join(' ', p.Deps.Select(d => $"{d.App}:{d.Scope}"))}";
    }

    [Fact]
    public void Agrees_with_the_regular_expressions_on_real_mix_files()
    {
        var files = Directory.EnumerateFiles(TestPaths.Lockfiles, "mix.exs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "tests"), "mix.exs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal)))
            .ToList();
        Assert.True(files.Count >= 2);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.Equal(Reference(text), HandWritten(text));
            Assert.Equal(Reference(text.ReplaceLineEndings("\r\n")), HandWritten(text.ReplaceLineEndings("\r\n")));
        }
    }

    [Fact]
    public void Agrees_with_the_regular_expressions_on_random_files()
    {
        string[] pieces =
        [
            "\n", "\n", "\n", "\r\n", " ", "\t", "  ", "app:", " app: :shop", "app:\n:x", "version:", " version: \"1.2.0\"", "version: @version",
            "version: \"\"", "@version \"0.3.0\"", "@version", "@vsn \"2\"", "\"", "def deps do", "defp deps do", "defp deps", "def  deps()",
            "defp depsx do", "def project do", "defp aliases", "def", "defp", "deps", "{:jason, \"~> 1.4\"}", "{:a,", "{:ex_doc, \"~> 0.34\", only: :dev}",
            "{:t, only: [:test, :prod]}", "{:o, \"1\", optional: true}", "optional: trueish", "only:", " only: [:dev", "]", "}", "{", ":", ",",
            "x_only: :dev", "{:j, \u200Donly: :dev}", "{:k, \u200Doptional: true}", "{:k, optional: true\u200C}", "é", "\u200D", "_", "1", "# comment", "end",
        ];
        var random = new Random(1);
        for (var n = 0; n < 50_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.True(Reference(text) == HandWritten(text), $"{text}\nregex:        {Reference(text)}\nhand-written: {HandWritten(text)}");
        }
    }
}
