// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Sources;

namespace Bulwark.Oci.Tests.Sources;

public sealed class DockerArchiveSourceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<ResolvedImage> Resolve(string source) => OciLayoutSourceTests.Resolve(source);

    private static readonly TestLayer Base = TestLayer.Make("etc/os-release", "ID=debian\n", gzip: false);
    private static readonly TestLayer App = TestLayer.Make("app/index.js", "console.log(1)\n", gzip: false);

    /// `docker save` before Docker 25: &lt;id&gt;/layer.tar, &lt;config-hex&gt;.json, manifest.json, repositories.
    private static (string Config, List<(string Name, byte[] Data)> Entries) LegacyImage(string id, IReadOnlyList<TestLayer> layers, IDictionary<string, string>? labels = null)
    {
        var config = TestImages.Config(layers, labels: labels);
        var entries = new List<(string, byte[])> { ($"{Digest.Sha256Of(config).Hex}.json", config) };
        for (var i = 0; i < layers.Count; i++) entries.Add(($"{id}{i}/layer.tar", layers[i].Blob));
        return ($"{Digest.Sha256Of(config).Hex}.json", entries);
    }

    private static object ManifestEntry(string config, string[]? repoTags, IEnumerable<string> layers) =>
        new Dictionary<string, object?> { ["Config"] = config, ["RepoTags"] = repoTags, ["Layers"] = layers.ToArray() };

    private static string Archive(TempDir dir, IEnumerable<object> manifest, IEnumerable<(string Name, byte[] Data)> entries, IEnumerable<(string, string)>? symlinks = null, string name = "image.tar")
    {
        var file = dir.File(name);
        TestImages.WriteTar(file, [.. entries, ("manifest.json", TestImages.Json(manifest.ToArray()))], symlinks);
        return file;
    }

    [Fact]
    public async Task Reads_a_docker_save_archive_with_uncompressed_layers()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base, App], new Dictionary<string, string> { ["maintainer"] = "me" });
        var file = Archive(dir, [ManifestEntry(config, ["demo/shop:1"], ["aa0/layer.tar", "aa1/layer.tar"])], entries);
        using var image = await Resolve($"docker-archive:{file}");

        Assert.Equal(Digest.Parse("sha256:" + config[..64]), image.ConfigDigest);
        Assert.Equal([Base.DiffId, App.DiffId], image.Layers.Select(l => l.Digest));
        Assert.Equal([Base.DiffId, App.DiffId], image.Layers.Select(l => l.DiffId!.Value));
        Assert.Equal([Base.Tar.Length, App.Tar.Length], image.Layers.Select(l => (int)l.Size));
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerTar, l.MediaType));
        Assert.Equal(["demo/shop:1"], image.RepoTags);
        Assert.Equal(ImageReference.Parse("docker.io/demo/shop:1"), image.Reference);
        Assert.Empty(image.RepoDigests);
        Assert.Equal("me", image.Labels["maintainer"]);
        Assert.Equal(new Platform("linux", "amd64"), image.Platform);
        Assert.Equal(MediaTypes.DockerManifest, image.ManifestMediaType);
        Assert.Equal(Digest.Sha256Of(image.ManifestJson.Span), image.ManifestDigest);
        Assert.Equal(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifest}}","config":{"mediaType":"{{MediaTypes.DockerConfig}}","size":{{image.ConfigJson.Length}},"digest":"{{image.ConfigDigest}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar","size":{{Base.Tar.Length}},"digest":"{{Base.DiffId}}"},{"mediaType":"application/vnd.docker.image.rootfs.diff.tar","size":{{App.Tar.Length}},"digest":"{{App.DiffId}}"}]}""",
            Encoding.UTF8.GetString(image.ManifestJson.Span));
        await using var s = await image.Layers[1].OpenAsync(Ct);
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        Assert.Equal(App.Tar, copy.ToArray());
    }

    [Fact]
    public async Task Hashes_a_gzip_layer_and_reads_docker_25_blob_names()
    {
        using var dir = new TempDir();
        var gz = TestLayer.Make("etc/x", "y", gzip: true);
        var config = TestImages.Config([gz, App]);
        var entries = new List<(string, byte[])>
        {
            ($"blobs/sha256/{Digest.Sha256Of(config).Hex}", config),
            ("bb/layer.tar", gz.Blob),
            ($"blobs/sha256/{App.DiffId.Hex}", App.Blob),
        };
        var file = Archive(dir, [ManifestEntry($"blobs/sha256/{Digest.Sha256Of(config).Hex}", null, ["bb/layer.tar", $"blobs/sha256/{App.DiffId.Hex}"])], entries);
        using var image = await Resolve($"docker-archive:{file}");
        Assert.Equal([gz.Digest, App.DiffId], image.Layers.Select(l => l.Digest));
        Assert.Equal([gz.DiffId, App.DiffId], image.Layers.Select(l => l.DiffId!.Value));
        Assert.Equal([MediaTypes.DockerLayerGzip, MediaTypes.OciLayerTar], image.Layers.Select(l => l.MediaType));
        Assert.Empty(image.RepoTags);
        Assert.Null(image.Reference);
    }

    [Fact]
    public async Task Uses_the_oci_manifest_that_docker_25_stores_beside_manifest_json()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.File("saved"));
        var gz = TestLayer.Make("etc/x", "y", gzip: true);
        var manifest = b.Image([Base, gz]);
        b.Tag("docker.io/demo/new:1", MediaTypes.OciManifest, manifest).Write();
        var config = Digest.Sha256Of(TestImages.Config([Base, gz]));
        File.WriteAllBytes(Path.Combine(b.Root, "manifest.json"), TestImages.Json(new[]
        {
            ManifestEntry($"blobs/sha256/{config.Hex}", ["demo/new:1"], [$"blobs/sha256/{Base.Digest.Hex}", $"blobs/sha256/{gz.Digest.Hex}"]),
        }));
        TestImages.TarDirectory(b.Root, dir.File("saved.tar"), gzip: false);
        using var image = await Resolve($"docker-archive:{dir.File("saved.tar")}");
        Assert.Equal(manifest.Digest, image.ManifestDigest);
        Assert.Equal(MediaTypes.OciManifest, image.ManifestMediaType);
        Assert.Equal(File.ReadAllBytes(b.BlobPath(manifest.Digest)), image.ManifestJson.ToArray());
        Assert.Equal(config, image.ConfigDigest);
        Assert.Equal([MediaTypes.OciLayerTar, MediaTypes.OciLayerGzip], image.Layers.Select(l => l.MediaType));
        Assert.Equal([Base.Digest, gz.Digest], image.Layers.Select(l => l.Digest));
        Assert.Equal(["demo/new:1"], image.RepoTags);
    }

    private static (TempDir Dir, string File) TwoImages()
    {
        var dir = new TempDir();
        var (c1, e1) = LegacyImage("aa", [Base]);
        var (c2, e2) = LegacyImage("bb", [Base, App]);
        var file = Archive(dir, [ManifestEntry(c1, ["demo/base:1", "demo/base:latest"], ["aa0/layer.tar"]), ManifestEntry(c2, ["docker.io/demo/app:2"], ["bb0/layer.tar", "bb1/layer.tar"])], [.. e1, .. e2]);
        return (dir, file);
    }

    [Fact]
    public async Task Lists_the_images_of_a_multi_image_archive_when_none_is_named()
    {
        var (dir, file) = TwoImages();
        using (dir)
        {
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
            Assert.Equal($"docker-archive:{file}: the archive holds 2 images; name one as docker-archive:FILE:REF or docker-archive:FILE:@N: @0 demo/base:1 demo/base:latest, @1 demo/app:2.", e.Message);
        }
    }

    [Fact]
    public async Task Chooses_an_image_by_reference_or_position()
    {
        var (dir, file) = TwoImages();
        using (dir)
        {
            using var app = await Resolve($"docker-archive:{file}:docker.io/demo/app:2");
            Assert.Equal(2, app.Layers.Count);
            Assert.Equal(["demo/app:2"], app.RepoTags);
            using var latest = await Resolve($"docker-archive:{file}:demo/base");
            Assert.Single(latest.Layers);
            Assert.Equal(ImageReference.Parse("demo/base:latest"), latest.Reference);
            using var second = await Resolve($"docker-archive:{file}:@1");
            Assert.Equal(app.ConfigDigest, second.ConfigDigest);
            var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}:demo/app:3"));
            Assert.Equal($"docker-archive:{file}:demo/app:3: no image is tagged demo/app:3; the archive holds @0 demo/base:1 demo/base:latest, @1 demo/app:2.", e.Message);
            var e2 = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}:@2"));
            Assert.Equal($"docker-archive:{file}:@2: there is no image @2; the archive holds @0 demo/base:1 demo/base:latest, @1 demo/app:2.", e2.Message);
        }
    }

    [Fact]
    public async Task Names_images_from_the_legacy_repositories_file()
    {
        using var dir = new TempDir();
        var (c1, e1) = LegacyImage("aa", [Base]);
        var (c2, e2) = LegacyImage("bb", [Base, App]);
        var repositories = Encoding.UTF8.GetBytes("""{"demo/old":{"v1":"bb1"},"demo/base":{"v0":"aa0"}}""");
        var file = Archive(dir, [ManifestEntry(c1, null, ["aa0/layer.tar"]), ManifestEntry(c2, null, ["bb0/layer.tar", "bb1/layer.tar"])], [.. e1, .. e2, ("repositories", repositories)]);
        using var old = await Resolve($"docker-archive:{file}:demo/old:v1");
        Assert.Equal(["demo/old:v1"], old.RepoTags);
        Assert.Equal(2, old.Layers.Count);
    }

    [Fact]
    public async Task Follows_layer_links_inside_the_archive_like_skopeo_writes_them()
    {
        using var dir = new TempDir();
        var config = TestImages.Config([Base]);
        var entries = new List<(string, byte[])> { ($"{Digest.Sha256Of(config).Hex}.json", config), ($"{Base.DiffId.Hex}.tar", Base.Blob) };
        var file = Archive(dir, [ManifestEntry($"{Digest.Sha256Of(config).Hex}.json", ["a:1"], ["cc/layer.tar"])], entries, [("cc/layer.tar", $"../{Base.DiffId.Hex}.tar")]);
        using var image = await Resolve($"docker-archive:{file}");
        await using var s = await image.Layers[0].OpenAsync(Ct);
        await s.CopyToAsync(Stream.Null);
        Assert.Equal(Base.DiffId, image.Layers[0].Digest);
    }

    [Fact]
    public async Task Rejects_a_layer_link_pointing_out_of_the_archive()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var file = Archive(dir, [ManifestEntry(config, null, ["cc/layer.tar"])], entries, [("cc/layer.tar", "../../../etc/passwd")]);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: {file} (entry cc/layer.tar) is a link to '../../../etc/passwd', outside the archive; the archive is hostile or corrupt.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_cycle_of_layer_links()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var file = Archive(dir, [ManifestEntry(config, null, ["x/layer.tar"])], entries, [("x/layer.tar", "../y/layer.tar"), ("y/layer.tar", "../x/layer.tar")]);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: {file} (entry x/layer.tar) goes through more than 16 links; the archive is hostile or corrupt.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_manifest_naming_a_layer_outside_the_archive()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var file = Archive(dir, [ManifestEntry(config, null, ["../../etc/passwd"])], entries);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: manifest.json names layer 1 '../../etc/passwd', which points outside the archive; the archive is hostile or corrupt.", e.Message);
    }

    [Fact]
    public async Task Reports_a_layer_missing_from_the_archive()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base, App]);
        var file = Archive(dir, [ManifestEntry(config, null, ["aa0/layer.tar", "zz/layer.tar"])], entries);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: layer 2 (zz/layer.tar) listed in manifest.json is missing from the archive; the archive is incomplete: save it again.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_config_whose_content_does_not_match_its_name()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var original = entries[0].Data;
        var changed = TestImages.Config([Base], arch: "arm64");
        entries[0] = (config, changed);
        var file = Archive(dir, [ManifestEntry(config, null, ["aa0/layer.tar"])], entries);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"blob {Digest.Sha256Of(original)} from {file} (entry {config}): expected {Digest.Sha256Of(original)}, got {Digest.Sha256Of(changed)}; the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_layer_whose_content_does_not_match_its_diff_id_when_read()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var corrupt = (byte[])Base.Blob.Clone();
        corrupt[600] ^= 1;
        entries[1] = (entries[1].Name, corrupt);
        var file = Archive(dir, [ManifestEntry(config, null, ["aa0/layer.tar"])], entries);
        using var image = await Resolve($"docker-archive:{file}");
        await using var s = await image.Layers[0].OpenAsync(Ct);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => s.CopyToAsync(Stream.Null));
        Assert.Equal($"blob {Base.DiffId} from docker-archive:{file}: expected {Base.DiffId}, got {Digest.Sha256Of(corrupt)}; the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_config_whose_diff_ids_do_not_match_the_layers()
    {
        using var dir = new TempDir();
        var (config, entries) = LegacyImage("aa", [Base]);
        var file = Archive(dir, [ManifestEntry(config, null, ["aa0/layer.tar", "aa0/layer.tar"])], entries);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: config sha256:{config[..64]} lists 1 diff_ids but manifest.json lists 2 layers; the archive is corrupt.", e.Message);
    }

    [Fact]
    public async Task Refuses_an_archive_without_manifest_json()
    {
        using var dir = new TempDir();
        var file = dir.File("old.tar");
        TestImages.WriteTar(file, [("repositories", "{}"u8.ToArray()), ("aa/layer.tar", Base.Blob)]);
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"docker-archive:{file}"));
        Assert.Equal($"docker-archive:{file}: the archive has no manifest.json: it was saved by Docker older than 1.10, which is not supported; save the image again with a current Docker.", e.Message);
    }

    [Fact]
    public async Task Reads_an_archive_that_skopeo_wrote_from_the_shared_layout()
    {
        using var dir = new TempDir();
        var file = dir.File("x.tar");
        RunSkopeo("copy", "-q", $"oci:{TestImages.SharedLayout}:demo-shop", $"docker-archive:{file}:demo/shop:1");
        using var image = await Resolve($"docker-archive:{file}");
        OciLayoutSourceTests.AssertDemoShopLayers(image);
        Assert.Equal(image.Layers.Select(l => l.DiffId!.Value), image.Layers.Select(l => l.Digest));
        Assert.Equal(["demo/shop:1"], image.RepoTags);
        Assert.Equal(ImageReference.Parse("demo/shop:1"), image.Reference);
        Assert.All(image.Layers, l => Assert.Equal(MediaTypes.OciLayerTar, l.MediaType));
        await using var s = await image.Layers[2].OpenAsync(Ct);
        await s.CopyToAsync(Stream.Null);   // 10 MB, verified against the diff-id sha256:34450d…
        Assert.Equal(image.Layers[2].Size, ((DigestVerifyingStream)s).BytesRead);
    }

    private static void RunSkopeo(params string[] args)
    {
        var info = new ProcessStartInfo("skopeo") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("skopeo is not installed: run ./test.sh (it installs skopeo).", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"skopeo {string.Join(' ', args)} failed: {stderr}");
        }
    }
}
