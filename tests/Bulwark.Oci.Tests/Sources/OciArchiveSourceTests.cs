// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Sources;

namespace Bulwark.Oci.Tests.Sources;

/// The shared layout tarred (and gzipped) once for the class.
public sealed class SharedLayoutArchives : IDisposable
{
    private readonly TempDir _dir = new();
    public string Plain { get; }
    public string Gzipped { get; }

    public SharedLayoutArchives()
    {
        Plain = _dir.File("layout.tar");
        Gzipped = _dir.File("layout.tar.gz");
        TestImages.TarDirectory(TestImages.SharedLayout, Plain, gzip: false);
        TestImages.TarDirectory(TestImages.SharedLayout, Gzipped, gzip: true);
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class OciArchiveSourceTests(SharedLayoutArchives archives) : IClassFixture<SharedLayoutArchives>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<ResolvedImage> Resolve(string source) => OciLayoutSourceTests.Resolve(source);

    [Fact]
    public async Task Reads_demo_shop_from_a_tar_of_the_layout_without_extracting_it()
    {
        using var image = await Resolve($"oci-archive:{archives.Plain}:demo-shop");
        Assert.Equal(Digest.Parse("sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0"), image.ManifestDigest);
        OciLayoutSourceTests.AssertDemoShopLayers(image);
        await using var layer = await image.Layers[2].OpenAsync(Ct);
        await layer.CopyToAsync(Stream.Null);   // verified against sha256:16cf84… as it streams
        Assert.Equal(2301739, ((DigestVerifyingStream)layer).BytesRead);
    }

    [Fact]
    public async Task Reads_demo_shop_from_a_gzipped_tar_through_a_spooled_copy()
    {
        var image = await Resolve($"oci-archive:{archives.Gzipped}:demo-shop");
        Assert.Equal(Digest.Parse("sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0"), image.ManifestDigest);
        OciLayoutSourceTests.AssertDemoShopLayers(image);
        await using (var layer = await image.Layers[2].OpenAsync(Ct))
            await layer.CopyToAsync(Stream.Null);
        image.Dispose();
        // the spooled copy is gone with the image
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await (await image.Layers[2].OpenAsync(Ct)).ReadExactlyAsync(new byte[10]));
    }

