// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Layers;

public sealed class LayerReaderTests
{
    private static readonly byte[] TwoFiles = Tar(File("etc/a", "alpha"), File("./usr/b", "beta"));

    [Fact]
    public async Task Reads_a_gzip_layer_with_normalised_paths()
    {
        var (entries, warnings) = await ReadAsync(GzipLayer(TwoFiles));
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task Reads_an_uncompressed_layer()
    {
        var (entries, _) = await ReadAsync(TarLayer(TwoFiles));
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
    }

    [Fact]
    public async Task Reads_a_zstd_layer()
    {
        var layer = Layer(Zstd(TwoFiles), MediaTypes.OciLayerZstd, Digest.Sha256Of(TwoFiles));
        var (entries, _) = await ReadAsync(layer);
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
    }

    [Fact]
    public async Task Reads_a_zstd_layer_made_of_several_frames()
    {
        var blob = Zstd(TwoFiles[..1000]).Concat(Zstd(TwoFiles[1000..])).ToArray();
        var (entries, _) = await ReadAsync(Layer(blob, MediaTypes.OciLayerZstd, Digest.Sha256Of(TwoFiles)));
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
    }

    [Fact]
    public async Task Reads_concatenated_gzip_members_as_one_stream()
    {
        var blob = Gzip(TwoFiles[..700]).Concat(Gzip(TwoFiles[700..])).ToArray();
        var (entries, _) = await ReadAsync(Layer(blob, MediaTypes.OciLayerGzip, Digest.Sha256Of(TwoFiles)));
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
    }

    [Theory]
    [InlineData("gzip", MediaTypes.OciLayerTar)]
    [InlineData("gzip", MediaTypes.OciLayerZstd)]
    [InlineData("zstd", MediaTypes.DockerLayerGzip)]
    [InlineData("tar", MediaTypes.OciLayerGzip)]
    [InlineData("tar", MediaTypes.OciLayerZstd)]
    public async Task Believes_the_magic_bytes_when_the_media_type_lies(string actual, string declared)
    {
        var blob = actual switch { "gzip" => Gzip(TwoFiles), "zstd" => Zstd(TwoFiles), _ => TwoFiles };
        var (entries, _) = await ReadAsync(Layer(blob, declared, Digest.Sha256Of(TwoFiles)));
        Assert.Equal(["etc/a RegularFile alpha", "usr/b RegularFile beta"], entries);
    }

    [Fact]
    public async Task Reads_pax_and_gnu_long_names()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-name-of-some-length", 12)) + "/file.txt";
        var pax = Tar(File(longName, "pax"));
        var gnu = Tar(TarEntryFormat.Gnu, File(longName, "gnu", TarEntryFormat.Gnu));
        Assert.Equal([$"{longName} RegularFile pax"], (await ReadAsync(GzipLayer(pax))).Entries);
        Assert.Equal([$"{longName} RegularFile gnu"], (await ReadAsync(GzipLayer(gnu))).Entries);
    }

    [Fact]
    public async Task Skips_entries_that_leave_the_root_with_a_warning()
    {
        var tar = Tar(File("../etc/passwd", "x"), File("a/../../b", "y"), File("/abs/ok", "z"), File("ok", "w"));
        var (entries, warnings) = await ReadAsync(GzipLayer(tar));
        Assert.Equal(["abs/ok RegularFile z", "ok RegularFile w"], entries);
        Assert.Equal(["../etc/passwd: entry path leaves the image root; ignored", "a/../../b: entry path leaves the image root; ignored"], warnings);
    }

