// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// Verifies the digests of an image's uncompressed, file-backed layers on a second core while the first parses them.
/// Such a layer needs no decompression, so its tar is read by seeking past the data no cataloger wants; the digest
/// still covers every byte, read by one background pass that walks the layers in order and starts at once (the large
/// layer's hashing overlaps the parsing of the layers before it). An image is only returned once every pass succeeded:
/// <see cref="ImageFileSystem"/> awaits <see cref="VerifiedAsync"/> for each such layer before it returns (a check that
/// failed already fails the read as soon as its layer is parsed), and a mismatch is the same
/// <see cref="BlobDigestException"/> the streaming read throws.
///
/// The background pass hashes on one thread while a <see cref="ChunkReader"/> thread reads the file into the next buffers:
/// the hash of the largest layer is the longest task of reading such an image, and its core then does nothing else.
internal sealed class BackgroundVerification : IAsyncDisposable
{
    private readonly IReadOnlyList<LayerRef> _layers;
    private readonly TaskCompletionSource?[] _verified;
    private readonly int[] _claimed;
    private readonly CancellationTokenSource _stop;
    private Task _loop = Task.CompletedTask;

    private BackgroundVerification(IReadOnlyList<LayerRef> layers, TaskCompletionSource?[] verified, CancellationTokenSource stop)
    {
        _layers = layers;
        _verified = verified;
        _claimed = new int[verified.Length];
        _stop = stop;
    }

