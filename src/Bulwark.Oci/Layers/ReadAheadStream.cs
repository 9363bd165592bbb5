// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Threading.Channels;

namespace Bulwark.Oci.Layers;

/// Reads its source on a background task, a few large chunks ahead of the consumer. A layer blob's source stream
/// reads the file or network and verifies the blob digest as it goes; the consumer decompresses and parses the tar.
/// Running the two at once uses both cores for one layer. An exception from the source (a digest mismatch at the end,
/// a network error) reaches the consumer at the point in the stream where it happened, never earlier or later.
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private const int ChunkSize = 256 << 10;
    /// Layers smaller than this are read directly: read-ahead pays off only on large blobs, and a small hostile blob
    /// (a decompression bomb) is then refused before its source is read any further than needed.
    public const long MinimumSize = 4L << 20;
    private readonly Stream _source;
    private readonly Channel<Chunk> _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Chunk _current;
    private int _offset;
    private bool _ended;

    private readonly record struct Chunk(byte[]? Buffer, int Length, Exception? Error);

    public ReadAheadStream(Stream source)
    {
        _source = source;
        _producer = Task.Run(ProduceAsync);
    }

    private async Task ProduceAsync()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                var n = 0;
                Exception? failure = null;
                try
                {
                    while (n < ChunkSize)
                    {
                        var r = await _source.ReadAsync(buffer.AsMemory(n, ChunkSize - n), token).ConfigureAwait(false);
                        if (r == 0) break;
                        n += r;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    failure = e; // the bytes read before it still go first
                }
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    if (failure is not null) throw failure;
                    break;
                }
                await _chunks.Writer.WriteAsync(new Chunk(buffer, n, null), token).ConfigureAwait(false);
                if (failure is not null) throw failure;
                if (n < ChunkSize) break;
            }
            _chunks.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // handed to the consumer, which rethrows it where the stream failed (not a swallowed error)
            await _chunks.Writer.WriteAsync(new Chunk(null, 0, e), CancellationToken.None).ConfigureAwait(false);
            _chunks.Writer.TryComplete();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (!EnsureChunk(CancellationToken.None).AsTask().GetAwaiter().GetResult()) return 0;
        return CopyOut(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!await EnsureChunk(cancellationToken).ConfigureAwait(false)) return 0;
        return CopyOut(buffer.Span);
    }

    private int CopyOut(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Buffer.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    private async ValueTask<bool> EnsureChunk(CancellationToken ct)
    {
        if (_current.Buffer is not null && _offset < _current.Length) return true;
        if (_ended) return false;
        if (_current.Buffer is { } done) ArrayPool<byte>.Shared.Return(done);
        _current = default;
        _offset = 0;
        if (!await _chunks.Reader.WaitToReadAsync(ct).ConfigureAwait(false) || !_chunks.Reader.TryRead(out var next))
        {
            _ended = true;
            return false;
        }
        if (next.Error is { } error)
        {
            _ended = true;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        _current = next;
        return true;
    }

    private bool _disposed;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            // drain what the producer queued so its buffers go back to the pool and it can finish
            while (_chunks.Reader.TryRead(out var c)) if (c.Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
            // the producer never faults: its failures travel through the channel
            _producer.Wait(TimeSpan.FromSeconds(10));
            while (_chunks.Reader.TryRead(out var c)) if (c.Buffer is { } b) ArrayPool<byte>.Shared.Return(b);
            if (_current.Buffer is { } cur) ArrayPool<byte>.Shared.Return(cur);
            _current = default;
            _source.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
