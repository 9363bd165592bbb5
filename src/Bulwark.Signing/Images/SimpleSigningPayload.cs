// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Oci;

namespace Bulwark.Signing.Images;

/// Cosign's signed claim about an image (the "simple signing" format of containers/image, as Cosign writes it):
/// {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign container image signature"},"optional":{…}}.
public sealed record SimpleSigningPayload(string DockerReference, Digest ManifestDigest, ImmutableSortedDictionary<string, string> Optional)
{
    public const string CosignType = "cosign container image signature";
    /// containers/image's own type name; Cosign accepts it too.
    public const string AtomicType = "atomic container signature";
    /// Payloads are a few hundred bytes; annotations may add some.
    public const int MaxBytes = 1 << 20;

    /// The payload bytes, keys in Cosign's (sorted) order; "optional" is null without annotations, as Cosign writes it.
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteStartObject("critical");
            w.WriteStartObject("identity");
            w.WriteString("docker-reference", DockerReference);
            w.WriteEndObject();
            w.WriteStartObject("image");
            w.WriteString("docker-manifest-digest", ManifestDigest.ToString());
            w.WriteEndObject();
            w.WriteString("type", CosignType);
            w.WriteEndObject();
            if (Optional.Count == 0)
            {
                w.WriteNull("optional");
            }
            else
            {
                w.WriteStartObject("optional");
                foreach (var (key, value) in Optional) w.WriteString(key, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// Reads a payload that a signature has already been checked over; null with a reason when it is not a Cosign claim.
    public static SimpleSigningPayload? TryParse(ReadOnlySpan<byte> json, out string reason)
    {
        reason = "";
        if (json.Length > MaxBytes) { reason = $"{json.Length:N0} bytes is more than a payload may have"; return null; }
        try
        {
            // strings that are not text are refused here as not JSON, not met later in GetString
            using var doc = JsonText.ParseReadable(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("critical", out var critical) || critical.ValueKind != JsonValueKind.Object)
            {
                reason = "it has no 'critical' object";
                return null;
            }
            var type = critical.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is not (CosignType or AtomicType)) { reason = $"its critical.type is '{type}', not '{CosignType}'"; return null; }
            var digestText = critical.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.Object
                && image.TryGetProperty("docker-manifest-digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (!Digest.TryParse(digestText, out var digest)) { reason = "critical.image.docker-manifest-digest is missing or not a digest"; return null; }
            var reference = critical.TryGetProperty("identity", out var identity) && identity.ValueKind == JsonValueKind.Object
                && identity.TryGetProperty("docker-reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
            if (reference is null) { reason = "critical.identity.docker-reference is missing"; return null; }
            var optional = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.Object)
                foreach (var p in o.EnumerateObject())
                    optional[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            return new SimpleSigningPayload(reference, digest, optional.ToImmutable());
        }
        catch (JsonException e)
        {
            reason = $"it is not JSON ({e.Message})";
            return null;
        }
    }

    /// True when the payload's docker-reference names <paramref name="registry"/>/<paramref name="repository"/> (after
    /// Docker's normalisation: index.docker.io = docker.io, library/ for official images; a tag or digest on it is ignored).
    public bool NamesRepository(string registry, string repository) =>
        ImageReference.TryParse(DockerReference, out var r) && r.Registry == registry && r.Repository == repository;
}
