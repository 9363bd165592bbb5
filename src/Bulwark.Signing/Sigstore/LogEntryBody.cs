// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Sigstore;

/// Checks that a Rekor entry body (`canonicalizedBody`) records exactly the bundle's signature, signer and content,
/// so a valid log entry for something else cannot vouch for this bundle (CVE-2022-36056).
public static class LogEntryBody
{
    /// The signer as the body must name it: the leaf certificate's DER, or the public key's DER SubjectPublicKeyInfo.
    public sealed record Signer(byte[]? CertificateDer, byte[] SubjectPublicKeyInfo);

    /// Null when the body matches; otherwise why not.
    public static string? Check(TransparencyLogEntry entry, SigstoreBundle bundle, Signer signer)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(signer);
        try
        {
            using var document = JsonDocument.Parse(entry.CanonicalizedBody, new JsonDocumentOptions { MaxDepth = 32 });
            var body = document.RootElement;
            var kind = body.GetProperty("kind").GetString();
            var version = body.GetProperty("apiVersion").GetString();
            if (kind != entry.Kind || version != entry.KindVersion)
                return $"the entry body is {kind} {version}, but the bundle says {entry.Kind} {entry.KindVersion}";
            var spec = body.GetProperty("spec");
            return (kind, version) switch
            {
                ("hashedrekord", "0.0.1") => HashedRekord(spec, bundle, signer),
                ("intoto", "0.0.2") => InToto(spec, bundle, signer),
                ("dsse", "0.0.1") => Dsse(spec, bundle, signer),
                ("hashedrekord", "0.0.2") => HashedRekordV2(spec.GetProperty("hashedRekordV002"), bundle, signer),
                ("dsse", "0.0.2") => DsseV2(spec.GetProperty("dsseV002"), bundle, signer),
                _ => $"log entries of kind {kind} {version} are not supported",
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or InputException)
        {
            return $"the log entry body is malformed ({e.Message.TrimEnd('.')})";
        }
    }

    private static string? HashedRekord(JsonElement spec, SigstoreBundle bundle, Signer signer)
    {
        if (bundle.MessageSignature is not { } message) return "a hashedrekord entry can only record a message signature";
        var hash = spec.GetProperty("data").GetProperty("hash");
        var algorithm = message.DigestAlgorithm switch { "SHA2_256" => "sha256", "SHA2_384" => "sha384", "SHA2_512" => "sha512", _ => "?" };
        if (hash.GetProperty("algorithm").GetString() != algorithm ||
            !string.Equals(hash.GetProperty("value").GetString(), Convert.ToHexStringLower(message.Digest), StringComparison.Ordinal))
            return "the log entry records a different artifact digest";
        var signature = spec.GetProperty("signature");
        if (!Convert.FromBase64String(signature.GetProperty("content").GetString()!).AsSpan().SequenceEqual(message.Signature))
            return "the log entry records a different signature";
        return SignerMatches(Convert.FromBase64String(signature.GetProperty("publicKey").GetProperty("content").GetString()!), signer);
    }

