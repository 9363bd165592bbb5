// SPDX-License-Identifier: Apache-2.0
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Cosign;

namespace Bulwark.Signing.Keys;

/// A public key that checks signatures: ECDSA (P-256/384/521), RSA PKCS#1 v1.5 or Ed25519.
public abstract class VerificationKey : IDisposable
{
    /// Pure Ed25519 hashes the message twice with the signature's R in front, so the message is held in memory; above
    /// this size verification is refused rather than allocating without bound.
    public const long MaxEd25519MessageBytes = 256L << 20;

    private protected VerificationKey(byte[] subjectPublicKeyInfo) => SubjectPublicKeyInfo = subjectPublicKeyInfo;

    /// The DER SubjectPublicKeyInfo (PKIX, RFC 5280 §4.1.2.7).
    public byte[] SubjectPublicKeyInfo { get; }

    public abstract KeyAlgorithm Algorithm { get; }

    /// For messages: "ECDSA P-256", "RSA 3072", "Ed25519".
    public abstract string Description { get; }

    /// Whether the scheme signs a digest of the message (ECDSA, RSA) rather than the message itself (Ed25519).
    public virtual bool SignsDigest => true;

    /// The Sigstore bundle's public-key hint: base64 of SHA-256 over the DER SubjectPublicKeyInfo.
    public string Hint => Convert.ToBase64String(SHA256.HashData(SubjectPublicKeyInfo));

    /// The key as PKIX PEM ("PUBLIC KEY"), as `cosign public-key` prints it.
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo) + "\n";

    /// Checks a signature over a digest made with the given algorithm; false for any malformed signature.
    public abstract bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm, ReadOnlySpan<byte> signature);

    /// Checks a signature over a whole message, streamed for digest schemes.
    public virtual bool VerifyMessage(Stream message, ReadOnlySpan<byte> signature, CancellationToken ct = default) =>
        VerifyDigest(ContentDigest.Compute(message, HashAlgorithmName.SHA256, ct), HashAlgorithmName.SHA256, signature);

    /// Reads a public key from PEM: PKIX "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY", or the key of a "CERTIFICATE".
    public static VerificationKey FromPem(string text, string source)
    {
        var block = PemBlock.ReadFirst(text, source);
        return block.Label switch
        {
            "PUBLIC KEY" => FromSubjectPublicKeyInfo(block.Data, source),
            "RSA PUBLIC KEY" => FromRsaPublicKey(block.Data, source),
            "CERTIFICATE" => FromCertificate(block.Data, source),
            "PRIVATE KEY" or "EC PRIVATE KEY" or "RSA PRIVATE KEY" or "ENCRYPTED PRIVATE KEY"
                or CosignEncryptedKey.Label or CosignEncryptedKey.LegacyLabel =>
                throw new InputException($"Cannot use key {source} for verification: it is a private key ({block.Label}). " +
                                         "Pass the public key instead; 'bulwark key public --key <private key>' prints it."),
            _ => throw new InputException($"Cannot read key {source}: PEM block '{block.Label}' is not a public key (expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)."),
        };
    }

    /// Reads a DER SubjectPublicKeyInfo of an EC, RSA or Ed25519 key.
    public static VerificationKey FromSubjectPublicKeyInfo(byte[] der, string source)
    {
        ArgumentNullException.ThrowIfNull(der);
        string algorithm, parameters = "";
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            var algorithmId = spki.ReadSequence();
            algorithm = algorithmId.ReadObjectIdentifier();
            if (algorithmId.HasData && algorithmId.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                parameters = algorithmId.ReadObjectIdentifier();
            if (algorithm == KeyOids.Ed25519)
            {
                var key = spki.ReadBitString(out var unused);
                if (unused != 0 || key.Length != 32 || spki.HasData || reader.HasData) throw new AsnContentException("bad Ed25519 key");
                return new Ed25519VerificationKey(der, key);
            }
        }
        catch (AsnContentException e)
        {
            throw new InputException($"Cannot read key {source}: the PUBLIC KEY block is not valid DER SubjectPublicKeyInfo ({e.Message}).", e);
        }
        try
        {
            switch (algorithm)
            {
                case KeyOids.EcPublicKey:
                {
                    // the curve first: an unsupported one is refused by name before the platform is asked to import it
                    var curve = EcdsaVerificationKey.CurveOf(parameters, source);
                    var ecdsa = ECDsa.Create();
                    try
                    {
                        ecdsa.ImportSubjectPublicKeyInfo(der, out _);
                    }
                    catch
                    {
                        ecdsa.Dispose();
                        throw;
                    }
                    return new EcdsaVerificationKey(ecdsa, curve);
                }
                case KeyOids.Rsa:
                {
                    var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(der, out _);
                    return RsaVerificationKey.Checked(rsa, source);
                }
                default:
                    throw new InputException($"Cannot use key {source}: key algorithm {algorithm} is not supported (ECDSA, RSA and Ed25519 are).");
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new InputException($"Cannot read key {source}: {e.Message}", e);
        }
    }

    private static RsaVerificationKey FromRsaPublicKey(byte[] pkcs1, string source)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(pkcs1, out _);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new InputException($"Cannot read key {source}: the RSA PUBLIC KEY block is not a PKCS#1 RSAPublicKey ({e.Message}).", e);
        }
        return RsaVerificationKey.Checked(rsa, source);
    }

    private static VerificationKey FromCertificate(byte[] der, string source)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return FromSubjectPublicKeyInfo(certificate.PublicKey.ExportSubjectPublicKeyInfo(), source);
        }
        catch (CryptographicException e)
        {
            throw new InputException($"Cannot read certificate {source}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// An ECDSA public key; signatures are ASN.1 DER (r, s) sequences, as Cosign writes them.
public sealed class EcdsaVerificationKey : VerificationKey
{
    private readonly ECDsa _key;

    internal EcdsaVerificationKey(ECDsa key, KeyAlgorithm algorithm) : base(key.ExportSubjectPublicKeyInfo())
    {
        _key = key;
        Algorithm = algorithm;
    }

    public override KeyAlgorithm Algorithm { get; }

    public override string Description => Algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "ECDSA P-256",
        KeyAlgorithm.EcdsaP384 => "ECDSA P-384",
        _ => "ECDSA P-521",
    };

    public override bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // a signature that is not a DER sequence of two integers is simply not a valid signature
            return false;
        }
    }

    internal static KeyAlgorithm CurveOf(string oid, string source) => oid switch
    {
        KeyOids.P256 => KeyAlgorithm.EcdsaP256,
        KeyOids.P384 => KeyAlgorithm.EcdsaP384,
        KeyOids.P521 => KeyAlgorithm.EcdsaP521,
        _ => throw new InputException($"Cannot use key {source}: elliptic curve '{oid}' is not supported (P-256, P-384 and P-521 are)."),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing) _key.Dispose();
        base.Dispose(disposing);
    }
}

