// SPDX-License-Identifier: Apache-2.0
using System.Net;
using Bulwark.Core;
using Bulwark.Oci.Registry;
using static Bulwark.Oci.Tests.Registry.FakeRegistryHandler;

namespace Bulwark.Oci.Tests.Registry;

/// Answers a hostile registry gave the client under the oci.registry-response fuzz target (bench/RESULTS.md, fuzzing
/// item 20): each used to end a pull, a tag listing or a referrers query with an internal error or no end at all.
public sealed class HostileRegistryAnswerTests
{
    private const string Host = "registry.example";

    private static RegistryClient Client(FakeRegistryHandler fake) =>
        new(new RegistryClientOptions { Handler = fake, Credentials = StaticCredentials.None, RetryDelay = TimeSpan.FromMilliseconds(1) });

    // invalid UTF-8 inside a JSON string: JsonDocument parses it and throws InvalidOperationException on reading
    private static readonly byte[] BadText = [.. "{\"tags\":[\"a"u8, 0xC3, 0x28, .. "\"],\"errors\":[{\"code\":\"X"u8, 0xFF, .. "\"}],\"token\":\"t"u8, 0xC0, .. "\",\"mediaType\":\"m"u8, 0xE2, .. "\",\"manifests\":[{\"digest\":\"d"u8, 0xF0, .. "\",\"size\":1}]}"u8];

    private static HttpResponseMessage Answer(HttpStatusCode status, byte[] body)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.oci.image.index.v1+json");
        return response;
    }

    [Fact]
    public async Task A_next_page_link_that_makes_a_longer_path_every_page_keeps_the_endpoint_and_ends()
    {
        // "./v2/…" resolved against each page in turn used to make a new URL every time, so the loop check never saw a
        // repeat and the listing ran 10,000 pages; the next page keeps the endpoint's path and takes the Link's query
        var fake = new FakeRegistryHandler().On(_ => true, _ => Status(HttpStatusCode.OK, """{"tags":["a"]}""",
            ("Link", """<./v2/team/app/tags/list?n=1&last=a>; rel="next" """)));
        using var client = Client(fake);
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(Host, "team/app"));
        Assert.Equal(RegistryFailure.Protocol, e.Failure);
        Assert.Contains("the registry's Link headers loop", e.Message, StringComparison.Ordinal);
        Assert.Equal(["/v2/team/app/tags/list", "/v2/team/app/tags/list?n=1&last=a"], fake.Requests.Select(r => r.Uri.PathAndQuery));
    }

    [Fact]
    public async Task A_next_page_link_with_a_proxy_path_is_followed_on_the_endpoint_being_listed()
    {
        // Artifactory answers without its repository prefix, a Nexus connector with one: the query is what pages
        var fake = new FakeRegistryHandler()
            .On(r => r.Uri.Query.Length == 0, _ => Status(HttpStatusCode.OK, """{"tags":["a"]}""",
                ("Link", """</repository/docker/v2/team/app/tags/list?last=a&n=1>; rel="next" """)))
            .On(_ => true, _ => Status(HttpStatusCode.OK, """{"tags":["b"]}"""));
        using var client = Client(fake);
        Assert.Equal(["a", "b"], await client.ListTagsAsync(Host, "team/app"));
        Assert.Equal("/v2/team/app/tags/list?last=a&n=1", fake.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task Json_answers_whose_strings_are_not_text_are_protocol_errors()
    {
        using var tags = Client(new FakeRegistryHandler().On(_ => true, _ => Answer(HttpStatusCode.OK, BadText)));
        var e = await Assert.ThrowsAsync<RegistryException>(() => tags.ListTagsAsync(Host, "team/app"));
        Assert.Equal(RegistryFailure.Protocol, e.Failure);
        Assert.Contains("is not JSON: The JSON text is not valid UTF-8.", e.Message, StringComparison.Ordinal);

        using var referrers = Client(new FakeRegistryHandler().On(_ => true, _ => Answer(HttpStatusCode.OK, BadText)));
        await Assert.ThrowsAsync<RegistryException>(() => referrers.GetReferrersAsync(Host, "team/app", Digest.Sha256Of("s"u8)));

        // a manifest is handed on as bytes (its media type looked up in them), for the manifest parser to judge
        using var manifest = Client(new FakeRegistryHandler().On(_ => true, _ => Answer(HttpStatusCode.OK, BadText)));
        var fetched = await manifest.GetManifestAsync(ImageReference.Parse($"{Host}/team/app:1"));
        Assert.Equal(BadText, fetched.Bytes.ToArray());

        // an error body is read for its entries: one that is not text gives none, and the status line speaks
        using var error = Client(new FakeRegistryHandler().On(_ => true, _ => Answer(HttpStatusCode.NotFound, BadText)));
        var notFound = await Assert.ThrowsAsync<RegistryException>(() => error.GetManifestAsync(ImageReference.Parse($"{Host}/team/app:1")));
        Assert.Empty(notFound.Errors);

        // a token server's answer
        using var token = Client(new FakeRegistryHandler()
            .On(r => r.Uri.Host == "auth.example", _ => Answer(HttpStatusCode.OK, BadText))
            .On(_ => true, _ => Status(HttpStatusCode.Unauthorized, null, ("WWW-Authenticate", """Bearer realm="https://auth.example/token",service="registry.example" """))));
        var denied = await Assert.ThrowsAsync<RegistryException>(() => token.ListTagsAsync(Host, "team/app"));
        Assert.Equal("The token server for registry.example answered with something that is not JSON.", denied.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"Secret\"")]
    public async Task A_credential_helper_printing_json_that_is_not_an_object_gives_no_credentials(string output)
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-docker-");
        try
        {
            var config = Path.Combine(dir.FullName, "config.json");
            await File.WriteAllTextAsync(config, """{"credsStore":"fake"}""");
            var docker = new DockerConfig(config, (_, _, _) => Task.FromResult(new DockerConfig.HelperResult(0, output)));
            Assert.Null(await docker.GetAsync(Host, CancellationToken.None));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_credential_helper_printing_an_unpaired_surrogate_is_an_input_error()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-docker-");
        try
        {
            var config = Path.Combine(dir.FullName, "config.json");
            await File.WriteAllTextAsync(config, """{"credsStore":"fake"}""");
            var docker = new DockerConfig(config, (_, _, _) => Task.FromResult(new DockerConfig.HelperResult(0, """{"Username":"u","Secret":"\ud800"}""")));
            var e = await Assert.ThrowsAsync<InputException>(() => docker.GetAsync(Host, CancellationToken.None));
            Assert.Equal($"docker-credential-fake get printed something that is not JSON for {Host}. Check the helper.", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
