// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using Bulwark.Oci.Registry;
using Bulwark.Oci.Sources;
using Bulwark.Oci.Tests.Registry;

using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Sources;

/// docker-registry on 127.0.0.1 holding the shared layout's images as skopeo pushes them: demo-shop as OCI (demo/shop:1)
/// and as Docker schema 2 (demo/shop:v2s2), and a two-platform OCI index PUT by the fixture (demo/multi:2:
/// linux/amd64 = debian-bookworm, linux/arm64/v8 = demo-shop).
public sealed class PushedImagesFixture : IDisposable
{
    public const string DebianManifest = "sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698";
    public const string ShopManifest = "sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0";

    public LocalRegistry Registry { get; } = new();
    public string Host => Registry.Host;
    public byte[] Index { get; }
    public Digest IndexDigest => Digest.Sha256Of(Index);
    /// demo/list:2, a Docker manifest list over the schema 2 conversions skopeo made (amd64 = debian, arm64/v8 = demo-shop).
    public byte[] List { get; }
    public Digest ListDigest => Digest.Sha256Of(List);
    public Digest DebianSchema2 { get; }
    public Digest ShopSchema2 { get; }

    public PushedImagesFixture()
    {
        try
        {
            Skopeo("oci:{layout}:demo-shop", "demo/shop:1");
            Skopeo("oci:{layout}:demo-shop", "demo/shop:v2s2", "--format", "v2s2");
            Skopeo("oci:{layout}:debian-bookworm", "demo/multi:debian");
            Skopeo("oci:{layout}:demo-shop", "demo/multi:shop");
            Index = Encoding.UTF8.GetBytes($$$"""
                {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
                {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{DebianManifest}}}","size":350,"platform":{"architecture":"amd64","os":"linux"}},
                {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{ShopManifest}}}","size":667,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
                """);
            using var client = new RegistryClient(new RegistryClientOptions { Insecure = true, Credentials = StaticCredentials.None });
            client.PutManifestAsync(new ImageReference(Host, "demo/multi", "2", null), Index, MediaTypes.OciIndex).GetAwaiter().GetResult();

            Skopeo("oci:{layout}:debian-bookworm", "demo/list:debian", "--format", "v2s2");
            Skopeo("oci:{layout}:demo-shop", "demo/list:shop", "--format", "v2s2");
            var debian = client.GetManifestAsync(new ImageReference(Host, "demo/list", "debian", null)).GetAwaiter().GetResult();
            var shop = client.GetManifestAsync(new ImageReference(Host, "demo/list", "shop", null)).GetAwaiter().GetResult();
            (DebianSchema2, ShopSchema2) = (debian.Digest, shop.Digest);
            List = Encoding.UTF8.GetBytes($$$"""
                {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[
                {"mediaType":"{{{debian.MediaType}}}","digest":"{{{debian.Digest}}}","size":{{{debian.Bytes.Length}}},"platform":{"architecture":"amd64","os":"linux"}},
                {"mediaType":"{{{shop.MediaType}}}","digest":"{{{shop.Digest}}}","size":{{{shop.Bytes.Length}}},"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
                """);
            client.PutManifestAsync(new ImageReference(Host, "demo/list", "2", null), List, MediaTypes.DockerManifestList).GetAwaiter().GetResult();
        }
        catch
        {
            Registry.Dispose();
            throw;
        }
    }

    private void Skopeo(string source, string target, params string[] extra) => CopyToRegistry(Registry, source, target, extra);

    /// skopeo copy from the shared layout ("oci:{layout}:TAG") to docker://HOST/TARGET over plain HTTP.
    internal static void CopyToRegistry(LocalRegistry registry, string source, string target, params string[] extra)
    {
        const string skopeo = "/usr/bin/skopeo";
        if (!File.Exists(skopeo)) throw new InvalidOperationException($"{skopeo} is missing: run ./test.sh (it installs the Debian package skopeo).");
        var policy = Path.Combine(registry.Directory, "policy.json");
        File.WriteAllText(policy, """{"default":[{"type":"insecureAcceptAnything"}]}""");
        var start = new ProcessStartInfo(skopeo) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["--policy", policy, "copy", "--quiet", "--dest-tls-verify=false", .. extra,
                     source.Replace("{layout}", TestImages.SharedLayout, StringComparison.Ordinal), $"docker://{registry.Host}/{target}"])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"skopeo copy {source} {target} failed: {stderr.Result}");
    }

    public void Dispose() => Registry.Dispose();
}

