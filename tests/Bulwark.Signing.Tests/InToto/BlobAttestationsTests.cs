// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.InToto;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.InToto;

public sealed class BlobAttestationsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Blob(string name = "app.bin", int seed = 1)
    {
        var content = new byte[4096];
        new Random(seed).NextBytes(content);
        return _dir.Write(name, content);
    }

    private static SigningKey Rsa()
    {
        using var rsa = RSA.Create(2048);
        return SigningKey.FromPkcs8(rsa.ExportPkcs8PrivateKey(), "rsa");
    }

    [Fact]
    public void An_attestation_verifies_with_ecdsa_and_rsa_keys_and_only_with_its_own()
    {
        var blob = Blob();
        using var ecdsa = SigningKey.GenerateEcdsaP256();
        using var rsa = Rsa();
        foreach (var key in new[] { ecdsa, rsa })
        {
            var envelope = BlobAttestations.Attest(key, blob, PredicateTypes.CycloneDx, """{"bomFormat":"CycloneDX"}"""u8, "bom.json");
            var other = key == ecdsa ? rsa : ecdsa;

            Assert.Equal(VerificationOutcome.Verified, BlobAttestations.Verify(key.PublicKey, blob, envelope, "env", PredicateTypes.CycloneDx, out var statement).Outcome);
            Assert.Equal(PredicateTypes.CycloneDx, statement!.PredicateType);
            Assert.Equal(VerificationOutcome.Failed, BlobAttestations.Verify(other.PublicKey, blob, envelope, "env", null, out _).Outcome);
        }
    }

    [Fact]
    public void Flipping_any_byte_of_payload_or_signature_fails_verification()
    {
        var blob = Blob();
        using var key = SigningKey.GenerateEcdsaP256();
        var envelope = BlobAttestations.Attest(key, blob, PredicateTypes.Spdx, """{"spdxVersion":"SPDX-2.3"}"""u8, "sbom.json");
        var signature = envelope.Signatures[0].Signature;
        for (var i = 0; i < envelope.Payload.Length; i += 7)
        {
            var payload = (byte[])envelope.Payload.Clone();
            payload[i] ^= 0x20;
            Assert.Equal(VerificationOutcome.Failed, BlobAttestations.Verify(key.PublicKey, blob, envelope with { Payload = payload }, "e", null, out _).Outcome);
        }
        for (var i = 0; i < signature.Length; i++)
        {
            var changed = (byte[])signature.Clone();
            changed[i] ^= 0x01;
            var tampered = envelope with { Signatures = [new DsseSignature(null, changed)] };
            Assert.Equal(VerificationOutcome.Failed, BlobAttestations.Verify(key.PublicKey, blob, tampered, "e", null, out _).Outcome);
        }
    }

    [Fact]
    public void Another_file_and_an_envelope_without_signatures_fail()
    {
        var blob = Blob();
        var other = Blob("other.bin", seed: 2);
        using var key = SigningKey.GenerateEcdsaP256();
        var envelope = BlobAttestations.Attest(key, blob, PredicateTypes.Link, "{}"u8, "link.json");

        var wrongFile = BlobAttestations.Verify(key.PublicKey, other, envelope, "e", null, out _);
        var unsigned = BlobAttestations.Verify(key.PublicKey, blob, envelope with { Signatures = [] }, "e", null, out _);

        Assert.Equal(VerificationOutcome.Failed, wrongFile.Outcome);
        Assert.Contains("the statement is about app.bin sha256:", wrongFile.Message, StringComparison.Ordinal);
        Assert.Equal(VerificationOutcome.Failed, unsigned.Outcome);
        Assert.Contains("the envelope has no signatures", unsigned.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_envelope_of_another_payload_type_fails()
    {
        var blob = Blob();
        using var key = SigningKey.GenerateEcdsaP256();
        var statement = BlobAttestations.Attest(key, blob, PredicateTypes.Link, "{}"u8, "l").Payload;
        var envelope = DsseEnvelope.Sign("application/json", statement, key);

        var result = BlobAttestations.Verify(key.PublicKey, blob, envelope, "e", null, out _);

        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Contains("payload type is 'application/json'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundle_round_trips_the_envelope_and_a_message_bundle_is_refused()
    {
        var blob = Blob();
        using var key = SigningKey.GenerateEcdsaP256();
        var envelope = BlobAttestations.Attest(key, blob, PredicateTypes.Link, "{}"u8, "l");
        using var buffer = new MemoryStream();
        BlobAttestations.WriteBundle(envelope, key.PublicKey.Hint, buffer);

        var read = BlobAttestations.ReadBundle(buffer.ToArray(), "b.json");

        Assert.Equal(envelope.ToJson(), read.ToJson());
        Assert.Throws<Bulwark.Core.InputException>(() => BlobAttestations.ReadBundle("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{}}"""u8, "m.json"));
        Assert.Throws<Bulwark.Core.InputException>(() => BlobAttestations.ReadBundle("""{"mediaType":"text/plain","dsseEnvelope":{}}"""u8, "m.json"));
    }
}
