// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// Verifies the digests of an image's uncompressed, file-backed layers on a second core while the first parses them.
/// Such a layer needs no decompression, so its tar is read by seeking past the data no cataloger wants; the digest
/// still covers every byte, read by one background pass that walks the layers in order and starts at once (the large
/// layer's hashing overlaps the parsing of the layers before it). A layer's entries are only kept once its pass
/// succeeded: <see cref="LayerReader"/> awaits <see cref="VerifiedAsync"/> after parsing, before it returns, and a mismatch is the
/// same <see cref="BlobDigestException"/> the streaming read throws.
internal sealed class BackgroundVerification : IAsyncDisposable
{
    private const int BufferSize = 1 << 20;
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

    /// True when layer <paramref name="index"/> is read by seeking and verified here.
    public bool Covers(int index) => index < _verified.Length && _verified[index] is not null;

    /// Completes when layer <paramref name="index"/>'s blob matched its digest; throws what the check threw. When the
    /// background pass has not reached the layer yet (it takes the largest first), the caller verifies it now, on its
    /// own core, instead of waiting behind the large one.
    public Task VerifiedAsync(int index)
    {
        if (Interlocked.Exchange(ref _claimed[index], 1) == 0) Verify(index, new byte[BufferSize]);
        return _verified[index]!.Task;
    }

    // the largest layer first: it is the longest check, and a small one the parse reaches meanwhile is verified there
    private void VerifyAll()
    {
        var buffer = new byte[BufferSize];
        foreach (var i in Enumerable.Range(0, _layers.Count).Where(i => _verified[i] is not null).OrderByDescending(i => _layers[i].Size))
            if (Interlocked.Exchange(ref _claimed[i], 1) == 0) Verify(i, buffer);
    }

    private void Verify(int i, byte[] buffer)
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
            using var blob = new DigestVerifyingStream(layer.OpenUnverified!(), layer.Digest, layer.Size, $"layer {layer.Digest}");
            while (blob.Read(buffer) > 0) ct.ThrowIfCancellationRequested();
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