/// An RSA public key; signatures are PKCS#1 v1.5 (RFC 8017 §8.2), as Cosign verifies RSA keys.
public sealed class RsaVerificationKey : VerificationKey
{
    private readonly RSA _key;

    /// Below 2048 bits RSA is breakable (NIST SP 800-131A); above 16384 bits each check costs seconds, which a hostile
    /// key could use to stall verification.
    public const int MinBits = 2048, MaxBits = 16384;

    internal RsaVerificationKey(RSA key) : base(key.ExportSubjectPublicKeyInfo()) => _key = key;

    internal static RsaVerificationKey Checked(RSA key, string source)
    {
        if (key.KeySize is >= MinBits and <= MaxBits) return new RsaVerificationKey(key);
        var bits = key.KeySize;
        key.Dispose();
        throw new InputException($"Cannot use key {source}: a {bits}-bit RSA key is outside the accepted {MinBits}–{MaxBits} bits.");
    }

    public override KeyAlgorithm Algorithm => KeyAlgorithm.Rsa;

    public override string Description => $"RSA {_key.KeySize}";

    public override bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _key.VerifyHash(digest, signature, algorithm, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _key.Dispose();
        base.Dispose(disposing);
    }
}

/// An Ed25519 public key (RFC 8410); it verifies the whole message, not a digest.
public sealed class Ed25519VerificationKey : VerificationKey
{
    private readonly byte[] _key;

    internal Ed25519VerificationKey(byte[] subjectPublicKeyInfo, byte[] key) : base(subjectPublicKeyInfo) => _key = key;

    public override KeyAlgorithm Algorithm => KeyAlgorithm.Ed25519;

    public override string Description => "Ed25519";

    public override bool SignsDigest => false;

    /// Ed25519 signs messages, never digests: a digest-only check (e.g. a bundle's message digest) cannot be done.
    public override bool VerifyDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm, ReadOnlySpan<byte> signature) =>
        throw new NotSupportedException("Ed25519 verifies the whole message, not a digest: call VerifyMessage.");

    public override bool VerifyMessage(Stream message, ReadOnlySpan<byte> signature, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (signature.Length != Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.SignatureSize) return false;
        if (message.CanSeek && message.Length > MaxEd25519MessageBytes) throw new MessageTooLargeException(MaxEd25519MessageBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = message.Read(chunk, 0, chunk.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (buffer.Length + read > MaxEd25519MessageBytes) throw new MessageTooLargeException(MaxEd25519MessageBytes);
            buffer.Write(chunk, 0, read);
        }
        return Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(signature.ToArray(), 0, _key, 0, buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// A message too large for a scheme that must hold it whole (pure Ed25519).
public sealed class MessageTooLargeException(long limit)
    : Exception($"Ed25519 signatures cover the whole message, and Bulwark verifies them only for messages up to {limit >> 20} MiB.")
{
    public long Limit { get; } = limit;
}
