// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Security.Cryptography;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;
using Bulwark.Oci.Sources;

namespace Bulwark.Oci.Tests.Sources;

public sealed class OciLayoutSourceTests
{
    private static readonly string Layout = TestImages.SharedLayout;
    private static readonly CancellationToken Ct = CancellationToken.None;

    internal static Task<ResolvedImage> Resolve(string source, Platform? platform = null) =>
        ImageSources.ResolveAsync(ImageSources.Parse(source), platform, Ct);

    /// Asserts the demo-shop image of ../shared/images (README) whatever source it was read from.
    internal static void AssertDemoShopLayers(ResolvedImage image)
    {
        Assert.Equal(Digest.Parse("sha256:87c80cc5f74f0fdf788926287c0f16607f6d0607d9f7648aee969e47f156b1ad"), image.ConfigDigest);
        Assert.Equal(new Platform("linux", "amd64"), image.Platform);
        Assert.Empty(image.Labels);
        Assert.Equal(["node", "index.js"], image.Config!.Cmd);
        Assert.Equal("/app", image.Config.WorkingDir);
        Assert.Equal(
            ["sha256:0d74ca29cb9e0c8abcc1e4f680949deb47c50b4d26a6995c77dba3a7d5249090",
             "sha256:2d0ffe56917889bf20dd831e108002c3a0fbe4a22de3a290aee999f2ecf07076",
             "sha256:34450d38ca757d6ff1009d643748f993b2738bfd353356813da8a98a9c126c08"],
            image.Layers.Select(l => l.DiffId.ToString()));
        Assert.Equal(5, image.Config.History.Count);
        Assert.Equal(2, image.Config.History.Count(h => h.EmptyLayer));
    }

    [Fact]
    public async Task Reads_demo_shop_from_the_shared_layout_with_exact_digests()
    {
        using var image = await Resolve($"oci:{Layout}:demo-shop");
        Assert.Equal($"oci:{Layout}:demo-shop", image.Source);
        Assert.Equal(Digest.Parse("sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0"), image.ManifestDigest);
        Assert.Equal(MediaTypes.OciManifest, image.ManifestMediaType);
        Assert.Null(image.IndexDigest);
        Assert.Null(image.Reference);
        Assert.Empty(image.RepoTags);
        Assert.Empty(image.RepoDigests);
        Assert.Equal(814, image.ConfigJson.Length);
        Assert.Equal(667, image.ManifestJson.Length);
        AssertDemoShopLayers(image);
        Assert.Equal(
            [("sha256:a292a3acf15f928c22a0164e3e0e53eca9ea17137ab21331cf34bed726e20c9e", 30013345L),
             ("sha256:a94e5af9772bd066c9fcf0f469e9bfb8fff522cdf2db5ecfcc2045215f56b6d8", 28928385L),
             ("sha256:16cf8437a32eacd9a250821982f58f7f076168ff805a1ad0b82560d3746ea95f", 2301739L)],
            image.Layers.Select(l => (l.Digest.ToString(), l.Size)));
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
    }

    [Fact]
    public async Task Reads_debian_bookworm_from_the_shared_layout()
    {
        using var image = await Resolve($"oci:{Layout}:debian-bookworm");
        Assert.Equal(Digest.Parse("sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698"), image.ManifestDigest);
        Assert.Equal(Digest.Parse("sha256:cd9e11a328f3846ced53764c3061acf79ef9122b93d994c9089260f33344318f"), image.ConfigDigest);
        var layer = Assert.Single(image.Layers);
        Assert.Equal(Digest.Parse("sha256:a292a3acf15f928c22a0164e3e0e53eca9ea17137ab21331cf34bed726e20c9e"), layer.Digest);
        Assert.Equal(Digest.Parse("sha256:0d74ca29cb9e0c8abcc1e4f680949deb47c50b4d26a6995c77dba3a7d5249090"), layer.DiffId);
        Assert.Equal(["/bin/bash"], image.Config!.Cmd);
        Assert.Equal(new Platform("linux", "amd64"), image.Platform);
    }

