// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sign;

/// `attest-blob` and `verify-attestation-blob`: envelopes and bundles, exit codes 0 / 4 / 5.
public sealed class BlobAttestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-attest-blob-").FullName;
    private readonly string _blob;
    private readonly string _predicate;
    private readonly (string Key, string Pub) _alice;
    private readonly (string Key, string Pub) _bob;

    public BlobAttestCommandTests()
    {
        _blob = File("app.tar.gz");
        var content = new byte[50_000];
        new Random(11).NextBytes(content);
        System.IO.File.WriteAllBytes(_blob, content);
        _predicate = File("provenance.json");
        System.IO.File.WriteAllText(_predicate, """{"buildType":"https://example.com/build/v1","builder":{"id":"https://ci.example.com"}}""");
        _alice = KeyPair("alice");
        _bob = KeyPair("bob");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private (string, string) KeyPair(string name)
    {
        using var key = SigningKey.GenerateEcdsaP256();
        System.IO.File.WriteAllText(File(name + ".key"), PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8()));
        System.IO.File.WriteAllText(File(name + ".pub"), key.PublicKey.ToPem());
        return (File(name + ".key"), File(name + ".pub"));
    }

    private static Task<CliOutcome> Run(params string[] args) => CliRun.RunAsync(args);

    private async Task<(string Envelope, string Bundle)> AttestAsync(string type = "slsaprovenance")
    {
        var envelope = File("app.intoto.json");
        var bundle = File("app.sigstore.json");
        var outcome = await Run("attest-blob", "--key", _alice.Key, "--type", type, "--predicate", _predicate, "-o", envelope, "--bundle", bundle, _blob);
        Assert.Equal(0, outcome.ExitCode);
        return (envelope, bundle);
    }

    [Fact]
    public async Task Attest_blob_prints_an_envelope_whose_statement_names_the_file_and_its_sha256()
    {
        var outcome = await Run("attest-blob", "--key", _alice.Key, "--type", "slsaprovenance", "--predicate", _predicate, _blob);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stderr);
        var envelope = JsonNode.Parse(outcome.Stdout)!;
        Assert.Equal("application/vnd.in-toto+json", envelope["payloadType"]!.GetValue<string>());
        var statement = Encoding.UTF8.GetString(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(_blob)));
        Assert.Equal($$$$"""{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app.tar.gz","digest":{"sha256":"{{{{sha256}}}}"}}],"predicateType":"https://slsa.dev/provenance/v0.2","predicate":{"buildType":"https://example.com/build/v1","builder":{"id":"https://ci.example.com"}}}""", statement);
    }

    [Fact]
    public async Task The_envelope_and_the_bundle_verify_and_print_the_statement()
    {
        var (envelope, bundle) = await AttestAsync();

        var byEnvelope = await Run("verify-attestation-blob", "--key", _alice.Pub, "--signature", envelope, "--type", "slsaprovenance", _blob);
        var byBundle = await Run("verify-attestation-blob", "--key", _alice.Pub, "--bundle", bundle, _blob);
        var cosignName = await Run("verify-blob-attestation", "--key", _alice.Pub, "--bundle", bundle, _blob);

        Assert.Equal(0, byEnvelope.ExitCode);
        Assert.Equal("https://slsa.dev/provenance/v0.2", JsonNode.Parse(byEnvelope.Stdout)!["predicateType"]!.GetValue<string>());
        Assert.StartsWith($"bulwark: Verified OK: {_blob} (sha256:", byEnvelope.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, byEnvelope.Stdout), (byBundle.ExitCode, byBundle.Stdout));
        Assert.Equal(0, cosignName.ExitCode);
        var json = JsonNode.Parse(System.IO.File.ReadAllText(bundle))!;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", json["mediaType"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(System.IO.File.ReadAllText(envelope))!.ToJsonString(), json["dsseEnvelope"]!.ToJsonString());
    }

    [Fact]
    public async Task Another_file_another_key_or_another_type_fails_verification()
    {
        var (envelope, _) = await AttestAsync();
        var other = File("other.tar.gz");
        await System.IO.File.WriteAllTextAsync(other, "other");

        var otherFile = await Run("verify-attestation-blob", "--key", _alice.Pub, "--signature", envelope, other);
        var otherKey = await Run("verify-attestation-blob", "--key", _bob.Pub, "--signature", envelope, _blob);
        var otherType = await Run("verify-attestation-blob", "--key", _alice.Pub, "--signature", envelope, "--type", "cyclonedx", _blob);

        Assert.Equal(4, otherFile.ExitCode);
        Assert.Contains("the statement is about app.tar.gz sha256:", otherFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, otherKey.ExitCode);
        Assert.Contains("the envelope's signature is not valid", otherKey.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, otherType.ExitCode);
        Assert.Contains("the statement's predicate type is https://slsa.dev/provenance/v0.2, not https://cyclonedx.org/bom", otherType.Stderr, StringComparison.Ordinal);
        Assert.Equal("", otherFile.Stdout + otherKey.Stdout + otherType.Stdout);
    }

    [Theory]
    [InlineData("payload", 0)]
    [InlineData("payload", 57)]
    [InlineData("sig", 0)]
    [InlineData("sig", 30)]
    public async Task Flipping_any_envelope_byte_fails_verification(string field, int at)
    {
        var (envelope, bundle) = await AttestAsync();
        foreach (var (path, inBundle) in new[] { (envelope, false), (bundle, true) })
        {
            var root = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(path))!;
            var e = inBundle ? root["dsseEnvelope"]! : root;
            var holder = field == "sig" ? e["signatures"]![0]! : e;
            var bytes = Convert.FromBase64String(holder[field]!.GetValue<string>());
            bytes[at] ^= 0x01;
            holder[field] = Convert.ToBase64String(bytes);
            await System.IO.File.WriteAllTextAsync(path, root.ToJsonString());
        }

        var byEnvelope = await Run("verify-attestation-blob", "--key", _alice.Pub, "--signature", envelope, _blob);
        var byBundle = await Run("verify-attestation-blob", "--key", _alice.Pub, "--bundle", bundle, _blob);

        Assert.Equal(4, byEnvelope.ExitCode);
        Assert.Equal(4, byBundle.ExitCode);
    }

    [Fact]
    public async Task A_missing_envelope_or_a_bundle_without_an_envelope_cannot_be_verified()
    {
        var sign = await Run("sign-blob", "--key", _alice.Key, "--bundle", File("message.sigstore.json"), "--output-signature", File("sig"), _blob);
        Assert.Equal(0, sign.ExitCode);

        var missing = await Run("verify-attestation-blob", "--key", _alice.Pub, "--signature", File("nothing.json"), _blob);
        var messageBundle = await Run("verify-attestation-blob", "--key", _alice.Pub, "--bundle", File("message.sigstore.json"), _blob);
        var both = await Run("verify-attestation-blob", "--key", _alice.Pub, "--bundle", File("a"), "--signature", File("b"), _blob);

        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("could not verify: Cannot read envelope", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, messageBundle.ExitCode);
        Assert.Contains("it holds no dsseEnvelope", messageBundle.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
    }

    [Fact]
    public async Task The_sigstore_js_verifier_accepts_the_bundle_and_refuses_an_altered_one_or_another_key()
    {
        var (_, bundle) = await AttestAsync();
        var altered = File("altered.sigstore.json");
        var root = JsonNode.Parse(await System.IO.File.ReadAllTextAsync(bundle))!;
        var sig = Convert.FromBase64String(root["dsseEnvelope"]!["signatures"]![0]!["sig"]!.GetValue<string>());
        sig[12] ^= 0x01;
        root["dsseEnvelope"]!["signatures"]![0]!["sig"] = Convert.ToBase64String(sig);
        await System.IO.File.WriteAllTextAsync(altered, root.ToJsonString());

        Assert.Equal((0, "verified\n"), VerifyWithSigstoreJs(bundle, _blob, _alice.Pub));
        Assert.Equal(1, VerifyWithSigstoreJs(altered, _blob, _alice.Pub).ExitCode);
        Assert.Equal(1, VerifyWithSigstoreJs(bundle, _blob, _bob.Pub).ExitCode);
    }

    // tests/validators/verify-sigstore-bundle.js: @sigstore/bundle parses, @sigstore/verify checks signature and key hint
    private static (int ExitCode, string Output) VerifyWithSigstoreJs(string bundle, string artifact, string publicKey)
    {
        var validators = Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");
        if (!Directory.Exists(Path.Combine(validators, "node_modules", "@sigstore", "verify")))
            Assert.Fail($"@sigstore/verify is not installed in {validators}/node_modules. Run ./test.sh (it runs npm ci there).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--", Path.Combine(validators, "verify-sigstore-bundle.js"), bundle, artifact, publicKey }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("node did not finish within 2 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
