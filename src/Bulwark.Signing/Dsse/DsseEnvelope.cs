// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Dsse;

/// One signature of an envelope: an optional key id and the signature bytes.
public sealed record DsseSignature(string? KeyId, byte[] Signature);

/// A DSSE envelope (https://github.com/secure-systems-lab/dsse, protocol v1): a typed payload and signatures over its
/// pre-authentication encoding. In-toto attestations and Sigstore DSSE bundles carry one.
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, ImmutableArray<DsseSignature> Signatures)
{
    /// The in-toto Statement payload type.
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// Envelopes larger than this are refused before parsing (attestations are small; an SBOM predicate rarely exceeds a few MiB).
    public const int MaxEnvelopeBytes = 64 << 20;

    /// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts.
    /// This, never the raw payload, is what is signed, so a signature cannot be replayed under another payload type.
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var result = new byte[head.Length + type.Length + middle.Length + payload.Length];
        head.CopyTo(result, 0);
        type.CopyTo(result, head.Length);
        middle.CopyTo(result, head.Length + type.Length);
        payload.CopyTo(result.AsSpan(head.Length + type.Length + middle.Length));
        return result;
    }

    /// This envelope's PAE bytes.
    public byte[] PreAuthenticationEncoding() => PreAuthenticationEncoding(PayloadType, Payload);

    /// Signs a payload: one signature by <paramref name="key"/> over the PAE (SHA-256 for ECDSA and RSA).
    public static DsseEnvelope Sign(string payloadType, byte[] payload, SigningKey key, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pae = PreAuthenticationEncoding(payloadType, payload);
        using var stream = new MemoryStream(pae, writable: false);
        var signature = key.SignMessage(stream);
        return new DsseEnvelope(payloadType, payload, [new DsseSignature(keyId, signature)]);
    }

    /// True when at least one signature verifies with <paramref name="key"/>. An envelope with no signatures never verifies.
    public bool VerifiedBy(VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pae = PreAuthenticationEncoding();
        foreach (var s in Signatures)
        {
            using var stream = new MemoryStream(pae, writable: false);
            if (key.VerifyMessage(stream, s.Signature)) return true;
        }
        return false;
    }

    /// The envelope as JSON: {"payloadType", "payload" (base64), "signatures": [{"keyid", "sig" (base64)}]}.
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteTo(w);
        }
        return buffer.ToArray();
    }

    /// Writes the envelope as a JSON object (also used inside Sigstore bundles as "dsseEnvelope").
    public void WriteTo(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("payloadType", PayloadType);
        w.WriteString("payload", Convert.ToBase64String(Payload));
        w.WriteStartArray("signatures");
        foreach (var s in Signatures)
        {
            w.WriteStartObject();
            w.WriteString("keyid", s.KeyId ?? "");
            w.WriteString("sig", Convert.ToBase64String(s.Signature));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// Reads an envelope from JSON; an InputException names <paramref name="source"/> and what is wrong.
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json, string source)
    {
        if (json.Length > MaxEnvelopeBytes)
            throw new InputException($"Cannot read the DSSE envelope in {source}: {json.Length:N0} bytes is more than the {MaxEnvelopeBytes >> 20} MiB limit.");
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            JsonText.RequireReadableStrings(document.RootElement, $"the DSSE envelope in {source}");
            return FromJson(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read the DSSE envelope in {source}: not valid JSON ({e.Message}).", e);
        }
    }

    /// Reads an envelope from a parsed JSON object.
    public static DsseEnvelope FromJson(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InputException($"Cannot read the DSSE envelope in {source}: expected a JSON object.");
        var type = RequiredString(element, "payloadType", source);
        var payload = Base64(RequiredString(element, "payload", source), "payload", source);
        if (!element.TryGetProperty("signatures", out var sigs) || sigs.ValueKind != JsonValueKind.Array)
            throw new InputException($"Cannot read the DSSE envelope in {source}: 'signatures' is missing or not an array.");
        var signatures = ImmutableArray.CreateBuilder<DsseSignature>();
        var i = 0;
        foreach (var s in sigs.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object)
                throw new InputException($"Cannot read the DSSE envelope in {source}: signatures[{i}] is not an object.");
            var keyId = s.TryGetProperty("keyid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            signatures.Add(new DsseSignature(string.IsNullOrEmpty(keyId) ? null : keyId, Base64(RequiredString(s, "sig", source, $"signatures[{i}]."), $"signatures[{i}].sig", source)));
            i++;
        }
        return new DsseEnvelope(type, payload, signatures.ToImmutable());
    }

    private static string RequiredString(JsonElement e, string name, string source, string prefix = "") =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InputException($"Cannot read the DSSE envelope in {source}: '{prefix}{name}' is missing or not a string.");

    private static byte[] Base64(string text, string field, string source)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InputException($"Cannot read the DSSE envelope in {source}: '{field}' is not base64.");
        }
    }
}
