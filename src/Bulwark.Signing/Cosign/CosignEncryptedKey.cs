// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Org.BouncyCastle.Crypto.Generators;

namespace Bulwark.Signing.Cosign;

/// The scrypt cost parameters of an encrypted key (RFC 7914): N (CPU/memory cost, a power of two), r (block size), p.
public sealed record ScryptParameters(int N, int R, int P)
{
    /// What Cosign writes for new keys.
    public static ScryptParameters Default { get; } = new(32768, 8, 1);

    /// Limits for keys read from files: scrypt needs 128·N·r bytes, so a hostile file could ask for gigabytes.
    internal const long MaxMemoryBytes = 256L << 20;
    internal const int MaxP = 16;

    internal string? Problem() =>
        N < 2 || (N & (N - 1)) != 0 ? $"N={N} is not a power of two above 1"
        : R < 1 || P < 1 ? $"r={R} and p={P} must be positive"
        : 128L * N * R > MaxMemoryBytes ? $"N={N}, r={R} would need {128L * N * R >> 20} MiB (at most {MaxMemoryBytes >> 20})"
        : P > MaxP ? $"p={P} is above {MaxP}"
        : null;
}

/// Cosign's encrypted private key: PEM "ENCRYPTED SIGSTORE PRIVATE KEY" around JSON
/// `{"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":"nacl/secretbox","nonce"},"ciphertext"}`,
/// where the secretbox key is scrypt(password, salt, N, r, p, 32) and the plaintext is the PKCS#8 DER private key
/// (the format of go-securesystemslib's `encrypted` package, which Cosign uses; byte strings are standard base64).
public static class CosignEncryptedKey
{
    public const string Label = "ENCRYPTED SIGSTORE PRIVATE KEY";
    /// What Cosign 1.x wrote; still read.
    public const string LegacyLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    private const int SaltSize = 32;

    public static bool IsLabel(string label) => label is Label or LegacyLabel;

    /// Encrypts a PKCS#8 DER private key under a password; returns the PEM text.
    public static string Encrypt(ReadOnlySpan<byte> pkcs8, string password, ScryptParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        parameters ??= ScryptParameters.Default;
        if (parameters.Problem() is { } problem) throw new ArgumentException($"scrypt parameters: {problem}", nameof(parameters));
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);
        var key = DeriveKey(password, salt, parameters);
        var box = SecretBox.Seal(pkcs8, key, nonce);
        CryptographicOperations.ZeroMemory(key);

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("kdf");
            writer.WriteString("name", "scrypt");
            writer.WriteStartObject("params");
            writer.WriteNumber("N", parameters.N);
            writer.WriteNumber("r", parameters.R);
            writer.WriteNumber("p", parameters.P);
            writer.WriteEndObject();
            writer.WriteBase64String("salt", salt);
            writer.WriteEndObject();
            writer.WriteStartObject("cipher");
            writer.WriteString("name", "nacl/secretbox");
            writer.WriteBase64String("nonce", nonce);
            writer.WriteEndObject();
            writer.WriteBase64String("ciphertext", box);
            writer.WriteEndObject();
        }
        return PemEncoding.WriteString(Label, json.ToArray()) + "\n";
    }

    /// Decrypts the JSON body of an encrypted key to PKCS#8 DER; a wrong password or a damaged file is an
    /// <see cref="InputException"/> that says which and what to do.
    public static byte[] Decrypt(byte[] body, string password, string source)
    {
        ArgumentNullException.ThrowIfNull(password);
        var (parameters, salt, nonce, box) = ParseBody(body, source);
        var key = DeriveKey(password, salt, parameters);
        var plain = SecretBox.Open(box, key, nonce);
        CryptographicOperations.ZeroMemory(key);
        return plain ?? throw new InputException(
            $"Cannot decrypt key {source}: wrong password (or the file was altered). Set BULWARK_PASSWORD (or COSIGN_PASSWORD) " +
            "to the password the key was created with; an empty password must be set explicitly as BULWARK_PASSWORD=''.");
    }

    private static byte[] DeriveKey(string password, byte[] salt, ScryptParameters p) =>
        SCrypt.Generate(Encoding.UTF8.GetBytes(password), salt, p.N, p.R, p.P, SecretBox.KeySize);

    private static (ScryptParameters, byte[] Salt, byte[] Nonce, byte[] Box) ParseBody(byte[] body, string source)
    {
        string Bad(string what) => $"Cannot read encrypted key {source}: {what}. The file is not a Cosign encrypted key or is damaged.";
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            var kdf = root.GetProperty("kdf");
            if (kdf.GetProperty("name").GetString() != "scrypt") throw new InputException(Bad($"key derivation '{kdf.GetProperty("name")}' is not scrypt"));
            var ps = kdf.GetProperty("params");
            var parameters = new ScryptParameters(ps.GetProperty("N").GetInt32(), ps.GetProperty("r").GetInt32(), ps.GetProperty("p").GetInt32());
            if (parameters.Problem() is { } problem) throw new InputException(Bad($"scrypt {problem}"));
            var salt = kdf.GetProperty("salt").GetBytesFromBase64();
            var cipher = root.GetProperty("cipher");
            if (cipher.GetProperty("name").GetString() != "nacl/secretbox") throw new InputException(Bad($"cipher '{cipher.GetProperty("name")}' is not nacl/secretbox"));
            var nonce = cipher.GetProperty("nonce").GetBytesFromBase64();
            if (nonce.Length != SecretBox.NonceSize) throw new InputException(Bad($"the nonce has {nonce.Length} bytes, not {SecretBox.NonceSize}"));
            var box = root.GetProperty("ciphertext").GetBytesFromBase64();
            return (parameters, salt, nonce, box);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputException(Bad(e.Message.TrimEnd('.')), e);
        }
    }
}
