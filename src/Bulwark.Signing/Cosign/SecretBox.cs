// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Bulwark.Signing.Cosign;

/// NaCl's crypto_secretbox: XSalsa20 encryption with a Poly1305 tag, laid out as tag (16 bytes) then ciphertext.
/// <remarks>
/// The first 32 bytes of the XSalsa20 key stream are the one-time Poly1305 key; the message is XORed with the stream
/// from byte 32 on; the tag covers the ciphertext (NaCl, "Cryptography in NaCl" §9).
/// </remarks>
internal static class SecretBox
{
    public const int KeySize = 32;
    public const int NonceSize = 24;
    public const int TagSize = 16;

    public static byte[] Seal(ReadOnlySpan<byte> message, byte[] key, byte[] nonce)
    {
        var (cipher, macKey) = Start(key, nonce);
        var output = new byte[TagSize + message.Length];
        var plain = message.ToArray();
        cipher.ProcessBytes(plain, 0, plain.Length, output, TagSize);
        CryptographicOperations.ZeroMemory(plain);
        Tag(macKey, output.AsSpan(TagSize)).CopyTo(output, 0);
        return output;
    }

    /// The message, or null when the tag does not match (wrong key or altered box).
    public static byte[]? Open(ReadOnlySpan<byte> box, byte[] key, byte[] nonce)
    {
        if (box.Length < TagSize) return null;
        var (cipher, macKey) = Start(key, nonce);
        var expected = Tag(macKey, box[TagSize..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, box[..TagSize])) return null;
        var encrypted = box[TagSize..].ToArray();
        var message = new byte[encrypted.Length];
        cipher.ProcessBytes(encrypted, 0, encrypted.Length, message, 0);
        return message;
    }

    private static (XSalsa20Engine Cipher, byte[] MacKey) Start(byte[] key, byte[] nonce)
    {
        if (key.Length != KeySize || nonce.Length != NonceSize) throw new ArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
        var cipher = new XSalsa20Engine();
        cipher.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        var macKey = new byte[32];
        cipher.ProcessBytes(new byte[32], 0, 32, macKey, 0);
        return (cipher, macKey);
    }

    private static byte[] Tag(byte[] macKey, ReadOnlySpan<byte> ciphertext)
    {
        var mac = new Poly1305();
        mac.Init(new KeyParameter(macKey));
        var data = ciphertext.ToArray();
        mac.BlockUpdate(data, 0, data.Length);
        var tag = new byte[TagSize];
        mac.DoFinal(tag, 0);
        CryptographicOperations.ZeroMemory(macKey);
        return tag;
    }
}
