// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;

namespace Bulwark.Oci.Registry;

/// The push side (distribution spec "Push"): blob uploads (monolithic, chunked, mounted), manifests, referrers.
public sealed partial class RegistryClient
{
    /// Whether the repository already holds the blob (HEAD); used to skip uploads.
    public Task<bool> BlobExistsAsync(string registry, string repository, Digest digest, CancellationToken ct = default) =>
        BlobExistsAsync(registry, repository, digest, Pull(repository), ct);

    private async Task<bool> BlobExistsAsync(string registry, string repository, Digest digest, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        var call = new Call(HttpMethod.Head, Url(registry, $"/v2/{Repo(repository)}/blobs/{digest}"), registry, scopes,
            $"blob {registry}/{repository}@{digest}") { Idempotent = true, FollowRedirects = true };
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        return true;
    }

    /// Uploads a blob in one request (POST to open the session, PUT with the content and ?digest=), unless the
    /// repository already has it. A non-seekable <paramref name="content"/> is read once.
    public async Task PushBlobAsync(string registry, string repository, Digest digest, Stream content, long size, CancellationToken ct = default)
    {
        var scopes = Push(repository);
        if (await BlobExistsAsync(registry, repository, digest, scopes, ct).ConfigureAwait(false)) return;
        var (location, _) = await StartUploadAsync(registry, repository, scopes, query: null, ct).ConfigureAwait(false);
        var start = content.CanSeek ? content.Position : -1;
        var call = new Call(HttpMethod.Put, WithQuery(location, "digest=" + Uri.EscapeDataString(digest.ToString())), registry, scopes,
            $"upload of blob {digest} to {registry}/{repository}")
        {
            Content = resend =>
            {
                if (resend > 0)
                {
                    if (start < 0) return null;
                    content.Position = start;
                }
                var body = new StreamContent(new NonClosingStream(content));
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                body.Headers.ContentLength = size;
                return body;
            },
        };
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        CheckCreatedDigest(response, digest, call.What);
    }

