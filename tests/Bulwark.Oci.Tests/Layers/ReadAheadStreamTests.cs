// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Layers;

namespace Bulwark.Oci.Tests.Layers;

public class ReadAheadStreamTests
{
    /// A source that returns at most <c>step</c> bytes per read and can fail after a given number of bytes.
    private sealed class Source(byte[] data, int step, long failAfter = -1) : Stream
    {
        private int _pos;
        public bool Disposed { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (failAfter >= 0 && _pos >= failAfter) throw new IOException($"failed at {_pos}");
            var n = Math.Min(Math.Min(count, step), data.Length - _pos);
            if (failAfter >= 0) n = (int)Math.Min(n, failAfter - _pos);
            Array.Copy(data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
        protected override void Dispose(bool disposing) { Disposed = true; base.Dispose(disposing); }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Data(int n)
    {
        var b = new byte[n];
        new Random(7).NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(10, 3)]
    [InlineData(3 << 20, 65536)]
    [InlineData(256 << 10, 256 << 10)]
    [InlineData((5 << 20) + 17, 4097)]
    public async Task Passes_every_byte_through_in_order(int size, int step)
    {
        var data = Data(size);
        await using var s = new ReadAheadStream(new Source(data, step));
        var copy = new MemoryStream();
        var buffer = new byte[7919];
        int n;
        while ((n = await s.ReadAsync(buffer)) > 0) copy.Write(buffer, 0, n);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task Raises_the_source_error_only_after_the_bytes_before_it()
    {
        var data = Data(3 << 20);
        await using var s = new ReadAheadStream(new Source(data, 65536, failAfter: (2 << 20) + 5));
        var read = 0L;
        var buffer = new byte[100_000];
        var e = await Assert.ThrowsAsync<IOException>(async () =>
        {
            int n;
            while ((n = await s.ReadAsync(buffer)) > 0) read += n;
        });
        Assert.Equal((2 << 20) + 5, read);
        Assert.Contains("failed at", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_early_stops_the_reader_and_disposes_the_source()
    {
        var source = new Source(Data(20 << 20), 1 << 20);
        var s = new ReadAheadStream(source);
        Assert.Equal(10, s.Read(new byte[10]));
        s.Dispose();
        Assert.True(source.Disposed);
    }
}
