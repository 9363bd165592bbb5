// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using Bulwark.Oci.Sources;
using Bulwark.Oci.Tests.Sources;

namespace Bulwark.Oci.Tests.Layers;

/// Uncompressed layers in local files are parsed by seeking while a background pass verifies their digest: a byte
/// flipped in data the parse skips must still fail the read, with the same error the streaming read gives.
public sealed class BackgroundVerificationTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    // a small layer (streamed) and a 5 MiB one (seeked): a data file nobody keeps and a package.json that is kept
    private static (TempDir Dir, LayoutBuilder B, TestLayer Small, TestLayer Big) Layout()
    {
        var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var data = new byte[5 << 20];
        new Random(7).NextBytes(data);
        var smallTar = TestImages.Tar([("etc/hello", Encoding.UTF8.GetBytes("hello"))]);
        var bigTar = TestImages.Tar([("srv/data.bin", data), ("app/package.json", Encoding.UTF8.GetBytes("{\"name\":\"app\",\"version\":\"1.0.0\"}"))]);
        var small = new TestLayer(smallTar, smallTar, MediaTypes.OciLayerTar);
        var big = new TestLayer(bigTar, bigTar, MediaTypes.OciLayerTar);
        b.Tag("t", MediaTypes.OciManifest, b.Image([small, big])).Write();
        return (dir, b, small, big);
    }

    private static async Task<string?> ReadPackageJson(string dir)
    {
        using var image = await ImageSources.ResolveAsync(ImageSources.Parse($"oci:{dir}:t"), (Platform?)null, Ct);
        using var fs = await ImageFileSystem.ReadAsync(image.Layers, p => p is "app/package.json" or "etc/hello");
        using var s = fs.TryOpen("app/package.json");
        return s is null ? null : await new StreamReader(s).ReadToEndAsync(Ct);
    }

    [Fact]
    public async Task Large_uncompressed_file_layers_are_verified_in_the_background_and_small_ones_streamed()
    {
        var (dir, _, _, _) = Layout();
        using (dir)
        {
            using var image = await ImageSources.ResolveAsync(ImageSources.Parse($"oci:{dir.Path}:t"), (Platform?)null, Ct);
            await using var background = await BackgroundVerification.StartAsync(image.Layers, verifyDiffIds: true, Ct);
            Assert.False(background.Covers(0));
            Assert.True(background.Covers(1));
            await background.VerifiedAsync(1);
            Assert.Equal("{\"name\":\"app\",\"version\":\"1.0.0\"}", await ReadPackageJson(dir.Path));
        }
    }

    [Theory]
    [InlineData(1 << 20)]        // inside srv/data.bin, which the parse seeks past
    [InlineData(-700)]           // near the end: the package.json entry and the end-of-archive blocks
    public async Task A_flipped_byte_anywhere_in_a_seeked_layer_fails_the_read_with_the_digest_error(int offset)
    {
        var (dir, b, _, big) = Layout();
        using (dir)
        {
            var bytes = (byte[])big.Blob.Clone();
            bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x20;
            File.WriteAllBytes(b.BlobPath(big.Digest), bytes);
            var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadPackageJson(dir.Path));
            Assert.Equal(big.Digest, e.Digest);
            Assert.Equal($"expected {big.Digest}", "expected " + e.Expected);
            Assert.Equal(Digest.Sha256Of(bytes).ToString(), e.Actual);
        }
    }

    [Fact]
    public async Task A_layer_swapped_for_another_valid_tar_of_the_same_size_fails_the_read()
    {
        var (dir, b, _, big) = Layout();
        using (dir)
        {
            var other = new byte[5 << 20];
            new Random(8).NextBytes(other);
            var swapped = TestImages.Tar([("srv/data.bin", other), ("app/package.json", Encoding.UTF8.GetBytes("{\"name\":\"evil\",\"version\":\"6.6.6\"}"))]);
            Assert.Equal(big.Blob.Length, swapped.Length);
            File.WriteAllBytes(b.BlobPath(big.Digest), swapped);
            var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadPackageJson(dir.Path));
            Assert.Equal(big.Digest, e.Digest);
        }
    }

    [Fact]
    public async Task A_truncated_seeked_layer_is_refused_before_its_entries_are_used()
    {
        var (dir, b, _, big) = Layout();
        using (dir)
        {
            File.WriteAllBytes(b.BlobPath(big.Digest), big.Blob[..(big.Blob.Length - 1024)]);
            // the layout reader checks blob sizes against their descriptors first
            var e = await Assert.ThrowsAnyAsync<Exception>(() => ReadPackageJson(dir.Path));
            Assert.True(e is InputException or BlobDigestException, e.GetType().Name + ": " + e.Message);
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public async Task With_two_seeked_layers_a_flipped_byte_in_either_fails_the_read(int flipped, bool largestFirst)
    {
        // the background pass takes the larger layer; the parse verifies the other itself. The larger one's check is
        // awaited after the whole parse (when it comes first, after the second layer's parse): it must still fail it
        using var dir = new TempDir();
        var b = new LayoutBuilder(dir.Path);
        var layers = (largestFirst ? new[] { 6, 5 } : new[] { 5, 6 }).Select(mib =>
        {
            var data = new byte[mib << 20];
            new Random(mib).NextBytes(data);
            var tar = TestImages.Tar([($"srv/{mib}.bin", data), ($"app/{mib}/package.json", Encoding.UTF8.GetBytes("{\"name\":\"a\",\"version\":\"1.0.0\"}"))]);
            return new TestLayer(tar, tar, MediaTypes.OciLayerTar);
        }).ToArray();
        b.Tag("t", MediaTypes.OciManifest, b.Image(layers)).Write();
        using (var image = await ImageSources.ResolveAsync(ImageSources.Parse($"oci:{dir.Path}:t"), (Platform?)null, Ct))
        using (var fs = await ImageFileSystem.ReadAsync(image.Layers, p => p.EndsWith("package.json", StringComparison.Ordinal)))
        {
            Assert.NotNull(fs.TryOpen("app/6/package.json"));
            Assert.NotNull(fs.TryOpen("app/5/package.json"));
        }

        var bytes = (byte[])layers[flipped].Blob.Clone();
        bytes[3 << 20] ^= 1;
        File.WriteAllBytes(b.BlobPath(layers[flipped].Digest), bytes);
        using var again = await ImageSources.ResolveAsync(ImageSources.Parse($"oci:{dir.Path}:t"), (Platform?)null, Ct);
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ImageFileSystem.ReadAsync(again.Layers, _ => true));
        Assert.Equal(layers[flipped].Digest, e.Digest);
    }

    /// A layer of <paramref name="mib"/> MiB of random data in a tar, whose unverified stream is <paramref name="open"/>
    /// over the tar's bytes (the verification pass reads it through a separate reader thread).
    private static (LayerRef Layer, byte[] Tar) FileLayer(double mib, Func<byte[], Stream> open)
    {
        var data = new byte[(int)(mib * (1 << 20))];
        new Random(11).NextBytes(data);
        var tar = TestImages.Tar([("srv/data.bin", data)]);
        var layer = new LayerRef(Digest.Sha256Of(tar), Digest.Sha256Of(tar), MediaTypes.OciLayerTar, tar.Length,
            _ => Task.FromResult<Stream>(new MemoryStream(tar))) { OpenUnverified = () => open(tar) };
        return (layer, tar);
    }

    /// Verifies the layer in the background pass (pipelined: a reader thread fills buffers, the pass hashes them), or
    /// (plain) on the caller's thread, claimed while the background pass is held up by a larger layer.
    private static async Task VerifyAlone(LayerRef layer, bool pipelined)
    {
        if (pipelined)
        {
            await using var background = await BackgroundVerification.StartAsync([layer], verifyDiffIds: true, Ct);
            Assert.True(background.Covers(0));
            await background.BackgroundPass;
            await background.VerifiedAsync(0);
            return;
        }
        using var gate = new ManualResetEventSlim();
        var opens = 0;
        var (larger, _) = FileLayer(7, t => Interlocked.Increment(ref opens) == 1 ? new MemoryStream(t) : new GatedStream(t, gate));
        var both = await BackgroundVerification.StartAsync([layer, larger], verifyDiffIds: true, Ct);
        try
        {
            Assert.True(both.Covers(0) && both.Covers(1));
            await both.VerifiedAsync(0);
        }
        finally
        {
            gate.Set();
            await both.DisposeAsync();
        }
    }

    public static TheoryData<bool> BothWays => new() { true, false };

    [Theory]
    [InlineData(5.0, true)]
    [InlineData(8.0 - 2.5 / 1024, true)] // with the tar's 2.5 KiB of headers and end blocks: exactly 8 MiB, four whole buffers
    [InlineData(5.0, false)]
    public async Task A_layer_is_verified_whatever_its_size(double mib, bool pipelined)
    {
        var (layer, tar) = FileLayer(mib, t => new MemoryStream(t, writable: false));
        if (mib > 7) Assert.Equal(8 << 20, tar.Length);
        await VerifyAlone(layer, pipelined);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public async Task A_read_error_in_the_middle_of_the_layer_fails_its_verification_with_that_error(bool pipelined)
    {
        var (layer, _) = FileLayer(6, t => new FailingStream(t, failAt: 3 << 20, truncate: false));
        var e = await Assert.ThrowsAsync<IOException>(() => VerifyAlone(layer, pipelined));
        Assert.Equal("Input/output error at byte 3145728", e.Message);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public async Task A_layer_that_ends_early_while_it_is_read_fails_as_truncated(bool pipelined)
    {
        var (layer, tar) = FileLayer(6, t => new FailingStream(t, failAt: 3 << 20, truncate: true));
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => VerifyAlone(layer, pipelined));
        Assert.Equal($"{tar.Length} bytes", e.Expected);
        Assert.Equal($"{3 << 20} bytes (truncated)", e.Actual);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public async Task A_layer_file_truncated_on_disk_during_verification_fails_as_truncated(bool pipelined)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "layer.tar");
        var (layer, tar) = FileLayer(6, t =>
        {
            if (!File.Exists(path)) File.WriteAllBytes(path, t);
            return new TruncatingFileStream(path, after: 1 << 20);
        });
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => VerifyAlone(layer, pipelined));
        Assert.Equal($"{tar.Length} bytes", e.Expected);
        Assert.EndsWith("bytes (truncated)", e.Actual, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public async Task A_layer_file_longer_than_its_size_fails_without_reading_it_all(bool pipelined)
    {
        var (layer, tar) = FileLayer(5, t => new MemoryStream([.. t, .. new byte[64 << 20]], writable: false));
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => VerifyAlone(layer, pipelined));
        Assert.Equal($"{tar.Length} bytes", e.Expected);
        Assert.Equal($"more ({tar.Length + 1} bytes so far)", e.Actual);
    }

    [Theory]
    [MemberData(nameof(BothWays))]
    public async Task A_layer_that_cannot_be_opened_for_verification_fails_with_the_open_error(bool pipelined)
    {
        var opened = 0;
        var (layer, _) = FileLayer(5, t => Interlocked.Increment(ref opened) == 1 ? new MemoryStream(t) : throw new IOException("gone"));
        var e = await Assert.ThrowsAsync<IOException>(() => VerifyAlone(layer, pipelined));
        Assert.Equal("gone", e.Message);
    }

    /// Bytes in memory that end early, or fail, at <c>failAt</c>.
    private sealed class FailingStream(byte[] data, long failAt, bool truncate) : Stream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt)
                return truncate ? 0 : throw new IOException($"Input/output error at byte {_position}");
            var n = (int)Math.Min(buffer.Length, Math.Min(failAt, data.Length) - _position);
            data.AsSpan((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// A file read that cuts the file on disk to half its length once <c>after</c> bytes were read, as another
    /// process truncating the blob would.
    private sealed class TruncatingFileStream(string path, long after) : Stream
    {
        private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        private bool _cut;

        public override int Read(Span<byte> buffer)
        {
            if (!_cut && _file.Position >= after)
            {
                _cut = true;
                using var writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                writer.SetLength(writer.Length / 2);
            }
            return _file.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _file.Length;
        public override long Position { get => _file.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file.Dispose();
            base.Dispose(disposing);
        }
    }

    /// Bytes in memory whose first read waits for the gate.
    private sealed class GatedStream(byte[] data, ManualResetEventSlim gate) : Stream
    {
        private readonly MemoryStream _inner = new(data, writable: false);

        public override int Read(Span<byte> buffer)
        {
            gate.Wait();
            return _inner.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