/// registry: and bare references resolved by ImageSources against a real registry.
public sealed class RegistrySourceTests(PushedImagesFixture fixture) : IClassFixture<PushedImagesFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly ImageSourceOptions Insecure = new() { Insecure = true, Credentials = StaticCredentials.None };
    private readonly string _host = fixture.Host;

    private static Task<ResolvedImage> Resolve(string source, ImageSourceOptions? options = null) =>
        ImageSources.ResolveAsync(ImageSources.Parse(source), options ?? Insecure, Ct);

    private static async Task<long> ReadLayerAsync(LayerRef layer)
    {
        await using var stream = await layer.OpenAsync(Ct);
        return await stream.CopyToCountingAsync();
    }

    private static IEnumerable<(string, string?, string, long)> Layers(ResolvedImage image) =>
        image.Layers.Select(l => (l.Digest.ToString(), l.DiffId?.ToString(), l.MediaType, l.Size));

    [Fact]
    public async Task Resolves_a_bare_reference_to_the_same_image_as_the_layout_it_was_pushed_from()
    {
        using var layout = await OciLayoutSourceTests.Resolve($"oci:{TestImages.SharedLayout}:demo-shop");
        using var image = await Resolve($"{_host}/demo/shop:1");

        Assert.Equal($"{_host}/demo/shop:1", image.Source);
        Assert.Equal(new ImageReference(_host, "demo/shop", "1", null), image.Reference);
        Assert.Equal(PushedImagesFixture.ShopManifest, image.ManifestDigest.ToString());
        Assert.Equal(MediaTypes.OciManifest, image.ManifestMediaType);
        Assert.Equal(layout.ManifestJson.ToArray(), image.ManifestJson.ToArray());
        Assert.Null(image.IndexDigest);
        Assert.Equal(layout.ConfigDigest, image.ConfigDigest);
        Assert.Equal(layout.ConfigJson.ToArray(), image.ConfigJson.ToArray());
        OciLayoutSourceTests.AssertDemoShopLayers(image);
        Assert.Equal(Layers(layout), Layers(image));
        Assert.Equal([$"{_host}/demo/shop:1"], image.RepoTags);
        Assert.Equal([$"{_host}/demo/shop@{PushedImagesFixture.ShopManifest}"], image.RepoDigests);
        foreach (var layer in image.Layers) Assert.Equal(layer.Size, await ReadLayerAsync(layer));
    }

    [Fact]
    public async Task Resolves_a_registry_reference_pinned_by_digest()
    {
        using var image = await Resolve($"registry:{_host}/demo/shop@{PushedImagesFixture.ShopManifest}");

        Assert.Equal(PushedImagesFixture.ShopManifest, image.ManifestDigest.ToString());
        Assert.Equal("sha256:87c80cc5f74f0fdf788926287c0f16607f6d0607d9f7648aee969e47f156b1ad", image.ConfigDigest.ToString());
        Assert.Empty(image.RepoTags);
        Assert.Equal([$"{_host}/demo/shop@{PushedImagesFixture.ShopManifest}"], image.RepoDigests);
    }

    [Fact]
    public async Task Resolves_a_Docker_schema_2_manifest_with_the_same_layers()
    {
        using var layout = await OciLayoutSourceTests.Resolve($"oci:{TestImages.SharedLayout}:demo-shop");
        using var image = await Resolve($"{_host}/demo/shop:v2s2");

        Assert.Equal(MediaTypes.DockerManifest, image.ManifestMediaType);
        Assert.NotEqual(layout.ManifestDigest, image.ManifestDigest);
        Assert.Equal(layout.ConfigDigest, image.ConfigDigest);
        Assert.Equal(layout.Layers.Select(l => (l.Digest, l.DiffId, l.Size)), image.Layers.Select(l => (l.Digest, l.DiffId, l.Size)));
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
        Assert.Equal(image.Layers[^1].Size, await ReadLayerAsync(image.Layers[^1]));
    }

    [Fact]
    public async Task Chooses_the_requested_platform_from_an_index()
    {
        using var arm = await Resolve($"{_host}/demo/multi:2", Insecure with { Platform = Platform.Parse("linux/aarch64") });
        using var amd = await Resolve($"{_host}/demo/multi:2", Insecure with { Platform = Platform.Parse("linux/amd64") });

        Assert.Equal((PushedImagesFixture.ShopManifest, fixture.IndexDigest), (arm.ManifestDigest.ToString(), arm.IndexDigest));
        Assert.Equal((PushedImagesFixture.DebianManifest, fixture.IndexDigest), (amd.ManifestDigest.ToString(), amd.IndexDigest));
        Assert.Equal("sha256:cd9e11a328f3846ced53764c3061acf79ef9122b93d994c9089260f33344318f", amd.ConfigDigest.ToString());
        Assert.Equal([$"{_host}/demo/multi@{PushedImagesFixture.DebianManifest}"], amd.RepoDigests);
        Assert.Equal([$"{_host}/demo/multi:2"], amd.RepoTags);
        Assert.Equal(amd.Layers[0].Size, await ReadLayerAsync(amd.Layers[0]));
    }

    [Fact]
    public async Task Chooses_the_requested_platform_from_a_Docker_manifest_list()
    {
        using var arm = await Resolve($"registry:{_host}/demo/list:2", Insecure with { Platform = Platform.Parse("linux/arm64/v8") });

        Assert.Equal((fixture.ShopSchema2, fixture.ListDigest, MediaTypes.DockerManifest), (arm.ManifestDigest, arm.IndexDigest, arm.ManifestMediaType));
        Assert.Equal("sha256:87c80cc5f74f0fdf788926287c0f16607f6d0607d9f7648aee969e47f156b1ad", arm.ConfigDigest.ToString());
        Assert.Equal([$"{_host}/demo/list@{fixture.ShopSchema2}"], arm.RepoDigests);
        Assert.Equal(3, arm.Layers.Count);
    }

    [Fact]
    public async Task Chooses_the_host_platform_from_an_index_by_default()
    {
        var host = Platform.Host;
        if (host.Matches(new Platform("linux", "amd64")) || host.Matches(new Platform("linux", "arm64", "v8")))
        {
            using var image = await Resolve($"{_host}/demo/multi:2");
            Assert.Equal(host.Architecture == "amd64" ? PushedImagesFixture.DebianManifest : PushedImagesFixture.ShopManifest, image.ManifestDigest.ToString());
        }
        else
        {
            await Assert.ThrowsAsync<InputException>(() => Resolve($"{_host}/demo/multi:2"));
        }
    }

    [Fact]
    public async Task Resolves_every_platform_of_an_index()
    {
        var images = await ImageSources.ResolveImagesAsync(ImageSources.Parse($"{_host}/demo/multi:2"), Insecure with { AllPlatforms = true }, Ct);
        try
        {
            Assert.Equal([PushedImagesFixture.DebianManifest, PushedImagesFixture.ShopManifest], images.Select(i => i.ManifestDigest.ToString()));
            Assert.All(images, i => Assert.Equal(fixture.IndexDigest, i.IndexDigest));
            Assert.Equal([1, 3], images.Select(i => i.Layers.Count));
            images[0].Dispose();   // the client is shared: the other image still reads
            Assert.Equal(images[1].Layers[2].Size, await ReadLayerAsync(images[1].Layers[2]));
        }
        finally
        {
            foreach (var i in images) i.Dispose();
        }
    }

    [Fact]
    public async Task Lists_the_available_platforms_when_the_requested_one_is_missing()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"{_host}/demo/multi:2", Insecure with { Platform = Platform.Parse("linux/s390x") }));

        Assert.Equal($"{_host}/demo/multi:2: image index {fixture.IndexDigest} has no image for linux/s390x; it has linux/amd64, linux/arm64/v8. Choose one with --platform, or read them all with --all-platforms.", e.Message);
    }

    [Fact]
    public async Task Reports_a_missing_tag_as_not_found()
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => Resolve($"{_host}/demo/shop:nope"));

        Assert.Equal(RegistryFailure.NotFound, e.Failure);
        Assert.StartsWith($"Not found: manifest {_host}/demo/shop:nope (MANIFEST_UNKNOWN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_all_platforms_through_the_single_image_call()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Resolve($"{_host}/demo/multi:2", Insecure with { AllPlatforms = true }));
    }
}

