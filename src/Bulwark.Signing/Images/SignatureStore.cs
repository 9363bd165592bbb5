// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;

namespace Bulwark.Signing.Images;

/// A signed layer as a registry holds it: the content (payload or envelope), its media type and annotations, and where
/// it was found ("tag sha256-….sig, layer 0", "referrer sha256:…") for messages.
public sealed record StoredSignature(string MediaType, byte[] Content, IReadOnlyDictionary<string, string> Annotations, string Source);

/// Which kind of signed layer: signatures (.sig) or attestations (.att).
public sealed record SignatureKind(string TagSuffix, string ArtifactType, string LayerMediaType, int MaxLayerBytes)
{
    public static SignatureKind Signature { get; } = new(CosignConventions.SignatureTagSuffix, CosignConventions.SignatureArtifactType,
        CosignConventions.SimpleSigningMediaType, SimpleSigningPayload.MaxBytes);
    public static SignatureKind Attestation { get; } = new(CosignConventions.AttestationTagSuffix, CosignConventions.AttestationArtifactType,
        CosignConventions.DsseEnvelopeMediaType, Dsse.DsseEnvelope.MaxEnvelopeBytes);
}

/// Writes signed layers to a repository both ways (Cosign's tag, an OCI 1.1 referrer) and finds them again.
public static class SignatureStore
{
    /// At most this many signed layers are read per image and storage, so a hostile registry cannot make verification run forever.
    public const int MaxSignatures = 256;

