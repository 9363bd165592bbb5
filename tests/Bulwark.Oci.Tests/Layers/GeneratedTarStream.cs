// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;

namespace Bulwark.Oci.Tests.Layers;

/// A ustar archive of <c>count</c> files of <c>size</c> bytes each (named f0, f1, …, every byte <c>fill</c>),
/// produced on the fly so that a gigabyte layer never exists in memory or on disk.
internal sealed class GeneratedTarStream(int count, long size, byte fill) : Stream
{
    private int _file;
    private long _offsetInFile = -512; // negative: inside the header
    private readonly byte[] _header = new byte[512];
    private int _trailer = 1024;

    public long Produced { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_file >= count)
            {
                var n = Math.Min(_trailer, buffer.Length - written);
                buffer.Slice(written, n).Clear();
                _trailer -= n;
                written += n;
                if (n == 0) break;
                continue;
            }
            if (_offsetInFile < 0)
            {
                if (_offsetInFile == -512) FillHeader($"f{_file}");
                var start = (int)(512 + _offsetInFile);
                var n = Math.Min(512 - start, buffer.Length - written);
                _header.AsSpan(start, n).CopyTo(buffer[written..]);
                written += n;
                _offsetInFile += n;
                continue;
            }
            var padded = (size + 511) / 512 * 512;
            var left = padded - _offsetInFile;
            if (left == 0)
            {
                _file++;
                _offsetInFile = -512;
                continue;
            }
            var take = (int)Math.Min(left, buffer.Length - written);
            var dataLeft = Math.Max(0, size - _offsetInFile);
            var data = (int)Math.Min(take, dataLeft);
            buffer.Slice(written, data).Fill(fill);
            buffer.Slice(written + data, take - data).Clear();
            written += take;
            _offsetInFile += take;
        }
        Produced += written;
        return written;
    }

    private void FillHeader(string name) => Header(name, size, (byte)'0').CopyTo(_header, 0);

    /// A ustar header block with a valid checksum.
    public static byte[] Header(string name, long size, byte type)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name, header);
        void Octal(int offset, int length, long value) =>
            Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0", header.AsSpan(offset));
        Octal(100, 8, 420); // mode 0644
        Octal(108, 8, 0);
        Octal(116, 8, 0);
        Octal(124, 12, size);
        Octal(136, 12, 0);
        header.AsSpan(148, 8).Fill((byte)' ');
        header[156] = type;
        Encoding.ASCII.GetBytes("ustar\0" + "00", header.AsSpan(257));
        var sum = 0;
        foreach (var b in header) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", header.AsSpan(148));
        return header;
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

    public static string Describe(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
}