    [Fact]
    public async Task Rejects_a_truncated_gzip_layer_naming_it()
    {
        var big = Tar(File("a", new string('x', 100_000)), File("b", "y"));
        var gz = Gzip(big);
        var layer = Layer(gz[..(gz.Length / 2)], MediaTypes.OciLayerGzip, Digest.Sha256Of(big));
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.Contains(layer.Digest.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_layer_cut_between_entries()
    {
        // the cut falls exactly after the first entry: no end-of-archive blocks follow
        var first = Tar(File("a", "alpha"));
        var whole = Tar(File("a", "alpha"), File("b", "beta"));
        var layer = Layer(Gzip(whole[..(first.Length - 1024)]), MediaTypes.OciLayerGzip, Digest.Sha256Of(whole));
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.StartsWith($"Cannot read layer {layer.Digest}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_layer_whose_tar_ends_early_but_cleanly_by_its_diff_id()
    {
        var first = Tar(File("a", "alpha"));
        var whole = Tar(File("a", "alpha"), File("b", "beta"));
        var layer = Layer(Gzip(first), MediaTypes.OciLayerGzip, Digest.Sha256Of(whole));
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.Contains("does not match its diff-id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_corrupt_gzip_layer()
    {
        var gz = Gzip(Tar(File("a", new string('x', 10_000))));
        for (var i = 12; i < gz.Length - 8; i++) gz[i] ^= 0x5a;
        var layer = Layer(gz, MediaTypes.OciLayerGzip);
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.StartsWith($"Cannot read layer {layer.Digest}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_corrupt_zstd_layer()
    {
        var zst = Zstd(Tar(File("a", new string('x', 10_000)), File("b", "random-ish 1234567890")));
        for (var i = 8; i < zst.Length; i++) zst[i] ^= 0x5a;
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(Layer(zst, MediaTypes.OciLayerZstd)));
        Assert.Contains("zstd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_truncated_zstd_layer()
    {
        var tar = Tar(File("a", string.Concat(Enumerable.Range(0, 5000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        var zst = Zstd(tar);
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(Layer(zst[..(zst.Length - 10)], MediaTypes.OciLayerZstd)));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_layer_that_does_not_match_its_diff_id()
    {
        var layer = Layer(Gzip(TwoFiles), MediaTypes.OciLayerGzip, Digest.Sha256Of([1, 2, 3]));
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.Equal(
            $"Layer {layer.Digest} does not match its diff-id: the uncompressed tar hashes to {Digest.Sha256Of(TwoFiles)}, the image config says {Digest.Sha256Of([1, 2, 3])}. The layer is corrupt or truncated; pull the image again.",
            e.Message);
    }

    [Fact]
    public async Task Refuses_a_layer_over_the_absolute_limit()
    {
        var tar = Tar(File("a", new string('x', 300_000)));
        var limits = new LayerLimits { MaxLayerBytes = 100_000 };
        var layer = GzipLayer(tar);
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer, limits));
        Assert.StartsWith($"Layer {layer.Digest} expands to more than 100000 bytes (the per-layer limit)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_image_over_the_per_image_limit()
    {
        var budget = new ImageByteBudget(new LayerLimits { MaxImageBytes = 30_000 });
        var layer = GzipLayer(Tar(File("a", new string('x', 20_000))));
        await LayerReader.ReadAsync(layer, budget, (_, _, _) => ValueTask.CompletedTask, (_, _) => { }, true, CancellationToken.None);
        var e = await Assert.ThrowsAsync<InputException>(() =>
            LayerReader.ReadAsync(layer, budget, (_, _, _) => ValueTask.CompletedTask, (_, _) => { }, true, CancellationToken.None));
        Assert.Contains("(the per-image limit), reached in layer " + layer.Digest, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_a_layer_whose_blob_is_missing_as_an_input_error()
    {
        var layer = new LayerRef(Digest.Sha256Of([]), null, MediaTypes.OciLayerGzip, 0, _ => throw new FileNotFoundException("blob not found"));
        var e = await Assert.ThrowsAsync<InputException>(() => ReadAsync(layer));
        Assert.Equal($"Cannot open layer {Digest.Sha256Of([])}: blob not found", e.Message);
    }
}
