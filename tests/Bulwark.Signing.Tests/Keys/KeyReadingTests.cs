// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Keys;

/// Keys in every PEM form openssl writes, read back to the same public key openssl derives.
public sealed class KeyReadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string NoPassword() => throw new InvalidOperationException("an unencrypted key must not ask for a password");

    [Theory]
    [InlineData("ec", KeyAlgorithm.EcdsaP256, "ECDSA P-256")]
    [InlineData("rsa", KeyAlgorithm.Rsa, "RSA 2048")]
    [InlineData("ed25519", KeyAlgorithm.Ed25519, "Ed25519")]
    public void Pkcs8_private_keys_give_the_public_key_openssl_derives(string kind, KeyAlgorithm algorithm, string description)
    {
        var path = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);

        using var key = SigningKey.FromPem(File.ReadAllText(path), path, NoPassword);
        Assert.Equal(algorithm, key.PublicKey.Algorithm);
        Assert.Equal(description, key.PublicKey.Description);
        Assert.Equal(File.ReadAllText(OpenSsl.PublicKeyOf(path)), key.PublicKey.ToPem());
    }

    [Theory]
    [InlineData("ec", "EC PRIVATE KEY")]
    [InlineData("rsa", "RSA PRIVATE KEY")]
    public void Sec1_and_pkcs1_private_keys_are_read(string kind, string label)
    {
        var pkcs8 = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        var traditional = _temp.File("traditional.pem");
        OpenSsl.Ok("pkey", "-in", pkcs8, "-out", traditional, "-traditional");
        Assert.StartsWith($"-----BEGIN {label}-----", File.ReadAllText(traditional), StringComparison.Ordinal);

        using var key = SigningKey.FromPem(File.ReadAllText(traditional), traditional, NoPassword);
        Assert.Equal(File.ReadAllText(OpenSsl.PublicKeyOf(pkcs8)), key.PublicKey.ToPem());
    }

    [Theory]
    [InlineData("ec", KeyAlgorithm.EcdsaP256)]
    [InlineData("rsa", KeyAlgorithm.Rsa)]
    [InlineData("ed25519", KeyAlgorithm.Ed25519)]
    public void Pkix_public_keys_are_read_and_written_back_unchanged(string kind, KeyAlgorithm algorithm)
    {
        var pub = OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, kind));
        using var key = VerificationKey.FromPem(File.ReadAllText(pub), pub);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(File.ReadAllText(pub), key.ToPem());
    }

    [Fact]
    public void Pkcs1_rsa_public_keys_are_read()
    {
        var pkcs8 = OpenSsl.GeneratePrivateKey(_temp.Path, "rsa");
        var rsaPub = _temp.File("rsa-public.pem");
        OpenSsl.Ok("rsa", "-in", pkcs8, "-RSAPublicKey_out", "-out", rsaPub);
        Assert.StartsWith("-----BEGIN RSA PUBLIC KEY-----", File.ReadAllText(rsaPub), StringComparison.Ordinal);

        using var key = VerificationKey.FromPem(File.ReadAllText(rsaPub), rsaPub);
        Assert.Equal(File.ReadAllText(OpenSsl.PublicKeyOf(pkcs8)), key.ToPem());
    }

    [Fact]
    public void The_public_key_hint_is_base64_sha256_of_the_pkix_der()
    {
        var pub = OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, "ec"));
        var der = _temp.File("pub.der");
        OpenSsl.Ok("pkey", "-pubin", "-in", pub, "-outform", "DER", "-out", der);
        var expected = OpenSsl.Ok("dgst", "-sha256", "-binary", "-out", _temp.File("hint.bin"), der);
        using var key = VerificationKey.FromPem(File.ReadAllText(pub), pub);
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(_temp.File("hint.bin"))), key.Hint);
    }

    [Fact]
    public void A_private_key_given_for_verification_says_to_pass_the_public_key()
    {
        var path = OpenSsl.GeneratePrivateKey(_temp.Path, "ec");
        var error = Assert.Throws<InputException>(() => VerificationKey.FromPem(File.ReadAllText(path), "cosign.key"));
        Assert.Equal("Cannot use key cosign.key for verification: it is a private key (PRIVATE KEY). Pass the public key instead; 'bulwark key public --key <private key>' prints it.", error.Message);
    }

    [Fact]
    public void A_public_key_given_for_signing_says_to_pass_the_private_key()
    {
        var pub = OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, "ec"));
        var error = Assert.Throws<InputException>(() => SigningKey.FromPem(File.ReadAllText(pub), "cosign.pub", NoPassword));
        Assert.Equal("Cannot sign with cosign.pub: it is a public key. Give the private key (e.g. cosign.key from 'bulwark key generate').", error.Message);
    }

    [Theory]
    [InlineData("not a pem at all", "Cannot read key k: no PEM block (-----BEGIN …-----) found, or its base64 is broken.")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "Cannot read key k: the PUBLIC KEY block is not valid DER SubjectPublicKeyInfo")]
    [InlineData("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", "Cannot read key k: PEM block 'X509 CRL' is not a public key")]
    public void Malformed_public_keys_are_input_errors(string pem, string message)
    {
        var error = Assert.Throws<InputException>(() => VerificationKey.FromPem(pem, "k"));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_curve_is_named()
    {
        var path = _temp.File("k1.key");
        OpenSsl.Ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", path);
        var pub = OpenSsl.PublicKeyOf(path);
        var error = Assert.Throws<InputException>(() => VerificationKey.FromPem(File.ReadAllText(pub), "k1.pub"));
        Assert.Equal("Cannot use key k1.pub: elliptic curve '1.3.132.0.10' is not supported (P-256, P-384 and P-521 are).", error.Message);
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "Cannot read private key k: not a PKCS#8 PrivateKeyInfo")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n", "Cannot read private key k (EC PRIVATE KEY): ")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "Cannot read private key k: password-protected PKCS#8 is not supported.")]
    public void Malformed_private_keys_are_input_errors(string pem, string message)
    {
        var error = Assert.Throws<InputException>(() => SigningKey.FromPem(pem, "k", NoPassword));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_key_on_an_unsupported_curve_is_named()
    {
        var path = _temp.File("k1.key");
        OpenSsl.Ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", path);
        var error = Assert.Throws<InputException>(() => SigningKey.FromPem(File.ReadAllText(path), "k1.key", NoPassword));
        Assert.Equal("Cannot use key k1.key: elliptic curve '1.3.132.0.10' is not supported (P-256, P-384 and P-521 are).", error.Message);
    }

    [Fact]
    public void Rsa_keys_below_2048_bits_are_refused()
    {
        var path = _temp.File("weak.key");
        OpenSsl.Ok("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", path);
        var pub = OpenSsl.PublicKeyOf(path);
        var error = Assert.Throws<InputException>(() => VerificationKey.FromPem(File.ReadAllText(pub), "weak.pub"));
        Assert.Equal("Cannot use key weak.pub: a 1024-bit RSA key is outside the accepted 2048–16384 bits.", error.Message);
    }

    [Fact]
    public void A_public_key_on_an_unsupported_curve_is_refused_by_name()
    {
        // secp256k1 (1.3.132.0.10): a well-formed SubjectPublicKeyInfo that this platform may or may not import
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.2.1");
                writer.WriteObjectIdentifier("1.3.132.0.10");
            }
            writer.WriteBitString([0x04, .. Enumerable.Repeat((byte)7, 64)]);
        }
        var pem = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", writer.Encode());
        var error = Assert.Throws<InputException>(() => VerificationKey.FromPem(pem, "k1.pub"));
        Assert.Equal("Cannot use key k1.pub: elliptic curve '1.3.132.0.10' is not supported (P-256, P-384 and P-521 are).", error.Message);
    }
}
