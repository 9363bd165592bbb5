// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Hygiene.Commits.Ssh;

/// An SSH public key in wire form (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709): ssh-ed25519, ecdsa-sha2-nistp256/384/521
/// and ssh-rsa. Security-key (sk-…) and certificate types are recognised and reported as unsupported.
public sealed class SshPublicKey
{
    public required string Type { get; init; }
    public required byte[] Blob { get; init; }
    private byte[][] Parts { get; init; } = [];

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as ssh-keygen prints it.
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    /// Whether this library can check signatures by the key (false for sk- and certificate keys).
    public bool Supported => Type is "ssh-ed25519" or "ssh-rsa" or "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521";

    public bool SameKey(SshPublicKey other) => other is not null && Blob.AsSpan().SequenceEqual(other.Blob);

    public static SshPublicKey Parse(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var r = new WireReader(blob);
        var type = Encoding.ASCII.GetString(r.SshString());
        byte[][] parts;
        switch (type)
        {
            case "ssh-ed25519":
                parts = [r.SshString()];
                if (parts[0].Length != 32) throw new MalformedSignatureException("ssh-ed25519 key is not 32 bytes");
                break;
            case "ssh-rsa":
                parts = [r.SshString(), r.SshString()]; // e, n
                break;
            case "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521":
                var curve = Encoding.ASCII.GetString(r.SshString());
                if (type != "ecdsa-sha2-" + curve) throw new MalformedSignatureException($"{type} key names curve {curve}");
                parts = [r.SshString()];
                break;
            default:
                // sk-ssh-ed25519@openssh.com, sk-ecdsa-…, *-cert-v01@openssh.com: kept whole, never verified
                return new SshPublicKey { Type = type, Blob = blob };
        }
        if (r.HasData) throw new MalformedSignatureException($"trailing data after the {type} key");
        return new SshPublicKey { Type = type, Blob = blob, Parts = parts };
    }

    public string Description => Type switch
    {
        "ssh-ed25519" => "Ed25519",
        "ssh-rsa" => $"RSA {Unsigned(Parts[1]).Length * 8}",
        "ecdsa-sha2-nistp256" => "ECDSA P-256",
        "ecdsa-sha2-nistp384" => "ECDSA P-384",
        "ecdsa-sha2-nistp521" => "ECDSA P-521",
        _ => Type,
    };

    /// Checks an SSH signature blob (`string type, string value`) over data. False means wrong; key or signature
    /// types we cannot or will not check throw <see cref="UnsupportedSignatureException"/>.
    public bool Verify(byte[] signatureBlob, byte[] data)
    {
        if (!Supported) throw new UnsupportedSignatureException($"{Type} keys are not supported (ssh-ed25519, ecdsa-sha2-nistp256/384/521 and RSA are)");
        var r = new WireReader(signatureBlob);
        var sigType = Encoding.ASCII.GetString(r.SshString());
        var value = r.SshString();
        if (r.HasData) return false;
        switch (Type)
        {
            case "ssh-ed25519":
                return sigType == "ssh-ed25519" && value.Length == 64
                    && Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(value, 0, Parts[0], 0, data, 0, data.Length);
            case "ssh-rsa":
            {
                var hash = sigType switch
                {
                    "rsa-sha2-256" => HashAlgorithmName.SHA256,
                    "rsa-sha2-512" => HashAlgorithmName.SHA512,
                    "ssh-rsa" => throw new UnsupportedSignatureException("ssh-rsa signatures use SHA-1 and are not accepted (sign with rsa-sha2-256 or rsa-sha2-512)"),
                    _ => (HashAlgorithmName?)null,
                };
                if (hash is null) return false;
                var n = Unsigned(Parts[1]);
                if (n.Length * 8 < 2048) throw new UnsupportedSignatureException($"RSA key of {n.Length * 8} bits is too weak (2048 bits at least)");
                if (n.Length * 8 > 16384) throw new UnsupportedSignatureException("RSA key larger than 16384 bits");
                if (value.Length != n.Length) return false;
                using var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = Unsigned(Parts[0]) });
                }
                catch (CryptographicException)
                {
                    throw new MalformedSignatureException("the RSA public key is malformed");
                }
                return rsa.VerifyData(data, value, hash.Value, RSASignaturePadding.Pkcs1);
            }
            default:
            {
                if (sigType != Type) return false;
                var (curve, size, hash) = Type switch
                {
                    "ecdsa-sha2-nistp256" => (ECCurve.NamedCurves.nistP256, 32, HashAlgorithmName.SHA256),
                    "ecdsa-sha2-nistp384" => (ECCurve.NamedCurves.nistP384, 48, HashAlgorithmName.SHA384),
                    _ => (ECCurve.NamedCurves.nistP521, 66, HashAlgorithmName.SHA512),
                };
                var point = Parts[0];
                if (point.Length != 1 + 2 * size || point[0] != 0x04) throw new MalformedSignatureException("ECDSA key is not an uncompressed point");
                // RFC 5656 §3.1.2: the value is string(mpint r, mpint s)
                var sr = new WireReader(value);
                var rr = Unsigned(sr.SshString());
                var ss = Unsigned(sr.SshString());
                if (sr.HasData || rr.Length > size || ss.Length > size) return false;
                var raw = new byte[2 * size];
                rr.CopyTo(raw, size - rr.Length);
                ss.CopyTo(raw, 2 * size - ss.Length);
                using var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportParameters(new ECParameters { Curve = curve, Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] } });
                }
                catch (CryptographicException)
                {
                    throw new MalformedSignatureException("the ECDSA key is not a point on its curve");
                }
                return ecdsa.VerifyData(data, raw, hash);
            }
        }
    }

    // an SSH mpint is two's complement: a leading zero keeps a high bit from meaning negative
    private static byte[] Unsigned(byte[] mpint) => mpint.AsSpan().TrimStart((byte)0).ToArray();
}
