// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Cosign;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Cosign;

public sealed class CosignEncryptedKeyTests : IDisposable
{
    private static readonly string Vector = Path.Combine(TestPaths.Shared, "testvectors", "cosign", "cosign_generated_encrypted_empty_private.key");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Body(string pem) => Encoding.UTF8.GetString(PemBlock.ReadFirst(pem, "test").Data);

    [Fact]
    public void Decrypts_the_key_cosign_generated_with_the_empty_password()
    {
        var block = PemBlock.ReadFirst(File.ReadAllText(Vector), Vector);
        var pkcs8 = CosignEncryptedKey.Decrypt(block.Data, "", Vector);

        using var key = SigningKey.FromPkcs8(pkcs8, Vector);
        Assert.Equal(KeyAlgorithm.EcdsaP256, key.PublicKey.Algorithm);
        // openssl reads the decrypted PKCS#8 and derives the same public key
        var der = _temp.Write("vector.der", pkcs8);
        var fromOpenSsl = OpenSsl.Ok("pkey", "-inform", "DER", "-in", der, "-pubout");
        Assert.Equal(fromOpenSsl, key.PublicKey.ToPem());
        Assert.Equal("""
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGmsWpZNuu+SUX70n3lVK4JLsaoV7
            T+rhea2rQUu29EQiatoLB06QdsmSd+GsQGlQzfcDtsKPzb+B2zLggrWZjg==
            -----END PUBLIC KEY-----

            """, key.PublicKey.ToPem());
    }

    [Fact]
    public void The_test_vector_used_scrypt_N_65536_which_is_read_from_the_file()
    {
        using var json = JsonDocument.Parse(Body(File.ReadAllText(Vector)));
        Assert.Equal(65536, json.RootElement.GetProperty("kdf").GetProperty("params").GetProperty("N").GetInt32());
    }

    [Fact]
    public void A_wrong_password_is_an_input_error_that_says_how_to_give_the_right_one()
    {
        var block = PemBlock.ReadFirst(File.ReadAllText(Vector), Vector);
        var error = Assert.Throws<InputException>(() => CosignEncryptedKey.Decrypt(block.Data, "not-empty", "cosign.key"));
        Assert.StartsWith("Cannot decrypt key cosign.key: wrong password (or the file was altered). Set BULWARK_PASSWORD (or COSIGN_PASSWORD)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_key_is_written_with_cosigns_parameters_and_decrypts_to_the_same_key()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var pem = CosignEncryptedKey.Encrypt(key.ExportPkcs8(), "correct horse");

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(Body(pem));
        var root = json.RootElement;
        Assert.Equal(["kdf", "cipher", "ciphertext"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("scrypt", root.GetProperty("kdf").GetProperty("name").GetString());
        Assert.Equal("""{"N":32768,"r":8,"p":1}""", root.GetProperty("kdf").GetProperty("params").GetRawText());
        Assert.Equal(32, root.GetProperty("kdf").GetProperty("salt").GetBytesFromBase64().Length);
        Assert.Equal("nacl/secretbox", root.GetProperty("cipher").GetProperty("name").GetString());
        Assert.Equal(24, root.GetProperty("cipher").GetProperty("nonce").GetBytesFromBase64().Length);
        // secretbox adds a 16-byte Poly1305 tag to the PKCS#8 plaintext
        Assert.Equal(key.ExportPkcs8().Length + 16, root.GetProperty("ciphertext").GetBytesFromBase64().Length);

        using var again = SigningKey.FromPem(pem, "new.key", () => "correct horse");
        Assert.Equal(key.PublicKey.SubjectPublicKeyInfo, again.PublicKey.SubjectPublicKeyInfo);
    }

    [Fact]
    public void Two_encryptions_of_one_key_use_fresh_salt_and_nonce()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var first = CosignEncryptedKey.Encrypt(key.ExportPkcs8(), "pw", new ScryptParameters(1024, 8, 1));
        var second = CosignEncryptedKey.Encrypt(key.ExportPkcs8(), "pw", new ScryptParameters(1024, 8, 1));
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(100)]
    public void Any_altered_ciphertext_byte_is_refused_as_a_wrong_password_or_altered_file(int index)
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var pem = CosignEncryptedKey.Encrypt(key.ExportPkcs8(), "pw", new ScryptParameters(1024, 8, 1));
        var json = JsonNodeOf(pem);
        var box = Convert.FromBase64String(json["ciphertext"]!.GetValue<string>());
        box[index] ^= 0x01;
        json["ciphertext"] = Convert.ToBase64String(box);

        var error = Assert.Throws<InputException>(() => CosignEncryptedKey.Decrypt(Encoding.UTF8.GetBytes(json.ToJsonString()), "pw", "k.key"));
        Assert.Contains("wrong password (or the file was altered)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1 << 30, 8, 1, "N=1073741824, r=8 would need 1048576 MiB (at most 256)")]
    [InlineData(1000, 8, 1, "N=1000 is not a power of two above 1")]
    [InlineData(1024, 8, 1000, "p=1000 is above 16")]
    public void Hostile_scrypt_parameters_are_refused_before_any_work(int n, int r, int p, string problem)
    {
        var body = $$"""{"kdf":{"name":"scrypt","params":{"N":{{n}},"r":{{r}},"p":{{p}}},"salt":"AAAA"},"cipher":{"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},"ciphertext":"AAAA"}""";
        var error = Assert.Throws<InputException>(() => CosignEncryptedKey.Decrypt(Encoding.UTF8.GetBytes(body), "", "hostile.key"));
        Assert.Equal($"Cannot read encrypted key hostile.key: scrypt {problem}. The file is not a Cosign encrypted key or is damaged.", error.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"kdf":{"name":"argon2"}}""")]
    [InlineData("""{"kdf":{"name":"scrypt","params":{"N":1024,"r":8,"p":1},"salt":"AAAA"},"cipher":{"name":"aes-gcm","nonce":"AAAA"},"ciphertext":"AAAA"}""")]
    [InlineData("""{"kdf":{"name":"scrypt","params":{"N":1024,"r":8,"p":1},"salt":"AAAA"},"cipher":{"name":"nacl/secretbox","nonce":"AAAA"},"ciphertext":"AAAA"}""")]
    [InlineData("""{"kdf":{"name":"scrypt","params":{"N":1024,"r":8,"p":1},"salt":"!!"},"cipher":{"name":"nacl/secretbox","nonce":"AAAA"},"ciphertext":"AAAA"}""")]
    public void A_malformed_body_is_an_input_error_naming_the_file(string body)
    {
        var error = Assert.Throws<InputException>(() => CosignEncryptedKey.Decrypt(Encoding.UTF8.GetBytes(body), "", "bad.key"));
        Assert.StartsWith("Cannot read encrypted key bad.key: ", error.Message, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonObject JsonNodeOf(string pem) =>
        System.Text.Json.Nodes.JsonNode.Parse(Body(pem))!.AsObject();
}