    /// At most this many bytes of signed layers are held per image and kind (a hostile registry could otherwise list
    /// hundreds of envelopes at the per-layer limit).
    public const long MaxTotalBytes = 256L << 20;

    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance };

    /// Adds the layer to the Cosign tag (sha256-HEX.sig or .att), keeping the signatures already there; returns the tag's
    /// new manifest digest. Storing a layer that is already there changes nothing.
    public static async Task<Digest> AppendToTagAsync(RegistryClient client, string registry, string repository, Digest subject,
        SignatureKind kind, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(kind);
        var tag = new ImageReference(registry, repository, CosignConventions.Tag(subject, kind.TagSuffix), null);
        var layers = new List<Descriptor>();
        try
        {
            var existing = await client.GetManifestAsync(tag, [MediaTypes.OciManifest, MediaTypes.DockerManifest], ct).ConfigureAwait(false);
            layers.AddRange(ImageManifest.Parse(existing.Bytes, $"manifest {tag}", existing.MediaType).Layers);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
        {
            // the first signature of this image
        }
        var digest = Digest.Sha256Of(content);
        var layer = new Descriptor(kind.LayerMediaType, digest, content.Length) { Annotations = Sorted(annotations) };
        if (!layers.Any(l => l.Digest == digest && SameAnnotations(l.Annotations, layer.Annotations))) layers.Add(layer);
        await client.PushBlobAsync(registry, repository, digest, new MemoryStream(content), content.Length, ct).ConfigureAwait(false);

        // Cosign's config: an image config whose diff_ids are the layers' digests (the layers are not compressed)
        var config = Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("architecture", "");
            w.WriteStartObject("config");
            w.WriteEndObject();
            w.WriteString("created", "0001-01-01T00:00:00Z");
            w.WriteStartArray("history");
            foreach (var _ in layers)
            {
                w.WriteStartObject();
                w.WriteString("created", "0001-01-01T00:00:00Z");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("os", "");
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (var l in layers) w.WriteStringValue(l.Digest.ToString());
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        var configDigest = Digest.Sha256Of(config);
        await client.PushBlobAsync(registry, repository, configDigest, new MemoryStream(config), config.Length, ct).ConfigureAwait(false);
        var manifest = Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciManifest);
            w.WritePropertyName("config");
            WriteDescriptor(w, new Descriptor(MediaTypes.OciConfig, configDigest, config.Length));
            w.WriteStartArray("layers");
            foreach (var l in layers) WriteDescriptor(w, l);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return await client.PutManifestAsync(tag, manifest, MediaTypes.OciManifest, ct).ConfigureAwait(false);
    }

    /// Pushes the layer as an OCI 1.1 artifact whose subject is the signed manifest (listed through the referrers API, or
    /// the sha256-HEX index tag where the registry has none); returns the artifact manifest's digest.
    public static async Task<Digest> PushReferrerAsync(RegistryClient client, string registry, string repository, Descriptor subject,
        SignatureKind kind, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(kind);
        var emptyDigest = Digest.Sha256Of(EmptyConfig);
        await client.PushBlobAsync(registry, repository, emptyDigest, new MemoryStream(EmptyConfig), EmptyConfig.Length, ct).ConfigureAwait(false);
        var digest = Digest.Sha256Of(content);
        await client.PushBlobAsync(registry, repository, digest, new MemoryStream(content), content.Length, ct).ConfigureAwait(false);
        var manifest = Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciManifest);
            w.WriteString("artifactType", kind.ArtifactType);
            w.WritePropertyName("config");
            WriteDescriptor(w, new Descriptor(MediaTypes.OciEmpty, emptyDigest, EmptyConfig.Length));
            w.WriteStartArray("layers");
            WriteDescriptor(w, new Descriptor(kind.LayerMediaType, digest, content.Length) { Annotations = Sorted(annotations) });
            w.WriteEndArray();
            w.WritePropertyName("subject");
            WriteDescriptor(w, new Descriptor(subject.MediaType, subject.Digest, subject.Size));
            w.WriteEndObject();
        });
        return await client.PushReferrerAsync(registry, repository, manifest, MediaTypes.OciManifest, subject.Digest, kind.ArtifactType, null, ct)
            .ConfigureAwait(false);
    }

    /// Every signed layer of this kind stored for <paramref name="subject"/>, from Cosign's tag and from referrers, each
    /// read with its digest checked. Layers too large for their kind are returned empty with a note in <paramref name="skipped"/>.
    public static async Task<IReadOnlyList<StoredSignature>> FindAsync(RegistryClient client, string registry, string repository, Digest subject,
        SignatureKind kind, List<string> skipped, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(skipped);
        var found = new List<StoredSignature>();
        var tag = new ImageReference(registry, repository, CosignConventions.Tag(subject, kind.TagSuffix), null);
        RegistryManifest? tagged = null;
        try
        {
            tagged = await client.GetManifestAsync(tag, [MediaTypes.OciManifest, MediaTypes.DockerManifest], ct).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
        {
            // no Cosign tag: perhaps referrers only
        }
        if (tagged is not null)
            await ReadLayersAsync(client, registry, repository, tagged, $"tag {tag.Tag}", kind, found, skipped, ct).ConfigureAwait(false);

        var referrers = await client.GetReferrersAsync(registry, repository, subject, kind.ArtifactType, ct).ConfigureAwait(false);
        foreach (var referrer in referrers.Take(MaxSignatures))
        {
            if (referrer.Size > RegistryClient.MaxManifestBytes)
            {
                skipped.Add($"referrer {referrer.Digest} is {referrer.Size:N0} bytes, too large for a manifest");
                continue;
            }
            RegistryManifest manifest;
            try
            {
                manifest = await client.GetManifestAsync(new ImageReference(registry, repository, null, referrer.Digest),
                    [MediaTypes.OciManifest], ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
            {
                // the fallback index is kept by clients, not the registry: it may list an artifact deleted since
                skipped.Add($"referrer {referrer.Digest} is listed but missing");
                continue;
            }
            await ReadLayersAsync(client, registry, repository, manifest, $"referrer {referrer.Digest}", kind, found, skipped, ct).ConfigureAwait(false);
        }
        return found;
    }

    private static async Task ReadLayersAsync(RegistryClient client, string registry, string repository, RegistryManifest manifest, string where,
        SignatureKind kind, List<StoredSignature> found, List<string> skipped, CancellationToken ct)
    {
        ImageManifest parsed;
        try
        {
            parsed = ImageManifest.Parse(manifest.Bytes, $"{where} ({manifest.Digest})", manifest.MediaType);
        }
        catch (InputException e)
        {
            skipped.Add(e.Message);
            return;
        }
        for (var i = 0; i < parsed.Layers.Count && found.Count < MaxSignatures; i++)
        {
            var layer = parsed.Layers[i];
            if (layer.MediaType != kind.LayerMediaType) continue;
            var source = parsed.Layers.Count == 1 ? where : $"{where}, layer {i}";
            if (layer.Size > kind.MaxLayerBytes)
            {
                skipped.Add($"{source} is {layer.Size:N0} bytes, more than the {kind.MaxLayerBytes:N0} allowed");
                continue;
            }
            if (found.Sum(f => (long)f.Content.Length) + layer.Size > MaxTotalBytes)
            {
                skipped.Add($"{source}: the signed layers found so far already hold {MaxTotalBytes >> 20} MiB");
                continue;
            }
            Stream stream;
            try
            {
                stream = await client.GetBlobAsync(registry, repository, layer.Digest, layer.Size, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
            {
                skipped.Add($"{source}: blob {layer.Digest} is missing");
                continue;
            }
            await using var _ = stream;
            var content = new byte[layer.Size];
            await stream.ReadExactlyAsync(content, ct).ConfigureAwait(false);
            // reading to the end makes the stream check the digest
            if (await stream.ReadAsync(new byte[1], ct).ConfigureAwait(false) != 0)
                throw new InputException($"{source}: blob {layer.Digest} is longer than its manifest says.");
            found.Add(new StoredSignature(layer.MediaType, content, layer.Annotations, source));
        }
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> annotations) =>
        new(annotations.ToDictionary(a => a.Key, a => a.Value), StringComparer.Ordinal);

    private static bool SameAnnotations(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static void WriteDescriptor(Utf8JsonWriter w, Descriptor d)
    {
        w.WriteStartObject();
        w.WriteString("mediaType", d.MediaType);
        w.WriteNumber("size", d.Size);
        w.WriteString("digest", d.Digest.ToString());
        if (d.Annotations.Count > 0)
        {
            w.WriteStartObject("annotations");
            foreach (var (k, v) in d.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Relaxed)) write(w);
        return buffer.ToArray();
    }
}
