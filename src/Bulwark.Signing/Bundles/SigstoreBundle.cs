// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Dsse;

namespace Bulwark.Signing.Bundles;

/// A signature over a message digest, as a bundle's `messageSignature` holds it.
/// <param name="DigestAlgorithm">The protobuf-specs HashAlgorithm name: SHA2_256, SHA2_384, SHA2_512.</param>
public sealed record MessageSignature(string DigestAlgorithm, byte[] Digest, byte[] Signature);

/// A Rekor transparency-log entry as a bundle carries it (protobuf-specs `TransparencyLogEntry`).
/// <param name="LogId">`logId.keyId`: SHA-256 of the log's DER public key.</param>
/// <param name="IntegratedTime">Seconds since the epoch; 0 when the log gave none (Rekor v2).</param>
/// <param name="SignedEntryTimestamp">`inclusionPromise.signedEntryTimestamp`, or null.</param>
/// <param name="CanonicalizedBody">The entry body exactly as the log hashed it.</param>
public sealed record TransparencyLogEntry(
    long LogIndex, byte[] LogId, string Kind, string KindVersion, long IntegratedTime,
    byte[]? SignedEntryTimestamp, InclusionProof? InclusionProof, byte[] CanonicalizedBody);

/// `inclusionProof`: an RFC 6962 audit path from the entry's leaf to a root hash, and the checkpoint (signed note) for it.
public sealed record InclusionProof(long LogIndex, byte[] RootHash, long TreeSize, IReadOnlyList<byte[]> Hashes, string? Checkpoint);

/// A Sigstore bundle (protobuf-specs `dev.sigstore.bundle.v1.Bundle`, JSON form): the signature and the material to
/// verify it. This reads every media type from v0.1 to v0.3 and writes v0.3 key-signed message signatures; certificates,
/// transparency-log entries and DSSE envelopes are recognised so the verifier can say what it does not check yet.
public sealed class SigstoreBundle
{
    public const string MediaTypeV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
    public const string MediaTypeV02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
    public const string MediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /// v0.3 also has this spelling in the wild (protobuf-specs accepts both).
    public const string MediaTypeV03Legacy = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    /// Bundles are kilobytes (a certificate chain and a few log entries); this bounds what a hostile file can allocate.
    public const int MaxBytes = 4 << 20;

