// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Cosign;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.InToto;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;

namespace Bulwark.Fuzzing.Targets;

/// Real Sigstore material from the signing tests' testdata (read once): the production trusted root, a conformance
/// bundle with its artifact and identity, and key-signed bundles with their keys.
public sealed class SigningMaterial(string repositoryRoot)
{
    private readonly Lazy<TrustedRoot> _root = new(() => TrustedRoot.Read(File.ReadAllBytes(Path.Combine(Dir(repositoryRoot), "Sigstore/testdata/production/trusted_root.json")), "production trusted root"));
    private readonly Lazy<byte[]> _artifactDigest = new(() => SHA256.HashData(File.ReadAllBytes(Path.Combine(Dir(repositoryRoot), "Sigstore/testdata/conformance/a.txt"))));
    private readonly Lazy<byte[]> _conformanceBundle = new(() => File.ReadAllBytes(Path.Combine(Dir(repositoryRoot), "Sigstore/testdata/conformance/a.txt.sigstore.json")));
    private readonly Lazy<byte[]> _keyArtifactDigest = new(() => SHA256.HashData(File.ReadAllBytes(Path.Combine(Dir(repositoryRoot), "Bundles/testdata/sigstore-js/artifact.txt"))));
    private readonly Lazy<string> _ecKey = new(() => File.ReadAllText(Path.Combine(Dir(repositoryRoot), "Bundles/testdata/sigstore-js/ec.pub")));

    public TrustedRoot Root => _root.Value;
    public byte[] ConformanceBundle => _conformanceBundle.Value;
    public BundleArtifact ConformanceArtifact => BundleArtifact.Digest(_artifactDigest.Value);
    public BundleArtifact KeyArtifact => BundleArtifact.Digest(_keyArtifactDigest.Value);
    public string EcKeyPem => _ecKey.Value;
    public TrustedLog Rekor => Root.TransparencyLogs[0];

    public static IdentityPolicy ConformanceIdentity { get; } = new(
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
        null, "https://token.actions.githubusercontent.com");

    /// Every bundle in the signing tests' testdata, read (those that read).
    public IEnumerable<SigstoreBundle> Bundles()
    {
        foreach (var file in Directory.EnumerateFiles(Dir(repositoryRoot), "*.sigstore.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            SigstoreBundle? bundle = null;
            try
            {
                bundle = SigstoreBundle.Read(File.ReadAllBytes(file), file);
            }
            catch (InputException)
            {
            }
            if (bundle is not null) yield return bundle;
        }
    }

    private static string Dir(string root) => Path.Combine(root, "tests", "Bulwark.Signing.Tests");
}

/// Public keys from PEM (PKIX, PKCS#1, a certificate's key). Allowed: <see cref="InputException"/>.
public sealed class PublicKeyTarget : FuzzTarget
{
    public override string Name => "signing.public-key";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 64 << 10;
    public override bool IsSeed(string relativePath) => relativePath.EndsWith(".pub", StringComparison.Ordinal) || relativePath.EndsWith(".pem", StringComparison.Ordinal);
    public override IEnumerable<byte[]> ExtraSeeds() => KeySeeds.Public();
    public override IReadOnlyList<string> Dictionary => KeySeeds.PemTokens;

    public override void Run(byte[] input)
    {
        using var key = VerificationKey.FromPem(Encoding.UTF8.GetString(input), "fuzz input");
        _ = key.VerifyMessage(new MemoryStream("message"u8.ToArray()), new byte[64]);
    }
}

/// Private keys from PEM: PKCS#8, SEC1, PKCS#1 and Cosign's encrypted keys (scrypt and secretbox; the password is
/// "fuzz"). Allowed: <see cref="InputException"/>.
public sealed class PrivateKeyTarget : FuzzTarget
{
    public override string Name => "signing.private-key";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 64 << 10;
    public override bool IsSeed(string relativePath) => relativePath.EndsWith(".key", StringComparison.Ordinal);
    public override IEnumerable<byte[]> ExtraSeeds() => KeySeeds.Private();
    public override IReadOnlyList<string> Dictionary => KeySeeds.PemTokens;

