// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;

namespace Bulwark.Hygiene.Commits.OpenPgp;

/// A version 4 or 6 OpenPGP signature packet (RFC 4880 §5.2.3, RFC 9580 §5.2.3), with the subpackets commit verification needs. Trust
/// decisions read only the hashed area; the issuer may come from either (it only selects the key to try).
internal sealed class PgpSignature
{
    public const int SigBinary = 0x00, SigText = 0x01, CertGeneric = 0x10, CertPositive = 0x13, SubkeyBinding = 0x18,
        PrimaryKeyBinding = 0x19, DirectKey = 0x1F, KeyRevocation = 0x20, SubkeyRevocation = 0x28;

    // subpacket types this reader knows; a critical one outside the list invalidates the signature (RFC 4880 §5.2.3.1)
    private static readonly HashSet<int> KnownSubpackets = [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 16, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39];

    public required int Version { get; init; }
    public required int Type { get; init; }
    public required int PublicKeyAlgorithm { get; init; }
    public required int HashAlgorithm { get; init; }
    /// Version, type, algorithms and the hashed subpacket area: hashed after the data, then the v4 trailer.
    public required byte[] HashedPart { get; init; }
    public required byte[][] Mpis { get; init; }
    /// The first two octets of the digest, stored in the clear; gpg rejects a signature whose digest does not start so.
    public required byte[] Left16 { get; init; }
    /// v6: the random salt hashed before the data (RFC 9580 §5.2.4); empty for v4.
    public byte[] Salt { get; init; } = [];
    public DateTimeOffset? Created { get; private set; }
    public uint? ExpirySeconds { get; private set; }
    public uint? KeyExpirySeconds { get; private set; }
    public byte? KeyFlags { get; private set; }
    public byte? RevocationReason { get; private set; }
    public ulong? IssuerKeyId { get; private set; }
    public byte[]? IssuerFingerprint { get; private set; }
    public PgpSignature? Embedded { get; private set; }

    public static PgpSignature Parse(byte[] body, int depth = 0)
    {
        var r = new WireReader(body);
        var version = r.Byte();
        if (version is not (4 or 6))
            throw new UnsupportedSignatureException($"OpenPGP version {version} signature (versions 4 and 6 are supported)");
        var type = r.Byte();
        var pkAlgorithm = r.Byte();
        var hashAlgorithm = r.Byte();
        // v6 counts the subpacket areas in four octets (RFC 9580 §5.2.3)
        var hashedLength = version == 4 ? r.UInt16() : AreaLength(r);
        var hashedStart = r.Position;
        r.Skip(hashedLength);
        var hashedPart = body.AsSpan(0, hashedStart + hashedLength).ToArray();
        var unhashedLength = version == 4 ? r.UInt16() : AreaLength(r);
        var unhashedStart = r.Position;
        r.Skip(unhashedLength);
        var left16 = r.Bytes(2);
        var salt = version == 6 ? r.Bytes(r.Byte()) : [];
        var mpis = new List<byte[]>();
        if (pkAlgorithm == PgpPublicKey.AlgEd25519)
        {
            mpis.Add(r.Bytes(64)); // RFC 9580 §5.2.3.4: the native 64-octet signature
        }
        else
        {
            while (r.HasData && mpis.Count < 4) mpis.Add(r.Mpi());
        }
        if (r.HasData) throw new MalformedSignatureException("trailing data after the signature values");
        var signature = new PgpSignature
        {
            Version = version, Type = type, PublicKeyAlgorithm = pkAlgorithm, HashAlgorithm = hashAlgorithm,
            HashedPart = hashedPart, Mpis = [.. mpis], Left16 = left16, Salt = salt,
        };
        signature.ReadSubpackets(body, hashedStart, hashedStart + hashedLength, hashed: true, depth);
        signature.ReadSubpackets(body, unhashedStart, unhashedStart + unhashedLength, hashed: false, depth);
        return signature;
    }

    private static int AreaLength(WireReader r)
    {
        var length = r.UInt32();
        if (length > (uint)r.Remaining) throw new MalformedSignatureException("signature subpacket area runs past the packet");
        return (int)length;
    }

