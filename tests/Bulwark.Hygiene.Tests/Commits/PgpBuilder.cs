// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using Ed = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Bulwark.Hygiene.Tests.Commits;

/// Builds OpenPGP v4 Ed25519 keys and signatures packet by packet (RFC 4880, RFC 9580), for the cases gpg will not
/// make on request: RFC 9580 Ed25519 keys (algorithm 27), text signatures, signatures dated before their key,
/// superseded keys, subkeys without a back-signature, critical unknown subpackets, SHA-1 digests.
public sealed class PgpBuilder
{
    public sealed class Key
    {
        public required byte[] Secret { get; init; }
        public required byte[] Body { get; init; }
        public required int Algorithm { get; init; }
        public int Version => Body[0];
        public byte[] Fingerprint => Version == 4 ? SHA1.HashData(Prefix) : SHA256.HashData(Prefix);
        public byte[] Prefix => Version == 4 ? [0x99, (byte)(Body.Length >> 8), (byte)Body.Length, .. Body] : [0x9B, .. BigEndian((uint)Body.Length), .. Body];
        public string Hex => Convert.ToHexString(Fingerprint);
    }

    /// A new Ed25519 key created at <paramref name="created"/>: algorithm 27 (RFC 9580) or 22 (legacy EdDSA, 0x40 point).
    public static Key NewKey(DateTimeOffset created, int algorithm = 27, int version = 4)
    {
        var secret = new byte[32];
        RandomNumberGenerator.Fill(secret);
        var pk = new byte[32];
        Ed.GeneratePublicKey(secret, 0, pk, 0);
        byte[] material = algorithm == 27
            ? pk
            : [9, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01, 0x01, 0x07, 0x40, .. pk];
        byte[] body = version == 4
            ? [4, .. BigEndian((uint)created.ToUnixTimeSeconds()), (byte)algorithm, .. material]
            : [6, .. BigEndian((uint)created.ToUnixTimeSeconds()), (byte)algorithm, .. BigEndian((uint)material.Length), .. material];
        return new Key { Secret = secret, Algorithm = algorithm, Body = body };
    }

    /// A signature packet body by <paramref name="signer"/> over the prefix parts.
    public static byte[] Sign(Key signer, int type, DateTimeOffset created, byte[][] prefix, int hash = 8, byte[][]? extraHashed = null, byte[][]? unhashed = null,
        int? version = null)
    {
        var v = version ?? signer.Version;
        List<byte[]> subpackets = [Subpacket(2, BigEndian((uint)created.ToUnixTimeSeconds())), Subpacket(33, [(byte)signer.Version, .. signer.Fingerprint]), .. extraHashed ?? []];
        var hashedArea = subpackets.SelectMany(p => p).ToArray();
        var unhashedArea = (unhashed ?? []).SelectMany(p => p).ToArray();
        byte[] hashedPart = v == 4
            ? [4, (byte)type, (byte)signer.Algorithm, (byte)hash, (byte)(hashedArea.Length >> 8), (byte)hashedArea.Length, .. hashedArea]
            : [6, (byte)type, (byte)signer.Algorithm, (byte)hash, .. BigEndian((uint)hashedArea.Length), .. hashedArea];
        var salt = v == 6 ? RandomNumberGenerator.GetBytes(16) : [];
        using var h = IncrementalHash.CreateHash(hash == 2 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256);
        h.AppendData(salt);
        foreach (var p in prefix) h.AppendData(p);
        h.AppendData(hashedPart);
        h.AppendData([(byte)v, 0xFF, .. BigEndian((uint)hashedPart.Length)]);
        var digest = h.GetHashAndReset();
        var sig = new byte[64];
        Ed.Sign(signer.Secret, 0, digest, 0, digest.Length, sig, 0);
        byte[] values = signer.Algorithm == 27 ? sig : [.. Mpi(sig[..32]), .. Mpi(sig[32..])];
        byte[] unhashedLength = v == 4 ? [(byte)(unhashedArea.Length >> 8), (byte)unhashedArea.Length] : BigEndian((uint)unhashedArea.Length);
        byte[] saltField = v == 6 ? [(byte)salt.Length, .. salt] : [];
        return [.. hashedPart, .. unhashedLength, .. unhashedArea, digest[0], digest[1], .. saltField, .. values];
    }

    public static byte[] Subpacket(int type, byte[] data) => [(byte)(data.Length + 1), (byte)type, .. data];

    public static byte[] UidPrefix(string uid)
    {
        var bytes = Encoding.UTF8.GetBytes(uid);
        return [0xB4, .. BigEndian((uint)bytes.Length), .. bytes];
    }

    public static byte[] Packet(int tag, byte[] body)
    {
        if (body.Length < 192) return [(byte)(0xC0 | tag), (byte)body.Length, .. body];
        var l = body.Length - 192;
        return [(byte)(0xC0 | tag), (byte)((l >> 8) + 192), (byte)l, .. body];
    }

    public static string Armor(string label, byte[] data)
    {
        var crc = Bulwark.Hygiene.Commits.OpenPgp.PgpArmor.Crc24(data);
        var b64 = Convert.ToBase64String(data);
        var lines = Enumerable.Range(0, (b64.Length + 63) / 64).Select(i => b64.Substring(i * 64, Math.Min(64, b64.Length - i * 64)));
        return $"-----BEGIN PGP {label}-----\n\n{string.Join('\n', lines)}\n={Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])}\n-----END PGP {label}-----\n";
    }

    public static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    private static byte[] Mpi(byte[] value)
    {
        var v = value.AsSpan().TrimStart((byte)0).ToArray();
        var bits = v.Length == 0 ? 0 : (v.Length - 1) * 8 + (8 - byte.LeadingZeroCount(v[0]));
        return [(byte)(bits >> 8), (byte)bits, .. v];
    }
}
