// SPDX-License-Identifier: Apache-2.0
using System.Formats.Asn1;
using System.Security.Cryptography;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Cosign;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032;

namespace Bulwark.Signing.Keys;

/// A private key that signs: ECDSA and RSA sign a digest, Ed25519 the whole message. PKCS#11 and Vault keys
/// (Keys/Pkcs11, Keys/Vault) sign a digest without the key material ever leaving the token or the server.
public abstract class SigningKey : IDisposable
{
    /// The matching public key.
    public abstract VerificationKey PublicKey { get; }

    /// Whether the scheme signs a digest (ECDSA, RSA) rather than the message (Ed25519).
    public virtual bool SignsDigest => true;

    /// Signs a digest made with the given algorithm. ECDSA signatures are ASN.1 DER, RSA ones PKCS#1 v1.5.
    public abstract byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm);

    /// Signs a whole message; digest schemes stream it through SHA-256, as `cosign sign-blob` does.
    public virtual byte[] SignMessage(Stream message, CancellationToken ct = default) =>
        SignDigest(ContentDigest.Compute(message, HashAlgorithmName.SHA256, ct), HashAlgorithmName.SHA256);

    /// A new ECDSA P-256 key, Cosign's default.
    public static EcdsaSigningKey GenerateEcdsaP256() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), KeyAlgorithm.EcdsaP256);

    /// Reads a private key PEM: Cosign's encrypted key, PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#1
    /// ("RSA PRIVATE KEY"). The password is asked for only when the key is encrypted.
    public static SigningKey FromPem(string text, string source, Func<string> password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var block = PemBlock.ReadFirst(text, source);
        try
        {
            switch (block.Label)
            {
                case CosignEncryptedKey.Label or CosignEncryptedKey.LegacyLabel:
                {
                    var pkcs8 = CosignEncryptedKey.Decrypt(block.Data, password(), source);
                    try
                    {
                        return FromPkcs8(pkcs8, source);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(pkcs8);
                    }
                }
                case "PRIVATE KEY":
                    return FromPkcs8(block.Data, source);
                case "ENCRYPTED PRIVATE KEY":
                    throw new InputException($"Cannot read private key {source}: password-protected PKCS#8 is not supported. Decrypt it " +
                                             "('openssl pkcs8 -in KEY -out plain.key') or use a Cosign encrypted key.");
                case "EC PRIVATE KEY":
                    return EcdsaSigningKey.Wrap(Imported(ECDsa.Create(), k => k.ImportECPrivateKey(block.Data, out _)), source);
                case "RSA PRIVATE KEY":
                    return RsaSigningKey.Create(Imported(RSA.Create(), k => k.ImportRSAPrivateKey(block.Data, out _)), source);
                case "PUBLIC KEY" or "RSA PUBLIC KEY":
                    throw new InputException($"Cannot sign with {source}: it is a public key. Give the private key (e.g. cosign.key from 'bulwark key generate').");
                default:
                    throw new InputException($"Cannot read key {source}: PEM block '{block.Label}' is not a private key " +
                                             $"(expected {CosignEncryptedKey.Label}, PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY).");
            }
        }
        // an EC key on a curve the platform does not know (any OID can be written) is PlatformNotSupportedException
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new InputException($"Cannot read private key {source} ({block.Label}): {e.Message}", e);
        }

    }

    /// Reads a PKCS#8 PrivateKeyInfo (RFC 5208) of an EC, RSA or Ed25519 key.
    public static SigningKey FromPkcs8(byte[] der, string source)
    {
        ArgumentNullException.ThrowIfNull(der);
        string algorithm;
        byte[] privateKey;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            var algorithmId = info.ReadSequence();
            algorithm = algorithmId.ReadObjectIdentifier();
            privateKey = info.ReadOctetString();
        }
        catch (AsnContentException e)
        {
            throw new InputException($"Cannot read private key {source}: not a PKCS#8 PrivateKeyInfo ({e.Message}).", e);
        }
        try
        {
            switch (algorithm)
            {
                case KeyOids.EcPublicKey:
                    return EcdsaSigningKey.Wrap(Imported(ECDsa.Create(), k => k.ImportPkcs8PrivateKey(der, out _)), source);
                case KeyOids.Rsa:
                    return RsaSigningKey.Create(Imported(RSA.Create(), k => k.ImportPkcs8PrivateKey(der, out _)), source);
                case KeyOids.Ed25519:
                {
                    // RFC 8410 §7: the privateKey OCTET STRING holds a CurvePrivateKey, itself an OCTET STRING of the 32-byte seed
                    try
                    {
                        var seed = new AsnReader(privateKey, AsnEncodingRules.DER).ReadOctetString();
                        if (seed.Length != Rfc8032.Ed25519.SecretKeySize) throw new AsnContentException($"{seed.Length}-byte seed");
                        return new Ed25519SigningKey(seed);
                    }
                    catch (AsnContentException e)
                    {
                        throw new InputException($"Cannot read Ed25519 private key {source}: {e.Message}.", e);
                    }
                }
                default:
                    throw new InputException($"Cannot use private key {source}: key algorithm {algorithm} is not supported (ECDSA, RSA and Ed25519 are).");
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new InputException($"Cannot read private key {source}: {e.Message}", e);
        }
    }

    /// A key object with material imported into it, disposed when the import fails.
    private static T Imported<T>(T key, Action<T> import) where T : AsymmetricAlgorithm
    {
        try
        {
            import(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
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

/// An ECDSA private key (P-256, P-384 or P-521).
public sealed class EcdsaSigningKey : SigningKey
{
    private readonly ECDsa _key;
    private readonly EcdsaVerificationKey _public;

    internal EcdsaSigningKey(ECDsa key, KeyAlgorithm algorithm)
    {
        _key = key;
        var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        _public = new EcdsaVerificationKey(publicKey, algorithm);
    }

    internal static EcdsaSigningKey Wrap(ECDsa key, string source)
    {
        var curve = key.ExportParameters(false).Curve;
        var oid = curve.Oid?.Value ?? curve.Oid?.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" => KeyOids.P256,
            "nistP384" or "ECDSA_P384" => KeyOids.P384,
            "nistP521" or "ECDSA_P521" => KeyOids.P521,
            _ => "",
        };
        KeyAlgorithm algorithm;
        try
        {
            algorithm = EcdsaVerificationKey.CurveOf(oid ?? "", source);
        }
        catch (InputException)
        {
            key.Dispose();
            throw;
        }
        return new EcdsaSigningKey(key, algorithm);
    }

    public override VerificationKey PublicKey => _public;

    public override byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm) =>
        _key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);

    /// The key as PKCS#8 DER, the plaintext of Cosign's encrypted key.
    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// An RSA private key; signs with PKCS#1 v1.5.
public sealed class RsaSigningKey : SigningKey
{
    private readonly RSA _key;
    private readonly RsaVerificationKey _public;

    private RsaSigningKey(RSA key, RsaVerificationKey publicKey)
    {
        _key = key;
        _public = publicKey;
    }

    /// Refuses keys outside the sizes verification accepts, so nothing is signed that could not be verified.
    internal static RsaSigningKey Create(RSA key, string source)
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        try
        {
            return new RsaSigningKey(key, RsaVerificationKey.Checked(publicKey, source));
        }
        catch (InputException)
        {
            key.Dispose();
            throw;
        }
    }

    public override VerificationKey PublicKey => _public;

    public override byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm) =>
        _key.SignHash(digest.ToArray(), algorithm, RSASignaturePadding.Pkcs1);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// An Ed25519 private key; signs the whole message (held in memory up to <see cref="VerificationKey.MaxEd25519MessageBytes"/>).
