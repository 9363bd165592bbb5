// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Bundles;

public sealed class SigstoreBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _file;

    public SigstoreBundleTests() => _file = _temp.Write("artifact.txt", "hello, bundle\n"u8.ToArray());

    public void Dispose() => _temp.Dispose();

    private static string Json(SigstoreBundle bundle)
    {
        using var stream = new MemoryStream();
        bundle.WriteTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static SigstoreBundle Parse(string json) => SigstoreBundle.Read(Encoding.UTF8.GetBytes(json), "b.json");

    [Fact]
    public void A_key_signature_is_written_as_a_v03_bundle_with_protobuf_json_field_names()
    {
        var bundle = SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_256", [0xfa, 0xd9, 0xce], [0x30, 0x45, 0x02]), "c2to+/Vz=");
        Assert.Equal(
            """{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"c2to+/Vz="}},""" +
            "\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"+tnO\"},\"signature\":\"MEUC\"}}\n",
            Json(bundle));
    }

    [Fact]
    public void A_written_bundle_reads_back_the_same()
    {
        var bundle = SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_256", [1, 2, 3], [4, 5]), "hint");
        var read = Parse(Json(bundle));
        Assert.Equal(SigstoreBundle.MediaTypeV03, read.MediaType);
        Assert.Equal("hint", read.PublicKeyHint);
        Assert.Equal("SHA2_256", read.MessageSignature!.DigestAlgorithm);
        Assert.Equal([1, 2, 3], read.MessageSignature.Digest);
        Assert.Equal([4, 5], read.MessageSignature.Signature);
        Assert.False(read.HasDsseEnvelope);
        Assert.False(read.HasCertificate);
        Assert.Equal(0, read.TransparencyLogEntries);
    }

    [Fact]
    public void Reading_records_certificates_log_entries_timestamps_and_url_safe_base64()
    {
        var read = Parse("""
            {"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2",
             "verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AA=="}]},
               "tlogEntries":[{"logIndex":"1"},{"logIndex":"2"}],
               "timestampVerificationData":{"rfc3161Timestamps":[{"signedTimestamp":"AA=="}]}},
             "messageSignature":{"messageDigest":{"algorithm":"SHA2_384","digest":"-_8"},"signature":"AQ"}}
            """);
        Assert.True(read.IsKnownMediaType);
        Assert.True(read.HasCertificate);
        Assert.Equal(2, read.TransparencyLogEntries);
        Assert.Equal(1, read.SignedTimestamps);
        Assert.Equal([0xfb, 0xff], read.MessageSignature!.Digest);
        Assert.Equal([0x01], read.MessageSignature.Signature);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"signature":"AA=="}}""")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"%%"},"signature":"AA=="}}""")]
    public void Malformed_bundles_are_input_errors_naming_the_file(string json)
    {
        var error = Assert.Throws<InputException>(() => Parse(json));
        Assert.StartsWith("Cannot read bundle b.json: ", error.Message, StringComparison.Ordinal);
    }

    private (SigningKey Key, SigstoreBundle Bundle) SignedBundle()
    {
        var key = SigningKey.GenerateEcdsaP256();
        var signature = BlobSignatures.Sign(key, _file);
        return (key, SigstoreBundle.ForKeySignature(signature.ToMessageSignature(), key.PublicKey.Hint));
    }

    [Fact]
    public void A_bundle_verifies_against_its_file_and_key()
    {
        var (key, bundle) = SignedBundle();
        using (key)
        {
            var result = BlobSignatures.Verify(key.PublicKey, _file, Parse(Json(bundle)), "b.json");
            Assert.Equal(VerificationResult.Verified($"Verified OK: {_file} matches bundle b.json, signed by the ECDSA P-256 key."), result);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Flipping_a_byte_of_the_bundle_digest_fails_verification(int index)
    {
        var (key, bundle) = SignedBundle();
        using (key)
        {
            var digest = (byte[])bundle.MessageSignature!.Digest.Clone();
            digest[index] ^= 0x01;
            var altered = SigstoreBundle.ForKeySignature(bundle.MessageSignature with { Digest = digest }, bundle.PublicKeyHint!);
            var result = BlobSignatures.Verify(key.PublicKey, _file, altered, "b.json");
            Assert.Equal(VerificationOutcome.Failed, result.Outcome);
            Assert.StartsWith($"{_file} does not match bundle b.json: its SHA-256 is ", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_altered_file_fails_verification()
    {
        var (key, bundle) = SignedBundle();
        using (key)
        {
            File.AppendAllText(_file, "x");
            Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(key.PublicKey, _file, bundle, "b.json").Outcome);
        }
    }

    [Fact]
    public void Flipping_any_byte_of_the_bundle_signature_fails_verification()
    {
        var (key, bundle) = SignedBundle();
        using (key)
        {
            for (var i = 0; i < bundle.MessageSignature!.Signature.Length; i++)
            {
                var signature = (byte[])bundle.MessageSignature.Signature.Clone();
                signature[i] ^= 0x01;
                var altered = SigstoreBundle.ForKeySignature(bundle.MessageSignature with { Signature = signature }, bundle.PublicKeyHint!);
                Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(key.PublicKey, _file, altered, "b.json").Outcome);
            }
        }
    }

    [Fact]
    public void Another_key_fails_verification_and_the_message_compares_the_hints()
    {
        var (key, bundle) = SignedBundle();
        using (key)
        using (var other = SigningKey.GenerateEcdsaP256())
        {
            var result = BlobSignatures.Verify(other.PublicKey, _file, bundle, "b.json");
            Assert.Equal(VerificationOutcome.Failed, result.Outcome);
            Assert.Equal("the signature in bundle b.json is not valid for the ECDSA P-256 key (wrong key, or the signature was altered). " +
                         $"The bundle names key hint {key.PublicKey.Hint}; the given key's is {other.PublicKey.Hint}.", result.Message);
        }
    }

    [Fact]
    public void A_sha384_message_digest_is_checked_with_sha384()
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, "ec");
        var sig = _temp.File("sig384");
        OpenSsl.Ok("dgst", "-sha384", "-sign", privateKey, "-out", sig, _file);
        var digest = Convert.FromHexString(OpenSsl.Ok("dgst", "-sha384", "-r", _file)[..96]);
        using var key = VerificationKey.FromPem(File.ReadAllText(OpenSsl.PublicKeyOf(privateKey)), "pub");
        var bundle = SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_384", digest, File.ReadAllBytes(sig)), key.Hint);
        Assert.Equal(VerificationOutcome.Verified, BlobSignatures.Verify(key, _file, bundle, "b.json").Outcome);
    }

    [Fact]
    public void An_ed25519_bundle_signature_covers_the_file_itself()
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, "ed25519");
        using var key = SigningKey.FromPem(File.ReadAllText(privateKey), privateKey, () => "");
        var bundle = SigstoreBundle.ForKeySignature(BlobSignatures.Sign(key, _file).ToMessageSignature(), key.PublicKey.Hint);
        Assert.Equal(VerificationOutcome.Verified, BlobSignatures.Verify(key.PublicKey, _file, bundle, "b.json").Outcome);
        File.AppendAllText(_file, "x");
        Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(key.PublicKey, _file, bundle, "b.json").Outcome);
    }

    [Theory]
    [InlineData("""{"mediaType":"application/json","messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AA=="},"signature":"AA=="}}""",
        "bundle b.json has media type 'application/json', which is not a Sigstore bundle v0.1–v0.3.")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{"payload":"AA=="}}""",
        "bundle b.json holds a DSSE envelope (an attestation); verify-blob checks message signatures only, for now.")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}""", "bundle b.json has no messageSignature.")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"messageDigest":{"algorithm":"SHA3_256","digest":"AA=="},"signature":"AA=="}}""",
        "bundle b.json uses digest algorithm 'SHA3_256', which Bulwark does not support (SHA2_256, SHA2_384, SHA2_512).")]
    public void Bundles_this_verifier_cannot_check_are_could_not_verify(string json, string message)
    {
        using var key = SigningKey.GenerateEcdsaP256();
        Assert.Equal(VerificationResult.CouldNotVerify(message), BlobSignatures.Verify(key.PublicKey, _file, Parse(json), "b.json"));
    }

    [Fact]
    public void A_bundle_with_a_flipped_digest_in_its_json_fails()
    {
        var (key, bundle) = SignedBundle();
        using (key)
        {
            var node = JsonNode.Parse(Json(bundle))!;
            var digest = Convert.FromBase64String(node["messageSignature"]!["messageDigest"]!["digest"]!.GetValue<string>());
            digest[^1] ^= 0x80;
            node["messageSignature"]!["messageDigest"]!["digest"] = Convert.ToBase64String(digest);
            Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(key.PublicKey, _file, Parse(node.ToJsonString()), "b.json").Outcome);
        }
    }
}
