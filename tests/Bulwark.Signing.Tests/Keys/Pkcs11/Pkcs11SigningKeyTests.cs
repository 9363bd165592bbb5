// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Keys.Pkcs11;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Keys.Pkcs11;

/// Signing with keys held by SoftHSM2, checked with openssl against the public keys the keys were imported from.
[Collection(SoftHsm.Collection)]
public sealed class Pkcs11SigningKeyTests : IDisposable
{
    private readonly SoftHsm _hsm = SoftHsm.Instance;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SigningKey Open(string uri) => KeyReference.Parse(uri).OpenSigningKey(_ => null, () => throw new InvalidOperationException("no password"));

    private bool OpenSslVerifies(string publicKeyPem, byte[] message, byte[] signature)
    {
        var pub = _dir.Write($"{Guid.NewGuid():N}.pub", System.Text.Encoding.ASCII.GetBytes(publicKeyPem));
        var file = _dir.Write($"{Guid.NewGuid():N}.msg", message);
        var sig = _dir.Write($"{Guid.NewGuid():N}.sig", signature);
        return OpenSsl.Run("dgst", "-sha256", "-verify", pub, "-signature", sig, file).ExitCode == 0;
    }

    [Fact]
    public void An_ec_key_on_the_token_signs_a_der_signature_that_openssl_verifies()
    {
        using var key = Open(SoftHsm.Uri());
        Assert.IsType<Pkcs11SigningKey>(key);
        Assert.Equal(_hsm.EcPublicKey, key.PublicKey.ToPem());
        Assert.Equal(KeyAlgorithm.EcdsaP256, key.PublicKey.Algorithm);
        var message = "release 1.0"u8.ToArray();
        var signature = key.SignDigest(SHA256.HashData(message), HashAlgorithmName.SHA256);
        Assert.Equal(0x30, signature[0]);
        Assert.True(OpenSslVerifies(_hsm.EcPublicKey, message, signature));
        Assert.True(key.PublicKey.VerifyDigest(SHA256.HashData(message), HashAlgorithmName.SHA256, signature));

        var flipped = (byte[])message.Clone();
        flipped[0] ^= 1;
        Assert.False(OpenSslVerifies(_hsm.EcPublicKey, flipped, signature));
        Assert.False(OpenSslVerifies(_hsm.OtherPublicKey, message, signature));
    }

    [Fact]
    public void An_rsa_key_on_the_token_signs_pkcs1_v15_over_sha256()
    {
        using var key = Open(SoftHsm.Uri(label: "r"));
        Assert.Equal(_hsm.RsaPublicKey, key.PublicKey.ToPem());
        var message = "release 1.0"u8.ToArray();
        var signature = key.SignDigest(SHA256.HashData(message), HashAlgorithmName.SHA256);
        Assert.Equal(256, signature.Length);
        Assert.True(OpenSslVerifies(_hsm.RsaPublicKey, message, signature));
    }

    [Fact]
    public void A_key_is_found_by_id_and_the_other_token_by_label()
    {
        using (var byId = Open($"pkcs11:token=test;id=%01;type=private?module-path={SoftHsm.ModulePath}&pin-value=1234"))
            Assert.Equal(_hsm.EcPublicKey, byId.PublicKey.ToPem());
        using (var other = Open(SoftHsm.Uri(token: "other", pin: "4321")))
            Assert.Equal(_hsm.OtherPublicKey, other.PublicKey.ToPem());
        using (var byName = Open("pkcs11:token=test;object=r?module-name=softhsm2&pin-value=1234"))
            Assert.Equal(_hsm.RsaPublicKey, byName.PublicKey.ToPem());
    }

    [Fact]
    public void The_pin_may_come_from_a_pin_source_file()
    {
        var pin = _dir.Write("pin", "1234\n"u8.ToArray());
        using var key = Open($"pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}&pin-source=file:{pin}");
        Assert.Equal(_hsm.EcPublicKey, key.PublicKey.ToPem());
        var digest = SHA384.HashData("x"u8);
        Assert.True(key.PublicKey.VerifyDigest(digest, HashAlgorithmName.SHA384, key.SignDigest(digest, HashAlgorithmName.SHA384)));
    }

