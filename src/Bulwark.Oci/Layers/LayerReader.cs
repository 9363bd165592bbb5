// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// Reads one layer in a single forward pass: decompresses it (gzip, zstd or plain tar, see
/// <see cref="LayerDecompression"/>), enforces the bomb limits, walks the tar entries (PAX and GNU long names) with
/// their paths normalised, and checks the diff-id once the stream ends. Entry data not read by the callback is
/// skipped without being copied.
public static class LayerReader
{
    private const int TarBufferSize = 1 << 20;

    /// Calls <paramref name="onEntry"/> for every entry whose path stays inside the image root; an entry that would
    /// leave it is reported through <paramref name="onWarning"/> (path, message) and skipped.
    public static async Task ReadAsync(
        LayerRef layer,
        ImageByteBudget budget,
        Func<string, TarEntry, CancellationToken, ValueTask> onEntry,
        Action<string, string> onWarning,
        bool verifyDiffId,
        CancellationToken ct,
        Func<Task>? verifiedInBackground = null)
    {
        if (verifiedInBackground is not null)
        {
            await ReadSeekingAsync(layer, budget, onEntry, onWarning, verifiedInBackground, ct).ConfigureAwait(false);
            return;
        }
        var name = layer.Digest.ToString();
        Stream blob;
        try
        {
            blob = await layer.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot open layer {name}: {e.Message}", e);
        }

        // the blob is read and its digest checked on another core while this one decompresses and parses
        var compressed = new CountingStream(layer.Size >= ReadAheadStream.MinimumSize ? new ReadAheadStream(blob) : blob);
        MeteredStream? metered = null;
        try
        {
            var (tar, _) = await LayerDecompression.OpenAsync(compressed, layer.MediaType, ct).ConfigureAwait(false);
            // an uncompressed layer's diff-id is its blob digest, which the blob stream already verifies: hash once
            var checkDiffId = verifyDiffId && layer.DiffId is { Algorithm: Bulwark.Core.HashAlgorithm.Sha256 } d && d != layer.Digest;
            metered = new MeteredStream(tar, compressed, name, budget, hash: checkDiffId);
            await using var buffered = new BufferedStream(metered, TarBufferSize);
            await ReadEntriesAsync(buffered, name, onEntry, onWarning, ct).ConfigureAwait(false);
            // read to the end: trailing blocks after the end-of-archive marker belong to the diff-id, and a
            // truncated compressed stream only shows itself here
            var drain = new byte[64 * 1024];
            while (await buffered.ReadAsync(drain, ct).ConfigureAwait(false) > 0) { }

            if (checkDiffId && layer.DiffId is { } diffId)
            {
                var actual = metered.Sha256();
                if (actual != diffId)
                    throw new InputException($"Layer {name} does not match its diff-id: the uncompressed tar hashes to {actual}, the image config says {diffId}. The layer is corrupt or truncated; pull the image again.");
            }
        }
        catch (Exception e) when (TarDamage.Is(e))
        {
            throw new InputException($"Cannot read layer {name} ({layer.MediaType}): {e.Message} The layer is corrupt or truncated; pull the image again.", e);
        }
        finally
        {
            if (metered is not null) await metered.DisposeAsync().ConfigureAwait(false);
            else await compressed.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// An uncompressed layer in a local file whose digest <paramref name="verified"/> checks on another core: the tar
    /// is read by seeking, so data no callback reads is never touched here. The byte limits are charged with the
    /// blob's size up front (an uncompressed layer is as large as its blob).
    private static async Task ReadSeekingAsync(
        LayerRef layer,
        ImageByteBudget budget,
        Func<string, TarEntry, CancellationToken, ValueTask> onEntry,
        Action<string, string> onWarning,
        Func<Task> verified,
        CancellationToken ct)
    {
        var name = layer.Digest.ToString();
        var limits = budget.Limits;
        if (layer.Size > limits.MaxLayerBytes)
            throw new InputException($"Layer {name} expands to more than {limits.MaxLayerBytes} bytes (the per-layer limit); it is refused as a likely decompression bomb. Raise the layer limit if the image is genuine.");
        if (!budget.TryUse(layer.Size))
            throw new InputException($"The image's layers expand to more than {limits.MaxImageBytes} bytes (the per-image limit), reached in layer {name}; it is refused as a likely decompression bomb. Raise the image limit if the image is genuine.");
        Stream raw;
        try
        {
            raw = layer.OpenUnverified!();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot open layer {name}: {e.Message}", e);
        }
        try
        {
            await using var buffered = new BufferedStream(raw, 64 << 10);
            await ReadEntriesAsync(buffered, name, onEntry, onWarning, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or ArgumentException
            or InvalidOperationException { Source: "System.Formats.Tar" } or NotSupportedException { Source: "System.Formats.Tar" })
        {
            throw new InputException($"Cannot read layer {name} ({layer.MediaType}): {e.Message} The layer is corrupt or truncated; pull the image again.", e);
        }
        finally
        {
            await raw.DisposeAsync().ConfigureAwait(false);
        }
        // the entries count only once every byte of the blob is known to be the one its digest names (the caller may
        // hand back a check still running, which it then awaits before it uses the entries)
        await verified().ConfigureAwait(false);
    }

    /// Walks the tar entries (seeking past unread data when <paramref name="tar"/> can seek), with every metadata
    /// header's size checked before System.Formats.Tar allocates for it (<see cref="TarMetadataLimit"/>).
    private static async Task ReadEntriesAsync(
        Stream tar,
        string name,
        Func<string, TarEntry, CancellationToken, ValueTask> onEntry,
        Action<string, string> onWarning,
        CancellationToken ct)
    {
        await using var limited = new TarMetadataLimit(tar, $"Layer {name}", "The layer is corrupt or hostile; do not use the image.");
        await using var reader = new TarReader(limited, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            limited.EntryRead(entry.Length); // before anything reads on: the next header follows this entry's data
            var path = TarPath.Normalise(entry.Name);
            if (path is null)
            {
                onWarning(entry.Name, "entry path leaves the image root; ignored");
                continue;
            }
            if (path.Length == 0) continue; // the root directory itself
            await onEntry(path, entry, ct).ConfigureAwait(false);
        }
    }
}

/// Paths of tar entries and link targets, as the image root sees them.
public static class TarPath
{
    /// Strips leading "./" and "/", collapses "." and empty segments; null when a ".." segment appears (such an entry
    /// is hostile or broken, never needed).
    public static string? Normalise(string name)
    {
        var span = name.AsSpan();
        // fast path: the common "usr/lib/x" with no odd segments
        if (span.Length > 0 && span[0] != '/' && span[0] != '.' && !span.Contains("//", StringComparison.Ordinal)
            && !span.Contains("/.", StringComparison.Ordinal) && span[^1] != '/')
            return name;
        var parts = new List<string>();
        foreach (var seg in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (seg == ".") continue;
            if (seg == "..") return null;
            parts.Add(seg);
        }
        return string.Join('/', parts);
    }
}
