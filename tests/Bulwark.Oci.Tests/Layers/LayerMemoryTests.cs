// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.IO.Compression;
using Bulwark.Core;
using Bulwark.Oci.Layers;

namespace Bulwark.Oci.Tests.Layers;

[CollectionDefinition(nameof(LayerMemoryTests), DisableParallelization = true)]
public sealed class LayerMemoryCollection;

/// Allocation is measured process-wide, so these run alone.
[Collection(nameof(LayerMemoryTests))]
public sealed class LayerMemoryTests
{
    [Fact]
    public async Task Streams_a_one_gigabyte_layer_in_bounded_memory()
    {
        const int files = 64;
        const long size = 16L << 20;
        var layer = new LayerRef(Digest.Sha256Of([]), null, MediaTypes.OciLayerTar, files * size,
            _ => Task.FromResult<Stream>(new GeneratedTarStream(files, size, (byte)'x')));
        GC.Collect();
        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        using var fs = await ImageFileSystem.ReadAsync([layer], p => p is "f0" or "f63");

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        var peakGrowth = process.PeakWorkingSet64 - peakBefore;
        Assert.Equal(64, fs.Files().Count());
        Assert.Equal(2 * size, fs.SpilledBytes);
        Assert.Equal(size, fs.TryOpen("f63")!.Length);
        Assert.True(allocated < 16L << 20, $"allocated {GeneratedTarStream.Describe(allocated)} while streaming 1 GiB");
        Assert.True(peakGrowth < 100L << 20, $"peak working set grew by {GeneratedTarStream.Describe(peakGrowth)}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Stops_a_gzip_bomb_on_the_ratio_limit_early_and_without_allocating()
    {
        // a 256 MiB file of zeros compresses about 1000:1
        using var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            await new GeneratedTarStream(1, 256L << 20, 0).CopyToAsync(gz, 1 << 20);
        var blob = compressed.ToArray();
        var source = new ReadCountingStream(blob);
        var layer = new LayerRef(Digest.Sha256Of(blob), null, MediaTypes.OciLayerGzip, blob.Length, _ => Task.FromResult<Stream>(source));
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var e = await Assert.ThrowsAsync<InputException>(() => ImageFileSystem.ReadAsync([layer], _ => true));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.StartsWith($"Layer {layer.Digest} expands more than 200:1 (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("it is refused as a likely decompression bomb. Raise the ratio limit if the image is genuine.", e.Message, StringComparison.Ordinal);
        Assert.True(source.BytesRead < blob.Length / 2, $"read {source.BytesRead} of {blob.Length} compressed bytes before stopping");
        Assert.True(allocated < 4L << 20, $"allocated {GeneratedTarStream.Describe(allocated)}");
    }

    [Theory]
    [InlineData('x', "PAX extended header", false)]
    [InlineData('g', "PAX global header", false)]
    [InlineData('L', "GNU long name", false)]
    [InlineData('K', "GNU long link name", false)]
    [InlineData('x', "PAX extended header", true)]
    [InlineData('L', "GNU long name", true)]
    public async Task Refuses_a_metadata_entry_of_hostile_size_without_allocating_for_it(char type, string what, bool seeking)
    {
        var header = GeneratedTarStream.Header("PaxHeaders/x", 1_500_000_000, (byte)type);
        LayerRef layer;
        if (seeking)
        {
            byte[] blob = [.. header, .. new byte[4096]];
            layer = new LayerRef(Digest.Sha256Of(blob), null, MediaTypes.OciLayerTar, blob.Length, _ => Task.FromResult<Stream>(new MemoryStream(blob)))
            {
                OpenUnverified = () => new MemoryStream(blob, writable: false),
            };
        }
        else
        {
            var stream = new ConcatStream(header, new GeneratedTarStream(1, 1_500_000_000, (byte)'a'));
            layer = new LayerRef(Digest.Sha256Of([]), null, MediaTypes.OciLayerTar, 0, _ => Task.FromResult<Stream>(stream));
        }
        GC.Collect();
        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var e = await Assert.ThrowsAsync<InputException>(() => seeking
            ? LayerReader.ReadAsync(layer, new ImageByteBudget(LayerLimits.Default), (_, _, _) => ValueTask.CompletedTask, (_, _) => { },
                verifyDiffId: false, CancellationToken.None, () => Task.CompletedTask)
            : ImageFileSystem.ReadAsync([layer], _ => true));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        Assert.Equal(
            $"Layer {layer.Digest} is refused: the tar header at byte 0 is a {what} ('{type}') claiming 1500000000 bytes; more than 1048576 bytes of tar metadata is refused (as by docker's Go archive/tar and libarchive; real ones are a few hundred bytes). The layer is corrupt or hostile; do not use the image.",
            e.Message);
        Assert.True(allocated < 8L << 20, $"allocated {GeneratedTarStream.Describe(allocated)}");
        Assert.True(process.PeakWorkingSet64 - peakBefore < 100L << 20, $"peak working set grew by {GeneratedTarStream.Describe(process.PeakWorkingSet64 - peakBefore)}");
    }
}

/// A header, then another stream.
internal sealed class ConcatStream(byte[] head, Stream rest) : Stream
{
    private int _pos;

    public override int Read(Span<byte> buffer)
    {
        if (_pos >= head.Length) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, head.Length - _pos);
        head.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// A stream over bytes in memory that remembers how much was read from it, even after it is disposed.
internal sealed class ReadCountingStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data, writable: false);

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        BytesRead += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
