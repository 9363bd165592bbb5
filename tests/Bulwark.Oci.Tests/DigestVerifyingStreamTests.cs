// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;

namespace Bulwark.Oci.Tests;

public sealed class DigestVerifyingStreamTests
{
    private static readonly byte[] Blob = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
    private static readonly Digest Sha256 = Digest.Sha256Of(Blob);
    private static readonly Digest Sha512 = new(HashAlgorithm.Sha512, Convert.ToHexStringLower(SHA512.HashData(Blob)));

    private static async Task<byte[]> ReadAll(Stream s)
    {
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Passes_a_blob_through_unchanged_when_digest_and_length_match()
    {
        await using var s = new DigestVerifyingStream(new MemoryStream(Blob), Sha256, Blob.Length, "test");
        Assert.Equal(Blob, await ReadAll(s));
        await using var s512 = new DigestVerifyingStream(new MemoryStream(Blob), Sha512, null, "test");
        Assert.Equal(Blob, await ReadAll(s512));
    }

    [Fact]
    public async Task Rejects_a_blob_with_one_flipped_byte()
    {
        var corrupt = (byte[])Blob.Clone();
        corrupt[5000] ^= 1;
        var actual = Digest.Sha256Of(corrupt);
        await using var s = new DigestVerifyingStream(new MemoryStream(corrupt), Sha256, Blob.Length, "oci:/layout");
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(s));
        Assert.Equal($"blob {Sha256} from oci:/layout: expected {Sha256}, got {actual}; the download or file is corrupt: delete it and fetch again.", e.Message);
        Assert.Equal(Sha256, e.Digest);
    }

    [Fact]
    public void Rejects_a_flipped_byte_with_synchronous_reads_and_sha512()
    {
        var corrupt = (byte[])Blob.Clone();
        corrupt[^1] ^= 0x80;
        using var s = new DigestVerifyingStream(new MemoryStream(corrupt), Sha512, null, "r");
        var e = Assert.Throws<BlobDigestException>(() => s.CopyTo(Stream.Null));
        Assert.StartsWith($"blob {Sha512} from r: expected {Sha512}, got sha512:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_truncated_blob_by_its_length()
    {
        await using var s = new DigestVerifyingStream(new MemoryStream(Blob, 0, 60_000), Sha256, Blob.Length, "registry 127.0.0.1:5000/team/app");
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(s));
        Assert.Equal($"blob {Sha256} from registry 127.0.0.1:5000/team/app: expected 100000 bytes, got 60000 bytes (truncated); the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_truncated_blob_by_its_digest_when_the_length_is_unknown()
    {
        await using var s = new DigestVerifyingStream(new MemoryStream(Blob, 0, 60_000), Sha256, null, "x");
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(s));
        Assert.Equal($"blob {Sha256} from x: expected {Sha256}, got {Digest.Sha256Of(Blob.AsSpan(0, 60_000))}; the download or file is corrupt: delete it and fetch again.", e.Message);
    }

    [Fact]
    public async Task Stops_as_soon_as_a_blob_runs_past_its_length()
    {
        var longer = Blob.Concat(new byte[1_000_000]).ToArray();
        await using var s = new DigestVerifyingStream(new MemoryStream(longer), Sha256, Blob.Length, "x");
        var e = await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(s));
        Assert.StartsWith($"blob {Sha256} from x: expected 100000 bytes, got more (", e.Message, StringComparison.Ordinal);
        Assert.True(s.BytesRead <= Blob.Length + 81920 * 2);
    }

    [Fact]
    public async Task Verifies_what_a_reader_left_unread()
    {
        var corrupt = (byte[])Blob.Clone();
        corrupt[^10] ^= 1;
        await using var s = new DigestVerifyingStream(new MemoryStream(corrupt), Sha256, Blob.Length, "x");
        await s.ReadExactlyAsync(new byte[1000]);   // a reader that stops early
        await Assert.ThrowsAsync<BlobDigestException>(() => s.ReadToEndAndVerifyAsync(CancellationToken.None));
    }

    [Fact]
    public void Is_an_io_exception_for_stream_readers()
    {
        Assert.True(typeof(IOException).IsAssignableFrom(typeof(BlobDigestException)));
    }

    [Fact]
    public async Task Never_asks_the_source_for_more_than_one_byte_past_the_length()
    {
        var counting = new CountingStream(new MemoryStream(Blob.Concat(new byte[1_000_000]).ToArray()));
        await using var s = new DigestVerifyingStream(counting, Sha256, Blob.Length, "x");
        await Assert.ThrowsAsync<BlobDigestException>(() => ReadAll(s));
        Assert.Equal(Blob.Length + 1, counting.Consumed);
    }

    [Fact]
    public async Task Disposes_its_owner_with_the_stream()
    {
        var owner = new DisposeProbe();
        var s = new DigestVerifyingStream(new MemoryStream(Blob), Sha256, Blob.Length, "x", owner: owner);
        Assert.False(owner.Disposed);
        await s.DisposeAsync();
        Assert.True(owner.Disposed);
    }

    [Fact]
    public async Task Fails_a_read_that_brings_nothing_for_the_idle_timeout()
    {
        var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);   // never written: reads wait
        await using var s = new DigestVerifyingStream(pipe, Sha256, Blob.Length, "registry r") { ReadIdleTimeout = TimeSpan.FromMilliseconds(50) };
        var e = await Assert.ThrowsAsync<IOException>(() => ReadAll(s));
        Assert.Equal($"blob {Sha256} from registry r: no data for 0.05 s after 0 bytes; the download stalled. Retry.", e.Message);
    }

    private sealed class DisposeProbe : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Consumed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Consumed; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Consumed += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
