// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Hygiene.Tests.Secrets;

/// The byte path (ScanUtf8: keywords found in the UTF-8 bytes, text decoded only for files with a hit) must find
/// exactly what the text path finds, wherever the secret sits and whatever surrounds it.
public sealed class SecretScannerUtf8Tests : IDisposable
{
    private static readonly SecretScanner Scanner = new(SecretRules.BuiltIn);
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-secrets-utf8-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<string> Describe(IEnumerable<SecretFinding> findings) =>
        [.. findings.Select(f => $"{f.RuleId} {f.Line}:{f.Column} {f.Secret}")];

    private static List<string> FromBytes(byte[] bytes) => Describe(Scanner.ScanUtf8("f", bytes, out _));

    public static TheoryData<string> Surroundings() =>
    [
        "plain",          // as planted
        "crlf",           // Windows line ends
        "multibyte",      // accents, CJK and an emoji (a surrogate pair) before the secret, on its line and above it
        "invalid",        // bytes that are not UTF-8 (Latin-1 é, a lone continuation byte) before the secret
        "no-final-newline",
        "bom",
    ];

    private static byte[] Variant(string content, string kind) => kind switch
    {
        "plain" => Encoding.UTF8.GetBytes(content),
        "crlf" => Encoding.UTF8.GetBytes(content.Replace("\n", "\r\n", StringComparison.Ordinal)),
        "multibyte" => Encoding.UTF8.GetBytes("# Größe, 日本語 and 🙂 first\n" + ReplaceFirst(content, OneLineHeader, "# café ☕ 🙂 über\n\né🙂 ")),
        "invalid" => [(byte)'#', (byte)' ', 0xE9, 0x80, (byte)'\n', .. Encoding.UTF8.GetBytes(content)],
        "no-final-newline" => Encoding.UTF8.GetBytes(content.TrimEnd('\n')),
        "bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(content)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // how PlantedSecrets starts a one-line plant: the secret's line follows
    private const string OneLineHeader = "# settings for the deploy job\n\n";

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }

    [Theory]
    [MemberData(nameof(Surroundings))]
    public void The_byte_path_finds_what_the_text_path_finds_for_every_planted_secret(string kind)
    {
        var failures = new List<string>();
        foreach (var p in PlantedSecrets.All(21))
        {
            var bytes = Variant(p.Content, kind);
            var text = WorkingTreeScan.Decode(bytes);
            var expected = Describe(Scanner.Scan("f", text));
            var actual = FromBytes(bytes);
            if (expected.Count != 1 || !expected.SequenceEqual(actual))
                failures.Add($"{p.RuleId} ({kind}): text [{string.Join("; ", expected)}] bytes [{string.Join("; ", actual)}]");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_secret_on_a_line_with_multibyte_characters_is_reported_at_its_utf16_column()
    {
        var t = new FakeTokens(31);
        var token = $"sk_live_{t.Alnum(24)}";
        // "é" is 2 bytes and 1 UTF-16 unit, "🙂" 4 bytes and 2 units: the column counts units, as the text path does
        var found = Assert.Single(Scanner.ScanUtf8("f", Encoding.UTF8.GetBytes($"é🙂 = \"{token}\"\n"), out _));
        Assert.Equal((1, 8, token), (found.Line, found.Column, found.Secret));
    }

    [Fact]
    public void Secrets_at_the_very_start_and_the_very_end_of_a_file_are_found()
    {
        var t = new FakeTokens(32);
        var a = t.Checksummed("ghp_");
        var b = t.Checksummed("gho_");
        var found = FromBytes(Encoding.UTF8.GetBytes($"{a}\nmiddle\n{b}"));
        Assert.Equal([$"github-personal-access-token 1:1 {a}", $"github-oauth-token 3:1 {b}"], found);
    }

    [Fact]
    public void A_secret_longer_than_its_window_or_across_merged_windows_is_found_the_same_by_both_paths()
    {
        var t = new FakeTokens(34);
        // a PyPI token longer than its rule's window (512 characters after the keyword), with multibyte text around it
        var longToken = $"pypi-AgEIcHlwaS5vcmc{t.Url(900)}";
        // two keyword hits close together: their windows merge, and the second token starts inside the first's window
        var a = $"sk_live_{t.Alnum(24)}";
        var b = $"sk_live_{t.Alnum(24)}";
        var text = $"é🙂 {longToken}\nK1={a} K2={b} — ünï\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var expected = Describe(Scanner.Scan("f", text));
        Assert.Equal(expected, FromBytes(bytes));
        Assert.Equal(3, expected.Count);
        Assert.StartsWith("pypi-token 1:5 pypi-AgEIcHlwaS5vcmc", expected[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("g")]
    [InlineData("gh")]
    [InlineData("ghp_")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("token = \"")]
    [InlineData("postgres://")]
    public void A_file_that_ends_inside_a_keyword_or_a_match_has_no_finding(string content) =>
        Assert.Empty(FromBytes(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void A_keyword_in_another_case_or_glued_to_a_word_opens_no_window_but_a_real_token_still_does()
    {
        var search = new KeywordSearch(SecretRules.BuiltIn);
        int Rule(string id) => SecretRules.BuiltIn.Select((r, i) => (r, i)).Single(x => x.r.Id == id).i;
        // "msg." holds "sg." (SendGrid's keyword, matched without case) but not the case-sensitive literal "SG." at a word start
        Assert.DoesNotContain(search.Find("log(msg.text); sg.send()"u8) ?? [], h => h.Rule == Rule("sendgrid-api-key"));
        var hits = search.Find("key = SG.abc"u8);
        Assert.Contains(hits ?? [], h => h.Rule == Rule("sendgrid-api-key") && h.Offset == 6);
        // the generic rule needs an assignment of a long enough value after its keyword
        Assert.Null(search.Find("if (token == null) return;"u8));
        Assert.Null(search.Find("token = request.get(x)"u8));
        Assert.Contains(search.Find("token = \"Zq3vN8rT2wXk9LmP\""u8) ?? [], h => h.Rule == Rule("generic-secret-assignment"));
        // URLs: only one with user:password@ opens a window
        Assert.Null(search.Find("see https://www.apache.org/licenses/LICENSE-2.0"u8));
    }

    [Theory]
    [InlineData(@"\b(?<secret>ghp_[A-Za-z0-9]{36})", "ghp_", true)]
    [InlineData(@"\b(?<secret>SG\.[A-Za-z0-9_\-]{22})", "SG.", true)]
    [InlineData(@"\b(?<secret>access_token\$production\$[0-9a-z]{16})", "access_token$production$", true)]
    [InlineData(@"AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)", "AccountKey=", false)]
    [InlineData(@"\b(?<secret>sq[pua]_[a-f0-9]{40})", "sq", true)]
    [InlineData(@"\b(?<secret>ab?c)", "a", true)]
    [InlineData(@"\b(?<secret>abc|xyz)", "", true)]
    [InlineData(@"abc|xyz", "", false)]
    [InlineData(@"(?i)aws[a-z]{0,4}", null, false)]
    [InlineData(@"-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN", false)]
    public void The_literal_a_pattern_starts_with_is_read_up_to_its_first_metacharacter(string pattern, string? literal, bool boundary) =>
        Assert.Equal((literal, boundary), SecretRule.LeadingLiteral(pattern));

    [Fact]
    public void A_tree_scan_reads_large_and_growing_files_whole_and_finds_their_last_secret()
    {
        var t = new FakeTokens(33);
        var token = $"sk_live_{t.Alnum(24)}";
        var filler = string.Concat(Enumerable.Repeat("const value = compute(input, 42); // ünïcödé\n", 70_000));
        File.WriteAllText(Path.Combine(_dir, "big.js"), filler + $"K = \"{token}\"\n");
        var result = WorkingTreeScan.Scan(new DirectoryFileTree(_dir), Scanner, SecretAllowlist.Empty, new SecretScanOptions { Parallelism = 1 });
        var found = Assert.Single(result.Findings);
        Assert.Equal((70_001, 6, token), (found.Line, found.Column, found.Secret));
        Assert.Equal(new FileInfo(Path.Combine(_dir, "big.js")).Length, result.BytesScanned);
    }

    [Fact]
    public void BULWARK_JOBS_sets_the_default_parallelism()
    {
        var before = Environment.GetEnvironmentVariable("BULWARK_JOBS");
        try
        {
            Environment.SetEnvironmentVariable("BULWARK_JOBS", "1");
            Assert.Equal(1, new SecretScanOptions().Parallelism);
            Environment.SetEnvironmentVariable("BULWARK_JOBS", "zero");
            Assert.Equal(Environment.ProcessorCount, new SecretScanOptions().Parallelism);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BULWARK_JOBS", before);
        }
    }
}