    private static string? InToto(JsonElement spec, SigstoreBundle bundle, Signer signer)
    {
        if (bundle.DsseEnvelope is not { } envelope) return "an intoto entry can only record a DSSE envelope";
        var content = spec.GetProperty("content");
        var recorded = content.GetProperty("envelope");
        if (recorded.GetProperty("payloadType").GetString() != envelope.PayloadType) return "the log entry records a different payload type";
        // intoto v0.0.2 double-encodes: payload and sig are base64 of the base64 text
        if (recorded.TryGetProperty("payload", out var payload) &&
            !Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(payload.GetString()!))).AsSpan().SequenceEqual(envelope.Payload))
            return "the log entry records a different payload";
        if (PayloadHash(content.GetProperty("payloadHash"), envelope) is { } reason) return reason;
        var signatures = recorded.GetProperty("signatures");
        return SignaturesMatch(signatures.EnumerateArray().Select(s => (
            Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(s.GetProperty("sig").GetString()!))),
            Convert.FromBase64String(s.GetProperty("publicKey").GetString()!))).ToList(), envelope, signer);
    }

    private static string? Dsse(JsonElement spec, SigstoreBundle bundle, Signer signer)
    {
        if (bundle.DsseEnvelope is not { } envelope) return "a dsse entry can only record a DSSE envelope";
        if (PayloadHash(spec.GetProperty("payloadHash"), envelope) is { } reason) return reason;
        return SignaturesMatch(spec.GetProperty("signatures").EnumerateArray().Select(s => (
            Convert.FromBase64String(s.GetProperty("signature").GetString()!),
            Convert.FromBase64String(s.GetProperty("verifier").GetString()!))).ToList(), envelope, signer);
    }

    // Rekor v2 bodies (protobuf-specs rekor/v2): digests as {algorithm: SHA2_256, digest: base64}, signers as a
    // verifier holding publicKey.rawBytes (DER SPKI) or x509Certificate.rawBytes (DER)
    private static string? HashedRekordV2(JsonElement spec, SigstoreBundle bundle, Signer signer)
    {
        if (bundle.MessageSignature is not { } message) return "a hashedrekord entry can only record a message signature";
        var data = spec.GetProperty("data");
        if (data.GetProperty("algorithm").GetString() != message.DigestAlgorithm ||
            !Convert.FromBase64String(data.GetProperty("digest").GetString()!).AsSpan().SequenceEqual(message.Digest))
            return "the log entry records a different artifact digest";
        var signature = spec.GetProperty("signature");
        if (!Convert.FromBase64String(signature.GetProperty("content").GetString()!).AsSpan().SequenceEqual(message.Signature))
            return "the log entry records a different signature";
        return VerifierMatches(signature.GetProperty("verifier"), signer);
    }

    private static string? DsseV2(JsonElement spec, SigstoreBundle bundle, Signer signer)
    {
        if (bundle.DsseEnvelope is not { } envelope) return "a dsse entry can only record a DSSE envelope";
        var hash = spec.GetProperty("payloadHash");
        if (hash.GetProperty("algorithm").GetString() != "SHA2_256" ||
            !Convert.FromBase64String(hash.GetProperty("digest").GetString()!).AsSpan().SequenceEqual(SHA256.HashData(envelope.Payload)))
            return "the log entry records a different payload hash";
        var signatures = spec.GetProperty("signatures");
        if (signatures.GetArrayLength() != 1 || envelope.Signatures.Length != 1) return "the log entry and the envelope must each hold exactly one signature";
        var recorded = signatures[0];
        if (!Convert.FromBase64String(recorded.GetProperty("content").GetString()!).AsSpan().SequenceEqual(envelope.Signatures[0].Signature))
            return "the log entry records a different signature";
        return VerifierMatches(recorded.GetProperty("verifier"), signer);
    }

    private static string? VerifierMatches(JsonElement verifier, Signer signer)
    {
        bool same;
        if (verifier.TryGetProperty("x509Certificate", out var certificate))
            same = signer.CertificateDer is { } der && der.AsSpan().SequenceEqual(Convert.FromBase64String(certificate.GetProperty("rawBytes").GetString()!));
        else if (verifier.TryGetProperty("publicKey", out var key))
            same = signer.CertificateDer is null && signer.SubjectPublicKeyInfo.AsSpan().SequenceEqual(Convert.FromBase64String(key.GetProperty("rawBytes").GetString()!));
        else
            same = false;
        return same ? null : "the log entry records a different signing certificate or key";
    }

    private static string? PayloadHash(JsonElement hash, DsseEnvelope envelope) =>
        hash.GetProperty("algorithm").GetString() == "sha256" &&
        hash.GetProperty("value").GetString() == Convert.ToHexStringLower(SHA256.HashData(envelope.Payload))
            ? null
            : "the log entry records a different payload hash";

    // the entry and the bundle must hold the same single signature by the same signer
    private static string? SignaturesMatch(List<(byte[] Signature, byte[] Pem)> recorded, DsseEnvelope envelope, Signer signer)
    {
        if (recorded.Count != 1 || envelope.Signatures.Length != 1) return "the log entry and the envelope must each hold exactly one signature";
        if (!recorded[0].Signature.AsSpan().SequenceEqual(envelope.Signatures[0].Signature)) return "the log entry records a different signature";
        return SignerMatches(recorded[0].Pem, signer);
    }

    private static string? SignerMatches(byte[] pem, Signer signer)
    {
        var block = PemBlock.ReadFirst(Encoding.UTF8.GetString(pem), "the log entry");
        var same = block.Label switch
        {
            "CERTIFICATE" => signer.CertificateDer is { } der && der.AsSpan().SequenceEqual(block.Data),
            "PUBLIC KEY" => signer.CertificateDer is null && signer.SubjectPublicKeyInfo.AsSpan().SequenceEqual(block.Data),
            _ => false,
        };
        return same ? null : "the log entry records a different signing certificate or key";
    }
}
