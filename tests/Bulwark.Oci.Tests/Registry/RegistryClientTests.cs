// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using static Bulwark.Oci.Tests.Registry.FakeRegistryHandler;

namespace Bulwark.Oci.Tests.Registry;

public sealed class RegistryClientTests
{
    private const string Host = "registry.example";
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes(
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""");
    private static readonly Digest ManifestDigest = Digest.Sha256Of(Manifest);
    private static readonly ImageReference App = new(Host, "team/app", "1.2", null);

    private static RegistryClient Client(FakeRegistryHandler fake, ICredentialSource? credentials = null, bool insecure = false) =>
        new(new RegistryClientOptions
        {
            Handler = fake,
            Credentials = credentials ?? StaticCredentials.None,
            Insecure = insecure,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        });

    private static StaticCredentials Login(string user = "alice", string password = "s3cret") =>
        new(new Dictionary<string, RegistryCredentials> { [Host] = new(user, password) });

    private static HttpResponseMessage ManifestResponse(byte[]? bytes = null, string? digestHeader = null) =>
        FakeRegistryHandler.Bytes(bytes ?? Manifest, MediaTypes.OciManifest, ("Docker-Content-Digest", digestHeader ?? ManifestDigest.ToString()));

    private static HttpResponseMessage Challenge(string header) =>
        Status(HttpStatusCode.Unauthorized, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""", ("WWW-Authenticate", header));

