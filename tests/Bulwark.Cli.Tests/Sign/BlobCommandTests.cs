// SPDX-License-Identifier: Apache-2.0
using System.Text.Json.Nodes;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sign;

/// `sign-blob` and `verify-blob` end to end: exit codes 0 / 4 / 5 with distinct messages, cross-checked with openssl.
public sealed class BlobCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-blob-").FullName;
    private readonly string _file;
    private static readonly Dictionary<string, string> Env = new() { ["BULWARK_PASSWORD"] = "pw" };

    public BlobCommandTests()
    {
        _file = Path("artifact.tar");
        var content = new byte[10_000];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(_file, content);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private async Task<(string Key, string Pub)> GenerateAsync(string name = "cosign")
    {
        var prefix = Path(name);
        var outcome = await CliRun.RunAsync(["key", "generate", "--output-key-prefix", prefix], Env);
        Assert.Equal(0, outcome.ExitCode);
        return (prefix + ".key", prefix + ".pub");
    }

    private static Task<CliOutcome> Run(params string[] args) => CliRun.RunAsync(args, Env);

    [Fact]
    public async Task Sign_blob_prints_a_base64_der_signature_that_openssl_verifies()
    {
        var (key, pub) = await GenerateAsync();
        var outcome = await Run("sign-blob", "--key", key, _file);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stderr);
        Assert.EndsWith("\n", outcome.Stdout, StringComparison.Ordinal);

        var der = Path("sig.der");
        File.WriteAllBytes(der, Convert.FromBase64String(outcome.Stdout.TrimEnd('\n')));
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", pub, "-signature", der, _file));
    }

    [Fact]
    public async Task Sign_blob_writes_the_signature_file_and_a_bundle_that_verify_blob_accepts()
    {
        var (key, pub) = await GenerateAsync();
        var sig = Path("artifact.sig");
        var bundle = Path("artifact.sigstore.json");
        var signed = await Run("sign-blob", "--key", key, "--output-signature", sig, "--bundle", bundle, _file);
        Assert.Equal(0, signed.ExitCode);
        Assert.Equal("", signed.Stdout);
        Assert.Equal($"bulwark: signature written to {sig}.\nbulwark: bundle written to {bundle}.\n", signed.Stderr);

        var json = JsonNode.Parse(File.ReadAllText(bundle))!;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", json["mediaType"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(sig), json["messageSignature"]!["signature"]!.GetValue<string>());
        Assert.Equal(OpenSsl.Ok("dgst", "-sha256", "-r", _file)[..64],
            Convert.ToHexStringLower(Convert.FromBase64String(json["messageSignature"]!["messageDigest"]!["digest"]!.GetValue<string>())));
        var der = Path("pub.der");
        OpenSsl.Ok("pkey", "-pubin", "-in", pub, "-outform", "DER", "-out", der);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(der))),
            json["verificationMaterial"]!["publicKey"]!["hint"]!.GetValue<string>());

        var bySignature = await Run("verify-blob", "--key", pub, "--signature", sig, _file);
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: {_file} is signed by the ECDSA P-256 key.\n"), bySignature);
        var byBundle = await Run("verify-blob", "--key", pub, "--bundle", bundle, _file);
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: {_file} matches bundle {bundle}, signed by the ECDSA P-256 key.\n"), byBundle);
    }

    [Fact]
    public async Task Verify_blob_reads_the_key_from_an_environment_variable()
    {
        var (key, pub) = await GenerateAsync();
        var sig = Path("s");
        Assert.Equal(0, (await Run("sign-blob", "--key", key, "--output-signature", sig, _file)).ExitCode);
        var outcome = await CliRun.RunAsync(["verify-blob", "--key", "env://PUB", "--signature", sig, _file], new Dictionary<string, string> { ["PUB"] = File.ReadAllText(pub) });
        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact]
    public async Task Verification_failures_exit_4_and_missing_material_exits_5()
    {
        var (key, pub) = await GenerateAsync();
        var (_, otherPub) = await GenerateAsync("other");
        var sig = Path("a.sig");
        var bundle = Path("a.json");
        Assert.Equal(0, (await Run("sign-blob", "--key", key, "--output-signature", sig, "--bundle", bundle, _file)).ExitCode);

        var altered = Path("altered.tar");
        var content = File.ReadAllBytes(_file);
        content[5000] ^= 0x01;
        File.WriteAllBytes(altered, content);
        var badSig = Path("bad.sig");
        var sigBytes = Convert.FromBase64String(File.ReadAllText(sig));
        sigBytes[^1] ^= 0x01;
        File.WriteAllText(badSig, Convert.ToBase64String(sigBytes));
        var notBase64 = Path("text.sig");
        File.WriteAllText(notBase64, "this is not a signature");
        var badDigest = Path("bad-digest.json");
        var json = JsonNode.Parse(File.ReadAllText(bundle))!;
        var digest = Convert.FromBase64String(json["messageSignature"]!["messageDigest"]!["digest"]!.GetValue<string>());
        digest[0] ^= 0x01;
        json["messageSignature"]!["messageDigest"]!["digest"] = Convert.ToBase64String(digest);
        File.WriteAllText(badDigest, json.ToJsonString());
        var notJson = Path("not.json");
        File.WriteAllText(notJson, "{ nope");

        var rows = new (string[] Args, int Code, string Message)[]
        {
            (["--key", pub, "--signature", sig, altered], 4, $"bulwark: verification failed: the signature over {altered} is not valid for the ECDSA P-256 key (wrong key, or the file or signature was altered).\n"),
            (["--key", pub, "--signature", badSig, _file], 4, $"bulwark: verification failed: the signature over {_file} is not valid for the ECDSA P-256 key (wrong key, or the file or signature was altered).\n"),
            (["--key", otherPub, "--signature", sig, _file], 4, $"bulwark: verification failed: the signature over {_file} is not valid for the ECDSA P-256 key (wrong key, or the file or signature was altered).\n"),
            (["--key", pub, "--signature", notBase64, _file], 4, $"bulwark: verification failed: signature {notBase64} is not base64 text.\n"),
            (["--key", pub, "--bundle", bundle, altered], 4, $"bulwark: verification failed: {altered} does not match bundle {bundle}: its SHA-256 is "),
            (["--key", pub, "--bundle", badDigest, _file], 4, $"bulwark: verification failed: {_file} does not match bundle {badDigest}: its SHA-256 is "),
            (["--key", otherPub, "--bundle", bundle, _file], 4, $"bulwark: verification failed: the signature in bundle {bundle} is not valid for the ECDSA P-256 key (wrong key, or the signature was altered). The bundle names key hint "),
            (["--key", pub, "--signature", Path("missing.sig"), _file], 5, $"bulwark: could not verify: Cannot read signature {Path("missing.sig")}: no such file.\n"),
            (["--key", pub, "--bundle", Path("missing.json"), _file], 5, $"bulwark: could not verify: Cannot read bundle {Path("missing.json")}: no such file.\n"),
            (["--key", pub, "--bundle", notJson, _file], 5, $"bulwark: could not verify: Cannot read bundle {notJson}: "),
            (["--key", Path("missing.pub"), "--signature", sig, _file], 5, $"bulwark: could not verify: Cannot read key file {Path("missing.pub")}: no such file. Check the path given to --key.\n"),
            (["--key", key, "--signature", sig, _file], 5, $"bulwark: could not verify: Cannot use key {key} for verification: it is a private key (ENCRYPTED SIGSTORE PRIVATE KEY). "),
            (["--key", pub, "--signature", sig, Path("missing.tar")], 5, $"bulwark: could not verify: Cannot read {Path("missing.tar")}: no such file.\n"),
            (["--key", pub, _file], 2, "bulwark: Give exactly one of --signature FILE and --bundle FILE.\n"),
            (["--key", pub, "--signature", sig, "--bundle", bundle, _file], 2, "bulwark: Give exactly one of --signature FILE and --bundle FILE.\n"),
            (["--key", "hashivault://k", "--signature", sig, _file], 5, "bulwark: could not verify: Cannot use hashivault://k: VAULT_ADDR is not set. Set it to the Vault server, e.g. https://vault.example.com:8200.\n"),
        };
        foreach (var (args, code, message) in rows)
        {
            var outcome = await Run(["verify-blob", .. args]);
            Assert.True(code == outcome.ExitCode, $"verify-blob {string.Join(' ', args)}: exit {outcome.ExitCode}, expected {code}: {outcome.Stderr}");
            Assert.StartsWith(message, outcome.Stderr, StringComparison.Ordinal);
            Assert.Equal("", outcome.Stdout);
        }
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public async Task Verify_blob_accepts_openssl_signatures_from_rsa_and_ed25519_keys(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_dir, kind);
        var pub = OpenSsl.PublicKeyOf(privateKey);
        var der = Path("openssl.sig");
        if (kind == "ed25519") OpenSsl.Ok("pkeyutl", "-sign", "-inkey", privateKey, "-rawin", "-in", _file, "-out", der);
        else OpenSsl.Ok("dgst", "-sha256", "-sign", privateKey, "-out", der, _file);
        var sig = Path("openssl.b64");
        File.WriteAllText(sig, Convert.ToBase64String(File.ReadAllBytes(der)));

        var outcome = await Run("verify-blob", "--key", pub, "--signature", sig, _file);
        Assert.Equal(0, outcome.ExitCode);
        var other = OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_dir, kind));
        Assert.Equal(4, (await Run("verify-blob", "--key", other, "--signature", sig, _file)).ExitCode);
    }

    [Fact]
    public async Task Sign_blob_with_an_openssl_rsa_key_is_verified_by_openssl()
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_dir, "rsa");
        var sig = Path("rsa.sig");
        Assert.Equal(0, (await Run("sign-blob", "--key", privateKey, "--output-signature", sig, _file)).ExitCode);
        var der = Path("rsa.der");
        File.WriteAllBytes(der, Convert.FromBase64String(File.ReadAllText(sig)));
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", OpenSsl.PublicKeyOf(privateKey), "-signature", der, _file));
    }

    [Theory]
    [InlineData(new[] { "sign-blob", "--key", "/nonexistent.key", "FILE" }, 3)]
    [InlineData(new[] { "sign-blob", "FILE" }, 2)]
    [InlineData(new[] { "sign-blob", "--key", "pkcs11:object=x", "FILE" }, 2)]
    [InlineData(new[] { "sign-blob", "--key", "KEY", "/nonexistent/file" }, 3)]
    public async Task Sign_blob_argument_and_input_errors(string[] args, int code)
    {
        var (key, _) = await GenerateAsync();
        var outcome = await Run([.. args.Select(a => a == "FILE" ? _file : a == "KEY" ? key : a)]);
        Assert.Equal(code, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task Sign_blob_with_the_wrong_password_exits_3_and_writes_nothing()
    {
        var (key, _) = await GenerateAsync();
        var sig = Path("never.sig");
        var outcome = await CliRun.RunAsync(["sign-blob", "--key", key, "--output-signature", sig, _file], new Dictionary<string, string> { ["COSIGN_PASSWORD"] = "wrong" });
        Assert.Equal(3, outcome.ExitCode);
        Assert.StartsWith($"bulwark: Cannot decrypt key {key}: wrong password", outcome.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(sig));
    }
}
