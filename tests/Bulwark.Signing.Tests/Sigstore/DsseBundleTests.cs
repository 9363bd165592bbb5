// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;

namespace Bulwark.Signing.Tests.Sigstore;

/// DSSE bundles signed with a key made here: the envelope's signature, its payload type and the in-toto statement's
/// type and subjects are each checked (the sigstore-conformance dsse-statement-* cases, rebuilt).
public sealed class DsseBundleTests : IDisposable
{
    private readonly SigningKey _key = SigningKey.GenerateEcdsaP256();
    private static readonly byte[] Artifact = SHA256.HashData("the artifact\n"u8);
    private static readonly string Hex = Convert.ToHexStringLower(Artifact);

    public void Dispose() => _key.Dispose();

    private static string Statement(string? type = "https://in-toto.io/Statement/v1", string digest = "") =>
        (type is null ? "{" : $"{{\"_type\":\"{type}\",") +
        $"\"subject\":[{{\"name\":\"other\",\"digest\":{{\"sha256\":\"{new string('0', 64)}\"}}}},{{\"name\":\"a\",\"digest\":{{\"sha256\":\"{(digest.Length > 0 ? digest : Hex)}\"}}}}]," +
        "\"predicateType\":\"https://example.com/p\",\"predicate\":{}}";

    private VerificationResult Verify(string payload, string payloadType = DsseEnvelope.InTotoPayloadType, int signatures = 1, VerificationKey? with = null)
    {
        var envelope = DsseEnvelope.Sign(payloadType, Encoding.UTF8.GetBytes(payload), _key);
        if (signatures == 2) envelope = envelope with { Signatures = [envelope.Signatures[0], envelope.Signatures[0]] };
        var json = new JsonObject
        {
            ["mediaType"] = SigstoreBundle.MediaTypeV03,
            ["verificationMaterial"] = new JsonObject { ["publicKey"] = new JsonObject { ["hint"] = _key.PublicKey.Hint } },
            ["dsseEnvelope"] = JsonNode.Parse(envelope.ToJson()),
        };
        var bundle = SigstoreBundle.Read(Encoding.UTF8.GetBytes(json.ToJsonString()), "bundle");
        return BundleVerifier.VerifyWithKey(bundle, BundleArtifact.Digest(Artifact), with ?? _key.PublicKey, null);
    }

    [Fact]
    public void A_statement_naming_the_artifact_among_its_subjects_verifies() =>
        Assert.Equal(VerificationResult.Verified("Verified OK: DSSE envelope signed by ECDSA P-256 key (no transparency-log entry)."), Verify(Statement()));

    [Fact]
    public void An_in_toto_v01_statement_verifies() =>
        Assert.Equal(VerificationOutcome.Verified, Verify(Statement("https://in-toto.io/Statement/v0.1")).Outcome);

    [Fact]
    public void Rejects_a_statement_without_a_type() =>
        Assert.Equal(VerificationResult.Failed("the DSSE payload is not an in-toto Statement (missing or unknown _type)."), Verify(Statement(type: null)));

    [Fact]
    public void Rejects_a_statement_of_an_unknown_type() =>
        Assert.Equal(VerificationResult.Failed("the DSSE payload is not an in-toto Statement (missing or unknown _type)."), Verify(Statement("https://in-toto.io/Statement/v9")));

    [Fact]
    public void Rejects_a_statement_that_does_not_name_the_artifact() =>
        Assert.Equal(VerificationResult.Failed($"no subject of the in-toto statement has the artifact's digest sha256:{Hex}."), Verify(Statement(digest: new string('1', 64))));

    [Fact]
    public void Rejects_a_payload_that_is_not_in_toto() =>
        Assert.Equal(VerificationResult.Failed("the DSSE payload type is 'text/plain', not an in-toto statement."), Verify(Statement(), "text/plain"));

    [Fact]
    public void Rejects_an_envelope_with_two_signatures() =>
        Assert.Equal(VerificationResult.Failed("the DSSE envelope has 2 signatures; a Sigstore bundle holds exactly one."), Verify(Statement(), signatures: 2));

    [Fact]
    public void Rejects_an_envelope_checked_with_another_key()
    {
        using var other = SigningKey.GenerateEcdsaP256();
        Assert.Equal(VerificationResult.Failed("the DSSE envelope's signature does not verify."), Verify(Statement(), with: other.PublicKey));
    }

    [Fact]
    public void A_payload_that_is_not_json_fails() =>
        Assert.Equal(VerificationOutcome.Failed, Verify("not json").Outcome);
}
