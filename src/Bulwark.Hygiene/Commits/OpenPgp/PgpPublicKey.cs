// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;

namespace Bulwark.Hygiene.Commits.OpenPgp;

/// A version 4 or 6 OpenPGP public key or subkey packet (RFC 4880 §5.5.2, RFC 9580 §5.5.2) and the signature check for its algorithm:
/// RSA (PKCS#1 v1.5), ECDSA on NIST P-256/384/521, EdDSA on Ed25519 (legacy algorithm 22 and RFC 9580 algorithm 27).
internal sealed class PgpPublicKey
{
    public const int AlgRsa = 1, AlgRsaSignOnly = 3, AlgEcdsa = 19, AlgEdDsaLegacy = 22, AlgEd25519 = 27;

    private static readonly byte[] OidP256 = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    private static readonly byte[] OidP384 = [0x2B, 0x81, 0x04, 0x00, 0x22];
    private static readonly byte[] OidP521 = [0x2B, 0x81, 0x04, 0x00, 0x23];
    private static readonly byte[] OidEd25519Legacy = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];

    public required int Version { get; init; }
    public required byte[] Body { get; init; }
    public required int Algorithm { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required byte[] Fingerprint { get; init; }
    /// v4: the low 64 bits of the fingerprint (RFC 4880 §12.2); v6: the high 64 bits (RFC 9580 §5.5.4.3).
    public ulong KeyId => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(Fingerprint.AsSpan(Version == 4 ? 12 : 0, 8));
    public string FingerprintHex => Convert.ToHexString(Fingerprint);
    /// Algorithm-specific public values: RSA [n, e]; ECDSA/EdDSA [oid, point]; Ed25519 [key].
    private byte[][] Material { get; init; } = [];

    /// Parses a key packet body: version 4 (RFC 4880 §5.5.2) or 6 (RFC 9580 §5.5.2.3); null for others (v5).
    public static PgpPublicKey? Parse(byte[] body)
    {
        var outer = new WireReader(body);
        var version = outer.Byte();
        if (version is not (4 or 6)) return null;
        var created = DateTimeOffset.FromUnixTimeSeconds(outer.UInt32());
        var algorithm = outer.Byte();
        var r = outer;
        if (version == 6)
        {
            // v6 states the length of the key material, which must fill the rest of the packet
            var length = outer.UInt32();
            if (length != (uint)outer.Remaining) throw new MalformedSignatureException("v6 key material length does not match the packet");
            r = new WireReader(body, outer.Position, body.Length);
        }
        byte[][] material = algorithm switch
        {
            AlgRsa or 2 or AlgRsaSignOnly => [r.Mpi(), r.Mpi()],
            AlgEcdsa => [Oid(r), r.Mpi()],
            AlgEdDsaLegacy when version == 4 => [Oid(r), r.Mpi()], // RFC 9580 §5.5.5.5: never in a v6 key
            AlgEd25519 => [r.Bytes(32)],
            _ => [], // ECDH, X25519, Elgamal, DSA, …: kept (the fingerprint covers the whole body) but cannot verify
        };
        // v4: SHA-1 over 0x99 ‖ 2-octet length ‖ body; v6: SHA-256 over 0x9B ‖ 4-octet length ‖ body (RFC 9580 §5.5.4)
        var fingerprint = version == 4
            ? SHA1.HashData([0x99, (byte)(body.Length >> 8), (byte)body.Length, .. body])
            : SHA256.HashData([0x9B, (byte)(body.Length >> 24), (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body]);
        return new PgpPublicKey { Version = version, Body = body, Algorithm = algorithm, Created = created, Fingerprint = fingerprint, Material = material };
    }

    private static byte[] Oid(WireReader r)
    {
        var length = r.Byte();
        if (length is 0 or 0xFF) throw new MalformedSignatureException("reserved curve OID length");
        return r.Bytes(length);
    }

    /// The bytes that put this key into a signature's hash (RFC 9580 §5.2.4): v4 0x99 and a two-octet length, v6 0x9B
    /// and a four-octet length, then the body.
    public byte[] HashPrefix() => Version == 4
        ? [0x99, (byte)(Body.Length >> 8), (byte)Body.Length, .. Body]
        : [0x9B, (byte)(Body.Length >> 24), (byte)(Body.Length >> 16), (byte)(Body.Length >> 8), (byte)Body.Length, .. Body];

    public string Description => Algorithm switch
    {
        AlgRsa or 2 or AlgRsaSignOnly => $"RSA {Material[0].Length * 8}",
        AlgEcdsa => $"ECDSA {CurveName(Material[0])}",
        AlgEdDsaLegacy or AlgEd25519 => "Ed25519",
        _ => $"algorithm {Algorithm}",
    };

    private static string CurveName(byte[] oid) =>
        oid.AsSpan().SequenceEqual(OidP256) ? "P-256" : oid.AsSpan().SequenceEqual(OidP384) ? "P-384"
        : oid.AsSpan().SequenceEqual(OidP521) ? "P-521" : "unknown curve";

    /// Checks a signature's values over a digest. False means the signature is wrong; algorithms and curves this
    /// key cannot check throw <see cref="UnsupportedSignatureException"/>.
    public bool Verify(PgpSignature signature, byte[] digest)
    {
        if (signature.PublicKeyAlgorithm != Algorithm
            && !(Algorithm is AlgRsa or AlgRsaSignOnly && signature.PublicKeyAlgorithm is AlgRsa or AlgRsaSignOnly))
            return false;
        if (digest.Length < 2 || digest[0] != signature.Left16[0] || digest[1] != signature.Left16[1]) return false;
        // a v6 key makes only v6 signatures, a v4 key only v4 ones (RFC 9580 §5.2.3)
        if ((signature.Version == 6) != (Version == 6)) return false;
        var name = PgpSignature.HashName(signature.HashAlgorithm)!.Value;
        switch (Algorithm)
        {
            case AlgRsa or AlgRsaSignOnly:
            {
                if (signature.Mpis.Length != 1) return false;
                var n = Material[0];
                if (n.Length * 8 < 2048) throw new UnsupportedSignatureException($"RSA key of {n.Length * 8} bits is too weak (2048 bits at least)");
                if (n.Length * 8 > 16384) throw new UnsupportedSignatureException("RSA key larger than 16384 bits");
                var s = signature.Mpis[0];
                if (s.Length > n.Length) return false;
                var padded = new byte[n.Length];
                s.CopyTo(padded, n.Length - s.Length);
                using var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = Material[1] });
                }
                catch (CryptographicException)
                {
                    throw new MalformedSignatureException("the RSA public key is malformed");
                }
                return rsa.VerifyHash(digest, padded, name, RSASignaturePadding.Pkcs1);
            }
            case AlgEcdsa:
            {
                if (signature.Mpis.Length != 2) return false;
                var (curve, size) = Material[0] switch
                {
                    var o when o.AsSpan().SequenceEqual(OidP256) => (ECCurve.NamedCurves.nistP256, 32),
                    var o when o.AsSpan().SequenceEqual(OidP384) => (ECCurve.NamedCurves.nistP384, 48),
                    var o when o.AsSpan().SequenceEqual(OidP521) => (ECCurve.NamedCurves.nistP521, 66),
                    _ => throw new UnsupportedSignatureException($"ECDSA curve {Convert.ToHexString(Material[0])} is not supported (NIST P-256/384/521 are)"),
                };
                var point = Material[1];
                if (point.Length != 1 + 2 * size || point[0] != 0x04) throw new MalformedSignatureException("ECDSA public key is not an uncompressed point");
                var raw = new byte[2 * size];
                if (!PadInto(signature.Mpis[0], raw.AsSpan(0, size)) || !PadInto(signature.Mpis[1], raw.AsSpan(size, size))) return false;
                using var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportParameters(new ECParameters { Curve = curve, Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] } });
                }
                catch (CryptographicException)
                {
                    throw new MalformedSignatureException("the ECDSA public key is not a point on its curve");
                }
                return ecdsa.VerifyHash(digest, raw);
            }
            case AlgEdDsaLegacy:
            {
                if (!Material[0].AsSpan().SequenceEqual(OidEd25519Legacy))
                    throw new UnsupportedSignatureException("EdDSA on a curve other than Ed25519 is not supported");
                var point = Material[1];
                // RFC 9580 §11.2.2: the legacy EdDSA point is 0x40 followed by the 32-octet native key
                if (point.Length != 33 || point[0] != 0x40) throw new MalformedSignatureException("EdDSA public key is not a 0x40-prefixed Ed25519 point");
                if (signature.Mpis.Length != 2) return false;
                var raw = new byte[64];
                if (!PadInto(signature.Mpis[0], raw.AsSpan(0, 32)) || !PadInto(signature.Mpis[1], raw.AsSpan(32, 32))) return false;
                return Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(raw, 0, point[1..], 0, digest, 0, digest.Length);
            }
            case AlgEd25519:
                return signature.Mpis.Length == 1 && signature.Mpis[0].Length == 64
                    && Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(signature.Mpis[0], 0, Material[0], 0, digest, 0, digest.Length);
            default:
                throw new UnsupportedSignatureException($"OpenPGP public-key algorithm {Algorithm} cannot sign (or is not supported: RSA, ECDSA and EdDSA are)");
        }
    }

    // an MPI has its leading zeros stripped: put it back at its fixed width
    private static bool PadInto(byte[] value, Span<byte> target)
    {
        var v = value.AsSpan().TrimStart((byte)0);
        if (v.Length > target.Length) return false;
        target.Clear();
        v.CopyTo(target[(target.Length - v.Length)..]);
        return true;
    }
}
