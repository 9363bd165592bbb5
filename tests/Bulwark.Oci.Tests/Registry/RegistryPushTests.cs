// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using static Bulwark.Oci.Tests.Registry.FakeRegistryHandler;

namespace Bulwark.Oci.Tests.Registry;

public sealed class RegistryPushTests
{
    private const string Host = "registry.example";
    private static readonly byte[] Blob = Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuvwxyz"); // 36 bytes
    private static readonly Digest BlobDigest = Digest.Sha256Of(Blob);

    private static RegistryClient Client(FakeRegistryHandler fake, int chunkSize = 8 * 1024 * 1024) =>
        new(new RegistryClientOptions { Handler = fake, Credentials = StaticCredentials.None, RetryDelay = TimeSpan.FromMilliseconds(1), ChunkSize = chunkSize });

    private static HttpResponseMessage Accepted(string location, params (string, string)[] extra) =>
        Status(HttpStatusCode.Accepted, null, [("Location", location), .. extra]);

    [Fact]
    public async Task Skips_the_upload_of_a_blob_the_repository_already_has()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Head, $"/v2/team/app/blobs/{BlobDigest}", _ => Status(HttpStatusCode.OK));
        using var client = Client(fake);

        await client.PushBlobAsync(Host, "team/app", BlobDigest, new MemoryStream(Blob), Blob.Length);

        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Uploads_a_blob_monolithically_with_post_then_put_digest()
    {
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Post, "/v2/team/app/blobs/uploads/", _ => Accepted("/v2/team/app/blobs/uploads/u1?_state=abc"))
            .On(r => r.Method == HttpMethod.Put, _ => Status(HttpStatusCode.Created, null, ("Docker-Content-Digest", BlobDigest.ToString())))
            .On(_ => true, _ => Status(HttpStatusCode.NotFound));
        using var client = Client(fake);

        await client.PushBlobAsync(Host, "team/app", BlobDigest, new MemoryStream(Blob), Blob.Length);

        var put = fake.Requests[^1];
        Assert.Equal($"https://registry.example/v2/team/app/blobs/uploads/u1?_state=abc&digest=sha256%3A{BlobDigest.Hex}", put.Uri.ToString());
        Assert.Equal(Blob, put.Body);
        Assert.Equal(("application/octet-stream", "36"), (put.ContentHeaders["Content-Type"], put.ContentHeaders["Content-Length"]));
        Assert.Equal(["HEAD", "POST", "PUT"], fake.Requests.Select(r => r.Method.Method));
    }

    [Fact]
    public async Task Asks_for_a_push_token_when_a_pull_token_is_cached()
    {
        var tokenScopes = new List<string>();
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", r =>
            {
                tokenScopes.Add(Uri.UnescapeDataString(r.Uri.Query));
                return Status(HttpStatusCode.OK, r.Uri.Query.Contains("push", StringComparison.Ordinal) ? """{"token":"push"}""" : """{"token":"pull"}""");
            })
            .On(r => r.Authorization == "Bearer pull" && r.Method == HttpMethod.Head, _ => Status(HttpStatusCode.NotFound))
            .On(r => r.Authorization == "Bearer push" && r.Method == HttpMethod.Head, _ => Status(HttpStatusCode.NotFound))
            .On(r => r.Authorization == "Bearer push" && r.Method == HttpMethod.Post, _ => Accepted("/v2/team/app/blobs/uploads/u1"))
            .On(r => r.Authorization == "Bearer push" && r.Method == HttpMethod.Put, _ => Status(HttpStatusCode.Created))
            .On(_ => true, r => Status(HttpStatusCode.Unauthorized, null, ("WWW-Authenticate",
                $"""Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:{(r.Method == HttpMethod.Head ? "pull" : "pull,push")}" """)));
        using var client = Client(fake);

        Assert.False(await client.BlobExistsAsync(Host, "team/app", BlobDigest));
        await client.PushBlobAsync(Host, "team/app", BlobDigest, new MemoryStream(Blob), Blob.Length);

        Assert.Equal(["?service=registry.example&scope=repository:team/app:pull", "?service=registry.example&scope=repository:team/app:pull,push"], tokenScopes);
        Assert.Equal("Bearer push", fake.Requests[^1].Authorization);
    }

    [Fact]
    public async Task Uploads_in_chunks_with_content_range_following_each_location()
    {
        var patches = 0;
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Head, $"/v2/team/app/blobs/{BlobDigest}", _ => Status(HttpStatusCode.NotFound))
            .On(HttpMethod.Post, "/v2/team/app/blobs/uploads/", _ => Accepted("/v2/team/app/blobs/uploads/u1", ("OCI-Chunk-Min-Length", "16")))
            .On(r => r.Method == HttpMethod.Patch, r => Accepted($"https://registry.example/v2/team/app/blobs/uploads/u1?part={++patches}",
                ("Range", $"0-{r.ContentHeaders["Content-Range"].Split('-')[1]}")))
            .On(r => r.Method == HttpMethod.Put, _ => Status(HttpStatusCode.Created));
        using var client = Client(fake, chunkSize: 4); // raised to the registry's minimum of 16

        await client.PushBlobChunkedAsync(Host, "team/app", BlobDigest, new MemoryStream(Blob));

        var chunks = fake.Requests.Where(r => r.Method == HttpMethod.Patch).ToList();
        Assert.Equal(["0-15", "16-31", "32-35"], chunks.Select(c => c.ContentHeaders["Content-Range"]));
        Assert.Equal(["/v2/team/app/blobs/uploads/u1", "/v2/team/app/blobs/uploads/u1?part=1", "/v2/team/app/blobs/uploads/u1?part=2"],
            chunks.Select(c => c.PathAndQuery));
        Assert.Equal(Blob, chunks.SelectMany(c => c.Body).ToArray());
        var close = fake.Requests[^1];
        Assert.Equal($"/v2/team/app/blobs/uploads/u1?part=3&digest=sha256%3A{BlobDigest.Hex}", close.PathAndQuery);
        Assert.Empty(close.Body);
    }

    [Fact]
    public async Task Does_not_retry_a_failed_chunk()
    {
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Head, $"/v2/team/app/blobs/{BlobDigest}", _ => Status(HttpStatusCode.NotFound))
            .On(HttpMethod.Post, "/v2/team/app/blobs/uploads/", _ => Accepted("/v2/team/app/blobs/uploads/u1"))
            .On(r => r.Method == HttpMethod.Patch, _ => Status(HttpStatusCode.RequestedRangeNotSatisfiable,
                """{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"blob upload invalid"}]}"""));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.PushBlobChunkedAsync(Host, "team/app", BlobDigest, new MemoryStream(Blob)));

        Assert.Equal(RegistryFailure.Protocol, e.Failure);
        Assert.Equal($"Registry registry.example answered 416 Requested Range Not Satisfiable for upload of blob {BlobDigest} to registry.example/team/app (BLOB_UPLOAD_INVALID: blob upload invalid).", e.Message);
        Assert.Single(fake.Requests, r => r.Method == HttpMethod.Patch);
    }

    [Fact]
    public async Task Mounts_a_blob_from_another_repository()
    {
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Post, $"/v2/team/app/blobs/uploads/?mount=sha256%3A{BlobDigest.Hex}&from=team%2Fbase", _ => Status(HttpStatusCode.Created))
            .On(HttpMethod.Post, $"/v2/other/app/blobs/uploads/?mount=sha256%3A{BlobDigest.Hex}&from=team%2Fbase", _ => Accepted("/v2/other/app/blobs/uploads/u9"));
        using var client = Client(fake);

        Assert.True(await client.MountBlobAsync(Host, "team/app", BlobDigest, "team/base"));
        Assert.False(await client.MountBlobAsync(Host, "other/app", BlobDigest, "team/base"));
    }

    [Fact]
    public async Task Puts_a_manifest_by_tag_with_its_media_type_and_returns_its_digest()
    {
        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""");
        var fake = new FakeRegistryHandler().On(HttpMethod.Put, "/v2/team/app/manifests/1.2", _ => Status(HttpStatusCode.Created, null,
            ("Docker-Content-Digest", Digest.Sha256Of(manifest).ToString())));
        using var client = Client(fake);

        var digest = await client.PutManifestAsync(new ImageReference(Host, "team/app", "1.2", null), manifest, MediaTypes.OciManifest);

        Assert.Equal(Digest.Sha256Of(manifest), digest);
        Assert.Equal(manifest, fake.Requests[0].Body);
        Assert.Equal(MediaTypes.OciManifest, fake.Requests[0].ContentHeaders["Content-Type"]);
    }

    [Fact]
    public async Task Puts_a_manifest_by_digest_when_there_is_no_tag()
    {
        var manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        var digest = Digest.Sha256Of(manifest);
        var fake = new FakeRegistryHandler().On(HttpMethod.Put, $"/v2/team/app/manifests/{digest}", _ => Status(HttpStatusCode.Created));
        using var client = Client(fake);

        Assert.Equal(digest, await client.PutManifestAsync(new ImageReference(Host, "team/app", null, digest), manifest, MediaTypes.OciManifest));
    }

    [Fact]
    public async Task Refuses_to_push_a_manifest_under_a_digest_it_does_not_have()
    {
        using var client = Client(new FakeRegistryHandler());
        var wrong = Digest.Sha256Of("x"u8);

        var e = await Assert.ThrowsAsync<InputException>(() =>
            client.PutManifestAsync(new ImageReference(Host, "team/app", null, wrong), "{}"u8.ToArray(), MediaTypes.OciManifest));

        Assert.Contains($"does not hash to {wrong}", e.Message, StringComparison.Ordinal);
    }

    private static readonly Digest Subject = Digest.Sha256Of("subject"u8);
    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"artifactType":"application/spdx+json"}""");

    [Fact]
    public async Task Leaves_the_referrers_list_to_a_registry_that_answers_OCI_Subject()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Put, $"/v2/team/app/manifests/{Digest.Sha256Of(Artifact)}",
            _ => Status(HttpStatusCode.Created, null, ("OCI-Subject", Subject.ToString())));
        using var client = Client(fake);

        var digest = await client.PushReferrerAsync(Host, "team/app", Artifact, MediaTypes.OciManifest, Subject, "application/spdx+json");

        Assert.Equal(Digest.Sha256Of(Artifact), digest);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Adds_the_referrer_to_the_tag_schema_index_keeping_the_other_entries()
    {
        var other = Digest.Sha256Of("older signature"u8);
        var existing = $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{other}}}","size":7,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json","x-extra":true},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Digest.Sha256Of(Artifact)}}}","size":1}]}""";
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Put, $"/v2/team/app/manifests/{Digest.Sha256Of(Artifact)}", _ => Status(HttpStatusCode.Created))
            .On(HttpMethod.Get, $"/v2/team/app/manifests/sha256-{Subject.Hex}", _ => FakeRegistryHandler.Bytes(Encoding.UTF8.GetBytes(existing), MediaTypes.OciIndex))
            .On(HttpMethod.Put, $"/v2/team/app/manifests/sha256-{Subject.Hex}", _ => Status(HttpStatusCode.Created));
        using var client = Client(fake);

        await client.PushReferrerAsync(Host, "team/app", Artifact, MediaTypes.OciManifest, Subject, "application/spdx+json",
            new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-11-21T00:00:00Z" });

        var index = fake.Requests[^1];
        Assert.Equal(MediaTypes.OciIndex, index.ContentHeaders["Content-Type"]);
        Assert.Equal($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{other}}}","size":7,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json","x-extra":true},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Digest.Sha256Of(Artifact)}}}","size":{{{Artifact.Length}}},"artifactType":"application/spdx+json","annotations":{"org.opencontainers.image.created":"2026-11-21T00:00:00Z"}}]}""",
            Encoding.UTF8.GetString(index.Body));
    }
}