    [Fact]
    public async Task Fetches_a_manifest_anonymously_over_https_with_its_media_type_and_digest()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1.2", _ => ManifestResponse());
        using var client = Client(fake);

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(Manifest, manifest.Bytes.ToArray());
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(ManifestDigest, manifest.Digest);
        var request = Assert.Single(fake.Requests);
        Assert.Equal("https://registry.example/v2/team/app/manifests/1.2", request.Uri.ToString());
        Assert.Null(request.Authorization);
        Assert.Equal([MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList], request.Accept);
    }

    [Fact]
    public async Task Uses_plain_http_only_when_insecure_is_asked_for()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1.2", _ => ManifestResponse());
        using var client = Client(fake, insecure: true);

        await client.GetManifestAsync(App);

        Assert.Equal("http://registry.example/v2/team/app/manifests/1.2", Assert.Single(fake.Requests).Uri.ToString());
    }

    [Fact]
    public async Task Fetches_by_digest_when_the_reference_pins_one_and_sends_the_accepted_types_given()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, $"/v2/team/app/manifests/{ManifestDigest}", _ => ManifestResponse());
        using var client = Client(fake);

        var manifest = await client.GetManifestAsync(App with { Digest = ManifestDigest }, [MediaTypes.OciIndex]);

        Assert.Equal(ManifestDigest, manifest.Digest);
        Assert.Equal([MediaTypes.OciIndex], Assert.Single(fake.Requests).Accept);
    }

    [Fact]
    public async Task Rejects_a_manifest_whose_content_does_not_match_Docker_Content_Digest()
    {
        var other = Digest.Sha256Of("something else"u8);
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1.2", _ => ManifestResponse(digestHeader: other.ToString()));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.DigestMismatch, e.Failure);
        Assert.Contains(other.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("manifest registry.example/team/app:1.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_manifest_whose_content_does_not_match_the_pinned_digest()
    {
        var pinned = Digest.Sha256Of("the one we want"u8);
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, $"/v2/team/app/manifests/{pinned}", _ => FakeRegistryHandler.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App with { Tag = null, Digest = pinned }));

        Assert.Equal(RegistryFailure.DigestMismatch, e.Failure);
        Assert.Contains($"whose digest is {ManifestDigest}, not the {pinned} asked for", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_manifest_larger_than_4_MiB()
    {
        var big = new byte[RegistryClient.MaxManifestBytes + 1];
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1.2", _ => FakeRegistryHandler.Bytes(big, MediaTypes.OciManifest));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.Protocol, e.Failure);
        Assert.Contains("4194305 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_missing_manifest_as_not_found_with_the_registry_error_code()
    {
        var fake = new FakeRegistryHandler().On(HttpMethod.Get, "/v2/team/app/manifests/1.2", _ => Status(HttpStatusCode.NotFound,
            """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"1.2"}}]}"""));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.NotFound, e.Failure);
        Assert.Equal("Not found: manifest registry.example/team/app:1.2 (MANIFEST_UNKNOWN: manifest unknown ({\"Tag\":\"1.2\"})).", e.Message);
        Assert.Equal("MANIFEST_UNKNOWN", Assert.Single(e.Errors).Code);
    }

    [Fact]
    public async Task Head_returns_null_for_a_missing_manifest_and_the_digest_for_a_present_one()
    {
        var fake = new FakeRegistryHandler()
            .On(HttpMethod.Head, "/v2/team/app/manifests/1.2", _ => ManifestResponse())
            .On(HttpMethod.Head, "/v2/team/app/manifests/9.9", _ => Status(HttpStatusCode.NotFound));
        using var client = Client(fake);

        var head = await client.HeadManifestAsync(App);
        var missing = await client.HeadManifestAsync(App with { Tag = "9.9" });

        Assert.Equal(new ManifestHead(ManifestDigest, MediaTypes.OciManifest, Manifest.Length), head);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Answers_a_bearer_challenge_anonymously_and_reuses_the_token_for_the_same_scope()
    {
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", r => Status(HttpStatusCode.OK, """{"token":"pull-token","expires_in":300}"""))
            .On(r => r.Authorization == "Bearer pull-token", _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull" """));
        using var client = Client(fake);

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(App with { Tag = "1.3" });

        Assert.Equal(
            ["GET https://registry.example/v2/team/app/manifests/1.2",
             "GET https://auth.example/token?service=registry.example&scope=repository%3Ateam%2Fapp%3Apull",
             "GET https://registry.example/v2/team/app/manifests/1.2",
             "GET https://registry.example/v2/team/app/manifests/1.3"],
            fake.Requests.Select(r => r.ToString()));
        Assert.Null(fake.Requests[1].Authorization);
        Assert.Equal("Bearer pull-token", fake.Requests[3].Authorization);
    }

    [Fact]
    public async Task Fetches_a_new_token_when_the_cached_one_is_about_to_expire()
    {
        var time = new ManualTime();
        var issued = 0;
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => Status(HttpStatusCode.OK, $$"""{"token":"t{{++issued}}","expires_in":30}"""))
            .On(r => r.Authorization is not null, _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = new RegistryClient(new RegistryClientOptions { Handler = fake, Credentials = StaticCredentials.None, Time = time });

        await client.GetManifestAsync(App);
        time.Now += TimeSpan.FromSeconds(15);
        await client.GetManifestAsync(App);
        time.Now += TimeSpan.FromSeconds(10); // 25 s: within 10 s of expiry
        await client.GetManifestAsync(App);

        Assert.Equal(2, issued);
        Assert.Equal(["Bearer t1", "Bearer t1", "Bearer t2"], fake.Requests.Where(r => r.Uri.Host == Host && r.Authorization is not null).Select(r => r.Authorization));
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Takes_the_media_type_from_the_manifest_when_the_registry_says_only_json()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => FakeRegistryHandler.Bytes(Manifest, "application/json"));
        using var client = Client(fake);

        Assert.Equal(MediaTypes.OciManifest, (await client.GetManifestAsync(App)).MediaType);
    }

    [Fact]
    public async Task Sends_known_credentials_as_basic_to_the_token_server_and_asks_for_an_offline_token()
    {
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => Status(HttpStatusCode.OK, """{"access_token":"user-token"}"""))
            .On(r => r.Authorization == "Bearer user-token", _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = Client(fake, Login());

        await client.GetManifestAsync(App);

        var token = fake.Requests[1];
        Assert.Equal("https://auth.example/token?service=registry.example&scope=repository%3Ateam%2Fapp%3Apull&offline_token=true&client_id=bulwark", token.Uri.ToString());
        Assert.Equal("Basic " + Convert.ToBase64String("alice:s3cret"u8), token.Authorization);
        Assert.Equal("Bearer user-token", fake.Requests[2].Authorization);
    }

    [Fact]
    public async Task Exchanges_an_identity_token_with_the_oauth2_refresh_grant()
    {
        var creds = new StaticCredentials(new Dictionary<string, RegistryCredentials> { [Host] = new(null, null, "refresh-me") });
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example" && r.Method == HttpMethod.Post, _ => Status(HttpStatusCode.OK, """{"access_token":"oauth-token"}"""))
            .On(r => r.Authorization == "Bearer oauth-token", _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = Client(fake, creds);

        await client.GetManifestAsync(App);

        Assert.Equal("grant_type=refresh_token&refresh_token=refresh-me&client_id=bulwark&scope=repository%3Ateam%2Fapp%3Apull&service=registry.example",
            Encoding.UTF8.GetString(fake.Requests[1].Body));
    }

    [Fact]
    public async Task Retries_a_token_server_that_is_briefly_unavailable()
    {
        var tokenCalls = 0;
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => ++tokenCalls == 1 ? Status(HttpStatusCode.ServiceUnavailable) : Status(HttpStatusCode.OK, """{"token":"late"}"""))
            .On(r => r.Authorization == "Bearer late", _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = Client(fake);

        Assert.Equal(ManifestDigest, (await client.GetManifestAsync(App)).Digest);
        Assert.Equal(2, tokenCalls);
    }

    [Fact]
    public async Task Refuses_to_fetch_a_token_from_a_plain_http_realm_unless_insecure()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Challenge("""Bearer realm="http://auth.example/token",service="x" """));
        using var client = Client(fake, Login());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Contains("plain-HTTP token server http://auth.example/token", e.Message, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Answers_a_basic_challenge_with_stored_credentials()
    {
        var basic = "Basic " + Convert.ToBase64String("alice:s3cret"u8);
        var fake = new FakeRegistryHandler()
            .On(r => r.Authorization == basic, _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Basic realm="Registry Realm" """));
        using var client = Client(fake, Login());

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(App);

        Assert.Equal([null, basic, basic], fake.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Asks_the_credential_source_once_per_registry()
    {
        var source = new CountingCredentials(new RegistryCredentials("alice", "s3cret"));
        var fake = new FakeRegistryHandler()
            .On(r => r.Authorization is not null, _ => ManifestResponse())
            .On(_ => true, _ => Challenge("""Basic realm="Registry Realm" """));
        using var client = Client(fake, source);

        for (var i = 0; i < 3; i++) await client.GetManifestAsync(App);

        Assert.Equal(1, source.Calls);
    }

    private sealed class CountingCredentials(RegistryCredentials credentials) : ICredentialSource
    {
        public int Calls { get; private set; }
        public Task<RegistryCredentials?> GetAsync(string registry, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult<RegistryCredentials?>(credentials);
        }
    }

    [Fact]
    public async Task Talks_to_registry_1_docker_io_for_Docker_Hub_references()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => ManifestResponse());
        using var client = Client(fake);

        await client.GetManifestAsync(new ImageReference("docker.io", "library/debian", "12", null));

        Assert.Equal("https://registry-1.docker.io/v2/library/debian/manifests/12", Assert.Single(fake.Requests).Uri.ToString());
    }

    [Fact]
    public async Task Says_to_log_in_when_a_basic_challenge_finds_no_credentials()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Challenge("""Basic realm="Registry Realm" """));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.Equal("Authentication required for registry.example/team/app (UNAUTHORIZED: authentication required): run 'docker login registry.example' or set credentials.", e.Message);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Stops_after_one_rechallenge_when_the_token_is_rejected()
    {
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => Status(HttpStatusCode.OK, """{"token":"useless"}"""))
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = Client(fake, Login());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.Equal(3, fake.Requests.Count); // manifest, token, manifest with the token
    }

    [Fact]
    public async Task Reports_a_token_server_refusal_as_authentication_required()
    {
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => Status(HttpStatusCode.Unauthorized))
            .On(_ => true, _ => Challenge("""Bearer realm="https://auth.example/token",service="registry.example" """));
        using var client = Client(fake, Login());

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.Contains("the token server refused the stored credentials. Run 'docker login registry.example'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_403_as_access_denied_naming_the_repository()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.Forbidden,
            """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.AccessDenied, e.Failure);
        Assert.StartsWith("Authentication denied for registry.example/team/app (DENIED: requested access to the resource is denied)", e.Message, StringComparison.Ordinal);
        Assert.Contains("docker login registry.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_idempotent_requests_on_503_and_429_then_succeeds()
    {
        var fake = new FakeRegistryHandler().OnSequence(HttpMethod.Get, "/v2/team/app/manifests/1.2",
            _ => Status(HttpStatusCode.ServiceUnavailable),
            _ => Status(HttpStatusCode.TooManyRequests, null, ("Retry-After", "0")),
            _ => ManifestResponse());
        using var client = Client(fake);

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(ManifestDigest, manifest.Digest);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Gives_up_after_the_bounded_number_of_attempts()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.BadGateway));
        using var client = Client(fake);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.Unavailable, e.Failure);
        Assert.Equal(4, fake.Requests.Count);
        Assert.Contains("answered 502 Bad Gateway", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_a_dropped_connection_for_a_get()
    {
        var calls = 0;
        var fake = new FakeRegistryHandler().On(_ => true, _ => ++calls == 1
            ? throw new HttpRequestException("Connection reset by peer", new IOException("reset"))
            : ManifestResponse());
        using var client = Client(fake);

        var manifest = await client.GetManifestAsync(App);

        Assert.Equal(ManifestDigest, manifest.Digest);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Gives_up_on_a_registry_that_never_answers()
    {
        var fake = new FakeRegistryHandler { Delay = TimeSpan.FromSeconds(30) }.On(_ => true, _ => ManifestResponse());
        using var client = new RegistryClient(new RegistryClientOptions
        {
            Handler = fake, Credentials = StaticCredentials.None, RequestTimeout = TimeSpan.FromMilliseconds(50), MaxAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.Equal(RegistryFailure.Unavailable, e.Failure);
        Assert.Equal("Cannot reach registry.example for manifest registry.example/team/app:1.2: no answer within 0.05 s.", e.Message);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Suggests_insecure_for_a_tls_failure_on_a_local_registry_only()
    {
        var fake = new FakeRegistryHandler().On(_ => true, _ =>
            throw new HttpRequestException("The SSL connection could not be established", new System.Security.Authentication.AuthenticationException("wrong version number")));
        using var client = Client(fake);

        var local = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App with { Registry = "127.0.0.1:5000" }));
        var remote = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(App));

        Assert.EndsWith("If this local registry serves plain HTTP, use --insecure.", local.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the registry's certificate and your trusted CAs.", remote.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests.Count); // TLS failures are not retried
    }

    [Fact]
    public async Task Rejects_repository_names_that_would_change_the_request_path()
    {
        using var client = Client(new FakeRegistryHandler());

        var e = await Assert.ThrowsAsync<InputException>(() => client.GetManifestAsync(App with { Repository = "team/../admin" }));

        Assert.Contains("'team/../admin' is not a repository name", e.Message, StringComparison.Ordinal);
    }
}
