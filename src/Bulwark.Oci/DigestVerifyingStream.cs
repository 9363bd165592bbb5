// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;

namespace Bulwark.Oci;

/// A blob whose content does not have the digest or length it was named by. (InvalidDataException is sealed, so this
/// is an IOException, like the other failures a stream reader sees.)
public sealed class BlobDigestException(Digest digest, string source, string expected, string actual)
    : IOException($"blob {digest} from {source}: expected {expected}, got {actual}; the download or file is corrupt: delete it and fetch again.")
{
    public Digest Digest { get; } = digest;
    public string BlobSource { get; } = source;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}

/// Reads a blob through, hashing every byte; at the end of the stream (or as soon as it runs past the expected
/// length) it throws <see cref="BlobDigestException"/> if the length or digest is not the expected one. A reader that
/// stops early (a tar reader at the end-of-archive blocks) must call <see cref="ReadToEndAndVerifyAsync"/>.
/// Every image source uses it: layout files, archive slices and registry downloads.
public sealed class DigestVerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly Digest _expected;
    private readonly long? _expectedLength;
    private readonly string _source;
    private readonly IncrementalHash _hash;
    private readonly bool _leaveOpen;
    private readonly IDisposable? _owner;
    private long _read;
    private bool _verified;

    /// <paramref name="source"/> names where the bytes come from ("oci:DIR", "127.0.0.1:5000/team/app");
    /// <paramref name="owner"/> is disposed with the stream (the HTTP response a download's stream belongs to).
    public DigestVerifyingStream(Stream inner, Digest expected, long? expectedLength, string source, bool leaveOpen = false, IDisposable? owner = null)
    {
        _inner = inner;
        _expected = expected;
        _expectedLength = expectedLength;
        _source = source;
        _leaveOpen = leaveOpen;
        _owner = owner;
        _hash = OciDigests.CreateHash(expected.Algorithm, $"blob {expected} from {source}");
    }

    /// A read that brings no byte for this long fails with an <see cref="IOException"/>, so a stalled download
    /// cannot hang the reader (asynchronous reads only; infinite by default).
    public TimeSpan ReadIdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// The bytes read so far.
    public long BytesRead => _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _expectedLength ?? throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        buffer = buffer[..Allowed(buffer.Length)];
        return Account(buffer, _inner.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        buffer = buffer[..Allowed(buffer.Length)];
        if (ReadIdleTimeout == Timeout.InfiniteTimeSpan)
        {
            var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            return Account(buffer.Span, n);
        }
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(ReadIdleTimeout);
        try
        {
            var n = await _inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            return Account(buffer.Span, n);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"blob {_expected} from {_source}: no data for {ReadIdleTimeout.TotalSeconds:0.###} s after {_read} bytes; the download stalled. Retry.", e);
        }
    }

    /// With a known length, asks the inner stream for at most one byte past it, so an overlong blob is caught at
    /// once and never more than the declared size (plus one byte) is consumed from a hostile source.
    private int Allowed(int requested) =>
        _expectedLength is { } length ? (int)Math.Clamp(length - _read + 1, 1, requested) : requested;

    /// Hashes bytes read elsewhere (a reader filling buffers on another thread) with the same length and digest
    /// checks as a read through this stream; <see cref="Finish"/> is the end of the stream.
    internal void Append(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty) Account(data, data.Length);
    }

    /// The end of the bytes given to <see cref="Append"/>: throws when the length or digest is not the expected one.
    internal void Finish() => Verify();

    private int Account(ReadOnlySpan<byte> buffer, int n)
    {
        if (n == 0)
        {
            Verify();
            return 0;
        }
        _read += n;
        if (_read > _expectedLength)
            throw new BlobDigestException(_expected, _source, $"{_expectedLength} bytes", $"more ({_read} bytes so far)");
        _hash.AppendData(buffer[..n]);
        return n;
    }

    private void Verify()
    {
        if (_verified) return;
        _verified = true;
        if (_expectedLength is { } length && _read != length)
            throw new BlobDigestException(_expected, _source, $"{length} bytes", $"{_read} bytes (truncated)");
        var actual = new Digest(_expected.Algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()));
        if (actual != _expected) throw new BlobDigestException(_expected, _source, _expected.ToString(), actual.ToString());
    }

    /// Reads whatever is left and verifies the blob (a no-op when the end was already reached and verified).
    public async Task ReadToEndAndVerifyAsync(CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, ct).ConfigureAwait(false) > 0) { }
    }

    /// Reads a small blob (a manifest or config) whole, verified, refusing more than <paramref name="maxBytes"/>.
    public static async Task<byte[]> ReadAllAsync(Stream blob, Digest expected, long expectedLength, string source, int maxBytes, CancellationToken ct)
    {
        if (expectedLength > maxBytes)
            throw new InputException($"blob {expected} from {source} declares {expectedLength} bytes, more than the {maxBytes} bytes allowed for a manifest or config; refusing it.");
        await using var verifying = new DigestVerifyingStream(blob, expected, expectedLength, source);
        var data = new byte[expectedLength];
        var filled = 0;
        while (filled < data.Length)
        {
            var n = await verifying.ReadAsync(data.AsMemory(filled), ct).ConfigureAwait(false);
            if (n == 0) break;   // verification threw on the short read
            filled += n;
        }
        await verifying.ReadToEndAndVerifyAsync(ct).ConfigureAwait(false);
        return data;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!_leaveOpen) _inner.Dispose();
            _owner?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        if (!_leaveOpen) await _inner.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
