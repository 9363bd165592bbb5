// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// A file's content, stopped with an <see cref="InputException"/> once more than <paramref name="limit"/> bytes come
/// out of it: the size limits are checked against the size the listing gave, and a file that grows while it is read
/// (or a tree that under-states it) must not make a cataloger read or hold more. Seeking is passed through.
internal sealed class SizeCappedStream(Stream inner, long limit, string path, long listedSize) : Stream
{
    private long _read;

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Check(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Check(int n)
    {
        _read += n;
        // a seekable reader may read parts twice (a zip's directory, then its entries): its position is what counts
        var reached = inner.CanSeek ? inner.Position : _read;
        if (reached > limit)
        {
            throw new InputException($"{path}: the file grew past the {limit:N0}-byte limit while being read (it was listed at {listedSize:N0} bytes); " +
                "not read. Catalog it again once it stops changing.");
        }
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