    [Fact]
    public async Task Opens_a_layer_as_a_verified_stream_whose_tar_has_the_diff_id()
    {
        using var image = await Resolve($"oci:{Layout}:demo-shop");
        var top = image.Layers[2];
        await using var blob = await top.OpenAsync(Ct);
        Assert.IsType<DigestVerifyingStream>(blob);
        await using var tar = new GZipStream(blob, CompressionMode.Decompress);
        var diffId = new Digest(HashAlgorithm.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(tar)));
        Assert.Equal(top.DiffId, diffId);
    }

    [Fact]
    public async Task Picks_an_image_by_manifest_digest()
    {
        using var image = await Resolve($"oci:{Layout}@sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698");
        Assert.Equal(Digest.Parse("sha256:cd9e11a328f3846ced53764c3061acf79ef9122b93d994c9089260f33344318f"), image.ConfigDigest);
    }

    [Fact]
    public async Task Lists_the_tags_when_the_layout_holds_several_images_and_none_is_named()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{Layout}"));
        Assert.Equal($"oci:{Layout}: the layout holds 2 images; name one: oci:{Layout}:debian-bookworm, oci:{Layout}:demo-shop.", e.Message);
    }

    [Fact]
    public async Task Lists_the_tags_when_the_tag_is_unknown()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{Layout}:nope"));
        Assert.Equal($"oci:{Layout}:nope: no image is tagged 'nope'; the tags are debian-bookworm, demo-shop.", e.Message);
    }

    [Fact]
    public async Task Reports_an_unknown_digest_with_the_choices()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{Layout}@sha256:{new string('0', 64)}"));
        Assert.Equal($"oci:{Layout}@sha256:{new string('0', 64)}: the layout has no manifest sha256:{new string('0', 64)}; it holds oci:{Layout}:debian-bookworm, oci:{Layout}:demo-shop.", e.Message);
    }

    [Fact]
    public async Task Takes_the_only_image_when_no_tag_is_given()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var layer = TestLayer.Make("etc/hello", "hi", gzip: true);
        var m = b.Image([layer], labels: new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0", ["a"] = "b" });
        b.Tag(null, MediaTypes.OciManifest, m).Write();
        using var image = await Resolve($"oci:{dir.Path}");
        Assert.Equal(m.Digest, image.ManifestDigest);
        Assert.Equal(["a", "org.opencontainers.image.version"], image.Labels.Keys);
        Assert.Equal("1.0", image.Labels["org.opencontainers.image.version"]);
        Assert.Equal(layer.Digest, image.Layers[0].Digest);
        Assert.Equal(layer.DiffId, image.Layers[0].DiffId);
    }

    private static (TempDir Dir, (Digest Digest, long Size) Amd, (Digest Digest, long Size) Arm, (Digest Digest, long Size) Index) MultiPlatform()
    {
        var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var amd = b.Image([TestLayer.Make("amd", "x86", gzip: true)]);
        var arm = b.Image([TestLayer.Make("arm", "arm", gzip: false)], arch: "arm64", variant: "v8");
        var index = b.Index((amd.Digest, amd.Size, "linux/amd64"), (arm.Digest, arm.Size, "linux/arm64/v8"));
        b.Tag("multi", MediaTypes.OciIndex, index).Write();
        return (dir, amd, arm, index);
    }

    [Fact]
    public async Task Chooses_the_requested_platform_from_a_nested_index()
    {
        var (dir, amd, arm, index) = MultiPlatform();
        using (dir)
        {
            using var image = await Resolve($"oci:{dir.Path}:multi", Platform.Parse("linux/arm64"));
            Assert.Equal(arm.Digest, image.ManifestDigest);
            Assert.Equal(index.Digest, image.IndexDigest);
            Assert.Equal(new Platform("linux", "arm64", "v8"), image.Platform);
            Assert.Equal(MediaTypes.OciLayerTar, image.Layers[0].MediaType);
            using var x86 = await Resolve($"oci:{dir.Path}:multi", Platform.Parse("linux/amd64"));
            Assert.Equal(amd.Digest, x86.ManifestDigest);
        }
    }

    [Fact]
    public async Task Returns_every_platform_for_all_platforms()
    {
        var (dir, amd, arm, index) = MultiPlatform();
        using (dir)
        {
            var images = await ImageSources.ResolveAllPlatformsAsync(ImageSources.Parse($"oci:{dir.Path}:multi"), Ct);
            Assert.Equal([amd.Digest, arm.Digest], images.Select(i => i.ManifestDigest));
            Assert.Equal(["linux/amd64", "linux/arm64/v8"], images.Select(i => i.Platform.ToString()));
            Assert.All(images, i => Assert.Equal(index.Digest, i.IndexDigest));
        }
    }

    [Fact]
    public async Task Lists_the_available_platforms_when_the_requested_one_is_missing()
    {
        var (dir, _, _, index) = MultiPlatform();
        using (dir)
        {
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:multi", Platform.Parse("linux/s390x")));
            Assert.Equal($"oci:{dir.Path}:multi: image index {index.Digest} has no image for linux/s390x; it has linux/amd64, linux/arm64/v8. Choose one with --platform, or read them all with --all-platforms.", e.Message);
        }
    }

    [Fact]
    public async Task Refuses_a_directory_without_an_oci_layout_file()
    {
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}"));
        Assert.Equal($"oci:{dir.Path}: {dir.Path} is not an OCI image layout: it has no oci-layout file. Make one with 'skopeo copy SOURCE oci:DIR:TAG'.", e.Message);
    }

    [Fact]
    public async Task Refuses_a_missing_directory()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve("oci:/nonexistent/layout:x"));
        Assert.Equal("oci:/nonexistent/layout:x: /nonexistent/layout is not a directory. Give the directory of an OCI image layout (it holds oci-layout and index.json).", e.Message);
    }

    private static (TempDir Dir, LayoutBuilder B, TestLayer Layer, (Digest Digest, long Size) Manifest) Single()
    {
        var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var layer = TestLayer.Make("etc/hello", "hello world", gzip: true);
        var m = b.Image([layer]);
        b.Tag("t", MediaTypes.OciManifest, m).Write();
        return (dir, b, layer, m);
    }

    [Fact]
    public async Task Reports_a_missing_layer_blob()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        {
            File.Delete(b.BlobPath(layer.Digest));
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal($"oci:{dir.Path}:t: layer 1 {layer.Digest} is missing ({b.BlobPath(layer.Digest)}); the layout is incomplete: copy the image again.", e.Message);
        }
    }

    [Fact]
    public async Task Reports_a_layer_whose_size_differs_from_its_descriptor()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        {
            File.AppendAllText(b.BlobPath(layer.Digest), "x");
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal($"oci:{dir.Path}:t: layer 1 {layer.Digest} should be {layer.Blob.Length} bytes but {b.BlobPath(layer.Digest)} holds {layer.Blob.Length + 1}; the layout is corrupt: copy the image again.", e.Message);
        }
    }

    [Fact]
    public async Task Rejects_a_layer_with_a_flipped_byte_when_it_is_read()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        {
            var corrupt = (byte[])layer.Blob.Clone();
            corrupt[^3] ^= 1;
            File.WriteAllBytes(b.BlobPath(layer.Digest), corrupt);
            using var image = await Resolve($"oci:{dir.Path}:t");
            await using var s = await image.Layers[0].OpenAsync(Ct);
            var e = await Assert.ThrowsAsync<BlobDigestException>(() => s.CopyToAsync(Stream.Null));
            Assert.Equal($"blob {layer.Digest} from oci:{dir.Path}:t: expected {layer.Digest}, got {Digest.Sha256Of(corrupt)}; the download or file is corrupt: delete it and fetch again.", e.Message);
        }
    }

    [Fact]
    public async Task Rejects_a_manifest_whose_content_does_not_match_its_digest()
    {
        var (dir, b, _, m) = Single();
        using (dir)
        {
            var bytes = File.ReadAllBytes(b.BlobPath(m.Digest));
            bytes[^2] = (byte)' ';
            File.WriteAllBytes(b.BlobPath(m.Digest), bytes);
            var e = await Assert.ThrowsAsync<BlobDigestException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal(m.Digest, e.Digest);
            Assert.Equal($"oci:{dir.Path}:t", e.BlobSource);
        }
    }

    [Fact]
    public async Task Refuses_a_huge_declared_manifest_size_without_reading_it()
    {
        var (dir, _, _, m) = Single();
        using (dir)
        {
            new LayoutBuilder(dir.Path).Tag("t", MediaTypes.OciManifest, (m.Digest, 1L << 40)).Write();
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal($"oci:{dir.Path}:t: manifest {m.Digest} declares 1099511627776 bytes, more than the 4194304 allowed; refusing it.", e.Message);
        }
    }

    [Fact]
    public async Task Refuses_a_blob_that_is_a_symbolic_link_out_of_the_layout()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        using (var outside = new TempDir())
        {
            var secret = outside.File("secret");
            File.WriteAllBytes(secret, layer.Blob);
            File.Delete(b.BlobPath(layer.Digest));
            File.CreateSymbolicLink(b.BlobPath(layer.Digest), secret);
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal($"oci:{dir.Path}:t: {b.BlobPath(layer.Digest)} leads through a symbolic link to {secret}, outside the layout; refusing to follow it.", e.Message);
        }
    }

    [Fact]
    public async Task Refuses_a_blobs_directory_linked_out_of_the_layout()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        using (var outside = new TempDir())
        {
            Directory.Move(Path.Combine(dir.Path, "blobs"), outside.File("blobs"));
            Directory.CreateSymbolicLink(Path.Combine(dir.Path, "blobs"), outside.File("blobs"));
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.StartsWith($"oci:{dir.Path}:t: {dir.Path}/blobs/sha256/", e.Message, StringComparison.Ordinal);
            Assert.EndsWith($" leads through a symbolic link to {outside.File("blobs")}, outside the layout; refusing to follow it.", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refuses_a_cycle_of_symbolic_links_in_the_layout()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        {
            File.Delete(b.BlobPath(layer.Digest));
            File.CreateSymbolicLink(b.BlobPath(layer.Digest), "loop");
            File.CreateSymbolicLink(Path.Combine(dir.Path, "blobs", "sha256", "loop"), layer.Digest.Hex);
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
            Assert.Equal($"oci:{dir.Path}:t: {b.BlobPath(layer.Digest)} goes through more than 40 symbolic links; refusing it.", e.Message);
        }
    }

    [Fact]
    public async Task Follows_a_symbolic_link_that_stays_inside_the_layout()
    {
        var (dir, b, layer, _) = Single();
        using (dir)
        {
            var elsewhere = Path.Combine(dir.Path, "store");
            Directory.CreateDirectory(elsewhere);
            File.Move(b.BlobPath(layer.Digest), Path.Combine(elsewhere, "layer"));
            File.CreateSymbolicLink(b.BlobPath(layer.Digest), "../../store/layer");
            using var image = await Resolve($"oci:{dir.Path}:t");
            await using var s = await image.Layers[0].OpenAsync(Ct);
            await s.CopyToAsync(Stream.Null);
        }
    }

    [Fact]
    public async Task Refuses_a_config_whose_diff_ids_do_not_match_the_layers()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var layer = TestLayer.Make("a", "b", gzip: true);
        var config = b.Blob(TestImages.Config([layer, layer]));
        var manifest = b.Blob(TestImages.Json(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = LayoutBuilder.Descriptor(MediaTypes.OciConfig, config),
            ["layers"] = new[] { LayoutBuilder.Descriptor(layer.MediaType, b.Blob(layer.Blob)) },
        }));
        b.Tag("t", MediaTypes.OciManifest, manifest).Write();
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:t"));
        Assert.Equal($"oci:{dir.Path}:t: config {config.Digest} lists 2 diff_ids but the manifest has 1 layers; the image is corrupt.", e.Message);
    }

    [Fact]
    public async Task Refuses_indexes_nested_too_deep()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var m = b.Image([TestLayer.Make("a", "b", gzip: true)]);
        var index = (m.Digest, m.Size);
        var mediaType = MediaTypes.OciManifest;
        for (var i = 0; i < 5; i++)
        {
            index = b.Blob(TestImages.Json(new Dictionary<string, object?>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = MediaTypes.OciIndex,
                ["manifests"] = new[] { LayoutBuilder.Descriptor(mediaType, index, new { os = "linux", architecture = "amd64" }) },
            }));
            mediaType = MediaTypes.OciIndex;
        }
        b.Tag("deep", MediaTypes.OciIndex, index).Write();
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci:{dir.Path}:deep", Platform.Parse("linux/amd64")));
        Assert.StartsWith($"oci:{dir.Path}:deep: image indexes nest more than 4 deep at sha256:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_not_hang_on_a_blob_that_is_a_fifo()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var layer = TestLayer.Make("a", "b", gzip: true);
        var config = b.Blob(TestImages.Config([layer]));
        var manifest = b.Blob(TestImages.Json(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = LayoutBuilder.Descriptor(MediaTypes.OciConfig, config),
            ["layers"] = new[] { LayoutBuilder.Descriptor(layer.MediaType, (layer.Digest, 0L)) },
        }));
        b.Tag("t", MediaTypes.OciManifest, manifest).Write();
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", b.BlobPath(layer.Digest)))
            await mkfifo.WaitForExitAsync();
        using var image = await Resolve($"oci:{dir.Path}:t");
        await using var s = await image.Layers[0].OpenAsync(Ct);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => s.CopyToAsync(Stream.Null));
        Assert.Equal($"blob {layer.Digest} from oci:{dir.Path}:t: expected {layer.Digest}, got sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855; the download or file is corrupt: delete it and fetch again.", e.Message);
    }
}
