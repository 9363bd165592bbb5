// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.InToto;

/// In-toto attestations about files (`cosign attest-blob` / `verify-blob-attestation` with a key): a statement whose
/// subject is the file's name and SHA-256, in a DSSE envelope, optionally inside a Sigstore bundle v0.3.
public static class BlobAttestations
{
    /// Makes and signs the statement about <paramref name="path"/>.
    public static DsseEnvelope Attest(SigningKey key, string path, string predicateType, ReadOnlySpan<byte> predicate, string predicateSource,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var digest = new Digest(HashAlgorithm.Sha256, Convert.ToHexStringLower(ContentDigest.Sha256OfFile(path, ct)));
        var statement = InTotoStatement.Create([InTotoSubject.Sha256(Path.GetFileName(path), digest)], predicateType, predicate, predicateSource);
        return DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, key);
    }

    /// Writes a Sigstore bundle v0.3 holding the envelope and the public-key hint (no log entry, no certificate).
    public static void WriteBundle(DsseEnvelope envelope, string publicKeyHint, Stream output)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(output);
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteString("mediaType", SigstoreBundle.MediaTypeV03);
            w.WriteStartObject("verificationMaterial");
            w.WriteStartObject("publicKey");
            w.WriteString("hint", publicKeyHint);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WritePropertyName("dsseEnvelope");
            envelope.WriteTo(w);
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    /// Reads the DSSE envelope out of a Sigstore bundle (v0.1–v0.3); an <see cref="InputException"/> when there is none.
    public static DsseEnvelope ReadBundle(ReadOnlySpan<byte> json, string source)
    {
        if (json.Length > DsseEnvelope.MaxEnvelopeBytes)
            throw new InputException($"Cannot read bundle {source}: {json.Length:N0} bytes is more than the {DsseEnvelope.MaxEnvelopeBytes >> 20} MiB allowed.");
        try
        {
            // strings that are not text are refused here as not JSON, not met later in GetString
            using var doc = JsonText.ParseReadable(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            var mediaType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (mediaType is not (SigstoreBundle.MediaTypeV01 or SigstoreBundle.MediaTypeV02 or SigstoreBundle.MediaTypeV03 or SigstoreBundle.MediaTypeV03Legacy))
                throw new InputException($"Cannot read bundle {source}: media type '{mediaType}' is not a Sigstore bundle v0.1–v0.3.");
            if (!root.TryGetProperty("dsseEnvelope", out var envelope))
                throw new InputException($"Cannot read bundle {source}: it holds no dsseEnvelope (a message signature is checked with 'verify-blob').");
            return DsseEnvelope.FromJson(envelope, $"bundle {source}");
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read bundle {source}: not valid JSON ({e.Message}).", e);
        }
    }

    /// Checks an envelope against the file: signature, statement, the file's SHA-256 among the subjects, the predicate type.
    public static VerificationResult Verify(VerificationKey key, string path, DsseEnvelope envelope, string source, string? predicateType,
        out InTotoStatement? statement, CancellationToken ct = default)
    {
        var digest = new Digest(HashAlgorithm.Sha256, Convert.ToHexStringLower(ContentDigest.Sha256OfFile(path, ct)));
        if (AttestationCheck.Check(envelope, key, digest, predicateType, out statement) is { } reason)
        {
            statement = null;
            return VerificationResult.Failed($"attestation {source} for {path}: {reason}.");
        }
        return VerificationResult.Verified($"Verified OK: {path} ({digest}) is attested by {source} ({statement!.PredicateType}), signed by the {key.Description} key.");
    }
}
