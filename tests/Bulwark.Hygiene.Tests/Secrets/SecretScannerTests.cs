// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Hygiene.Secrets;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Tests.Secrets;

public sealed class SecretScannerTests : IDisposable
{
    private static readonly string FalsePositives = Path.Combine(TestPaths.Project("Bulwark.Hygiene.Tests"), "Secrets", "testdata", "false-positives");
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SecretScanner Scanner(SecretAllowlist? allow = null) => new(SecretRules.BuiltIn, allow);

    internal static void WriteTree(string root, IEnumerable<Plant> plants)
    {
        foreach (var p in plants)
        {
            var full = Path.Combine(root, p.File);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, p.Content);
        }
    }

    private static SecretScanResult ScanTree(string root, SecretAllowlist? allow = null, SecretScanOptions? options = null) =>
        WorkingTreeScan.Scan(new DirectoryFileTree(root), Scanner(allow), allow ?? SecretAllowlist.Empty, options ?? new SecretScanOptions());

    [Fact]
    public void There_are_at_least_150_rules_with_unique_ids()
    {
        Assert.True(SecretRules.BuiltIn.Count >= 150, $"{SecretRules.BuiltIn.Count} rules");
        Assert.Equal(SecretRules.BuiltIn.Count, SecretRules.BuiltIn.Select(r => r.Id).Distinct().Count());
        // patterns compile on first use: every built-in one must compile, as NonBacktracking
        Assert.All(SecretRules.BuiltIn, r => Assert.True(r.Pattern.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking), r.Id));
    }

    [Fact]
    public void Every_rule_has_a_planted_secret()
    {
        var planted = PlantedSecrets.All().Select(p => p.RuleId).ToHashSet();
        var missing = SecretRules.BuiltIn.Select(r => r.Id).Where(id => !planted.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "no planted secret for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Finds_exactly_the_planted_secrets_in_a_tree()
    {
        var plants = PlantedSecrets.All();
        WriteTree(_dir, plants);
        var result = ScanTree(_dir);
        var expected = plants.Select(p => $"{p.File}:{p.Line} {p.RuleId}").Order(StringComparer.Ordinal).ToList();
        var actual = result.Findings.Select(f => $"{f.Path}:{f.Line} {f.RuleId}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Empty(result.Skipped);
        Assert.Equal(plants.Count, result.FilesScanned);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(1234)]
    public void Finds_every_planted_secret_whatever_the_random_parts(int seed)
    {
        var scanner = Scanner();
        foreach (var p in PlantedSecrets.All(seed))
        {
            var found = scanner.Scan(p.File, p.Content);
            Assert.True(found.Count == 1 && found[0].RuleId == p.RuleId && found[0].Line == p.Line,
                $"{p.RuleId} (seed {seed}): found [{string.Join(", ", found.Select(f => $"{f.RuleId}@{f.Line}"))}] in:\n{p.Content}");
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(1234)]
    public void Every_rule_ignores_its_planted_secret_made_a_placeholder_or_cut_short(int seed)
    {
        var scanner = Scanner();
        var failures = new List<string>();
        foreach (var p in PlantedSecrets.All(seed))
        {
            var found = Assert.Single(scanner.Scan(p.File, p.Content));
            var negative = NearMisses.For(p, found.Secret);
            var again = scanner.Scan(p.File, negative);
            if (again.Count > 0) failures.Add($"{p.RuleId}: found [{string.Join(", ", again.Select(f => $"{f.RuleId} {f.Secret}"))}] in:\n{negative}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    // shapes that are close to a token but are not one: wrong case, glued to a word, too short, wrong alphabet
    [InlineData("id = akid" + "0123456789abcdefghij0123456789AB")]
    [InlineData("x = XAKID9f8e7d6c5b4a39f8e7d6c5b4a3Q1w2")]
    [InlineData("NETLIFY=nfp_7Hq2Lx9Pz4Kw8Rt3Vn6Bm1Cd5Fg0")]
    [InlineData("msg = \"ATBB is the prefix of a Bitbucket app password\"")]
    [InlineData("route = api.pk_42_abc")]
    [InlineData("import { rnd_seed } from './rnd_seed_generator_for_tests_only';")]
    [InlineData("const key = 'pplx-short';")]
    [InlineData("AZURE_DEVOPS=JQQJ99AZDO")]
    [InlineData("<D>AQAB</D>")]
    [InlineData("{\"d\":\"Q2xhcmsgS2VudCBpcyBTdXBlcm1hbiwgd2VsbCBrbm93bg\"}")]
    [InlineData("ldap_url = ldaps://ldap.shop.internal:636/dc=shop")]
    [InlineData("jdbc:mysql://db:3306/shop?user=shop&password=${DB_PASSWORD}")]
    [InlineData("sig=abc&sv=2022-11-02")]
    [InlineData("untrusted comment: minisign public key 5F2A\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3")]
    public void Near_misses_of_the_new_rules_are_not_findings(string text) => Assert.Empty(Scanner().Scan("x", text));

    [Fact]
    public void Reports_the_column_and_the_whole_secret()
    {
        var t = new FakeTokens(1);
        var token = t.Checksummed("ghp_");
        var found = Assert.Single(Scanner().Scan("a.env", $"first line\n  GH={token} # deploy\n"));
        Assert.Equal(("github-personal-access-token", 2, 6, token), (found.RuleId, found.Line, found.Column, found.Secret));
        Assert.Equal("ghp_…", found.Shown(redact: true));
        Assert.Equal(token, found.Shown(redact: false));
    }

    [Fact]
    public void A_private_key_is_reported_at_its_begin_line_with_its_body_as_the_secret()
    {
        var t = new FakeTokens(2);
        var body = t.PemLines(3);
        var found = Assert.Single(Scanner().Scan("id_rsa", $"\n\n  -----BEGIN RSA PRIVATE KEY-----\n  Proc-Type: 4,ENCRYPTED\n  DEK-Info: AES-128-CBC,00FF\n\n{body}\n  -----END RSA PRIVATE KEY-----\n"));
        Assert.Equal((3, 3), (found.Line, found.Column));
        Assert.Equal(body, found.Secret);
    }

    [Fact]
    public void Finds_a_secret_in_the_middle_of_a_minified_megabyte_line()
    {
        var t = new FakeTokens(14);
        var token = t.Checksummed("ghs_");
        var filler = new StringBuilder();
        while (filler.Length < 500_000) filler.Append("var a=function(b){return b.token?b.secret:null};");
        var text = filler + $"c=\"{token}\";" + filler;
        var found = Assert.Single(Scanner().Scan("app.min.js", text));
        Assert.Equal((1, filler.Length + 4, token), (found.Line, found.Column, found.Secret));
    }

    [Fact]
    public void Columns_count_from_the_first_character_after_a_byte_order_mark()
    {
        var t = new FakeTokens(15);
        File.WriteAllBytes(Path.Combine(_dir, "bom.env"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"K=sk_live_{t.Alnum(24)}\n")]);
        var found = Assert.Single(ScanTree(_dir).Findings);
        Assert.Equal((1, 3), (found.Line, found.Column));
    }

    [Fact]
    public void Placeholders_docs_uuids_lockfile_hashes_and_images_produce_no_findings()
    {
        var result = ScanTree(FalsePositives);
        Assert.Empty(result.Findings.Select(f => $"{f.Path}:{f.Line} {f.RuleId} {f.Secret}"));
        Assert.Equal(6, result.FilesScanned);
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")]
    [InlineData("token = \"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"")]
    [InlineData("STRIPE=sk_live_000000000000000000000000")]
    [InlineData("password = \"${DB_PASSWORD}\"")]
    [InlineData("api_key: <token>")]
    [InlineData("api_key = \"your_api_key\"")]
    [InlineData("secret = \"aaaaaaaaaaaaaaaaaaaaaaaa\"")]
    [InlineData("secret = \"abcdefghijklmnopqrstuvwxyz\"")]
    [InlineData("DATABASE_URL=postgres://app:password@db/app")]
    [InlineData("DATABASE_URL=postgres://app:$PGPASSWORD@db/app")]
    [InlineData("DATABASE_URL=postgres://app:{t.Alnum(16)}@db/app")]
    [InlineData("REDIS_URL=redis://:pw@cache:6379")]
    [InlineData("password = \"hunter\"")]
    [InlineData("secret: true")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n")]
    public void Ignores_placeholders(string line) => Assert.Empty(Scanner().Scan("x", line));

    [Fact]
    public void Accepts_a_github_token_only_with_its_checksum()
    {
        var t = new FakeTokens(3);
        var scanner = Scanner();
        for (var i = 0; i < 20; i++)
        {
            var token = t.Checksummed("ghp_");
            Assert.True(Checksums.IsValidCrc32Base62Token(token));
            Assert.Single(scanner.Scan("x", $"t={token}"));
            foreach (var at in new[] { 4, 20, 33, 39 })
            {
                var changed = token[..at] + (token[at] == 'a' ? 'b' : 'a') + token[(at + 1)..];
                Assert.False(Checksums.IsValidCrc32Base62Token(changed), changed);
                Assert.Empty(scanner.Scan("x", $"t={changed}"));
            }
        }
    }

    [Theory]
    // vectors computed independently with Python's zlib.crc32 and base62 (0-9A-Za-z), left-padded to 6
    [InlineData("abcdefghijklmnopqrstuvwxyz0123", "2LolCm")]
    [InlineData("Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0", "0oF1p3")]
    public void Computes_the_base62_crc32_checksum_as_github_and_npm_do(string random, string checksum)
    {
        Assert.Equal(checksum, Checksums.Crc32Base62(random));
        Assert.True(Checksums.IsValidCrc32Base62Token("npm_" + random + checksum));
        Assert.True(Checksums.IsValidCrc32Base62Token("gho_" + random + checksum));
        Assert.False(Checksums.IsValidCrc32Base62Token("gho_" + random + checksum[..5] + (checksum[5] == 'z' ? 'y' : 'z')));
        Assert.False(Checksums.IsValidCrc32Base62Token("gho_" + random[1..] + "Q" + checksum));
    }

    [Fact]
    public void Accepts_an_npm_token_only_with_its_checksum()
    {
        var t = new FakeTokens(4);
        var token = t.Checksummed("npm_");
        Assert.Equal("npm-access-token", Assert.Single(Scanner().Scan(".npmrc", $"//registry.npmjs.org/:_authToken={token}")).RuleId);
        var changed = token[..10] + (token[10] == 'Q' ? 'R' : 'Q') + token[11..];
        // the checksum fails, so the npm rule drops it; the .npmrc rule still reports a token in _authToken
        Assert.Equal("npmrc-auth-token", Assert.Single(Scanner().Scan(".npmrc", $"//registry.npmjs.org/:_authToken={changed}")).RuleId);
        Assert.Empty(Scanner().Scan("notes.txt", $"value {changed}"));
    }

    [Fact]
    public void A_jwt_needs_a_json_header_with_a_signing_alg()
    {
        var t = new FakeTokens(5);
        string Jwt(string header) => $"{FakeTokens.Base64Url(header)}.{FakeTokens.Base64Url("{\"sub\":\"" + t.Alnum(8) + "\"}")}.{t.Url(43)}";
        Assert.Single(Scanner().Scan("x", "s=" + Jwt("{\"alg\":\"ES256\",\"kid\":\"k1\"}")));
        Assert.Empty(Scanner().Scan("x", "s=" + Jwt("{\"alg\":\"none\"}")));
        Assert.Empty(Scanner().Scan("x", "s=" + Jwt("{\"typ\":\"JWT\"}")));
        Assert.Empty(Scanner().Scan("x", "s=" + Jwt("{\"alg\":\"HS256\"")));
        // a name that is no text (an unpaired surrogate escape): TryGetProperty threw InvalidOperationException out of
        // the scan of the file (found by review); such a header is no JWT
        Assert.Empty(Scanner().Scan("x", "s=" + Jwt("{\"alg\":\"HS256\",\"\\udc00\":0}")));
    }

    [Fact]
    public void An_inline_allow_comment_hides_the_findings_on_its_line_only()
    {
        var t = new FakeTokens(8);
        var a = $"sk_live_{t.Alnum(24)}";
        var b = $"sk_live_{t.Alnum(24)}";
        var found = Scanner().Scan("x.py", $"A = \"{a}\"  # bulwark:allow test fixture\nB = \"{b}\"\n");
        Assert.Equal(b, Assert.Single(found).Secret);
    }

    [Fact]
    public void Allowlist_paths_regexes_stopwords_and_disabled_rules_apply()
    {
        var t = new FakeTokens(9);
        var config = Path.Combine(_dir, ".bulwark", "secrets.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, """
            allow:
              paths: ["fixtures/**"]
              regexes: ["^sk_live_ALLOWED"]
              stopwords: ["sandbox"]
            rules:
              disable: ["slack-bot-token"]
            """);
        File.WriteAllText(Path.Combine(_dir, "a.env"),
            $"A=sk_live_ALLOWED{t.Alnum(20)}\nB=rk_live_sandbox{t.Alnum(20)}\nC=xoxb-{t.Digit(11)}-{t.Digit(12)}-{t.Alnum(24)}\nD=sk_live_{t.Alnum(24)}\n");
        Directory.CreateDirectory(Path.Combine(_dir, "fixtures"));
        File.WriteAllText(Path.Combine(_dir, "fixtures", "b.env"), $"E=sk_live_{t.Alnum(24)}\n");
        var allow = SecretsConfig.Load(SecretsConfig.Find(_dir)!, SecretRules.BuiltIn.Select(r => r.Id));
        var result = ScanTree(_dir, allow);
        Assert.Equal("a.env:4 stripe-secret-key", Assert.Single(result.Findings.Select(f => $"{f.Path}:{f.Line} {f.RuleId}")));
    }

    [Theory]
    [InlineData("allow:\n  path: [\"a\"]\n", "line 2: unknown key 'allow.path'")]
    [InlineData("rules:\n  disable: [\"no-such-rule\"]\n", "line 2: no rule 'no-such-rule'")]
    [InlineData("allow:\n  regexes: [\"(?<=a)b\"]\n", "line 2: '(?<=a)b' is not a usable regular expression")]
    [InlineData("- a\n- b\n", "line 1: the document must be a mapping")]
    // YAML that YamlDotNet's scanner fails on with ArgumentNullException, and that its node model refuses
    [InlineData("allow: {}\n%TAG ! ", "line 1: YAML the parser cannot read (")]
    [InlineData(" : n\n", "YAML the parser cannot read (")]
    [InlineData("allow: {\n", "line 2: While parsing a node, did not find expected node content. Fix the YAML.")]
    public void A_bad_config_file_is_an_input_error_naming_the_line(string yaml, string message)
    {
        var path = Path.Combine(_dir, "secrets.yaml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<Bulwark.Core.InputException>(() => SecretsConfig.Load(path, SecretRules.BuiltIn.Select(r => r.Id)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_files_are_skipped_and_huge_files_reported()
    {
        var t = new FakeTokens(10);
        var secret = Encoding.ASCII.GetBytes($"\nSTRIPE=sk_live_{t.Alnum(24)}\n");
        File.WriteAllBytes(Path.Combine(_dir, "image.bin"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0, .. secret]);
        File.WriteAllText(Path.Combine(_dir, "huge.log"), new string('a', 4096) + Encoding.ASCII.GetString(secret));
        File.WriteAllText(Path.Combine(_dir, "small.env"), Encoding.ASCII.GetString(secret));
        var result = ScanTree(_dir, options: new SecretScanOptions { MaxFileSize = 1024 });
        Assert.Equal("small.env", Assert.Single(result.Findings).Path);
        Assert.Equal(1, result.BinaryFiles);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(("huge.log", "larger than 1 KiB (4 KiB); not scanned"), (skipped.Path, skipped.Reason));
    }

    [Fact]
    public void Files_under_dot_git_are_not_scanned()
    {
        var t = new FakeTokens(11);
        Directory.CreateDirectory(Path.Combine(_dir, ".git"));
        File.WriteAllText(Path.Combine(_dir, ".git", "config"), $"url = https://ci:{t.Alnum(20)}@git.shop.internal/x.git\n");
        Assert.Empty(ScanTree(_dir).Findings);
    }

    [Fact]
    public void The_fingerprint_ignores_the_line_but_not_the_file_rule_or_secret()
    {
        var t = new FakeTokens(12);
        var token = $"sk_live_{t.Alnum(24)}";
        var a = Assert.Single(Scanner().Scan("app.env", $"K={token}\n"));
        var moved = Assert.Single(Scanner().Scan("app.env", $"\n\n# moved\nK={token}\n"));
        var otherFile = Assert.Single(Scanner().Scan("other.env", $"K={token}\n"));
        Assert.Equal(a.Fingerprint, moved.Fingerprint);
        Assert.NotEqual(a.Fingerprint, otherFile.Fingerprint);
        Assert.Equal(32, a.Fingerprint.Length);
        Assert.DoesNotContain(token, a.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_round_trips_and_never_stores_the_secret()
    {
        var plants = PlantedSecrets.All();
        var findings = plants.SelectMany(p => Scanner().Scan(p.File, p.Content)).ToList();
        var path = Path.Combine(_dir, "baseline.json");
        using (var file = File.Create(path)) SecretBaseline.Write(findings, file);
        var text = File.ReadAllText(path);
        Assert.DoesNotContain(findings[0].Secret, text, StringComparison.Ordinal);
        var baseline = SecretBaseline.Load(path);
        Assert.Equal(findings.Count, baseline.Count);
        Assert.All(findings, f => Assert.True(baseline.Contains(f)));
        var t = new FakeTokens(13);
        Assert.False(baseline.Contains(Assert.Single(Scanner().Scan("new.env", $"K=sk_live_{t.Alnum(24)}"))));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\": 2, \"findings\": []}")]
    [InlineData("{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}")]
    public void A_malformed_baseline_is_an_input_error(string content)
    {
        var path = Path.Combine(_dir, "baseline.json");
        File.WriteAllText(path, content);
        Assert.Throws<Bulwark.Core.InputException>(() => SecretBaseline.Load(path));
    }

    public static TheoryData<string> RuleIds() => [.. SecretRules.BuiltIn.Select(r => r.Id)];

    /// Generous for a loaded CI machine: NonBacktracking is linear, so 1 MB takes milliseconds on a quiet one.
    private static readonly TimeSpan AdversarialLimit = TimeSpan.FromSeconds(2);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rule_finishes_quickly_on_adversarial_megabyte_lines(string ruleId)
    {
        var rule = SecretRules.BuiltIn.Single(r => r.Id == ruleId);
        Assert.True(rule.Pattern.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking), $"{ruleId} is not NonBacktracking");
        var scanner = new SecretScanner([rule]);
        const int size = 1 << 20;
        foreach (var keyword in rule.Keywords)
        {
            string[] inputs =
            [
                keyword + new string('a', size),                                  // a run of one character after its keyword
                keyword + Repeat("aZ9_-+/=.0Fq", size),                           // a run of every token alphabet, no newline
                Repeat(keyword, size),                                            // the keyword repeated, nothing else
                Repeat(keyword + "aZ9_-+/=.:", size),                             // keywords everywhere, no newline
                Repeat(keyword + "-----" + keyword + " = \"", size),              // half-started assignments and blocks
                Repeat(keyword + new string('A', 40) + "\\n", size),              // escaped-newline "lines"
            ];
            foreach (var input in inputs)
            {
                var watch = Stopwatch.StartNew();
                scanner.Scan("adversarial.txt", input, out _);
                Assert.True(watch.Elapsed < AdversarialLimit, $"{ruleId}: the scan took {watch.Elapsed.TotalMilliseconds:F0} ms on {input[..Math.Min(60, input.Length)]}…");
            }
            // the expression itself over the whole megabyte, not only in the scanner's windows: linear, whatever the input
            foreach (var input in inputs[1..3])
            {
                var watch = Stopwatch.StartNew();
                for (var m = rule.Pattern.Match(input); m.Success; m = m.NextMatch()) { }
                Assert.True(watch.Elapsed < AdversarialLimit, $"{ruleId}: the expression took {watch.Elapsed.TotalMilliseconds:F0} ms on {input[..Math.Min(60, input.Length)]}…");
            }
        }
    }

    private static string Repeat(string unit, int size)
    {
        var sb = new StringBuilder(size + unit.Length);
        while (sb.Length < size) sb.Append(unit);
        return sb.ToString();
    }
}
