// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Security.Cryptography;
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// How a layer blob is compressed.
internal enum LayerCompression { None, Gzip, Zstd }

/// Opens the uncompressed tar stream of a layer blob: the media type chooses the decompressor, and the first bytes
/// overrule it when they carry another format's magic number (registries and tools do mislabel layers).
internal static class LayerDecompression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    public static LayerCompression FromMediaType(string mediaType) =>
        mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("+zstd", StringComparison.Ordinal) || mediaType.EndsWith(".tar.zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : LayerCompression.None;

    private static ReadOnlySpan<byte> UstarMagic => "ustar"u8;

    /// A tar starts with a file name, never with the gzip or zstd magic; a POSIX/GNU tar has "ustar" at offset 257.
    /// Anything else is taken as declared and fails in the decompressor if that is wrong.
    public static LayerCompression Sniff(ReadOnlySpan<byte> head, LayerCompression declared) =>
        head.StartsWith(GzipMagic) ? LayerCompression.Gzip
        : head.StartsWith(ZstdMagic) ? LayerCompression.Zstd
        : head.Length >= 262 && head[257..262].SequenceEqual(UstarMagic) ? LayerCompression.None
        : declared;

    public static async Task<(Stream Tar, LayerCompression Compression)> OpenAsync(Stream compressed, string mediaType, CancellationToken ct)
    {
        var head = new byte[512];
        var read = await compressed.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var compression = Sniff(head.AsSpan(0, read), FromMediaType(mediaType));
        var whole = new PrefixedStream(head.AsMemory(0, read), compressed);
        Stream tar = compression switch
        {
            LayerCompression.Gzip => new GZipStream(whole, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new ZstdDecompressionStream(whole, leaveOpen: false),
            _ => whole,
        };
        return (tar, compression);
    }
}

/// A few bytes already read, then the rest of a stream.
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.Length == 0) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.Length == 0) return rest.ReadAsync(buffer, cancellationToken);
        return ValueTask.FromResult(Read(buffer.Span));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}

/// Counts the bytes read through it (the compressed side of a layer, for the ratio limit).
internal sealed class CountingStream(Stream inner) : ReadOnlyStream
{
    public long Count { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Count += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// The uncompressed side of a layer: enforces the bomb limits as bytes arrive and hashes them once (the diff-id).
internal sealed class MeteredStream(Stream inner, CountingStream compressed, string layer, ImageByteBudget budget, bool hash = true) : ReadOnlyStream
{
    private readonly IncrementalHash? _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    private readonly LayerLimits _limits = budget.Limits;

    public long Count { get; private set; }
    public bool Ended { get; private set; }

    public override int Read(Span<byte> buffer) => Account(inner.Read(buffer), buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(n, buffer.Span);
    }

    private int Account(int n, ReadOnlySpan<byte> buffer)
    {
        if (n == 0)
        {
            Ended = true;
            return 0;
        }
        Count += n;
        if (Count > _limits.MaxLayerBytes)
            throw new InputException($"Layer {layer} expands to more than {_limits.MaxLayerBytes} bytes (the per-layer limit); it is refused as a likely decompression bomb. Raise the layer limit if the image is genuine.");
        if (!budget.TryUse(n))
            throw new InputException($"The image's layers expand to more than {_limits.MaxImageBytes} bytes (the per-image limit), reached in layer {layer}; it is refused as a likely decompression bomb. Raise the image limit if the image is genuine.");
        if (Count > _limits.RatioFreeBytes && Count > _limits.MaxRatio * Math.Max(1, compressed.Count))
            throw new InputException($"Layer {layer} expands more than {_limits.MaxRatio}:1 ({Count} bytes from {compressed.Count} compressed); it is refused as a likely decompression bomb. Raise the ratio limit if the image is genuine.");
        _hash?.AppendData(buffer[..n]);
        return n;
    }

    public Digest Sha256() => _hash is null
        ? throw new InvalidOperationException("This layer stream was opened without hashing.")
        : new(Bulwark.Core.HashAlgorithm.Sha256, Convert.ToHexStringLower(_hash.GetHashAndReset()));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash?.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// The boilerplate of a forward-only read stream.
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public abstract override int Read(Span<byte> buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
