// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci.Sources;

namespace Bulwark.Oci.Tests.Sources;

public sealed class ImageSourcesTests
{
    private const string Hex = "8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698";

    [Theory]
    // text, kind, path, tag, digest hex, reference, position
    [InlineData("oci:../images/layout:demo-shop", ImageSourceKind.OciLayout, "../images/layout", "demo-shop", null, null, null)]
    [InlineData("oci:/images/layout", ImageSourceKind.OciLayout, "/images/layout", null, null, null, null)]
    [InlineData("oci:/a:b/layout", ImageSourceKind.OciLayout, "/a:b/layout", null, null, null, null)]
    [InlineData("oci:/images/layout@sha256:" + Hex, ImageSourceKind.OciLayout, "/images/layout", null, Hex, null, null)]
    [InlineData("oci-archive:/tmp/x.tar", ImageSourceKind.OciArchive, "/tmp/x.tar", null, null, null, null)]
    [InlineData("oci-archive:/tmp/x.tar:v1", ImageSourceKind.OciArchive, "/tmp/x.tar", "v1", null, null, null)]
    [InlineData("docker-archive:/tmp/x.tar", ImageSourceKind.DockerArchive, "/tmp/x.tar", null, null, null, null)]
    [InlineData("docker-archive:/tmp/x.tar:demo/shop:1", ImageSourceKind.DockerArchive, "/tmp/x.tar", null, null, "docker.io/demo/shop:1", null)]
    [InlineData("docker-archive:/tmp/x.tar:@2", ImageSourceKind.DockerArchive, "/tmp/x.tar", null, null, null, 2)]
    [InlineData("dir:/srv/rootfs", ImageSourceKind.RootDirectory, "/srv/rootfs", null, null, null, null)]
    [InlineData("registry:ubuntu:22.04", ImageSourceKind.Registry, null, null, null, "docker.io/library/ubuntu:22.04", null)]
    [InlineData("docker://ghcr.io/o/r", ImageSourceKind.Registry, null, null, null, "ghcr.io/o/r:latest", null)]
    [InlineData("127.0.0.1:5000/team/app:1.2", ImageSourceKind.Registry, null, null, null, "127.0.0.1:5000/team/app:1.2", null)]
    [InlineData("ubuntu@sha256:" + Hex, ImageSourceKind.Registry, null, null, null, "docker.io/library/ubuntu@sha256:" + Hex, null)]
    [InlineData("docker:27", ImageSourceKind.Registry, null, null, null, "docker.io/library/docker:27", null)]
    public void Parses_source_arguments(string text, ImageSourceKind kind, string? path, string? tag, string? digestHex, string? reference, int? position)
    {
        var spec = ImageSources.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(text, spec.Text);
        Assert.Equal(path, spec.Path);
        Assert.Equal(tag, spec.Tag);
        Assert.Equal(digestHex is null ? null : new Digest(HashAlgorithm.Sha256, digestHex), spec.Digest);
        Assert.Equal(reference, spec.Reference?.ToString());
        Assert.Equal(position, spec.Position);
        Assert.Equal(kind is ImageSourceKind.OciLayout or ImageSourceKind.OciArchive or ImageSourceKind.DockerArchive, spec.IsLocalImage);
    }

    [Fact]
    public void Keeps_a_colon_in_an_existing_archive_path()
    {
        using var dir = new TempDir();
        var file = dir.File("a:b.tar");
        File.WriteAllText(file, "");
        Assert.Equal(file, ImageSources.Parse($"docker-archive:{file}").Path);
        var spec = ImageSources.Parse($"docker-archive:{file}:demo/shop:1");
        Assert.Equal(file, spec.Path);
        Assert.Equal("docker.io/demo/shop:1", spec.Reference!.ToString());
        Assert.Equal(file, ImageSources.Parse($"oci-archive:{file}").Path);
    }

    [Theory]
    [InlineData("oci:", "'oci:' names no directory: write oci:PATH[:TAG].")]
    [InlineData("oci:/l:", "'oci:/l:' ends with ':' but names no tag: write oci:PATH:TAG or leave out the ':'.")]
    [InlineData("oci:/l@sha256:abc", "'oci:/l@sha256:abc': 'sha256:abc' is not a digest: write oci:PATH@sha256:<64 hex>.")]
    [InlineData("docker-archive:", "'docker-archive:' names no file: write docker-archive:FILE[:REF].")]
    [InlineData("docker-archive:/nope.tar:Bad", "'docker-archive:/nope.tar:Bad': 'Bad' is not an image reference: the repository name 'Bad' must be lowercase.")]
    [InlineData("docker-archive:/nope.tar:@x", "'docker-archive:/nope.tar:@x': '@x' is not an image position; write docker-archive:FILE:@0 for the first image.")]
    [InlineData("dir:", "'dir:' names no directory: write dir:ROOTFS.")]
    [InlineData("registry:", "'registry:': '' is not an image reference: it is empty.")]
    [InlineData("docker-daemon:ubuntu", "'docker-daemon:ubuntu': Bulwark reads images without a Docker engine; run 'docker save IMAGE -o image.tar' and scan docker-archive:image.tar.")]
    [InlineData("./rootfs", "'./rootfs' is not an image source (oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:ROOTFS, registry:REF, or a reference such as ubuntu:22.04): as a reference, it does not follow [registry[:port]/]repository[:tag][@algorithm:hex].")]
    [InlineData("Ubuntu", "'Ubuntu' is not an image source (oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:ROOTFS, registry:REF, or a reference such as ubuntu:22.04): as a reference, the repository name 'Ubuntu' must be lowercase.")]
    public void Rejects_malformed_source_arguments(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => ImageSources.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Leaves_directory_sources_to_the_layer_reader()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ImageSources.ResolveAsync(ImageSources.Parse("dir:/srv/rootfs"), new ImageSourceOptions(), CancellationToken.None));
        Assert.StartsWith("RootDirectory sources (dir:/srv/rootfs) are read by the layer reader", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_gzipped_docker_save_archive()
    {
        using var dir = new TempDir();
        var layer = TestLayer.Make("etc/os-release", "ID=alpine\n", gzip: false);
        var config = TestImages.Config([layer]);
        var configName = $"{Digest.Sha256Of(config).Hex}.json";
        var manifest = TestImages.Json(new[] { new Dictionary<string, object> { ["Config"] = configName, ["RepoTags"] = new[] { "alpine:3" }, ["Layers"] = new[] { "l/layer.tar" } } });
        var tar = TestImages.Tar([(configName, config), ("l/layer.tar", layer.Blob), ("manifest.json", manifest)]);
        var file = dir.File("saved.tar.gz");
        File.WriteAllBytes(file, TestImages.Gzip(tar));
        using var image = await ImageSources.ResolveAsync(ImageSources.Parse($"docker-archive:{file}"), (Platform?)null, CancellationToken.None);
        Assert.Equal(["alpine:3"], image.RepoTags);
        Assert.Equal(layer.DiffId, image.Layers[0].Digest);
        await using var s = await image.Layers[0].OpenAsync(CancellationToken.None);
        await s.CopyToAsync(Stream.Null);
    }
}