/// A registry that wants credentials, asked without any.
public sealed class RegistrySourceAuthTests(BasicAuthRegistryFixture fixture) : IClassFixture<BasicAuthRegistryFixture>
{
    [Fact]
    public async Task Says_authentication_is_required_when_there_are_no_credentials()
    {
        var host = fixture.Registry.Host;
        var e = await Assert.ThrowsAsync<RegistryException>(() => ImageSources.ResolveAsync(ImageSources.Parse($"{host}/demo/shop:1"),
            new ImageSourceOptions { Insecure = true, Credentials = StaticCredentials.None }, CancellationToken.None));

        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.StartsWith($"Authentication required for {host}/demo/shop (UNAUTHORIZED", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"run 'docker login {host}' or set credentials.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reaches_the_image_with_credentials_and_then_reports_it_missing()
    {
        var host = fixture.Registry.Host;
        var credentials = new StaticCredentials(new Dictionary<string, RegistryCredentials>
        {
            [host] = new(BasicAuthRegistryFixture.User, BasicAuthRegistryFixture.Password),
        });
        var e = await Assert.ThrowsAsync<RegistryException>(() => ImageSources.ResolveAsync(ImageSources.Parse($"{host}/demo/shop:1"),
            new ImageSourceOptions { Insecure = true, Credentials = credentials }, CancellationToken.None));

        Assert.Equal(RegistryFailure.NotFound, e.Failure);
    }
}

/// A registry behind a bearer-token server: the image resolves with credentials and is refused without.
public sealed class RegistrySourceTokenAuthTests(TokenAuthRegistryFixture fixture) : IClassFixture<TokenAuthRegistryFixture>
{
    private readonly string _host = fixture.Registry.Host;

    private Task<ResolvedImage> Resolve(ICredentialSource credentials) =>
        ImageSources.ResolveAsync(ImageSources.Parse($"{_host}/demo/shop:1"), new ImageSourceOptions { Insecure = true, Credentials = credentials }, CancellationToken.None);

    [Fact]
    public async Task Resolves_and_reads_an_image_with_bearer_tokens_and_is_refused_without_credentials()
    {
        PushedImagesFixture.CopyToRegistry(fixture.Registry, "oci:{layout}:demo-shop", "demo/shop:1",
            "--dest-creds", $"{TokenAuthRegistryFixture.User}:{TokenAuthRegistryFixture.Password}");
        var credentials = new StaticCredentials(new Dictionary<string, RegistryCredentials>
        {
            [_host] = new(TokenAuthRegistryFixture.User, TokenAuthRegistryFixture.Password),
        });

        using var image = await Resolve(credentials);
        await using var layer = await image.Layers[^1].OpenAsync(CancellationToken.None);
        var read = await layer.CopyToCountingAsync();
        var e = await Assert.ThrowsAsync<RegistryException>(() => Resolve(StaticCredentials.None));

        Assert.Equal(PushedImagesFixture.ShopManifest, image.ManifestDigest.ToString());
        Assert.Equal(image.Layers[^1].Size, read);
        Assert.Equal(RegistryFailure.AuthenticationRequired, e.Failure);
        Assert.EndsWith($"run 'docker login {_host}' or set credentials.", e.Message, StringComparison.Ordinal);
    }
}