    public required string MediaType { get; init; }
    /// `verificationMaterial.publicKey.hint`: for keys Bulwark or Cosign made, base64 SHA-256 of the PKIX DER.
    public string? PublicKeyHint { get; init; }
    public MessageSignature? MessageSignature { get; init; }
    public bool HasDsseEnvelope { get; init; }
    /// Whether the verification material is a certificate (or chain) rather than a public key.
    public bool HasCertificate { get; init; }
    public int TransparencyLogEntries { get; init; }
    public int SignedTimestamps { get; init; }
    /// DER certificates, leaf first: `certificate.rawBytes` (v0.3) or `x509CertificateChain.certificates` (v0.1, v0.2).
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];
    /// The log entries, in bundle order.
    public IReadOnlyList<TransparencyLogEntry> TlogEntries { get; init; } = [];
    /// `timestampVerificationData.rfc3161Timestamps[].signedTimestamp`: DER RFC 3161 TimeStampResp/TimeStampToken bytes.
    public IReadOnlyList<byte[]> Rfc3161Timestamps { get; init; } = [];
    /// The DSSE envelope, when the bundle signs an attestation rather than a message digest.
    public DsseEnvelope? DsseEnvelope { get; init; }
    /// Why the certificates, log entries, timestamps or envelope could not be read, or null when they could.
    public string? MalformedMaterial { get; init; }

    public bool IsKnownMediaType => MediaType is MediaTypeV01 or MediaTypeV02 or MediaTypeV03 or MediaTypeV03Legacy;

    /// A v0.3 bundle for a signature made with a key: no certificate, no log entry, no timestamp.
    public static SigstoreBundle ForKeySignature(MessageSignature signature, string publicKeyHint) => new()
    {
        MediaType = MediaTypeV03,
        PublicKeyHint = publicKeyHint,
        MessageSignature = signature,
    };

    /// Writes the JSON form, field names as protobuf-specs' JSON mapping gives them (lowerCamelCase, bytes as base64).
    public void WriteTo(Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            // a file, never embedded in HTML: write "+" in media types and base64 as it is, like other Sigstore clients
            Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance,
        });
        writer.WriteStartObject();
        writer.WriteString("mediaType", MediaType);
        writer.WriteStartObject("verificationMaterial");
        if (PublicKeyHint is not null)
        {
            writer.WriteStartObject("publicKey");
            writer.WriteString("hint", PublicKeyHint);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (MessageSignature is { } message)
        {
            writer.WriteStartObject("messageSignature");
            writer.WriteStartObject("messageDigest");
            writer.WriteString("algorithm", message.DigestAlgorithm);
            writer.WriteBase64String("digest", message.Digest);
            writer.WriteEndObject();
            writer.WriteBase64String("signature", message.Signature);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    /// Reads a bundle's JSON; an <see cref="InputException"/> names what is malformed.
    public static SigstoreBundle Read(ReadOnlyMemory<byte> json, string source)
    {
        if (json.Length > MaxBytes) throw new InputException($"Cannot read bundle {source}: {json.Length} bytes is larger than a bundle can be ({MaxBytes}).");
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            JsonText.RequireReadableStrings(root, $"bundle {source}");
            if (root.ValueKind != JsonValueKind.Object) throw new InputException($"Cannot read bundle {source}: the JSON is not an object.");
            var mediaType = root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            string? hint = null;
            bool certificate = false;
            int tlog = 0, timestamps = 0;
            var certificates = new List<byte[]>();
            var tlogEntries = new List<TransparencyLogEntry>();
            var signedTimestamps = new List<byte[]>();
            if (root.TryGetProperty("verificationMaterial", out var material) && material.ValueKind == JsonValueKind.Object)
            {
                if (material.TryGetProperty("publicKey", out var publicKey) && publicKey.TryGetProperty("hint", out var h) && h.ValueKind == JsonValueKind.String)
                    hint = h.GetString();
                certificate = material.TryGetProperty("certificate", out _) || material.TryGetProperty("x509CertificateChain", out _);
                if (material.TryGetProperty("tlogEntries", out var entries) && entries.ValueKind == JsonValueKind.Array) tlog = entries.GetArrayLength();
                if (material.TryGetProperty("timestampVerificationData", out var tsv) && tsv.ValueKind == JsonValueKind.Object &&
                    tsv.TryGetProperty("rfc3161Timestamps", out var ts) && ts.ValueKind == JsonValueKind.Array) timestamps = ts.GetArrayLength();
            }
            // the verification material in full; a bundle whose material is malformed still reads (verify-blob only needs
            // the message signature) but records why, and verify-bundle refuses it as unreadable
            DsseEnvelope? envelope = null;
            string? malformed = null;
            try
            {
                if (root.TryGetProperty("verificationMaterial", out var full) && full.ValueKind == JsonValueKind.Object)
                    ReadMaterial(full, certificates, tlogEntries, signedTimestamps);
                if (root.TryGetProperty("dsseEnvelope", out var dsse))
                    envelope = DsseEnvelope.FromJson(dsse, source);
            }
            catch (Exception e) when (e is InputException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                malformed = e.Message.TrimEnd('.');
            }
            MessageSignature? messageSignature = null;
            if (root.TryGetProperty("messageSignature", out var ms) && ms.ValueKind == JsonValueKind.Object)
            {
                var digest = ms.GetProperty("messageDigest");
                messageSignature = new MessageSignature(
                    digest.GetProperty("algorithm").GetString() ?? "",
                    Base64(digest.GetProperty("digest")),
                    Base64(ms.GetProperty("signature")));
            }
            return new SigstoreBundle
            {
                MediaType = mediaType,
                PublicKeyHint = hint,
                MessageSignature = messageSignature,
                HasDsseEnvelope = root.TryGetProperty("dsseEnvelope", out _),
                HasCertificate = certificate,
                TransparencyLogEntries = tlog,
                SignedTimestamps = timestamps,
                Certificates = certificates,
                TlogEntries = tlogEntries,
                Rfc3161Timestamps = signedTimestamps,
                DsseEnvelope = envelope,
                MalformedMaterial = malformed,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InputException($"Cannot read bundle {source}: {e.Message.TrimEnd('.')}. Is it a Sigstore bundle (JSON)?", e);
        }
    }

    private static void ReadMaterial(JsonElement material, List<byte[]> certificates, List<TransparencyLogEntry> tlogEntries, List<byte[]> signedTimestamps)
    {
        if (material.TryGetProperty("certificate", out var single))
            certificates.Add(Base64(single.GetProperty("rawBytes")));
        if (material.TryGetProperty("x509CertificateChain", out var chain))
        {
            foreach (var c in chain.GetProperty("certificates").EnumerateArray()) certificates.Add(Base64(c.GetProperty("rawBytes")));
        }
        if (material.TryGetProperty("tlogEntries", out var entries))
        {
            foreach (var e in entries.EnumerateArray()) tlogEntries.Add(ReadEntry(e));
        }
        if (material.TryGetProperty("timestampVerificationData", out var tsv) && tsv.TryGetProperty("rfc3161Timestamps", out var ts))
        {
            foreach (var t in ts.EnumerateArray()) signedTimestamps.Add(Base64(t.GetProperty("signedTimestamp")));
        }
    }

    private static TransparencyLogEntry ReadEntry(JsonElement e)
    {
        var kindVersion = e.GetProperty("kindVersion");
        InclusionProof? proof = null;
        if (e.TryGetProperty("inclusionProof", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            var hashes = new List<byte[]>();
            if (p.TryGetProperty("hashes", out var hs) && hs.ValueKind == JsonValueKind.Array)
            {
                foreach (var x in hs.EnumerateArray()) hashes.Add(Base64(x));
            }
            string? checkpoint = p.TryGetProperty("checkpoint", out var cp) && cp.ValueKind == JsonValueKind.Object &&
                                 cp.TryGetProperty("envelope", out var env) && env.ValueKind == JsonValueKind.String ? env.GetString() : null;
            proof = new InclusionProof(Int64(p, "logIndex"), Base64(p.GetProperty("rootHash")), Int64(p, "treeSize"), hashes, checkpoint);
        }
        byte[]? set = e.TryGetProperty("inclusionPromise", out var promise) && promise.ValueKind == JsonValueKind.Object &&
                      promise.TryGetProperty("signedEntryTimestamp", out var s) ? Base64(s) : null;
        return new TransparencyLogEntry(
            Int64(e, "logIndex"), Base64(e.GetProperty("logId").GetProperty("keyId")),
            kindVersion.GetProperty("kind").GetString() ?? "", kindVersion.GetProperty("version").GetString() ?? "",
            Int64(e, "integratedTime"), set, proof, Base64(e.GetProperty("canonicalizedBody")));
    }

    /// protobuf's JSON mapping writes int64 as a decimal string (and accepts a number); absent means 0.
    private static long Int64(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var v)) return 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt64(),
            JsonValueKind.String => long.Parse(v.GetString()!, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new FormatException($"'{name}' is not an integer"),
        };
    }

    /// protobuf's JSON mapping writes standard base64 and accepts URL-safe base64 too.
    private static byte[] Base64(JsonElement element)
    {
        var text = element.GetString() ?? throw new FormatException("a byte field is null");
        if (text.Contains('-', StringComparison.Ordinal) || text.Contains('_', StringComparison.Ordinal))
            text = text.Replace('-', '+').Replace('_', '/');
        if (text.Length % 4 != 0) text = text.PadRight(text.Length + (4 - text.Length % 4), '=');
        return Convert.FromBase64String(text);
    }

    /// The .NET hash for a protobuf-specs HashAlgorithm name, or null when Bulwark does not support it.
    public static HashAlgorithmName? HashFor(string name) => name switch
    {
        "SHA2_256" => HashAlgorithmName.SHA256,
        "SHA2_384" => HashAlgorithmName.SHA384,
        "SHA2_512" => HashAlgorithmName.SHA512,
        _ => null,
    };
}
