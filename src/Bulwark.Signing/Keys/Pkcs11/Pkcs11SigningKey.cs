// SPDX-License-Identifier: Apache-2.0
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Signing.Keys.Pkcs11;

/// A private key on a PKCS#11 token: the token signs, the key never leaves it. The public key is read from the token's
/// public-key object with the same CKA_ID (else the same label).
public sealed class Pkcs11SigningKey : SigningKey
{
    private const nuint CkmRsaPkcs = 0x1, CkmEcdsa = 0x1041;

    // RFC 8017 §9.2 note 1: the DER DigestInfo prefixes. CKM_RSA_PKCS over DigestInfo(SHA-256, digest) is the same
    // signature CKM_SHA256_RSA_PKCS makes over the message, without streaming the message through the token.
    private static readonly byte[] Sha256DigestInfo = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] Sha384DigestInfo = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] Sha512DigestInfo = Convert.FromHexString("3051300d060960864801650304020305000440");

    private readonly Pkcs11Token _token;
    private readonly nuint _privateKey;
    private readonly VerificationKey _public;
    private readonly Lock _signing = new();

    private Pkcs11SigningKey(Pkcs11Token token, nuint privateKey, VerificationKey publicKey)
    {
        _token = token;
        _privateKey = privateKey;
        _public = publicKey;
    }

    /// Opens the key a PKCS#11 URI names; an <see cref="InputException"/> (module, token, PIN or object) names the URI with the PIN redacted.
    public static Pkcs11SigningKey Open(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Type is { } type and not "private")
            throw new UsageException($"PKCS#11 URI '{uri.Redacted}' has type={type}: signing needs the private key (type=private, or no type).");
        var token = Pkcs11Token.Open(uri);
        try
        {
            var privateKey = token.FindKey(Pkcs11Token.CkoPrivateKey);
            var publicKey = token.ReadPublicKey(PublicObjectOf(token, privateKey));
            return new Pkcs11SigningKey(token, privateKey, publicKey);
        }
        catch
        {
            token.Dispose();
            throw;
        }
    }

    /// The public key a PKCS#11 URI names (its public-key object; no PIN needed unless the token hides public objects).
    public static VerificationKey OpenPublicKey(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var token = Pkcs11Token.Open(uri);
        if (uri.Type is "private") return token.ReadPublicKey(PublicObjectOf(token, token.FindKey(Pkcs11Token.CkoPrivateKey)));
        return token.ReadPublicKey(token.FindKey(Pkcs11Token.CkoPublicKey));
    }

    /// Creates an ECDSA P-256 key pair on the token (C_GenerateKeyPair, CKM_EC_KEY_PAIR_GEN) labelled with the URI's
    /// object= (and id= when given); the private key is sensitive and not extractable. Returns its public key.
    public static VerificationKey GenerateEcdsaP256(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Object is null) throw new UsageException($"PKCS#11 URI '{uri.Redacted}' names no label for the new key: add object=LABEL.");
        if (uri.Type is { } type) throw new UsageException($"PKCS#11 URI '{uri.Redacted}': drop type={type}; a key pair has both a public and a private key.");
        using var token = Pkcs11Token.Open(uri, readWrite: true);
        var existing = token.Find([(Pkcs11Token.CkaLabel, Encoding.UTF8.GetBytes(uri.Object))], 1);
        if (existing.Count > 0)
            throw new UsageException($"PKCS#11 token '{token.Info.Label}' already holds an object labelled '{uri.Object}' ({uri.Redacted}): choose another object= label.");
        var id = uri.Id ?? SHA256.HashData(Encoding.UTF8.GetBytes(uri.Object))[..8];
        var curve = new AsnWriter(AsnEncodingRules.DER);
        curve.WriteObjectIdentifier(KeyOids.P256);
        byte[] yes = [1], no = [0], label = Encoding.UTF8.GetBytes(uri.Object);
        (nuint, byte[])[] publicTemplate =
        [
            (Pkcs11Token.CkaToken, yes), (Pkcs11Token.CkaVerify, yes), (Pkcs11Token.CkaEcParams, curve.Encode()),
            (Pkcs11Token.CkaLabel, label), (Pkcs11Token.CkaId, id),
        ];
        (nuint, byte[])[] privateTemplate =
        [
            (Pkcs11Token.CkaToken, yes), (Pkcs11Token.CkaPrivate, yes), (Pkcs11Token.CkaSign, yes), (Pkcs11Token.CkaSensitive, yes),
            (Pkcs11Token.CkaExtractable, no), (Pkcs11Token.CkaLabel, label), (Pkcs11Token.CkaId, id),
        ];
        nuint publicKey;
        try
        {
            (publicKey, _) = token.Module.GenerateKeyPair(token.Session, 0x1040 /* CKM_EC_KEY_PAIR_GEN */, publicTemplate, privateTemplate);
        }
        catch (Pkcs11Exception e)
        {
            throw new InputException($"Cannot create a key pair on PKCS#11 token '{token.Info.Label}' ({uri.Redacted}): {e.Message} " +
                                     "Creating keys needs the user PIN (pin-value= or pin-source=).", e);
        }
        return token.ReadPublicKey(publicKey);
    }

    private static nuint PublicObjectOf(Pkcs11Token token, nuint privateKey)
    {
        var template = new List<(nuint, byte[])> { (Pkcs11Token.CkaClass, Pkcs11Token.Ulong(Pkcs11Token.CkoPublicKey)) };
        if (token.Attribute(privateKey, Pkcs11Token.CkaId) is { Length: > 0 } id) template.Add((Pkcs11Token.CkaId, id));
        else if (token.Attribute(privateKey, Pkcs11Token.CkaLabel) is { Length: > 0 } label) template.Add((Pkcs11Token.CkaLabel, label));
        else throw new InputException($"PKCS#11 private key {token.Uri.Redacted} has neither CKA_ID nor CKA_LABEL, so its public key cannot be found.");
        var found = token.Find(template, 2);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InputException($"PKCS#11 token '{token.Info.Label}' has no public-key object for {token.Uri.Redacted} (same CKA_ID): " +
                                          "import the public key too (softhsm2-util --import does), so the signature can be checked."),
            _ => throw new InputException($"PKCS#11 token '{token.Info.Label}' has several public keys with the id of {token.Uri.Redacted}: give the keys distinct ids."),
        };
    }

    public override VerificationKey PublicKey => _public;

    public override byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm)
    {
        lock (_signing)
        {
            try
            {
                switch (_public.Algorithm)
                {
                    case KeyAlgorithm.Rsa:
                    {
                        var prefix = algorithm.Name switch
                        {
                            "SHA256" => Sha256DigestInfo,
                            "SHA384" => Sha384DigestInfo,
                            "SHA512" => Sha512DigestInfo,
                            _ => throw new NotSupportedException($"PKCS#11 RSA keys sign SHA-256, SHA-384 or SHA-512 digests, not {algorithm.Name}."),
                        };
                        byte[] digestInfo = [.. prefix, .. digest];
                        return _token.Module.Sign(_token.Session, _privateKey, CkmRsaPkcs, digestInfo);
                    }
                    default:
                    {
                        // CKM_ECDSA signs the digest as given and returns r || s, each the size of the curve order (PKCS#11 v2.40 §2.3.1)
                        var raw = _token.Module.Sign(_token.Session, _privateKey, CkmEcdsa, digest);
                        return ToDer(raw);
                    }
                }
            }
            catch (Pkcs11Exception e)
            {
                throw new InputException($"PKCS#11 token '{_token.Info.Label}' could not sign with {_token.Uri.Redacted}: {e.Message}", e);
            }
        }
    }

    private byte[] ToDer(byte[] raw)
    {
        var half = _public.Algorithm switch { KeyAlgorithm.EcdsaP256 => 32, KeyAlgorithm.EcdsaP384 => 48, _ => 66 };
        if (raw.Length != 2 * half)
            throw new InputException($"PKCS#11 token '{_token.Info.Label}' returned a {raw.Length}-byte ECDSA signature for {_token.Uri.Redacted}; expected {2 * half}.");
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(0, half)));
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(half)));
        }
        return writer.Encode();
    }

    // DER integers have no redundant leading zero bytes
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var trimmed = value.TrimStart((byte)0);
        return trimmed.IsEmpty ? value[^1..] : trimmed;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _token.Dispose();
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}