    /// Uploads a blob in chunks (PATCH with Content-Range, following each Location, then PUT ?digest=), unless the
    /// repository already has it. Chunks are at least the registry's OCI-Chunk-Min-Length.
    public async Task PushBlobChunkedAsync(string registry, string repository, Digest digest, Stream content, int? chunkSize = null,
        CancellationToken ct = default)
    {
        var scopes = Push(repository);
        if (await BlobExistsAsync(registry, repository, digest, scopes, ct).ConfigureAwait(false)) return;
        var (location, minChunk) = await StartUploadAsync(registry, repository, scopes, query: null, ct).ConfigureAwait(false);
        var size = Math.Max(chunkSize ?? _options.ChunkSize, minChunk ?? 1);
        var buffer = new byte[size];
        long offset = 0;
        var what = $"upload of blob {digest} to {registry}/{repository}";
        while (true)
        {
            var filled = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (filled == 0) break;
            var first = offset;
            var chunk = new Call(HttpMethod.Patch, location, registry, scopes, what)
            {
                Content = _ =>
                {
                    var body = new ByteArrayContent(buffer, 0, filled);
                    body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    body.Headers.ContentLength = filled;
                    // the spec's Content-Range is "<start>-<end>" inclusive, without the "bytes" unit of RFC 9110
                    body.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + filled - 1}");
                    return body;
                },
            };
            using (var response = await SendAsync(chunk, ct).ConfigureAwait(false))
            {
                if (response.StatusCode != HttpStatusCode.Accepted) throw await ErrorAsync(response, chunk, ct).ConfigureAwait(false);
                location = LocationOf(response, location, what);
            }
            offset += filled;
            if (filled < buffer.Length) break;
        }
        var close = new Call(HttpMethod.Put, WithQuery(location, "digest=" + Uri.EscapeDataString(digest.ToString())), registry, scopes, what)
        {
            Content = _ => new ByteArrayContent([]),
        };
        using var closed = await SendAsync(close, ct).ConfigureAwait(false);
        if (closed.StatusCode != HttpStatusCode.Created) throw await ErrorAsync(closed, close, ct).ConfigureAwait(false);
        CheckCreatedDigest(closed, digest, what);
    }

    /// Asks the registry to link a blob from another repository it holds (POST ?mount=&amp;from=). True when mounted;
    /// false when the registry declined (it then opened an upload session, which it expires by itself) and the
    /// caller must push the blob.
    public async Task<bool> MountBlobAsync(string registry, string repository, Digest digest, string fromRepository, CancellationToken ct = default)
    {
        Repo(fromRepository);
        var scopes = (IReadOnlyList<string>)[.. Push(repository), $"repository:{fromRepository}:pull"];
        var query = $"mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}";
        var call = new Call(HttpMethod.Post, Url(registry, $"/v2/{Repo(repository)}/blobs/uploads/", query), registry, scopes,
            $"mount of blob {digest} from {registry}/{fromRepository} into {registry}/{repository}") { Content = _ => new ByteArrayContent([]) };
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        if (response.StatusCode == HttpStatusCode.Accepted) return false;
        throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
    }

    /// Stores a manifest under the reference's tag (or, without a tag, its digest) and returns the manifest's digest.
    public async Task<Digest> PutManifestAsync(ImageReference target, ReadOnlyMemory<byte> manifest, string mediaType, CancellationToken ct = default) =>
        (await PutManifestCoreAsync(target, manifest, mediaType, ct).ConfigureAwait(false)).Digest;

    /// Pushes an artifact manifest whose <c>subject</c> is <paramref name="subject"/> (a signature, an SBOM) by digest and
    /// makes it findable: a registry with the referrers API says so with OCI-Subject; for any other registry the
    /// artifact is added to the referrers tag schema index (tag <c>sha256-&lt;hex&gt;</c>), as the distribution spec requires.
    public async Task<Digest> PushReferrerAsync(string registry, string repository, ReadOnlyMemory<byte> manifest, string mediaType,
        Digest subject, string? artifactType, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken ct = default)
    {
        var digest = Digest.Sha256Of(manifest.Span);
        var (stored, indexedSubject) = await PutManifestCoreAsync(new ImageReference(registry, repository, null, digest), manifest, mediaType, ct)
            .ConfigureAwait(false);
        if (indexedSubject == subject) return stored; // the registry keeps the referrers list itself
        var entry = new Descriptor(mediaType, digest, manifest.Length)
        {
            ArtifactType = artifactType,
            Annotations = annotations ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
        };
        await AddToReferrersTagAsync(registry, repository, subject, entry, ct).ConfigureAwait(false);
        return stored;
    }

    private async Task AddToReferrersTagAsync(string registry, string repository, Digest subject, Descriptor entry, CancellationToken ct)
    {
        var tag = new ImageReference(registry, repository, $"{subject.Prefix}-{subject.Hex}", null);
        byte[]? existing = null;
        try
        {
            existing = (await GetManifestAsync(tag, [MediaTypes.OciIndex], ct).ConfigureAwait(false)).Bytes.ToArray();
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
        {
            // the first referrer of this subject: the index starts empty
        }
        using var buffer = new MemoryStream();
        // relaxed escaping writes "+json" as is: this JSON is never embedded in HTML
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            if (existing is not null)
            {
                using var doc = ParseJson(existing, $"referrers tag {tag}");
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("manifests", out var manifests)
                    && manifests.ValueKind == JsonValueKind.Array)
                    foreach (var m in manifests.EnumerateArray())
                        // keep every other entry exactly as it was; a re-pushed artifact is listed once
                        if (!(m.ValueKind == JsonValueKind.Object && m.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String
                              && Digest.TryParse(d.GetString(), out var listed) && listed == entry.Digest))
                            m.WriteTo(json);
            }
            json.WriteStartObject();
            json.WriteString("mediaType", entry.MediaType);
            json.WriteString("digest", entry.Digest.ToString());
            json.WriteNumber("size", entry.Size);
            if (entry.ArtifactType is not null) json.WriteString("artifactType", entry.ArtifactType);
            if (entry.Annotations.Count > 0)
            {
                json.WriteStartObject("annotations");
                foreach (var (key, value) in entry.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await PutManifestAsync(tag, buffer.ToArray(), MediaTypes.OciIndex, ct).ConfigureAwait(false);
    }

    private async Task<(Digest Digest, Digest? Subject)> PutManifestCoreAsync(ImageReference target, ReadOnlyMemory<byte> manifest, string mediaType,
        CancellationToken ct)
    {
        var digest = Digest.Sha256Of(manifest.Span);
        if (target.Digest is { } pinned && pinned != OciDigests.Compute(manifest.Span, pinned.Algorithm, "manifest"))
            throw new InputException($"Cannot push the manifest to {target}: its content does not hash to {pinned}.");
        var reference = target.Tag ?? target.Digest?.ToString() ?? digest.ToString();
        var call = new Call(HttpMethod.Put, Url(target.Registry, $"/v2/{Repo(target.Repository)}/manifests/{Reference(reference)}"),
            target.Registry, Push(target.Repository), $"manifest {target.Registry}/{target.Repository}:{reference}")
        {
            Idempotent = true, // storing the same bytes twice is harmless
            Content = _ =>
            {
                var body = new ReadOnlyMemoryContent(manifest);
                body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                return body;
            },
        };
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        if (HeaderDigest(response) is { Algorithm: HashAlgorithm.Sha256 } stored && stored != digest)
            throw new RegistryException(RegistryFailure.DigestMismatch, $"The registry stored {call.What} as {stored}, but its content is {digest}.");
        Digest? subject = response.Headers.TryGetValues("OCI-Subject", out var values) && Digest.TryParse(values.FirstOrDefault(), out var s) ? s : null;
        return (digest, subject);
    }

    private async Task<(Uri Location, int? MinChunk)> StartUploadAsync(string registry, string repository, IReadOnlyList<string> scopes,
        string? query, CancellationToken ct)
    {
        var what = $"upload to {registry}/{repository}";
        var call = new Call(HttpMethod.Post, Url(registry, $"/v2/{Repo(repository)}/blobs/uploads/", query), registry, scopes, what)
        {
            Idempotent = true, // an abandoned session costs nothing: the registry expires it
            Content = _ => new ByteArrayContent([]),
        };
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        int? min = response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) && m > 0
            ? Math.Min(m, 256 * 1024 * 1024) : null;
        return (LocationOf(response, call.Uri, what), min);
    }

    private static void CheckCreatedDigest(HttpResponseMessage response, Digest expected, string what)
    {
        if (HeaderDigest(response) is { } stored && stored.Algorithm == expected.Algorithm && stored != expected)
            throw new RegistryException(RegistryFailure.DigestMismatch, $"The registry completed the {what} as {stored}, not {expected}.");
    }
}
