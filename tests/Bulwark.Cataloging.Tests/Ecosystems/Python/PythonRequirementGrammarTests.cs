// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cataloging.Ecosystems.Python;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Python;

/// The hand-written PEP 508 reader against the regular expressions it replaced (kept here as the reference): the
/// same answer, name, extras, specifier, URL and marker for every short string over the characters that matter,
/// random longer ones, and every requirement line of the corpus.
public sealed class PythonRequirementGrammarTests
{
    private static readonly Regex Pattern = new(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?<extras>[^\]]*)\])?(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex SpecifierPattern = new(@"^\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9._+*!-]+\s*(?:,\s*(?:~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9._+*!-]+\s*)*$", RegexOptions.CultureInvariant);
    private static readonly Regex WhitespacePattern = new(@"\s+", RegexOptions.CultureInvariant);

    // the reader as it was, with the regular expressions
    private static string? Reference(string text)
    {
        var m = Pattern.Match(text.Trim());
        if (!m.Success) return null;
        var extras = m.Groups["extras"].Success
            ? m.Groups["extras"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var rest = m.Groups["rest"].Value.Trim();
        string? url = null, marker = null;
        string specifier;
        if (rest.StartsWith('@'))
        {
            rest = rest[1..].TrimStart();
            var end = rest.IndexOfAny([' ', '\t']);
            url = end < 0 ? rest : rest[..end];
            var after = end < 0 ? "" : rest[end..].Trim();
            if (url.EndsWith(';')) { url = url[..^1]; after = ";" + after; }
            if (after.StartsWith(';')) marker = after[1..].Trim();
            else if (after.Length > 0) return null;
            specifier = "";
        }
        else
        {
            var semi = rest.IndexOf(';', StringComparison.Ordinal);
            if (semi >= 0) { marker = rest[(semi + 1)..].Trim(); rest = rest[..semi].Trim(); }
            if (rest.StartsWith('(') && rest.EndsWith(')')) rest = rest[1..^1].Trim();
            if (rest.Length > 0 && !SpecifierPattern.IsMatch(rest)) return null;
            specifier = WhitespacePattern.Replace(rest, "");
        }
        return Describe(m.Groups["name"].Value, extras, specifier, url, string.IsNullOrEmpty(marker) ? null : marker);
    }

    private static string Describe(string name, IEnumerable<string> extras, string specifier, string? url, string? marker) =>
        $"{name}|{string.Join(',', extras)}|{specifier}|{url ?? "<none>"}|{marker ?? "<none>"}";

    private static string? HandWritten(string text) =>
        PythonRequirement.TryParse(text, out var r) ? Describe(r.Name, r.Extras, r.Specifier, r.Url, r.Marker) : null;

    [Fact]
    public void Agrees_with_the_regular_expressions_on_every_short_string_and_random_long_ones()
    {
        const string alphabet = "a1.-_ [],;@=<>~!(*)\t\u00a0";
        var texts = new List<string>();
        for (var length = 0; length <= 4; length++)
        {
            var count = (int)Math.Pow(alphabet.Length, length);
            for (var n = 0; n < count; n++)
            {
                var chars = new char[length];
                for (int i = 0, k = n; i < length; i++, k /= alphabet.Length) chars[i] = alphabet[k % alphabet.Length];
                texts.Add(new string(chars));
            }
        }
        var random = new Random(508);
        string[] pieces = ["requests", "zope.interface", "a-b_c", "[socks, security]", "[", "]", " ", ">=", "==", "===", "~=", "!=", "<", ">", "1.0", "2.*", ",", ";", " ; ", "python_version < '3.11'", "@", " @ ", "https://x.example/p.whl", "(", ")", "\t", "\u2003", "-", "."];
        for (var n = 0; n < 50_000; n++)
            texts.Add(string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)])));
        foreach (var text in texts)
            Assert.True(Reference(text) == HandWritten(text), $"'{text}': regex {Reference(text) ?? "no match"}, hand-written {HandWritten(text) ?? "no match"}");
    }

    [Fact]
    public void Agrees_with_the_regular_expressions_on_every_requirement_line_of_the_corpus()
    {
        var root = TestPaths.Lockfiles;
        var lines = Directory.EnumerateFiles(root, "*.txt", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(root, "*.in", SearchOption.AllDirectories))
            .SelectMany(File.ReadLines)
            .Select(l => l.Split(" #")[0].Split('\\')[0])
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith('-'))
            .ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.NotNull(HandWritten(line));
            Assert.Equal(Reference(line), HandWritten(line));
        }
    }
}