    /// Decides which layers take the seeking path (a local file, at least <see cref="ReadAheadStream.MinimumSize"/>,
    /// an uncompressed tar by its first bytes, and a diff-id that is its digest when diff-ids are checked) and starts
    /// verifying them.
    public static async Task<BackgroundVerification> StartAsync(IReadOnlyList<LayerRef> layers, bool verifyDiffIds, CancellationToken ct)
    {
        var verified = new TaskCompletionSource?[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.OpenUnverified is null || layer.Size < ReadAheadStream.MinimumSize) continue;
            if (verifyDiffIds && layer.DiffId is { } diffId && diffId != layer.Digest) continue; // the streaming read reports it
            if (!await IsPlainTarAsync(layer, ct).ConfigureAwait(false)) continue;
            verified[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var background = new BackgroundVerification(layers, verified, CancellationTokenSource.CreateLinkedTokenSource(ct));
        if (verified.Any(v => v is not null))
            background._loop = Task.Factory.StartNew(background.VerifyAll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return background;
    }

    private static async Task<bool> IsPlainTarAsync(LayerRef layer, CancellationToken ct)
    {
        var head = new byte[512];
        int read;
        try
        {
            await using var s = layer.OpenUnverified!();
            read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the streaming read opens it again and reports the error
        }
        return LayerDecompression.Sniff(head.AsSpan(0, read), LayerDecompression.FromMediaType(layer.MediaType)) == LayerCompression.None;
    }

    /// The background pass over the layers (completed at once when none is covered).
    internal Task BackgroundPass => _loop;

    /// True when layer <paramref name="index"/> is read by seeking and verified here.
    public bool Covers(int index) => index < _verified.Length && _verified[index] is not null;

    /// Completes when layer <paramref name="index"/>'s blob matched its digest; throws what the check threw. When the
    /// background pass has not reached the layer yet (it takes the largest first), the caller verifies it now, on its
    /// own core, instead of waiting behind the large one (reading and hashing on its own thread: a third busy thread
    /// would take time from the background hash, which is the longest task).
    public Task VerifiedAsync(int index)
    {
        if (Interlocked.Exchange(ref _claimed[index], 1) == 0) Verify(index, pipelined: false);
        return _verified[index]!.Task;
    }

    // the largest layer first: it is the longest check, and a small one the parse reaches meanwhile is verified there
    private void VerifyAll()
    {
        foreach (var i in Enumerable.Range(0, _layers.Count).Where(i => _verified[i] is not null).OrderByDescending(i => _layers[i].Size))
            if (Interlocked.Exchange(ref _claimed[i], 1) == 0) Verify(i, pipelined: true);
    }

    private void Verify(int i, bool pipelined)
    {
        var done = _verified[i]!;
        var ct = _stop.Token;
        if (ct.IsCancellationRequested)
        {
            done.TrySetCanceled(ct);
            return;
        }
        var layer = _layers[i];
        try
        {
            var source = $"layer {layer.Digest}";
            if (pipelined)
            {
                using var digest = new DigestVerifyingStream(Stream.Null, layer.Digest, layer.Size, source);
                using var blob = new ChunkReader(layer.OpenUnverified!, layer.Size, ct);
                // this thread only hashes; another reads the file into the next buffers meanwhile
                while (blob.Next() is { } chunk)
                {
                    digest.Append(chunk.Span);
                    blob.Release();
                }
                digest.Finish();
            }
            else
            {
                using var blob = new DigestVerifyingStream(layer.OpenUnverified!(), layer.Digest, layer.Size, source);
                var buffer = new byte[1 << 20];
                while (blob.Read(buffer) > 0) ct.ThrowIfCancellationRequested();
            }
            done.TrySetResult();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            done.TrySetCanceled(ct);
        }
        catch (Exception e)
        {
            // handed on, not swallowed: the reader of this layer awaits the task and throws it (a mismatch is a
            // BlobDigestException, an unreadable file an IOException)
            done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        // a check nobody awaited (the read failed first for another reason) is observed here, not left to the finaliser
        foreach (var v in _verified)
            if (v is { Task.IsFaulted: true }) _ = v.Task.Exception;
        _stop.Dispose();
    }
}

/// Reads a blob on its own thread into a few large buffers ahead of the one consumer (the hashing thread), so that
/// the consumer's core spends its time on the hash and not on copying the file from the page cache. At most one byte
/// past <c>length</c> is read (enough for the digest check to see an overlong blob). A read error reaches the consumer
/// after the bytes read before it, where the stream failed; disposing stops the reader and waits for it.
internal sealed class ChunkReader : IDisposable
{
    private const int ChunkSize = 2 << 20;
    private const int Chunks = 4;
    private readonly BlockingCollection<byte[]> _free = new(Chunks);
    private readonly BlockingCollection<(byte[]? Buffer, int Length, Exception? Error)> _filled = new(Chunks);
    private readonly CancellationTokenSource _stop;
    private readonly Thread _reader;
    private byte[]? _current;

    public ChunkReader(Func<Stream> open, long length, CancellationToken ct)
    {
        for (var i = 0; i < Chunks; i++) _free.Add(new byte[ChunkSize], CancellationToken.None);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _reader = new Thread(() => Read(open, length)) { IsBackground = true, Name = "layer reader" };
        _reader.Start();
    }

    private void Read(Func<Stream> open, long length)
    {
        var ct = _stop.Token;
        try
        {
            using var source = open();
            var total = 0L;
            while (true)
            {
                var buffer = _free.Take(ct);
                var want = (int)Math.Min(buffer.Length, length + 1 - total);
                var n = 0;
                Exception? failure = null;
                try
                {
                    while (n < want)
                    {
                        var r = source.Read(buffer.AsSpan(n, want - n));
                        if (r == 0) break;
                        n += r;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failure = e; // the bytes read before it still go first
                }
                total += n;
                _filled.Add((buffer, n, null), ct);
                if (failure is not null)
                {
                    _filled.Add((null, 0, failure), ct);
                    return;
                }
                if (n < want || total > length) return; // the end of the file, or one byte past the length
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the consumer stopped
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // opening failed: handed to the consumer, which throws it
            _filled.TryAdd((null, 0, e));
        }
        finally
        {
            _filled.CompleteAdding();
        }
    }

    /// The next non-empty buffer of the blob; null at its end. Throws the reader's error where it happened.
    public ReadOnlyMemory<byte>? Next()
    {
        if (_current is not null) throw new InvalidOperationException("Release the previous chunk first.");
        while (_filled.TryTake(out var chunk, Timeout.Infinite, _stop.Token))
        {
            if (chunk.Error is { } error) ExceptionDispatchInfo.Throw(error);
            if (chunk.Length == 0)
            {
                _free.Add(chunk.Buffer!, _stop.Token);
                continue;
            }
            _current = chunk.Buffer;
            return chunk.Buffer.AsMemory(0, chunk.Length);
        }
        return null;
    }

    /// Hands the buffer <see cref="Next"/> returned back to the reader.
    public void Release()
    {
        if (_current is null) return;
        _free.Add(_current, _stop.Token);
        _current = null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _reader.Join();
        _stop.Dispose();
        _free.Dispose();
        _filled.Dispose();
    }
}