    private void ReadSubpackets(byte[] body, int start, int end, bool hashed, int depth)
    {
        var r = new WireReader(body, start, end);
        while (r.HasData)
        {
            var first = r.Byte();
            int length;
            if (first < 192) length = first;
            else if (first < 255) length = ((first - 192) << 8) + r.Byte() + 192;
            else
            {
                var l = r.UInt32();
                if (l > (uint)r.Remaining) throw new MalformedSignatureException("signature subpacket runs past its area");
                length = (int)l;
            }
            if (length < 1) throw new MalformedSignatureException("empty signature subpacket");
            var typeByte = r.Byte();
            var data = r.Bytes(length - 1);
            var type = typeByte & 0x7F;
            var critical = (typeByte & 0x80) != 0;
            if (critical && hashed && !KnownSubpackets.Contains(type))
                throw new MalformedSignatureException($"signature has a critical subpacket of unknown type {type}");
            switch (type)
            {
                case 2 when hashed && data.Length == 4:
                    Created = DateTimeOffset.FromUnixTimeSeconds(BigEndian(data));
                    break;
                case 3 when hashed && data.Length == 4:
                    ExpirySeconds = (uint)BigEndian(data);
                    break;
                case 9 when hashed && data.Length == 4:
                    KeyExpirySeconds = (uint)BigEndian(data);
                    break;
                case 27 when hashed && data.Length >= 1:
                    KeyFlags = data[0];
                    break;
                case 29 when hashed && data.Length >= 1:
                    RevocationReason = data[0];
                    break;
                case 16 when data.Length == 8:
                    IssuerKeyId ??= (ulong)BigEndian(data);
                    break;
                case 33 when data.Length >= 21:
                    IssuerFingerprint ??= data[1..];
                    break;
                case 32 when depth == 0:
                    Embedded ??= Parse(data, depth + 1);
                    break;
            }
        }
    }

    private static long BigEndian(byte[] data)
    {
        long v = 0;
        foreach (var b in data) v = (v << 8) | b;
        return v;
    }

    /// The .NET name of an OpenPGP hash algorithm id (RFC 4880 §9.4); null for ones we do not accept.
    public static HashAlgorithmName? HashName(int id) => id switch
    {
        2 => HashAlgorithmName.SHA1,
        8 => HashAlgorithmName.SHA256,
        9 => HashAlgorithmName.SHA384,
        10 => HashAlgorithmName.SHA512,
        // SHA-224 (11) has no .NET HashAlgorithmName; MD5 (1) and RIPEMD-160 (3) are broken or obsolete
        _ => null,
    };

    public static string HashLabel(int id) => id switch
    {
        1 => "MD5", 2 => "SHA-1", 3 => "RIPEMD-160", 8 => "SHA-256", 9 => "SHA-384", 10 => "SHA-512", 11 => "SHA-224",
        _ => $"hash algorithm {id}",
    };

    /// The digest this signature covers: hash([v6 salt,] prefix parts…, hashed part, version, 0xFF, 4-octet length of
    /// the hashed part) (RFC 9580 §5.2.4).
    public byte[] Digest(params ReadOnlySpan<byte[]> prefix)
    {
        var name = HashName(HashAlgorithm) ?? throw new UnsupportedSignatureException($"{HashLabel(HashAlgorithm)} signatures are not accepted");
        if (Version == 6)
        {
            // RFC 9580 §9.5: the salt size is fixed by the hash algorithm
            var expected = HashAlgorithm switch { 8 => 16, 9 => 24, 10 => 32, _ => -1 };
            if (Salt.Length != expected) throw new MalformedSignatureException($"v6 signature salt of {Salt.Length} octets does not suit {HashLabel(HashAlgorithm)}");
        }
        using var hash = IncrementalHash.CreateHash(name);
        hash.AppendData(Salt);
        foreach (var part in prefix) hash.AppendData(part);
        hash.AppendData(HashedPart);
        var length = HashedPart.Length;
        hash.AppendData([(byte)Version, 0xFF, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
        return hash.GetHashAndReset();
    }

    /// A text signature (type 0x01) covers the data with line endings made CRLF (RFC 4880 §5.2.1).
    public static byte[] Canonical(byte[] data)
    {
        using var s = new MemoryStream(data.Length + data.Length / 32);
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) s.WriteByte((byte)'\r');
            s.WriteByte(data[i]);
        }
        return s.ToArray();
    }
}
