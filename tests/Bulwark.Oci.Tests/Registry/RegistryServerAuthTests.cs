// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Registry;
using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Registry;

/// docker-registry with htpasswd Basic auth; testdata/htpasswd holds alice's bcrypt line.
public sealed class BasicAuthRegistryFixture : IDisposable
{
    public const string User = "alice";
    public const string Password = "wonderland-42";

    public LocalRegistry Registry { get; } = new("""
          htpasswd:
            realm: basic-realm
            path: {dir}/htpasswd

        """, dir => File.Copy(Path.Combine(TestPaths.Project("Bulwark.Oci.Tests"), "Registry", "testdata", "htpasswd"), Path.Combine(dir, "htpasswd")));

    public void Dispose() => Registry.Dispose();
}

/// docker-registry with bearer-token auth, trusting a token server run by the test.
public sealed class TokenAuthRegistryFixture : IDisposable
{
    public const string User = "alice";
    public const string Password = "token-pass-7";

    public TokenServer Tokens { get; } = new(User, Password);
    public LocalRegistry Registry { get; }

    public TokenAuthRegistryFixture() =>
        Registry = new LocalRegistry(Tokens.RegistryAuthSection, dir => File.WriteAllText(Path.Combine(dir, "token-root.pem"), Tokens.CertificatePem));

    public void Dispose()
    {
        Registry.Dispose();
        Tokens.Dispose();
    }
}

internal static class AuthClients
{
    public static RegistryClient For(string host, string? user, string? password) => new(new RegistryClientOptions
    {
        Insecure = true,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Credentials = user is null
            ? StaticCredentials.None
            : new StaticCredentials(new Dictionary<string, RegistryCredentials> { [host] = new(user, password) }),
    });
}

public sealed class BasicAuthRegistryTests(BasicAuthRegistryFixture fixture) : IClassFixture<BasicAuthRegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    [Fact]
    public async Task Pushes_and_pulls_with_basic_credentials()
    {
        using var client = AuthClients.For(_host, BasicAuthRegistryFixture.User, BasicAuthRegistryFixture.Password);
        var image = new SmallImage(20_000, seed: 5);

        var digest = await image.PushAsync(client, _host, "team/basic", "1");
        var manifest = await client.GetManifestAsync(new ImageReference(_host, "team/basic", "1", null));
        await using var layer = await client.GetBlobAsync(_host, "team/basic", image.LayerDigest, image.Layer.Length);

        Assert.Equal(image.ManifestDigest, digest);
        Assert.Equal(image.Manifest, manifest.Bytes.ToArray());
        Assert.Equal(image.Layer, await SmallImage.ReadAllAsync(layer));
    }

    [Fact]
    public async Task Says_to_log_in_when_anonymous()
    {
        using var client = AuthClients.For(_host, null, null);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new ImageReference(_host, "team/basic", "1", null)));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.StartsWith($"Authentication required for {_host}/team/basic", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"run 'docker login {_host}' or set credentials.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_to_log_in_when_the_password_is_wrong()
    {
        using var client = AuthClients.For(_host, BasicAuthRegistryFixture.User, "not-the-password");

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.ListTagsAsync(_host, "team/basic"));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
    }
}

public sealed class TokenAuthRegistryTests(TokenAuthRegistryFixture fixture) : IClassFixture<TokenAuthRegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    [Fact]
    public async Task Pushes_and_pulls_with_bearer_tokens_from_the_token_server()
    {
        using var client = AuthClients.For(_host, TokenAuthRegistryFixture.User, TokenAuthRegistryFixture.Password);
        var image = new SmallImage(50_000, seed: 6);

        var digest = await image.PushAsync(client, _host, "team/tokens", "1");
        var manifest = await client.GetManifestAsync(new ImageReference(_host, "team/tokens", "1", null));
        await using var layer = await client.GetBlobAsync(_host, "team/tokens", image.LayerDigest, image.Layer.Length);
        var tags = await client.ListTagsAsync(_host, "team/tokens");

        Assert.Equal(image.ManifestDigest, digest);
        Assert.Equal(image.Manifest, manifest.Bytes.ToArray());
        Assert.Equal(image.Layer, await SmallImage.ReadAllAsync(layer));
        Assert.Equal(["1"], tags);
        Assert.Contains(fixture.Tokens.Requests, q => q.Contains("scope=repository:team/tokens:pull,push", StringComparison.Ordinal)
            && q.Contains("service=test-registry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mounts_across_repositories_with_one_token_for_both_scopes()
    {
        using var client = AuthClients.For(_host, TokenAuthRegistryFixture.User, TokenAuthRegistryFixture.Password);
        var image = new SmallImage(3000, seed: 7);
        await image.PushAsync(client, _host, "team/token-base", "1");

        Assert.True(await client.MountBlobAsync(_host, "team/token-derived", image.LayerDigest, "team/token-base"));
        Assert.Contains(fixture.Tokens.Requests, q => q.Contains("scope=repository:team/token-derived:pull,push&scope=repository:team/token-base:pull", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Is_refused_when_anonymous()
    {
        using var client = AuthClients.For(_host, null, null);

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new ImageReference(_host, "team/tokens", "1", null)));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.EndsWith($"run 'docker login {_host}' or set credentials.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_refused_by_the_token_server_with_a_wrong_password()
    {
        using var client = AuthClients.For(_host, TokenAuthRegistryFixture.User, "wrong");

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync(new ImageReference(_host, "team/tokens", "1", null)));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.Contains("the token server refused the stored credentials", e.Message, StringComparison.Ordinal);
    }
}