    [Fact]
    public void An_rsa_token_key_signs_sha384_and_sha512_digests_too()
    {
        using var key = Open(SoftHsm.Uri(label: "r"));
        foreach (var (digest, algorithm) in new[] { (SHA384.HashData("x"u8), HashAlgorithmName.SHA384), (SHA512.HashData("x"u8), HashAlgorithmName.SHA512) })
            Assert.True(key.PublicKey.VerifyDigest(digest, algorithm, key.SignDigest(digest, algorithm)));
    }

    [Fact]
    public void The_public_key_is_read_without_a_pin()
    {
        using var key = KeyReference.Parse($"pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}").OpenVerificationKey(_ => null);
        Assert.Equal(_hsm.EcPublicKey, key.ToPem());
    }

    [Fact]
    public void A_wrong_pin_is_an_input_error_that_does_not_show_the_pin()
    {
        var error = Assert.Throws<InputException>(() => Open(SoftHsm.Uri(pin: "9999")));
        Assert.Equal($"Cannot log in to PKCS#11 token 'test' for pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}&pin-value=***: " +
                     "the PIN is wrong (CKR_PIN_INCORRECT). Check pin-value or pin-source.", error.Message);
        Assert.DoesNotContain("9999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_object_token_or_pin_is_an_input_error_that_says_what_to_fix()
    {
        var noObject = Assert.Throws<InputException>(() => Open(SoftHsm.Uri(label: "nope")));
        Assert.Equal($"No private key with label 'nope' on PKCS#11 token 'test' (pkcs11:token=test;object=nope?module-path={SoftHsm.ModulePath}&pin-value=***). " +
                     "Check object= (the key's label) or id=.", noObject.Message);
        var noToken = Assert.Throws<InputException>(() => Open(SoftHsm.Uri(token: "prod")));
        Assert.StartsWith($"No PKCS#11 token matches pkcs11:token=prod;object=k?module-path={SoftHsm.ModulePath}&pin-value=***: tokens present: '",
            noToken.Message, StringComparison.Ordinal);
        Assert.Contains("'test' (serial ", noToken.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Check token= (the token label) or serial=.", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("'other' (serial ", noToken.Message, StringComparison.Ordinal);
        var noPin = Assert.Throws<InputException>(() => Open($"pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}"));
        Assert.Equal($"No private key with label 'k' is visible on PKCS#11 token 'test' (pkcs11:token=test;object=k?module-path={SoftHsm.ModulePath}) " +
                     "without logging in: add pin-value= or pin-source= to the URI.", noPin.Message);
    }

    [Fact]
    public void A_module_that_cannot_be_loaded_is_an_input_error()
    {
        var missing = Assert.Throws<InputException>(() => Open("pkcs11:object=k?module-path=/nonexistent/libp11.so&pin-value=1"));
        Assert.Equal("Cannot load the PKCS#11 module /nonexistent/libp11.so for pkcs11:object=k?module-path=/nonexistent/libp11.so&pin-value=***: no such file. " +
                     "Check module-path (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).", missing.Message);
        var notPkcs11 = _dir.Write("lib.so", "not a library"u8.ToArray());
        var wrong = Assert.Throws<InputException>(() => Open($"pkcs11:object=k?module-path={notPkcs11}"));
        Assert.Contains("it is not a loadable shared library for this machine", wrong.Message, StringComparison.Ordinal);
        var noModule = Assert.Throws<UsageException>(() => Open("pkcs11:token=test;object=k?pin-value=1234"));
        Assert.StartsWith("PKCS#11 URI 'pkcs11:token=test;object=k?pin-value=***' names no module", noModule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_pair_generated_on_the_token_signs()
    {
        var label = "gen-" + Guid.NewGuid().ToString("N")[..8];
        var uri = Pkcs11Uri.Parse(SoftHsm.Uri(label: label));
        using var created = Pkcs11SigningKey.GenerateEcdsaP256(uri);
        using var key = Pkcs11SigningKey.Open(uri);
        Assert.Equal(created.ToPem(), key.PublicKey.ToPem());
        var message = "generated"u8.ToArray();
        Assert.True(OpenSslVerifies(created.ToPem(), message, key.SignDigest(SHA256.HashData(message), HashAlgorithmName.SHA256)));
        var again = Assert.Throws<UsageException>(() => Pkcs11SigningKey.GenerateEcdsaP256(uri));
        Assert.StartsWith($"PKCS#11 token 'test' already holds an object labelled '{label}'", again.Message, StringComparison.Ordinal);
    }
}
