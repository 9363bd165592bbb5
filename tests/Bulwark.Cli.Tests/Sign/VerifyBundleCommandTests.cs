// SPDX-License-Identifier: Apache-2.0
using System.Text.Json.Nodes;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sign;

/// `verify-bundle` as the sigstore-conformance suite drives it: rows of (arguments, exit code, message).
public sealed class VerifyBundleCommandTests : IDisposable
{
    private static readonly string Conformance = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Sigstore", "testdata", "conformance");
    private static readonly string DBundle = Path.Combine(Conformance, "d.txt.good.sigstore.json");
    private static readonly string DRoot = Path.Combine(Conformance, "trusted_root.d.json");
    private static readonly string KeyDir = Path.Combine(Conformance, "intoto-canonical-log-entry");
    private const string DDigest = "sha256:330a043220fa13e01d68a7db39c89e12b0c4c3b6a0346fe624b0903f1303b5b2";
    private const string ADigest = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";
    private const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private static readonly Dictionary<string, string> Env = new() { ["BULWARK_PASSWORD"] = "pw" };

    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-verify-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static Task<CliOutcome> Run(params string[] args) => CliRun.RunAsync(args, Env);

    private static Task<CliOutcome> RunIdentity(string bundle, string? root, string identity = Identity, string issuer = Issuer, string artifact = DDigest) =>
        root is null
            ? Run("verify-bundle", "--bundle", bundle, "--certificate-identity", identity, "--certificate-oidc-issuer", issuer, artifact)
            : Run("verify-bundle", "--bundle", bundle, "--certificate-identity", identity, "--certificate-oidc-issuer", issuer, "--trusted-root", root, artifact);

    [Fact]
    public async Task A_conformance_certificate_bundle_verifies_with_exit_0()
    {
        var outcome = await RunIdentity(DBundle, DRoot);
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: DSSE envelope signed by {Identity} ({Issuer}), logged at 2023-02-01 00:00:00Z.\n"), outcome);
    }

    [Fact]
    public async Task The_identity_regexp_form_verifies()
    {
        var outcome = await Run("verify-bundle", "--bundle", DBundle, "--certificate-identity-regexp", "sigstore-conformance/extremely-dangerous",
            "--certificate-oidc-issuer", Issuer, "--trusted-root", DRoot, DDigest);
        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact]
    public async Task A_real_public_good_bundle_verifies_against_its_file_and_fails_for_a_changed_file()
    {
        var production = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Sigstore", "testdata", "production", "trusted_root.json");
        var bundle = Path.Combine(Conformance, "a.txt.sigstore.json");
        var ok = await RunIdentity(bundle, production, artifact: Path.Combine(Conformance, "a.txt"));
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: message signature signed by {Identity} ({Issuer}), logged at 2023-06-15 18:21:13Z.\n"), ok);

        File.WriteAllText(Temp("a.txt"), File.ReadAllText(Path.Combine(Conformance, "a.txt")) + " ");
        var changed = await RunIdentity(bundle, production, artifact: Temp("a.txt"));
        Assert.Equal(new CliOutcome(4, "", "bulwark: verification failed: the artifact's digest is not the one the bundle signs.\n"), changed);
    }

    [Fact]
    public async Task A_conformance_key_bundle_verifies_with_exit_0()
    {
        var outcome = await Run("verify-bundle", "--bundle", Path.Combine(KeyDir, "bundle.sigstore.json"), "--key", Path.Combine(KeyDir, "key.pub"),
            "--trusted-root", Path.Combine(KeyDir, "trusted_root.json"), ADigest);
        Assert.Equal(new CliOutcome(0, "", "bulwark: Verified OK: DSSE envelope signed by ECDSA P-256 key (1 transparency-log entry verified).\n"), outcome);
    }