    [Fact]
    public async Task Lists_the_tags_of_an_archive_with_several_images()
    {
        var e = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archives.Plain}"));
        Assert.Equal($"oci-archive:{archives.Plain}: the layout holds 2 images; name one: oci-archive:{archives.Plain}:debian-bookworm, oci-archive:{archives.Plain}:demo-shop.", e.Message);
    }

    [Fact]
    public async Task Reads_every_platform_of_a_gzipped_archive_and_keeps_the_copy_until_the_last_image_is_disposed()
    {
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.File("layout"));
        var amd = b.Image([TestLayer.Make("amd", "x86", gzip: true)]);
        var arm = b.Image([TestLayer.Make("arm", "arm", gzip: true)], arch: "arm64");
        b.Tag("multi", MediaTypes.OciIndex, b.Index((amd.Digest, amd.Size, "linux/amd64"), (arm.Digest, arm.Size, "linux/arm64"))).Write();
        TestImages.TarDirectory(b.Root, dir.File("multi.tgz"), gzip: true);
        var images = await ImageSources.ResolveAllPlatformsAsync(ImageSources.Parse($"oci-archive:{dir.File("multi.tgz")}"), Ct);
        Assert.Equal([amd.Digest, arm.Digest], images.Select(i => i.ManifestDigest));
        images[0].Dispose();
        images[0].Dispose();   // a second dispose of the same image does not release the other's lease
        await using (var s = await images[1].Layers[0].OpenAsync(Ct))
            await s.CopyToAsync(Stream.Null);
        images[1].Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await (await images[1].Layers[0].OpenAsync(Ct)).ReadExactlyAsync(new byte[10]));
    }

    /// A small one-image layout tarred by the test, with the entries it wants changed.
    private static (TempDir Dir, string Archive, TestLayer Layer, List<(string Name, byte[] Data)> Entries) SmallArchive(Func<List<(string Name, byte[] Data)>, List<(string, byte[])>>? change = null, bool ustar = false)
    {
        var dir = new TempDir();
        var b = new LayoutBuilder(dir.File("layout"));
        var layer = TestLayer.Make("etc/hello", new string('h', 5000), gzip: false);
        b.Tag("t", MediaTypes.OciManifest, b.Image([layer])).Write();
        var entries = Directory.EnumerateFiles(b.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(b.Root, p), File.ReadAllBytes(p))).ToList();
        var archive = dir.File("small.tar");
        TestImages.WriteTar(archive, change is null ? entries : change(entries), ustar: ustar);
        return (dir, archive, layer, entries);
    }

    [Fact]
    public async Task Rejects_an_entry_that_climbs_out_with_dot_dot()
    {
        var (dir, archive, _, _) = SmallArchive(e => [.. e, ("../evil", [1])]);
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Equal($"oci-archive:{archive}:t: {archive} has an entry named '../evil', which points outside the archive; the archive is hostile or corrupt.", ex.Message);
        }
    }

    [Fact]
    public async Task Rejects_an_absolute_entry_name()
    {
        var (dir, archive, _, _) = SmallArchive(e => [("/etc/cron.d/evil", [1]), .. e]);
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Equal($"oci-archive:{archive}:t: {archive} has an entry named '/etc/cron.d/evil', which points outside the archive; the archive is hostile or corrupt.", ex.Message);
        }
    }

    [Fact]
    public async Task Rejects_duplicate_entries()
    {
        var (dir, archive, _, _) = SmallArchive(e => [.. e, ("./index.json", Encoding.UTF8.GetBytes("""{"schemaVersion":2,"manifests":[]}"""))]);
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Equal($"oci-archive:{archive}:t: {archive} has two entries named 'index.json'; an image archive never does, so it is hostile or corrupt.", ex.Message);
        }
    }

    [Fact]
    public async Task Rejects_a_truncated_archive()
    {
        var (dir, archive, layer, _) = SmallArchive();
        using (dir)
        {
            // cut inside the layer blob (the first entry: blobs sort before index.json)
            var bytes = File.ReadAllBytes(archive);
            var at = bytes.AsSpan().IndexOf(layer.Blob.AsSpan(0, 600));
            File.WriteAllBytes(archive, bytes[..(at + 100)]);
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Matches($"^oci-archive:{archive}:t: {archive} entry 'blobs/sha256/[0-9a-f]{{64}}' declares [0-9]+ bytes but the archive ends first; the archive is truncated or corrupt: fetch or save it again.$", ex.Message);
        }
    }

    [Fact]
    public async Task Rejects_an_entry_declaring_a_huge_size()
    {
        var (dir, archive, _, _) = SmallArchive(e => [("big", new byte[10]), .. e], ustar: true);
        using (dir)
        {
            var bytes = File.ReadAllBytes(archive);
            var header = bytes.AsSpan().IndexOf("big\0"u8);
            PatchSize(bytes, header, (8L << 30) - 1);   // 8 GiB in a 7 kB archive
            File.WriteAllBytes(archive, bytes);
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Equal($"oci-archive:{archive}:t: {archive} entry 'big' declares 8589934591 bytes but the archive ends first; the archive is truncated or corrupt: fetch or save it again.", ex.Message);
        }
    }

    /// Rewrites a ustar header's size field and checksum.
    private static void PatchSize(byte[] tar, int header, long size)
    {
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(tar, header + 124);
        for (var i = 0; i < 8; i++) tar[header + 148 + i] = (byte)' ';
        var sum = 0;
        for (var i = 0; i < 512; i++) sum += tar[header + i];
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, header + 148);
    }

    [Fact]
    public async Task Reports_a_blob_missing_from_the_archive()
    {
        var (dir, archive, layer, _) = SmallArchive(e => e.Where(x => !x.Name.EndsWith(Digest.Sha256Of(x.Data).Hex, StringComparison.Ordinal) || x.Data.Length < 3000).ToList());
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.Equal($"oci-archive:{archive}:t: layer 1 {layer.Digest} is missing ({archive} (entry blobs/sha256/{layer.Digest.Hex})); the layout is incomplete: copy the image again.", ex.Message);
        }
    }

    [Fact]
    public async Task Rejects_a_blob_with_the_wrong_digest_when_it_is_read()
    {
        var (dir, archive, layer, _) = SmallArchive(e => e.Select(x => x.Data.Length > 3000 ? (x.Name, x.Data.Select((b, i) => i == 2000 ? (byte)(b ^ 1) : b).ToArray()) : x).ToList());
        using (dir)
        {
            using var image = await Resolve($"oci-archive:{archive}:t");
            await using var s = await image.Layers[0].OpenAsync(Ct);
            var ex = await Assert.ThrowsAsync<BlobDigestException>(() => s.CopyToAsync(Stream.Null));
            Assert.Equal(layer.Digest, ex.Digest);
            Assert.StartsWith($"blob {layer.Digest} from oci-archive:{archive}:t: expected {layer.Digest}, got sha256:", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rejects_a_manifest_digest_that_tries_to_name_a_path()
    {
        var (dir, archive, _, _) = SmallArchive(e => e.Select(x => x.Name == "index.json"
            ? (x.Name, Encoding.UTF8.GetBytes("""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../etc/passwd","size":10}]}"""))
            : x).ToList());
        using (dir)
        {
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}"));
            Assert.Equal($"oci-archive:{archive}: index.json: 'manifests[0].digest' is 'sha256:../../../etc/passwd', not a digest of the form sha256:<64 lowercase hex>; the document is malformed.", ex.Message);
        }
    }

    [Fact]
    public async Task Refuses_a_zstd_compressed_archive_with_advice()
    {
        using var dir = new TempDir();
        var file = dir.File("x.tar.zst");
        File.WriteAllBytes(file, [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
        var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{file}"));
        Assert.Equal($"oci-archive:{file}: {file} is zstd-compressed; decompress it first (zstd -d) and read the .tar.", ex.Message);
    }

    [Fact]
    public async Task Refuses_a_gzip_archive_that_expands_like_a_bomb()
    {
        using var dir = new TempDir();
        var file = dir.File("bomb.tar.gz");
        File.WriteAllBytes(file, TestImages.Gzip(new byte[8 << 20]));
        var length = new FileInfo(file).Length;
        var ex = await Assert.ThrowsAsync<InputException>(() => TarArchive.OpenAsync(file, "oci-archive:bomb", 1 << 20, Ct));
        Assert.Equal($"oci-archive:bomb: {file} expands to more than {Math.Max(1 << 20, length * 50)} bytes from {length} (at most 50× its size or 1048576 bytes); refusing a possible decompression bomb.", ex.Message);
    }

    [Fact]
    public async Task Refuses_a_corrupt_gzip_archive()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.tar.gz");
        var gz = TestImages.Gzip(TestImages.Tar([("a", new byte[5000])]));
        gz[gz.Length / 2] ^= 0xff;
        gz[gz.Length / 2 + 1] ^= 0xff;
        File.WriteAllBytes(file, gz);
        var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{file}"));
        Assert.StartsWith($"oci-archive:{file}: {file} is not a valid gzip file (", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_file_that_is_not_a_tar()
    {
        using var dir = new TempDir();
        var file = dir.File("junk.tar");
        File.WriteAllBytes(file, Enumerable.Range(0, 2048).Select(i => (byte)(i * 31 + 7)).ToArray());
        var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{file}"));
        Assert.StartsWith($"oci-archive:{file}: {file} is not a readable tar archive (", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(700)]
    [InlineData(1100)]
    public async Task Rejects_an_archive_cut_inside_a_header(int length)
    {
        var (dir, archive, _, _) = SmallArchive();
        using (dir)
        {
            File.WriteAllBytes(archive, File.ReadAllBytes(archive)[..length]);
            var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{archive}:t"));
            Assert.StartsWith($"oci-archive:{archive}:t: {archive} ", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith("fetch or save it again.", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Says_when_an_archive_is_not_an_oci_layout()
    {
        using var dir = new TempDir();
        var file = dir.File("other.tar");
        TestImages.WriteTar(file, [("manifest.json", "[]"u8.ToArray())]);
        var ex = await Assert.ThrowsAsync<InputException>(() => Resolve($"oci-archive:{file}"));
        Assert.Equal($"oci-archive:{file}: {file} is not an OCI image layout but `docker save` output (it has manifest.json); read it as docker-archive:{file}.", ex.Message);
    }
}