    public override void Run(byte[] input)
    {
        using var key = SigningKey.FromPem(Encoding.UTF8.GetString(input), "fuzz input", () => "fuzz");
    }
}

/// DSSE envelopes and the in-toto statements inside. Allowed: <see cref="InputException"/>.
public sealed class DsseTarget : FuzzTarget
{
    public override string Name => "signing.dsse";
    public override InputFormat Format => InputFormat.Json;
    public override bool IsSeed(string relativePath) => relativePath.Contains("dsse", StringComparison.OrdinalIgnoreCase) || relativePath.Contains("intoto", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<byte[]> ExtraSeeds()
    {
        var statement = """{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{}}}"""u8.ToArray();
        // the signature is not checked here, only read: a fixed one keeps the seed the same on every run
        yield return Encoding.UTF8.GetBytes($$"""{"payloadType":"application/vnd.in-toto+json","payload":"{{Convert.ToBase64String(statement)}}","signatures":[{"keyid":"kid","sig":"{{Convert.ToBase64String(new byte[71])}}"}]}""");
    }

    public override IReadOnlyList<string> Dictionary { get; } = ["payloadType", "payload", "signatures", "sig", "keyid", "application/vnd.in-toto+json", "_type", "subject", "predicateType", "predicate", "digest", "sha256"];

    public override void Run(byte[] input)
    {
        var envelope = DsseEnvelope.Parse(input, "fuzz input");
        _ = DsseEnvelope.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
        _ = InTotoStatement.TryParse(envelope.Payload, out _);
    }
}

/// Sigstore bundles, read and then verified: certificate bundles against the production trusted root and the
/// conformance identity (X.509 chain, SCTs, SET, inclusion proof, checkpoint), key bundles against their key.
/// Allowed: <see cref="InputException"/>; verification answers with a result, never another exception.
public sealed class BundleTarget(SigningMaterial material) : FuzzTarget
{
    public override string Name => "signing.bundle";
    public override InputFormat Format => InputFormat.Json;
    public override bool IsSeed(string relativePath) => relativePath.EndsWith(".sigstore.json", StringComparison.Ordinal);
    public override IReadOnlyList<string> Dictionary => SigstoreTokens.All;

    public override void Run(byte[] input)
    {
        var bundle = SigstoreBundle.Read(input, "fuzz input");
        if (bundle.HasCertificate)
            _ = BundleVerifier.VerifyWithCertificate(bundle, material.ConformanceArtifact, SigningMaterial.ConformanceIdentity, material.Root);
        else
        {
            using var key = VerificationKey.FromPem(material.EcKeyPem, "ec.pub");
            _ = BundleVerifier.VerifyWithKey(bundle, material.KeyArtifact, key, material.Root);
        }
    }
}

/// Trusted roots, read and then used to verify the conformance bundle. Allowed: <see cref="InputException"/>.
public sealed class TrustedRootTarget(SigningMaterial material) : FuzzTarget
{
    public override string Name => "signing.trusted-root";
    public override InputFormat Format => InputFormat.Json;
    public override bool IsSeed(string relativePath) => relativePath.Contains("trusted_root", StringComparison.Ordinal) && relativePath.EndsWith(".json", StringComparison.Ordinal);
    public override IReadOnlyList<string> Dictionary => SigstoreTokens.All;

    public override void Run(byte[] input)
    {
        var root = TrustedRoot.Read(input, "fuzz input");
        var bundle = SigstoreBundle.Read(material.ConformanceBundle, "a.txt.sigstore.json");
        _ = BundleVerifier.VerifyWithCertificate(bundle, material.ConformanceArtifact, SigningMaterial.ConformanceIdentity, root);
    }
}

/// Checkpoints (signed notes) checked against the production Rekor key; seeds are the checkpoints of the test bundles.
/// A checkpoint answers with a problem or null, never an exception.
public sealed class CheckpointTarget(SigningMaterial material) : FuzzTarget
{
    public override string Name => "signing.checkpoint";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 64 << 10;
    public override bool IsSeed(string relativePath) => false;

