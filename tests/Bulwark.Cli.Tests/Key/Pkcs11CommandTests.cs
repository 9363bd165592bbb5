// SPDX-License-Identifier: Apache-2.0
using Bulwark.Signing.Tests.Keys.Pkcs11;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Key;

/// `sign-blob`, `verify-blob` and `key public|generate` with keys on SoftHSM2 tokens, cross-checked with openssl.
[Collection(SoftHsm.Collection)]
public sealed class Pkcs11CommandTests : IDisposable
{
    private readonly SoftHsm _hsm = SoftHsm.Instance;
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-pkcs11-").FullName;
    private readonly string _file;

    public Pkcs11CommandTests()
    {
        _file = Path("artifact.tar");
        var content = new byte[10_000];
        new Random(11).NextBytes(content);
        File.WriteAllBytes(_file, content);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(Path(name), text);
        return Path(name);
    }

    private async Task<string> SignAsync(string uri)
    {
        var outcome = await CliRun.RunAsync("sign-blob", "--key", uri, _file);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stderr);
        return Write($"{Guid.NewGuid():N}.sig", outcome.Stdout);
    }

    [Fact]
    public async Task Sign_blob_with_a_token_key_verifies_with_openssl_and_verify_blob()
    {
        var sig = await SignAsync(SoftHsm.Uri());
        var der = Path("sig.der");
        File.WriteAllBytes(der, Convert.FromBase64String(File.ReadAllText(sig).TrimEnd('\n')));
        var pub = Write("test.pub", _hsm.EcPublicKey);
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", pub, "-signature", der, _file));

        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: {_file} is signed by the ECDSA P-256 key.\n"),
            await CliRun.RunAsync("verify-blob", "--key", pub, "--signature", sig, _file));
        // the public key may also come from the token itself, without a PIN
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: {_file} is signed by the ECDSA P-256 key.\n"),
            await CliRun.RunAsync("verify-blob", "--key", $"pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}", "--signature", sig, _file));
    }

    [Fact]
    public async Task Sign_blob_with_a_token_key_writes_a_bundle_that_verifies()
    {
        var bundle = Path("artifact.sigstore.json");
        var signed = await CliRun.RunAsync("sign-blob", "--key", SoftHsm.Uri(label: "r"), "--output-signature", Path("r.sig"), "--bundle", bundle, _file);
        Assert.Equal(0, signed.ExitCode);
        var pub = Write("rsa.pub", _hsm.RsaPublicKey);
        Assert.Equal(new CliOutcome(0, "", $"bulwark: Verified OK: {_file} matches bundle {bundle}, signed by the RSA 2048 key.\n"),
            await CliRun.RunAsync("verify-blob", "--key", pub, "--bundle", bundle, _file));
    }

    [Fact]
    public async Task A_flipped_byte_or_another_tokens_key_fails_verification()
    {
        var sig = await SignAsync(SoftHsm.Uri());
        var otherSig = await SignAsync(SoftHsm.Uri(token: "other", pin: "4321"));
        var pub = Write("test.pub", _hsm.EcPublicKey);
        var failed = $"bulwark: verification failed: the signature over {_file} is not valid for the ECDSA P-256 key (wrong key, or the file or signature was altered).\n";

        Assert.Equal(new CliOutcome(4, "", failed), await CliRun.RunAsync("verify-blob", "--key", pub, "--signature", otherSig, _file));
        Assert.Equal(new CliOutcome(4, "", failed), await CliRun.RunAsync("verify-blob", "--key", Write("other.pub", _hsm.OtherPublicKey), "--signature", sig, _file));
        var content = File.ReadAllBytes(_file);
        content[1234] ^= 0x01;
        File.WriteAllBytes(_file, content);
        Assert.Equal(new CliOutcome(4, "", failed), await CliRun.RunAsync("verify-blob", "--key", pub, "--signature", sig, _file));
    }

    [Fact]
    public async Task A_wrong_pin_or_object_is_exit_3_with_the_pin_redacted()
    {
        var wrongPin = await CliRun.RunAsync("sign-blob", "--key", SoftHsm.Uri(pin: "99999"), _file);
        Assert.Equal(new CliOutcome(3, "", $"bulwark: Cannot log in to PKCS#11 token 'test' for pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}&pin-value=***: " +
                                           "the PIN is wrong (CKR_PIN_INCORRECT). Check pin-value or pin-source.\n"), wrongPin);
        var wrongObject = await CliRun.RunAsync("sign-blob", "--key", SoftHsm.Uri(label: "missing"), _file);
        Assert.Equal(new CliOutcome(3, "", $"bulwark: No private key with label 'missing' on PKCS#11 token 'test' (pkcs11:token=test;object=missing?module-path={SoftHsm.ModulePath}&pin-value=***). " +
                                           "Check object= (the key's label) or id=.\n"), wrongObject);
        var noModule = await CliRun.RunAsync("verify-blob", "--key", "pkcs11:object=k?module-path=/nonexistent/p11.so", "--signature", _file, _file);
        Assert.Equal(new CliOutcome(5, "", "bulwark: could not verify: Cannot load the PKCS#11 module /nonexistent/p11.so for pkcs11:object=k?module-path=/nonexistent/p11.so: no such file. " +
                                           "Check module-path (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).\n"), noModule);
        var badUri = await CliRun.RunAsync("sign-blob", "--key", "pkcs11:token=test;label=k?pin-value=1234", _file);
        Assert.Equal(2, badUri.ExitCode);
        Assert.DoesNotContain("1234", badUri.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_public_prints_the_tokens_public_key()
    {
        Assert.Equal(new CliOutcome(0, _hsm.EcPublicKey, ""), await CliRun.RunAsync("key", "public", "--key", SoftHsm.Uri()));
    }

    [Fact]
    public async Task Key_generate_creates_a_key_pair_on_the_token_that_signs()
    {
        var label = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var uri = SoftHsm.Uri(label: label);
        var prefix = Path("hsm");
        var generated = await CliRun.RunAsync("key", "generate", "--key", uri, "--output-key-prefix", prefix);
        Assert.Equal(new CliOutcome(0, "", $"bulwark: key pair created on the token (pkcs11:token=test;object={label}?module-path={SoftHsm.ModulePath}&pin-value=***), " +
                                           $"public key written to {prefix}.pub.\n"), generated);
        Assert.False(File.Exists(prefix + ".key"));
        var sig = await SignAsync(uri);
        var der = Path("gen.der");
        File.WriteAllBytes(der, Convert.FromBase64String(File.ReadAllText(sig).TrimEnd('\n')));
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", prefix + ".pub", "-signature", der, _file));
        Assert.Equal(new CliOutcome(0, File.ReadAllText(prefix + ".pub"), ""), await CliRun.RunAsync("key", "public", "--key", uri));
    }
}
