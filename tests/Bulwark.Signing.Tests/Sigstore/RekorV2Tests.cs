// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.X509;

namespace Bulwark.Signing.Tests.Sigstore;

/// Rekor v2 entries (hashedrekord 0.0.2 in a tile-based log with an Ed25519-signed checkpoint and no integrated time),
/// built here with a log key of our own: the entry body, the inclusion proof and the checkpoint must all hold.
public sealed class RekorV2Tests : IDisposable
{
    private readonly Ed25519PrivateKeyParameters _logKey = new(new Org.BouncyCastle.Security.SecureRandom());
    private readonly byte[] _logSpki;
    private readonly byte[] _logId;
    private readonly SigningKey _signer = SigningKey.GenerateEcdsaP256();
    private readonly byte[] _digest = SHA256.HashData("rekor v2 artifact\n"u8);
    private readonly byte[] _signature;

    public RekorV2Tests()
    {
        _logSpki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_logKey.GeneratePublicKey()).GetDerEncoded();
        _logId = SHA256.HashData(_logSpki);
        _signature = _signer.SignDigest(_digest, HashAlgorithmName.SHA256);
    }

    public void Dispose() => _signer.Dispose();

    private string Checkpoint(string origin, long size, byte[] root, Ed25519PrivateKeyParameters key)
    {
        var body = $"{origin}\n{size}\n{Convert.ToBase64String(root)}\n";
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var bytes = Encoding.UTF8.GetBytes(body);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        var signature = signer.GenerateSignature();
        return body + "\n\u2014 " + origin + " " + Convert.ToBase64String([.. _logId.AsSpan(0, 4), .. signature]) + "\n";
    }

    private JsonNode Body(byte[]? signature = null) => new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["hashedRekordV002"] = new JsonObject
            {
                ["data"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(_digest) },
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(signature ?? _signature),
                    ["verifier"] = new JsonObject
                    {
                        ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(_signer.PublicKey.SubjectPublicKeyInfo) },
                        ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                    },
                },
            },
        },
    };

    // a two-leaf tree: our entry at index 1, another entry's leaf hash at index 0
    private JsonNode Bundle(JsonNode? body = null, Ed25519PrivateKeyParameters? checkpointKey = null)
    {
        var canonical = Encoding.UTF8.GetBytes((body ?? Body()).ToJsonString());
        var leaf = TransparencyLog.LeafHash(canonical);
        var sibling = TransparencyLog.LeafHash("another entry"u8);
        var root = SHA256.HashData([1, .. sibling, .. leaf]);
        using var buffer = new MemoryStream();
        SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_256", _digest, _signature), _signer.PublicKey.Hint).WriteTo(buffer);
        var json = JsonNode.Parse(buffer.ToArray())!;
        json["verificationMaterial"]!["tlogEntries"] = new JsonArray(new JsonObject
        {
            ["logIndex"] = "1",
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(_logId) },
            ["kindVersion"] = new JsonObject { ["kind"] = "hashedrekord", ["version"] = "0.0.2" },
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = "1",
                ["rootHash"] = Convert.ToBase64String(root),
                ["treeSize"] = "2",
                ["hashes"] = new JsonArray(Convert.ToBase64String(sibling)),
                ["checkpoint"] = new JsonObject { ["envelope"] = Checkpoint("log2025-test.rekor.example", 2, root, checkpointKey ?? _logKey) },
            },
            ["canonicalizedBody"] = Convert.ToBase64String(canonical),
        });
        return json;
    }

    private TrustedRoot Root(byte[]? spki = null) => TrustedRoot.Read(Encoding.UTF8.GetBytes($$$"""
        {"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","certificateAuthorities":[],"ctlogs":[],"timestampAuthorities":[],
         "tlogs":[{"baseUrl":"https://log2025-test.rekor.example","hashAlgorithm":"SHA2_256",
           "publicKey":{"rawBytes":"{{{Convert.ToBase64String(spki ?? _logSpki)}}}","keyDetails":"PKIX_ED25519","validFor":{"start":"2025-01-01T00:00:00Z"}},
           "logId":{"keyId":"{{{Convert.ToBase64String(_logId)}}}"}}]}
        """), "root");

    private VerificationResult Verify(JsonNode bundle, TrustedRoot? root = null) =>
        BundleVerifier.VerifyWithKey(SigstoreBundle.Read(Encoding.UTF8.GetBytes(bundle.ToJsonString()), "bundle"), BundleArtifact.Digest(_digest), _signer.PublicKey, root ?? Root());

    [Fact]
    public void A_rekor_v2_hashedrekord_entry_with_an_ed25519_checkpoint_verifies() =>
        Assert.Equal(VerificationResult.Verified("Verified OK: message signature signed by ECDSA P-256 key (1 transparency-log entry verified)."), Verify(Bundle()));

    [Fact]
    public void Rejects_a_checkpoint_signed_by_another_ed25519_key() =>
        Assert.Equal(VerificationResult.Failed("transparency-log entry 1: the checkpoint signature does not verify with the log's key."),
            Verify(Bundle(checkpointKey: new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom()))));

    [Fact]
    public void Rejects_a_trusted_root_with_another_log_key()
    {
        var other = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(other.GeneratePublicKey()).GetDerEncoded();
        Assert.Equal(VerificationOutcome.Failed, Verify(Bundle(), Root(spki)).Outcome);
    }

    [Fact]
    public void Rejects_an_entry_that_records_another_signature() =>
        Assert.Equal(VerificationResult.Failed("transparency-log entry 1: the log entry records a different signature."),
            Verify(Bundle(Body(signature: [0x30, 0x00]))));

    [Fact]
    public void Rejects_a_flipped_audit_path_hash()
    {
        var bundle = Bundle();
        var hashes = bundle["verificationMaterial"]!["tlogEntries"]![0]!["inclusionProof"]!["hashes"]!;
        var bytes = Convert.FromBase64String(hashes[0]!.GetValue<string>());
        bytes[31] ^= 1;
        hashes[0] = Convert.ToBase64String(bytes);
        Assert.Equal(VerificationResult.Failed("transparency-log entry 1: the inclusion proof does not lead to the root hash."), Verify(bundle));
    }
}
