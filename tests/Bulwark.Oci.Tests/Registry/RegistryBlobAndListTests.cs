// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using static Bulwark.Oci.Tests.Registry.FakeRegistryHandler;

namespace Bulwark.Oci.Tests.Registry;

public sealed class RegistryBlobAndListTests
{
    private const string Host = "registry.example";
    private static readonly byte[] Layer = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("layer bytes ", 5000)));
    private static readonly Digest LayerDigest = Digest.Sha256Of(Layer);

    private static RegistryClient Client(FakeRegistryHandler fake) =>
        new(new RegistryClientOptions { Handler = fake, Credentials = StaticCredentials.None, RetryDelay = TimeSpan.FromMilliseconds(1) });

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static HttpResponseMessage Redirect(string location) => Status(HttpStatusCode.TemporaryRedirect, null, ("Location", location));

    private static FakeRegistryHandler WithBearer(FakeRegistryHandler fake) => fake
        .On(r => r.Uri.Host == "auth.example", _ => Status(HttpStatusCode.OK, """{"token":"t0k"}"""))
        .On(r => r.Uri.Host == Host && r.Authorization is null, _ => Status(HttpStatusCode.Unauthorized, null,
            ("WWW-Authenticate", """Bearer realm="https://auth.example/token",service="registry.example" """)));

    [Fact]
    public async Task Streams_a_blob_and_verifies_it()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, $"/v2/team/app/blobs/{LayerDigest}", _ => FakeRegistryHandler.Bytes(Layer, "application/octet-stream"));
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);

        Assert.Equal(Layer, await ReadAll(blob));
    }

    [Fact]
    public async Task Follows_a_redirect_to_blob_storage_without_sending_the_registry_token_there()
    {
        var fake = WithBearer(new FakeRegistryHandler())
            .On(r => r.Uri.Host == Host && r.Uri.AbsolutePath == $"/v2/team/app/blobs/{LayerDigest}", _ => Redirect($"https://storage.example/blobs/abc?sig=xyz"))
            .On(r => r.Uri.Host == "storage.example", _ => FakeRegistryHandler.Bytes(Layer, "application/octet-stream"));
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);

        Assert.Equal(Layer, await ReadAll(blob));
        var storage = fake.Requests.Last();
        Assert.Equal("https://storage.example/blobs/abc?sig=xyz", storage.Uri.ToString());
        Assert.Null(storage.Authorization);
        Assert.Equal("Bearer t0k", fake.Requests[^2].Authorization);
    }

    [Fact]
    public async Task Keeps_the_token_on_a_redirect_within_the_registry()
    {
        var fake = WithBearer(new FakeRegistryHandler())
            .On(r => r.Uri.AbsolutePath == $"/v2/team/app/blobs/{LayerDigest}", _ => Redirect("/storage/abc"))
            .On(r => r.Uri.AbsolutePath == "/storage/abc", _ => FakeRegistryHandler.Bytes(Layer, "application/octet-stream"));
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);

        Assert.Equal(Layer, await ReadAll(blob));
        Assert.Equal(("https://registry.example/storage/abc", "Bearer t0k"), (fake.Requests[^1].Uri.ToString(), fake.Requests[^1].Authorization));
    }

    [Fact]
    public async Task Refuses_a_redirect_from_https_to_plain_http()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Redirect("http://storage.example/blob"));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length));

        Assert.Contains("from HTTPS to http://storage.example; refusing the downgrade", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_redirect_to_a_file_address()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Redirect("file:///etc/passwd"));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length));

        Assert.EndsWith("to a 'file:' address; only HTTP(S) is followed.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_following_a_redirect_loop()
    {
        var fake = new FakeRegistryHandler().On(_ => true, r => Redirect(r.Uri.AbsolutePath + "x"));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length));

        Assert.StartsWith("Too many redirects", e.Message, StringComparison.Ordinal);
        Assert.Equal(10, fake.Requests.Count);
    }

    [Fact]
    public async Task Rejects_a_blob_whose_content_does_not_match_its_digest()
    {
        var tampered = (byte[])Layer.Clone();
        tampered[100] ^= 1;
        var fake = new FakeRegistryHandler().On(_ => true, _ => FakeRegistryHandler.Bytes(tampered, "application/octet-stream"));
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(blob));

        Assert.Equal($"blob {LayerDigest} from registry.example/team/app@{LayerDigest}: expected {LayerDigest}, got {Digest.Sha256Of(tampered)}; the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_truncated_blob()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new UnsizedStream(Layer.AsSpan(0, 1000).ToArray())), // no Content-Length: the stream has to notice
        });
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(blob));

        Assert.Equal($"blob {LayerDigest} from registry.example/team/app@{LayerDigest}: expected {Layer.Length} bytes, got 1000 bytes (truncated); the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Stops_reading_a_blob_that_runs_past_its_size()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new UnsizedStream([.. Layer, .. Layer])),
        });
        using var client = Client(fake);

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(blob));

        Assert.Equal($"blob {LayerDigest} from registry.example/team/app@{LayerDigest}: expected {Layer.Length} bytes, got more ({Layer.Length + 1} bytes so far); the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Abandons_a_blob_download_that_stalls()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream(Layer[..10])) });
        using var client = new RegistryClient(new RegistryClientOptions
        {
            Handler = fake, Credentials = StaticCredentials.None, ReadIdleTimeout = TimeSpan.FromMilliseconds(100),
        });

        await using var blob = await client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length);
        var e = await Assert.ThrowsAsync<IOException>(() => ReadAll(blob));

        Assert.Equal($"blob {LayerDigest} from registry.example/team/app@{LayerDigest}: no data for 0.1 s after 10 bytes; the download stalled. Retry.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_blob_whose_content_length_differs_from_the_manifest_before_reading()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => FakeRegistryHandler.Bytes(Layer, "application/octet-stream"));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Host, "team/app", LayerDigest, 10));

        Assert.Equal(RegistryFailure.DigestMismatch, e.Failure);
        Assert.Equal($"Blob registry.example/team/app@{LayerDigest} is {Layer.Length} bytes on the registry, but its manifest gives 10. The registry served different content.", e.Message);
    }

    [Fact]
    public async Task Reports_a_missing_blob_with_the_registry_error()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.NotFound, """{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}"""));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetBlobAsync(Host, "team/app", LayerDigest, Layer.Length));

        Assert.Equal($"Not found: blob registry.example/team/app@{LayerDigest} (BLOB_UNKNOWN: blob unknown to registry).", e.Message);
    }

    [Fact]
    public async Task Lists_tags_across_pages_following_Link_headers()
    {
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Get, "/v2/team/app/tags/list?n=2", _ => Status(HttpStatusCode.OK, """{"name":"team/app","tags":["1.0","1.1"]}""",
                ("Link", """</v2/team/app/tags/list?last=1.1&n=2>; rel="next" """)))
            .On(HttpMethod.Get, "/v2/team/app/tags/list?last=1.1&n=2", _ => Status(HttpStatusCode.OK, """{"name":"team/app","tags":["1.2","latest"]}""",
                ("Link", """<https://registry.example/v2/team/app/tags/list?last=latest&n=2>; rel="next" """)))
            .On(HttpMethod.Get, "/v2/team/app/tags/list?last=latest&n=2", _ => Status(HttpStatusCode.OK, """{"name":"team/app","tags":null}"""));
        using var client = Client(fake);

        var tags = await client.ListTagsAsync(Host, "team/app", pageSize: 2);

        Assert.Equal(["1.0", "1.1", "1.2", "latest"], tags);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Stops_a_tag_list_whose_Link_points_back_to_itself()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.OK, """{"tags":["a"]}""",
            ("Link", """</v2/team/app/tags/list>; rel="next" """)));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(Host, "team/app"));

        Assert.Contains("Link headers loop", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignores_a_pagination_link_to_another_host()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.OK, """{"tags":["a"]}""",
            ("Link", """<https://elsewhere.example/v2/team/app/tags/list?last=a>; rel="next" """)));
        using var client = Client(fake);

        Assert.Equal(["a"], await client.ListTagsAsync(Host, "team/app"));
        Assert.Single(fake.Requests);
    }

    private static readonly Digest Subject = Digest.Sha256Of("subject manifest"u8);
    private static readonly Digest Sbom = Digest.Sha256Of("sbom manifest"u8);
    private static readonly Digest Signature = Digest.Sha256Of("signature manifest"u8);

    private static string ReferrersIndex() => $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Sbom}}}","size":500,"artifactType":"application/spdx+json","annotations":{"org.opencontainers.image.created":"2026-11-21T00:00:00Z"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Signature}}}","size":600,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json"}]}
        """;

    [Fact]
    public async Task Lists_referrers_and_filters_by_artifact_type_when_the_registry_did_not()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, $"/v2/team/app/referrers/{Subject}?artifactType=application%2Fspdx%2Bjson",
            _ => Status(HttpStatusCode.OK, ReferrersIndex(), ("Content-Type", MediaTypes.OciIndex)));
        using var client = Client(fake);

        var referrers = await client.GetReferrersAsync(Host, "team/app", Subject, "application/spdx+json");

        var sbom = Assert.Single(referrers);
        Assert.Equal((Sbom, 500L, "application/spdx+json"), (sbom.Digest, sbom.Size, sbom.ArtifactType));
        Assert.Equal("2026-11-21T00:00:00Z", sbom.Annotations["org.opencontainers.image.created"]);
        Assert.Equal([MediaTypes.OciIndex], Assert.Single(fake.Requests).Accept);
    }

    [Fact]
    public async Task Trusts_the_registry_filter_when_it_says_it_applied_it()
    {
        var fake = new FakeRegistryHandler().On(_ => true,
            _ => Status(HttpStatusCode.OK, ReferrersIndex(), ("OCI-Filters-Applied", "artifactType")));
        using var client = Client(fake);

        var referrers = await client.GetReferrersAsync(Host, "team/app", Subject, "application/spdx+json");

        Assert.Equal([Sbom, Signature], referrers.Select(r => r.Digest)); // as the registry answered
    }

    [Fact]
    public async Task Falls_back_to_the_referrers_tag_when_the_registry_has_no_referrers_api()
    {
        var index = Encoding.UTF8.GetBytes(ReferrersIndex());
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Get, $"/v2/team/app/manifests/sha256-{Subject.Hex}", _ => FakeRegistryHandler.Bytes(index, MediaTypes.OciIndex))
            .On(_ => true, _ => Status(HttpStatusCode.NotFound, "404 page not found"));
        using var client = Client(fake);

        var all = await client.GetReferrersAsync(Host, "team/app", Subject);
        var signatures = await client.GetReferrersAsync(Host, "team/app", Subject, "application/vnd.dev.sigstore.bundle.v0.3+json");

        Assert.Equal([Sbom, Signature], all.Select(r => r.Digest));
        Assert.Equal([Signature], signatures.Select(r => r.Digest));
        Assert.Equal([MediaTypes.OciIndex], fake.Requests[1].Accept);
    }

    [Fact]
    public async Task Finds_no_referrers_when_neither_the_api_nor_the_tag_exists()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.NotFound));
        using var client = Client(fake);

        Assert.Empty(await client.GetReferrersAsync(Host, "team/app", Subject));
        Assert.Equal(2, fake.Requests.Count);
    }

    /// A body whose length is unknown up front (chunked transfer), so only reading can tell it is wrong.
    private sealed class UnsizedStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// Gives its bytes, then never answers again (until cancelled).
    private sealed class StallingStream(byte[] first) : Stream
    {
        private bool _gave;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_gave)
            {
                _gave = true;
                first.CopyTo(buffer);
                return first.Length;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
