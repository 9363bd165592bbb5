// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;

namespace Bulwark.Core;

public enum HashAlgorithm { Md5, Sha1, Sha256, Sha384, Sha512, Sha3_256, Sha3_512, Blake2b_256, Blake3 }

/// A content digest: an algorithm and the lowercase hex value.
public readonly record struct Digest(HashAlgorithm Algorithm, string Hex) : IComparable<Digest>
{
    /// The name as CycloneDX writes it ("SHA-256").
    public string CycloneDxName => Algorithm switch
    {
        HashAlgorithm.Md5 => "MD5",
        HashAlgorithm.Sha1 => "SHA-1",
        HashAlgorithm.Sha256 => "SHA-256",
        HashAlgorithm.Sha384 => "SHA-384",
        HashAlgorithm.Sha512 => "SHA-512",
        HashAlgorithm.Sha3_256 => "SHA3-256",
        HashAlgorithm.Sha3_512 => "SHA3-512",
        HashAlgorithm.Blake2b_256 => "BLAKE2b-256",
        HashAlgorithm.Blake3 => "BLAKE3",
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm)),
    };

    /// The name as SPDX 2.3 writes it ("SHA256"), or null when SPDX 2.3 has none.
    public string? SpdxName => Algorithm switch
    {
        HashAlgorithm.Md5 => "MD5",
        HashAlgorithm.Sha1 => "SHA1",
        HashAlgorithm.Sha256 => "SHA256",
        HashAlgorithm.Sha384 => "SHA384",
        HashAlgorithm.Sha512 => "SHA512",
        HashAlgorithm.Sha3_256 => "SHA3-256",
        HashAlgorithm.Sha3_512 => "SHA3-512",
        HashAlgorithm.Blake2b_256 => "BLAKE2b-256",
        HashAlgorithm.Blake3 => "BLAKE3",
        _ => null,
    };

    /// The OCI/“algo:hex” prefix ("sha256").
    public string Prefix => Algorithm switch
    {
        HashAlgorithm.Md5 => "md5",
        HashAlgorithm.Sha1 => "sha1",
        HashAlgorithm.Sha256 => "sha256",
        HashAlgorithm.Sha384 => "sha384",
        HashAlgorithm.Sha512 => "sha512",
        HashAlgorithm.Sha3_256 => "sha3-256",
        HashAlgorithm.Sha3_512 => "sha3-512",
        HashAlgorithm.Blake2b_256 => "blake2b-256",
        HashAlgorithm.Blake3 => "blake3",
        _ => throw new ArgumentOutOfRangeException(nameof(Algorithm)),
    };

    public static int HexLength(HashAlgorithm a) => a switch
    {
        HashAlgorithm.Md5 => 32,
        HashAlgorithm.Sha1 => 40,
        HashAlgorithm.Sha256 or HashAlgorithm.Sha3_256 or HashAlgorithm.Blake2b_256 or HashAlgorithm.Blake3 => 64,
        HashAlgorithm.Sha384 => 96,
        HashAlgorithm.Sha512 or HashAlgorithm.Sha3_512 => 128,
        _ => 0,
    };

    public override string ToString() => $"{Prefix}:{Hex}";

    public int CompareTo(Digest other) =>
        Algorithm != other.Algorithm ? Algorithm.CompareTo(other.Algorithm) : string.CompareOrdinal(Hex, other.Hex);

    /// Parses "sha256:hex" (also "sha256-hex", "SHA-256:hex").
    public static Digest Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a digest of the form 'sha256:<hex>'.");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var sep = text.IndexOf(':');
        if (sep < 0) return false;
        return TryCreate(text[..sep], text[(sep + 1)..], out digest);
    }

    /// Builds a digest from an algorithm name in any common spelling and a hex value; checks length and characters.
    public static bool TryCreate(string algorithm, string hex, out Digest digest)
    {
        digest = default;
        if (!TryParseAlgorithm(algorithm, out var alg)) return false;
        hex = hex.Trim().ToLowerInvariant();
        if (hex.Length != HexLength(alg) || !IsHex(hex)) return false;
        digest = new Digest(alg, hex);
        return true;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    public static bool TryParseAlgorithm(string name, out HashAlgorithm algorithm)
    {
        var n = name.Trim().ToLowerInvariant().Replace("-", "").Replace("_", "");
        switch (n)
        {
            case "md5": algorithm = HashAlgorithm.Md5; return true;
            case "sha1": algorithm = HashAlgorithm.Sha1; return true;
            case "sha256": algorithm = HashAlgorithm.Sha256; return true;
            case "sha384": algorithm = HashAlgorithm.Sha384; return true;
            case "sha512": algorithm = HashAlgorithm.Sha512; return true;
            case "sha3256": algorithm = HashAlgorithm.Sha3_256; return true;
            case "sha3512": algorithm = HashAlgorithm.Sha3_512; return true;
            case "blake2b256": algorithm = HashAlgorithm.Blake2b_256; return true;
            case "blake3": algorithm = HashAlgorithm.Blake3; return true;
            default: algorithm = default; return false;
        }
    }

    /// Parses a Subresource Integrity value ("sha512-&lt;base64&gt;", as npm lockfiles write) into a digest.
    public static bool TryParseIntegrity(string? sri, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrWhiteSpace(sri)) return false;
        // an integrity string may list several hashes separated by whitespace: the first one we understand wins
        foreach (var part in sri.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            if (dash <= 0) continue;
            var b64 = part[(dash + 1)..];
            var q = b64.IndexOf('?');
            if (q >= 0) b64 = b64[..q];
            var buffer = new byte[b64.Length];
            if (!Convert.TryFromBase64String(b64, buffer, out var written)) continue;
            if (TryCreate(part[..dash], Convert.ToHexStringLower(buffer.AsSpan(0, written)), out digest)) return true;
        }
        return false;
    }

    public static Digest Sha256Of(ReadOnlySpan<byte> data) => new(HashAlgorithm.Sha256, Convert.ToHexStringLower(SHA256.HashData(data)));
}

/// The order of <see cref="Digest.CompareTo"/> as a comparer object: SortedSet&lt;Digest&gt; and friends given this instance
/// skip Comparer&lt;Digest&gt;.Default, which the runtime builds by reflection and JIT-compiles at first use (start-up cost).
public sealed class DigestOrder : IComparer<Digest>
{
    public static readonly DigestOrder Instance = new();

    public int Compare(Digest x, Digest y) => x.CompareTo(y);
}