    public override IEnumerable<byte[]> ExtraSeeds() =>
        material.Bundles().SelectMany(b => b.TlogEntries).Select(e => e.InclusionProof?.Checkpoint).OfType<string>().Select(Encoding.UTF8.GetBytes);

    public override IReadOnlyList<string> Dictionary { get; } = ["\n\n", "— ", "rekor.sigstore.dev - ", "\n", " ", "=", "Timestamp: "];

    public override void Run(byte[] input) => _ = TransparencyLog.VerifyCheckpoint(Encoding.UTF8.GetString(input), material.Rekor, out _);

    public override bool IsExpected(Exception e) => false;
}

/// RFC 6962 inclusion proofs. Input: log index and tree size (8 bytes each, big-endian), leaf hash and root hash (32
/// bytes each), then the audit path in 32-byte hashes; seeds are the proofs of the test bundles. Answers with a
/// problem or null, never an exception.
public sealed class InclusionProofTarget(SigningMaterial material) : FuzzTarget
{
    public override string Name => "signing.inclusion-proof";
    public override InputFormat Format => InputFormat.Binary;
    public override int MaxInputSize => 8 << 10;
    public override bool IsSeed(string relativePath) => false;

    public override IEnumerable<byte[]> ExtraSeeds() =>
        material.Bundles().SelectMany(b => b.TlogEntries).Where(e => e.InclusionProof is not null).Select(e =>
        {
            var p = e.InclusionProof!;
            var head = new byte[16];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(head, p.LogIndex);
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(head.AsSpan(8), p.TreeSize);
            return (byte[])[.. head, .. TransparencyLog.LeafHash(e.CanonicalizedBody), .. p.RootHash, .. p.Hashes.SelectMany(h => h)];
        });

    public override void Run(byte[] input)
    {
        if (input.Length < 80) return;
        var index = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(input);
        var size = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(input.AsSpan(8));
        var leaf = input[16..48];
        var root = input.AsSpan(48, 32);
        var proof = new List<byte[]>();
        for (var at = 80; at < input.Length; at += 32) proof.Add(input[at..Math.Min(input.Length, at + 32)]);
        _ = TransparencyLog.VerifyInclusion(index, size, leaf, proof, root);
    }

    public override bool IsExpected(Exception e) => false;
}

/// X.509 certificates (DER): the Fulcio identity extensions, the chain to the production roots and the embedded SCTs.
/// Bytes the platform cannot load as a certificate are refused before our code runs. These functions answer with a
/// problem or null, or throw <see cref="System.Formats.Asn1.AsnContentException"/> or <see cref="CryptographicException"/>
/// for a certificate whose fields do not parse, which their one caller (BundleVerifier) turns into a failed
/// verification; anything else is a finding.
public sealed class CertificateTarget(SigningMaterial material) : FuzzTarget
{
    public override string Name => "signing.certificate";
    public override InputFormat Format => InputFormat.Binary;
    public override int MaxInputSize => 64 << 10;
    public override bool IsSeed(string relativePath) => relativePath.EndsWith(".der", StringComparison.Ordinal) || relativePath.EndsWith(".crt", StringComparison.Ordinal);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        material.Bundles().SelectMany(b => b.Certificates).Concat(material.Root.CertificateAuthorities.SelectMany(a => a.Certificates));

