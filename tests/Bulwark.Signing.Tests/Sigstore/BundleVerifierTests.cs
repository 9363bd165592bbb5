// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Sigstore;

/// Real sigstore-conformance bundles verify; every mutation of them fails with the reason.
public sealed class BundleVerifierTests
{
    private static readonly string Dir = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Sigstore", "testdata", "conformance");
    private const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private static readonly BundleArtifact DTxt = BundleArtifact.Digest(Convert.FromHexString("330a043220fa13e01d68a7db39c89e12b0c4c3b6a0346fe624b0903f1303b5b2"));
    private static readonly BundleArtifact ATxt = BundleArtifact.Digest(Convert.FromHexString("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"));
    private static readonly IdentityPolicy Policy = new(Identity, null, Issuer);

    private static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, name)))!;

    private static SigstoreBundle Bundle(JsonNode node) => SigstoreBundle.Read(Encoding.UTF8.GetBytes(node.ToJsonString()), "test");

    private static TrustedRoot Root(JsonNode node) => TrustedRoot.Read(Encoding.UTF8.GetBytes(node.ToJsonString()), "test");

    private static VerificationResult VerifyD(JsonNode bundle, JsonNode? root = null, IdentityPolicy? policy = null, BundleArtifact? artifact = null) =>
        BundleVerifier.VerifyWithCertificate(Bundle(bundle), artifact ?? DTxt, policy ?? Policy, Root(root ?? Load("trusted_root.d.json")));

    private static VerificationResult VerifyIntoto(JsonNode bundle, JsonNode? root = null, BundleArtifact? artifact = null)
    {
        using var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(Dir, "intoto-canonical-log-entry", "key.pub")), "key.pub");
        return BundleVerifier.VerifyWithKey(Bundle(bundle), artifact ?? ATxt, key,
            Root(root ?? Load("intoto-canonical-log-entry/trusted_root.json")));
    }

    private static JsonNode Entry(JsonNode bundle) => bundle["verificationMaterial"]!["tlogEntries"]![0]!;

    private static string FlipBase64(string text, int index = 10)
    {
        var bytes = Convert.FromBase64String(text);
        bytes[Math.Min(index, bytes.Length - 1)] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }

    private static void AssertFailed(VerificationResult result, string reason)
    {
        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_conformance_certificate_bundle_verifies()
    {
        var result = VerifyD(Load("d.txt.good.sigstore.json"));
        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Contains("logged at 2023-02-01 00:00:00Z", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_conformance_managed_key_bundle_with_only_an_inclusion_proof_verifies() =>
        Assert.Equal(VerificationOutcome.Verified, VerifyIntoto(Load("intoto-canonical-log-entry/bundle.sigstore.json")).Outcome);

    private static VerificationResult VerifyProduction(JsonNode bundle) =>
        BundleVerifier.VerifyWithCertificate(Bundle(bundle), ATxt, Policy, Root(Load("../production/trusted_root.json")));

    [Fact]
    public void A_real_public_good_v01_hashedrekord_bundle_verifies_against_the_production_trusted_root()
    {
        var result = VerifyProduction(Load("a.txt.sigstore.json"));
        Assert.Equal(VerificationResult.Verified($"Verified OK: message signature signed by {Identity} ({Issuer}), logged at 2023-06-15 18:21:13Z."), result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    public void Rejects_a_flipped_hash_in_a_real_inclusion_proof(int which)
    {
        var bundle = Load("a.txt.sigstore.json");
        var hashes = Entry(bundle)["inclusionProof"]!["hashes"]!;
        hashes[which] = FlipBase64(hashes[which]!.GetValue<string>(), 7);
        AssertFailed(VerifyProduction(bundle), "the inclusion proof does not lead to the root hash");
    }

    [Fact]
    public void Rejects_a_real_bundle_whose_message_signature_is_flipped()
    {
        var bundle = Load("a.txt.sigstore.json");
        bundle["messageSignature"]!["signature"] = FlipBase64(bundle["messageSignature"]!["signature"]!.GetValue<string>(), 40);
        AssertFailed(VerifyProduction(bundle), "signature does not verify");
    }

    [Fact]
    public void Rejects_a_real_bundle_for_another_artifact() =>
        AssertFailed(BundleVerifier.VerifyWithCertificate(Bundle(Load("a.txt.sigstore.json")), DTxt, Policy, Root(Load("../production/trusted_root.json"))),
            "artifact's digest is not the one the bundle signs");

    [Fact]
    public void Rejects_a_real_hashedrekord_body_that_records_another_digest()
    {
        var bundle = Load("a.txt.sigstore.json");
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(Entry(bundle)["canonicalizedBody"]!.GetValue<string>()));
        Entry(bundle)["canonicalizedBody"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body.Replace("a0cfc712", "a0cfc713", StringComparison.Ordinal)));
        AssertFailed(VerifyProduction(bundle), "the log entry records a different artifact digest");
    }

    [Fact]
    public void A_v02_bundle_needs_a_checkpoint_where_v01_did_not()
    {
        var bundle = Load("a.txt.sigstore.json");
        bundle["mediaType"] = SigstoreBundle.MediaTypeV02;
        AssertFailed(VerifyProduction(bundle), "no inclusion proof with a checkpoint");
    }

    [Fact]
    public void Rejects_a_real_bundle_without_its_signed_entry_timestamp()
    {
        var bundle = Load("a.txt.sigstore.json");
        Entry(bundle).AsObject().Remove("inclusionPromise");
        AssertFailed(VerifyProduction(bundle), "no checkpoint and the entry no signed entry timestamp");
    }

    [Fact]
    public void The_conformance_bundle_whose_certificate_is_not_valid_at_the_integrated_time_fails() =>
        AssertFailed(VerifyD(Load("d.txt.cert-expired.sigstore.json")),
            "the signing certificate was not valid at the signing time 2023-02-01 00:00:00Z (valid 2030-01-01 00:00:00Z to 2030-01-01 00:10:00Z).");

    [Fact]
    public void No_single_flipped_byte_of_the_leaf_certificate_verifies_or_crashes()
    {
        var original = Load("d.txt.good.sigstore.json");
        var der = Convert.FromBase64String(original["verificationMaterial"]!["x509CertificateChain"]!["certificates"]![0]!["rawBytes"]!.GetValue<string>());
        var outcomes = new HashSet<VerificationOutcome>();
        for (var i = 0; i < der.Length; i += 3)
        {
            var bundle = Load("d.txt.good.sigstore.json");
            var mutated = (byte[])der.Clone();
            mutated[i] ^= 0x04;
            bundle["verificationMaterial"]!["x509CertificateChain"]!["certificates"]![0]!["rawBytes"] = Convert.ToBase64String(mutated);
            var result = VerifyD(bundle);
            Assert.True(result.Outcome != VerificationOutcome.Verified, $"byte {i} flipped still verified");
            outcomes.Add(result.Outcome);
        }
        Assert.Equal([VerificationOutcome.Failed], outcomes);
    }

    [Fact]
    public void No_single_flipped_byte_of_the_real_log_entry_body_verifies()
    {
        var body = Convert.FromBase64String(Entry(Load("a.txt.sigstore.json"))["canonicalizedBody"]!.GetValue<string>());
        for (var i = 0; i < body.Length; i += 97)
        {
            var bundle = Load("a.txt.sigstore.json");
            var mutated = (byte[])body.Clone();
            mutated[i] ^= 0x01;
            Entry(bundle)["canonicalizedBody"] = Convert.ToBase64String(mutated);
            Assert.Equal(VerificationOutcome.Failed, VerifyProduction(bundle).Outcome);
        }
    }

    [Fact]
    public void The_same_content_in_the_v03_layout_with_a_single_certificate_verifies()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var material = bundle["verificationMaterial"]!.AsObject();
        var raw = material["x509CertificateChain"]!["certificates"]![0]!["rawBytes"]!.GetValue<string>();
        material.Remove("x509CertificateChain");
        material["certificate"] = new JsonObject { ["rawBytes"] = raw };
        bundle["mediaType"] = SigstoreBundle.MediaTypeV03;
        Assert.Equal(VerificationOutcome.Verified, VerifyD(bundle).Outcome);
        bundle["mediaType"] = SigstoreBundle.MediaTypeV03Legacy;
        Assert.Equal(VerificationOutcome.Verified, VerifyD(bundle).Outcome);
    }

    [Fact]
    public void An_unknown_media_type_cannot_be_verified()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.4";
        Assert.Equal(VerificationOutcome.CouldNotVerify, VerifyD(bundle).Outcome);
    }

    [Fact]
    public void An_identity_regexp_that_matches_verifies() =>
        Assert.Equal(VerificationOutcome.Verified,
            VerifyD(Load("d.txt.good.sigstore.json"), policy: new IdentityPolicy(null, "^https://github\\.com/sigstore-conformance/", Issuer)).Outcome);

    [Fact]
    public void Rejects_another_identity() =>
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), policy: new IdentityPolicy("https://github.com/evil/repo", null, Issuer)), "not 'https://github.com/evil/repo'");

    [Fact]
    public void Rejects_an_identity_regexp_that_does_not_match() =>
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), policy: new IdentityPolicy(null, "^https://gitlab\\.com/", Issuer)), "does not match");

    [Fact]
    public void Rejects_another_oidc_issuer() =>
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), policy: new IdentityPolicy(Identity, null, "https://accounts.google.com")), "OIDC issuer");

    [Fact]
    public void Rejects_an_artifact_the_statement_does_not_name() =>
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), artifact: BundleArtifact.Digest(new byte[32])), "no subject of the in-toto statement");

    [Fact]
    public void Rejects_a_flipped_dsse_payload()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        bundle["dsseEnvelope"]!["payload"] = FlipBase64(bundle["dsseEnvelope"]!["payload"]!.GetValue<string>(), 40);
        AssertFailed(VerifyD(bundle), "DSSE envelope's signature does not verify");
    }

    [Fact]
    public void Rejects_a_flipped_dsse_signature()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var sig = bundle["dsseEnvelope"]!["signatures"]![0]!;
        sig["sig"] = FlipBase64(sig["sig"]!.GetValue<string>(), 20);
        AssertFailed(VerifyD(bundle), "signature does not verify");
    }

    [Theory]
    [InlineData(100)]   // inside the subject public key: the DSSE signature no longer verifies
    [InlineData(400)]   // inside the SAN: the CA's signature over the certificate no longer verifies
    [InlineData(740)]   // inside the CA's signature
    public void Rejects_a_flipped_certificate_byte(int index)
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var raw = bundle["verificationMaterial"]!["x509CertificateChain"]!["certificates"]![0]!;
        raw["rawBytes"] = FlipBase64(raw["rawBytes"]!.GetValue<string>(), index);
        Assert.Equal(VerificationOutcome.Failed, VerifyD(bundle).Outcome);
    }

    [Fact]
    public void Rejects_a_flipped_inclusion_proof_root_hash()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var proof = Entry(bundle)["inclusionProof"]!;
        proof["rootHash"] = FlipBase64(proof["rootHash"]!.GetValue<string>(), 3);
        AssertFailed(VerifyD(bundle), "root hash is not the proof's");
    }

    [Fact]
    public void Rejects_an_extra_inclusion_proof_hash()
    {
        var bundle = Load("intoto-canonical-log-entry/bundle.sigstore.json");
        Entry(bundle)["inclusionProof"]!["hashes"] = new JsonArray(Convert.ToBase64String(new byte[32]));
        AssertFailed(VerifyIntoto(bundle), "longer than the path");
    }

    [Fact]
    public void Rejects_a_checkpoint_with_another_tree_size()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var checkpoint = Entry(bundle)["inclusionProof"]!["checkpoint"]!;
        checkpoint["envelope"] = checkpoint["envelope"]!.GetValue<string>().Replace("\n1\n", "\n2\n", StringComparison.Ordinal);
        AssertFailed(VerifyD(bundle), "checkpoint signature does not verify");
    }

    [Fact]
    public void Rejects_a_checkpoint_of_another_log_even_with_the_same_key()
    {
        // the trusted root moves the log to another address; the checkpoint still names localhost:8000
        var root = Load("trusted_root.d.json");
        root["tlogs"]![0]!["baseUrl"] = "http://rekor.example:8000";
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "the checkpoint is from log 'localhost:8000', not from http://rekor.example:8000");
    }

    [Fact]
    public void Rejects_a_flipped_checkpoint_signature()
    {
        var bundle = Load("intoto-canonical-log-entry/bundle.sigstore.json");
        var checkpoint = Entry(bundle)["inclusionProof"]!["checkpoint"]!;
        var text = checkpoint["envelope"]!.GetValue<string>();
        var at = text.LastIndexOf(' ') + 1;
        var signature = text[at..].TrimEnd('\n');
        checkpoint["envelope"] = text[..at] + FlipBase64(signature, 30) + "\n";
        AssertFailed(VerifyIntoto(bundle), "checkpoint signature does not verify");
    }

    [Fact]
    public void Rejects_a_flipped_signed_entry_timestamp()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var promise = Entry(bundle)["inclusionPromise"]!;
        promise["signedEntryTimestamp"] = FlipBase64(promise["signedEntryTimestamp"]!.GetValue<string>(), 20);
        AssertFailed(VerifyD(bundle), "signed entry timestamp does not verify");
    }

    [Fact]
    public void Rejects_a_changed_integrated_time()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        Entry(bundle)["integratedTime"] = "1675209601";
        AssertFailed(VerifyD(bundle), "signed entry timestamp does not verify");
    }

    [Fact]
    public void Rejects_a_log_entry_body_for_another_signature()
    {
        // a valid entry that records something else must not vouch for this bundle (CVE-2022-36056)
        var bundle = Load("intoto-canonical-log-entry/bundle.sigstore.json");
        var body = JsonNode.Parse(Convert.FromBase64String(Entry(bundle)["canonicalizedBody"]!.GetValue<string>()))!;
        body["spec"]!["content"]!["payloadHash"]!["value"] = new string('0', 64);
        Entry(bundle)["canonicalizedBody"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body.ToJsonString()));
        AssertFailed(VerifyIntoto(bundle), "different payload hash");
    }

    [Fact]
    public void Rejects_a_flipped_log_entry_body()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(Entry(bundle)["canonicalizedBody"]!.GetValue<string>()));
        body = body.Replace("9e97cdbe", "9e97cdbf", StringComparison.Ordinal); // the envelope hash: not checked by the body match, so the proof must fail
        Entry(bundle)["canonicalizedBody"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        AssertFailed(VerifyD(bundle), "transparency-log entry 6283476");
    }

    [Fact]
    public void Rejects_an_entry_from_a_log_the_trusted_root_does_not_list()
    {
        var root = Load("trusted_root.d.json");
        root["tlogs"] = new JsonArray();
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "which the trusted root does not list");
    }

    [Fact]
    public void Rejects_a_log_key_swapped_for_another()
    {
        var root = Load("intoto-canonical-log-entry/trusted_root.json");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        root["tlogs"]![0]!["publicKey"]!["rawBytes"] = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo());
        AssertFailed(VerifyIntoto(Load("intoto-canonical-log-entry/bundle.sigstore.json"), root), "checkpoint signature does not verify");
    }

    [Fact]
    public void Rejects_a_managed_key_swapped_for_another()
    {
        using var other = SigningKey.GenerateEcdsaP256();
        var result = BundleVerifier.VerifyWithKey(Bundle(Load("intoto-canonical-log-entry/bundle.sigstore.json")), ATxt, other.PublicKey,
            Root(Load("intoto-canonical-log-entry/trusted_root.json")));
        AssertFailed(result, "DSSE envelope's signature does not verify");
    }

    [Fact]
    public void Rejects_a_certificate_bundle_checked_with_a_key()
    {
        using var other = SigningKey.GenerateEcdsaP256();
        AssertFailed(BundleVerifier.VerifyWithKey(Bundle(Load("d.txt.good.sigstore.json")), DTxt, other.PublicKey, Root(Load("trusted_root.d.json"))),
            "signed with a certificate");
    }

    [Fact]
    public void Rejects_a_certificate_authority_not_valid_at_the_signing_time()
    {
        var root = Load("trusted_root.d.json");
        root["certificateAuthorities"]![0]!["validFor"]!["start"] = "2023-03-01T00:00:00Z";
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "is not trusted at 2023-02-01 00:00:00Z");
    }

    [Fact]
    public void Rejects_a_certificate_authority_swapped_for_another()
    {
        var root = Load("trusted_root.d.json");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=sigstore,O=sigstore.mock", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        root["certificateAuthorities"]![0]!["certChain"]!["certificates"]![0]!["rawBytes"] = Convert.ToBase64String(ca.RawData);
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "does not chain to a trusted certificate authority");
    }

    [Fact]
    public void Rejects_a_certificate_whose_scts_are_from_no_trusted_ct_log()
    {
        var root = Load("trusted_root.d.json");
        root["ctlogs"] = new JsonArray();
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "no embedded SCT is from a CT log in the trusted root");
    }

    [Fact]
    public void Rejects_an_sct_signed_by_another_ct_log_key()
    {
        var root = Load("trusted_root.d.json");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        root["ctlogs"]![0]!["publicKey"]!["rawBytes"] = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo());
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "does not verify");
    }

    [Fact]
    public void Rejects_a_log_key_not_valid_at_the_integrated_time()
    {
        var root = Load("trusted_root.d.json");
        root["tlogs"]![0]!["publicKey"]!["validFor"]!["end"] = "2023-01-31T00:00:00Z";
        AssertFailed(VerifyD(Load("d.txt.good.sigstore.json"), root), "outside the log key's validity");
    }

    [Fact]
    public void Rejects_a_certificate_bundle_without_a_log_entry()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        bundle["verificationMaterial"]!["tlogEntries"] = new JsonArray();
        AssertFailed(VerifyD(bundle), "no transparency-log entry");
    }

    [Fact]
    public void Rejects_a_v02_entry_without_an_inclusion_proof()
    {
        var bundle = Load("d.txt.good.sigstore.json");
        Entry(bundle).AsObject().Remove("inclusionProof");
        AssertFailed(VerifyD(bundle), "no inclusion proof with a checkpoint");
    }

    [Fact]
    public void A_trusted_root_log_without_a_validity_start_is_unreadable()
    {
        var root = Load("intoto-canonical-log-entry/trusted_root.json");
        root["tlogs"]![0]!["publicKey"]!["validFor"]!.AsObject().Remove("start");
        Assert.Throws<InputException>(() => Root(root));
    }

    [Fact]
    public void A_trusted_root_with_a_garbage_certificate_is_unreadable()
    {
        var root = Load("trusted_root.d.json");
        root["certificateAuthorities"]![0]!["certChain"]!["certificates"]![0]!["rawBytes"] = "AAAA";
        Assert.Contains("a certificate of certificateAuthorities is not valid DER X.509", Assert.Throws<InputException>(() => Root(root)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_logged_key_bundle_without_a_trusted_root_cannot_be_verified()
    {
        using var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(Dir, "intoto-canonical-log-entry", "key.pub")), "key.pub");
        var result = BundleVerifier.VerifyWithKey(Bundle(Load("intoto-canonical-log-entry/bundle.sigstore.json")), ATxt, key, null);
        Assert.Equal(VerificationOutcome.CouldNotVerify, result.Outcome);
    }

    [Fact]
    public void A_key_bundle_written_by_bulwark_verifies_and_its_mutations_fail()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var content = Encoding.UTF8.GetBytes("hello, bundle\n");
        var digest = SHA256.HashData(content);
        var bundle = SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_256", digest, key.SignDigest(digest, HashAlgorithmName.SHA256)), key.PublicKey.Hint);
        using var buffer = new MemoryStream();
        bundle.WriteTo(buffer);
        var read = SigstoreBundle.Read(buffer.ToArray(), "written");
        Assert.Equal(VerificationOutcome.Verified, BundleVerifier.VerifyWithKey(read, BundleArtifact.Digest(digest), key.PublicKey, null).Outcome);
        var other = (byte[])digest.Clone();
        other[0] ^= 1;
        AssertFailed(BundleVerifier.VerifyWithKey(read, BundleArtifact.Digest(other), key.PublicKey, null), "artifact's digest is not the one the bundle signs");
        using var swapped = SigningKey.GenerateEcdsaP256();
        AssertFailed(BundleVerifier.VerifyWithKey(read, BundleArtifact.Digest(digest), swapped.PublicKey, null), "signature does not verify");
    }

    [Fact]
    public void An_ed25519_bundle_whose_digest_is_not_the_files_fails_even_though_the_signature_verifies()
    {
        var dir = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Bundles", "testdata", "sigstore-js");
        using var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(dir, "ed25519.pub")), "ed25519");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "ed25519.sigstore.json")))!;
        json["messageSignature"]!["messageDigest"]!["digest"] = Convert.ToBase64String(new byte[32]);
        var bundle = SigstoreBundle.Read(Encoding.UTF8.GetBytes(json.ToJsonString()), "ed25519");
        AssertFailed(BundleVerifier.VerifyWithKey(bundle, BundleArtifact.File(Path.Combine(dir, "artifact.txt")), key, null), "artifact's digest is not the one the bundle signs");
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("ed25519")]
    public void Sigstore_js_v02_key_bundles_verify_against_the_file(string name)
    {
        var dir = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Bundles", "testdata", "sigstore-js");
        using var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(dir, name + ".pub")), name);
        var bundle = SigstoreBundle.Read(File.ReadAllBytes(Path.Combine(dir, name + ".sigstore.json")), name);
        Assert.Equal(VerificationOutcome.Verified, BundleVerifier.VerifyWithKey(bundle, BundleArtifact.File(Path.Combine(dir, "artifact.txt")), key, null).Outcome);
    }
}