    [Fact]
    public async Task A_public_good_bundle_verifies_against_the_built_in_trusted_root()
    {
        var outcome = await RunIdentity(Path.Combine(Conformance, "a.txt.sigstore.json"), null, artifact: Path.Combine(Conformance, "a.txt"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.StartsWith($"bulwark: Verified OK: message signature signed by {Identity} ({Issuer})", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_from_another_sigstore_instance_fails_against_the_built_in_trusted_root()
    {
        // the conformance suite's mock instance: its CA and logs are not the public-good ones
        var outcome = await RunIdentity(DBundle, null);
        Assert.Equal(4, outcome.ExitCode);
        Assert.StartsWith("bulwark: verification failed: ", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_trusted_root_file_is_exit_5()
    {
        var outcome = await RunIdentity(DBundle, Temp("nope.json"));
        Assert.Equal(new CliOutcome(5, "", $"bulwark: could not verify: Cannot read trusted root {Temp("nope.json")}: no such file.\n"), outcome);
    }

    [Fact]
    public async Task An_unreadable_trusted_root_is_exit_5()
    {
        File.WriteAllText(Temp("root.json"), "{\"mediaType\":\"x\"}");
        var outcome = await RunIdentity(DBundle, Temp("root.json"));
        Assert.Equal(5, outcome.ExitCode);
        Assert.Contains("is not 'application/vnd.dev.sigstore.trustedroot+json;version=0.1'", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bundle_is_exit_5()
    {
        var outcome = await RunIdentity(Temp("nope.sigstore.json"), DRoot);
        Assert.Equal(new CliOutcome(5, "", $"bulwark: could not verify: Cannot read bundle {Temp("nope.sigstore.json")}: no such file.\n"), outcome);
    }

    [Theory]
    [InlineData("https://github.com/someone/else/.github/workflows/x.yml@refs/heads/main", Issuer, "the certificate's identity is 'https://github.com/sigstore-conformance/")]
    [InlineData(Identity, "https://accounts.google.com", "the certificate's OIDC issuer is 'https://token.actions.githubusercontent.com', not 'https://accounts.google.com'.")]
    public async Task Another_identity_or_issuer_fails_with_exit_4(string identity, string issuer, string reason)
    {
        var outcome = await RunIdentity(DBundle, DRoot, identity, issuer);
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("bulwark: verification failed: " + reason, outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_artifact_digest_fails_with_exit_4()
    {
        var outcome = await RunIdentity(DBundle, DRoot, artifact: "sha256:" + new string('0', 64));
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("no subject of the in-toto statement has the artifact's digest", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("set")]
    [InlineData("proof")]
    [InlineData("signature")]
    [InlineData("payload")]
    [InlineData("certificate")]
    public async Task A_flipped_byte_anywhere_that_is_checked_fails_with_exit_4(string where)
    {
        var json = JsonNode.Parse(File.ReadAllText(DBundle))!;
        var entry = json["verificationMaterial"]!["tlogEntries"]![0]!;
        static string Flip(string b64, int at)
        {
            var bytes = Convert.FromBase64String(b64);
            bytes[at] ^= 0x20;
            return Convert.ToBase64String(bytes);
        }
        switch (where)
        {
            case "checkpoint":
                var cp = entry["inclusionProof"]!["checkpoint"]!;
                cp["envelope"] = cp["envelope"]!.GetValue<string>().Replace("localhost:8000 - 5660", "localhost:8000 - 5661", StringComparison.Ordinal);
                break;
            case "set":
                entry["inclusionPromise"]!["signedEntryTimestamp"] = Flip(entry["inclusionPromise"]!["signedEntryTimestamp"]!.GetValue<string>(), 30);
                break;
            case "proof":
                entry["inclusionProof"]!["rootHash"] = Flip(entry["inclusionProof"]!["rootHash"]!.GetValue<string>(), 0);
                break;
            case "signature":
                var sig = json["dsseEnvelope"]!["signatures"]![0]!;
                sig["sig"] = Flip(sig["sig"]!.GetValue<string>(), 12);
                break;
            case "payload":
                json["dsseEnvelope"]!["payload"] = Flip(json["dsseEnvelope"]!["payload"]!.GetValue<string>(), 60);
                break;
            default:
                var cert = json["verificationMaterial"]!["x509CertificateChain"]!["certificates"]![0]!;
                cert["rawBytes"] = Flip(cert["rawBytes"]!.GetValue<string>(), 300);
                break;
        }
        File.WriteAllText(Temp("b.json"), json.ToJsonString());
        var outcome = await RunIdentity(Temp("b.json"), DRoot);
        Assert.Equal(4, outcome.ExitCode);
        Assert.StartsWith("bulwark: verification failed: ", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_sign_blob_wrote_verifies_with_its_key_and_fails_with_another()
    {
        var file = Temp("artifact.bin");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);
        Assert.Equal(0, (await Run("key", "generate", "--output-key-prefix", Temp("a"))).ExitCode);
        Assert.Equal(0, (await Run("key", "generate", "--output-key-prefix", Temp("b"))).ExitCode);
        Assert.Equal(0, (await Run("sign-blob", "--key", Temp("a.key"), "--bundle", Temp("a.sigstore.json"), file)).ExitCode);

        var ok = await Run("verify-bundle", "--bundle", Temp("a.sigstore.json"), "--key", Temp("a.pub"), file);
        Assert.Equal(new CliOutcome(0, "", "bulwark: Verified OK: message signature signed by ECDSA P-256 key (no transparency-log entry).\n"), ok);
        var byDigest = await Run("verify-bundle", "--bundle", Temp("a.sigstore.json"), "--key", Temp("a.pub"),
            "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))));
        Assert.Equal(0, byDigest.ExitCode);

        var swapped = await Run("verify-bundle", "--bundle", Temp("a.sigstore.json"), "--key", Temp("b.pub"), file);
        Assert.Equal(new CliOutcome(4, "", "bulwark: verification failed: the signature does not verify over the artifact's digest.\n"), swapped);

        File.WriteAllBytes(file, [1, 2, 3, 4, 6]);
        var altered = await Run("verify-bundle", "--bundle", Temp("a.sigstore.json"), "--key", Temp("a.pub"), file);
        Assert.Equal(new CliOutcome(4, "", "bulwark: verification failed: the artifact's digest is not the one the bundle signs.\n"), altered);
    }

    [Fact]
    public async Task A_certificate_bundle_given_a_key_fails_with_exit_4()
    {
        var outcome = await Run("verify-bundle", "--bundle", DBundle, "--key", Path.Combine(KeyDir, "key.pub"), "--trusted-root", DRoot, DDigest);
        Assert.Equal(new CliOutcome(4, "", "bulwark: verification failed: the bundle is signed with a certificate, but a key (--key) was given.\n"), outcome);
    }

    [Theory]
    [InlineData("--key", "k.pub", "--certificate-identity", "x", "--certificate-oidc-issuer", "y")]
    [InlineData("--certificate-identity", "x")]
    [InlineData("--certificate-identity", "x", "--certificate-identity-regexp", "y", "--certificate-oidc-issuer", "z")]
    [InlineData("--certificate-identity-regexp", "(", "--certificate-oidc-issuer", "z")]
    public async Task Conflicting_or_incomplete_policies_are_usage_errors(params string[] policy)
    {
        var outcome = await Run(["verify-bundle", "--bundle", DBundle, .. policy, DDigest]);
        Assert.Equal(2, outcome.ExitCode);
    }

    [Theory]
    [InlineData("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"tlogEntries\":[{\"logIndex\":\"x\"}]},\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AA==\"},\"signature\":\"AA==\"}}", "the bundle is malformed")]
    [InlineData("{\"mediaType\":\"application/json\"}", "is not a Sigstore bundle v0.1–v0.3")]
    [InlineData("not json", "Cannot read bundle")]
    public async Task A_malformed_bundle_cannot_be_verified_exit_5(string json, string reason)
    {
        File.WriteAllText(Temp("bad.json"), json);
        var outcome = await RunIdentity(Temp("bad.json"), DRoot);
        Assert.Equal(5, outcome.ExitCode);
        Assert.Contains(reason, outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_digest_argument_is_a_usage_error() =>
        Assert.Equal(2, (await RunIdentity(DBundle, DRoot, artifact: "sha256:abc")).ExitCode);
}