    public override void Run(byte[] input)
    {
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(input);
        }
        catch (CryptographicException e)
        {
            throw new InputException("not a certificate the platform can load: " + e.Message, e);
        }
        using (leaf)
        {
            _ = FulcioCertificate.Identity(leaf);
            var time = leaf.NotBefore.ToUniversalTime().AddMinutes(1);   // may throw CryptographicException for a damaged validity
            if (FulcioCertificate.VerifyChain(leaf, material.Root, time, out var issuer) is null && issuer is not null)
                using (issuer)
                    _ = SignedCertificateTimestamps.Verify(leaf, issuer, material.Root, out _);
            _ = SignedCertificateTimestamps.PrecertificateTbs(input);
        }
    }

    public override bool IsExpected(Exception e) => e is InputException or System.Formats.Asn1.AsnContentException or CryptographicException;
}

internal static class SigstoreTokens
{
    public static readonly string[] All =
    [
        "mediaType", "verificationMaterial", "certificate", "rawBytes", "x509CertificateChain", "certificates", "publicKey", "hint",
        "tlogEntries", "logIndex", "logId", "keyId", "kindVersion", "kind", "version", "integratedTime", "inclusionPromise",
        "signedEntryTimestamp", "inclusionProof", "rootHash", "treeSize", "hashes", "checkpoint", "envelope", "canonicalizedBody",
        "messageSignature", "messageDigest", "algorithm", "SHA2_256", "digest", "signature", "dsseEnvelope", "timestampVerificationData",
        "rfc3161Timestamps", "signedTimestamp", "tlogs", "ctlogs", "certificateAuthorities", "timestampAuthorities", "baseUrl",
        "hashAlgorithm", "rawBytes", "keyDetails", "PKIX_ECDSA_P256_SHA_256", "PKIX_ED25519", "validFor", "start", "end", "uri",
        "certChain", "application/vnd.dev.sigstore.bundle.v0.3+json", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    ];
}

internal static class KeySeeds
{
    public static readonly string[] PemTokens =
    [
        "-----BEGIN PUBLIC KEY-----\n", "-----END PUBLIC KEY-----\n", "-----BEGIN PRIVATE KEY-----\n", "-----END PRIVATE KEY-----\n",
        "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "-----BEGIN CERTIFICATE-----\n", "-----BEGIN EC PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\n", "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n", "=", "==", "\n", "+", "/", "\"N\":", "\"r\":", "\"p\":",
        "\"kdf\"", "\"scrypt\"", "\"salt\"", "\"nacl/secretbox\"", "\"nonce\"", "\"ciphertext\"",
    ];

    public static IEnumerable<byte[]> Public()
    {
        using var ec = FixedKey(ECCurve.NamedCurves.nistP256, "p256");
        using var ec384 = FixedKey(ECCurve.NamedCurves.nistP384, "p384");
        yield return Encoding.UTF8.GetBytes(ec.ExportSubjectPublicKeyInfoPem());
        yield return Encoding.UTF8.GetBytes(ec384.ExportSubjectPublicKeyInfoPem());
    }

    public static IEnumerable<byte[]> Private()
    {
        using var ec = FixedKey(ECCurve.NamedCurves.nistP256, "p256");
        yield return Encoding.UTF8.GetBytes(ec.ExportPkcs8PrivateKeyPem());
        yield return Encoding.UTF8.GetBytes(ec.ExportECPrivateKeyPem());
        // a Cosign encrypted key with small scrypt parameters, so each try is fast (the file's parameters are what is read)
        yield return Encoding.UTF8.GetBytes(CosignEncryptedKey.Encrypt(ec.ExportPkcs8PrivateKey(), "fuzz", new ScryptParameters(16, 8, 1)));
    }

    // a key derived from a fixed name, so seeds (and so runs with --seed) are the same every time; the public point is
    // computed from the private scalar on import
    private static ECDsa FixedKey(ECCurve curve, string name)
    {
        var size = curve.Oid.FriendlyName == "nistP384" ? 48 : 32;
        var d = SHA512.HashData(Encoding.UTF8.GetBytes("bulwark fuzz seed key " + name))[..size];
        d[0] &= 0x7f;
        return ECDsa.Create(new ECParameters { Curve = curve, D = d });
    }
}