public sealed class Ed25519SigningKey : SigningKey
{
    private readonly byte[] _seed;
    private readonly Ed25519VerificationKey _public;

    internal Ed25519SigningKey(byte[] seed)
    {
        _seed = seed;
        var key = new byte[Rfc8032.Ed25519.PublicKeySize];
        Rfc8032.Ed25519.GeneratePublicKey(seed, 0, key, 0);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence()) writer.WriteObjectIdentifier(KeyOids.Ed25519);
            writer.WriteBitString(key);
        }
        _public = new Ed25519VerificationKey(writer.Encode(), key);
    }

    public override VerificationKey PublicKey => _public;

    public override bool SignsDigest => false;

    public override byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm) =>
        throw new NotSupportedException("Ed25519 signs the whole message, not a digest: call SignMessage.");

    public override byte[] SignMessage(Stream message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = message.Read(chunk, 0, chunk.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (buffer.Length + read > VerificationKey.MaxEd25519MessageBytes) throw new MessageTooLargeException(VerificationKey.MaxEd25519MessageBytes);
            buffer.Write(chunk, 0, read);
        }
        var signature = new byte[Rfc8032.Ed25519.SignatureSize];
        Rfc8032.Ed25519.Sign(_seed, 0, buffer.GetBuffer(), 0, (int)buffer.Length, signature, 0);
        return signature;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_seed);
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}
