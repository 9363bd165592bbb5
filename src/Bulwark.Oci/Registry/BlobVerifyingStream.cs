// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;

namespace Bulwark.Oci.Registry;

/// A read-only stream over a blob download that hashes every byte as it passes and, at the end, throws unless the
/// length and digest are the ones asked for. Reading past the expected size fails at once, so a hostile registry
/// cannot make the reader consume more than the manifest announced.
internal sealed class BlobVerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly IDisposable? _owner;
    private readonly IncrementalHash _hash;
    private readonly Digest _expected;
    private readonly long? _expectedSize;
    private readonly string _name;
    private long _read;
    private bool _verified;

    /// <paramref name="name"/> names the blob in errors ("127.0.0.1:5000/library/debian blob sha256:…").
    public BlobVerifyingStream(Stream inner, Digest expected, long? expectedSize, string name, IDisposable? owner = null)
    {
        _inner = inner;
        _owner = owner;
        _expected = expected;
        _expectedSize = expectedSize;
        _name = name;
        _hash = IncrementalHash.CreateHash(HashNameOf(expected.Algorithm, name));
    }

    internal static HashAlgorithmName HashNameOf(HashAlgorithm algorithm, string what) => algorithm switch
    {
        HashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        HashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        HashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new InputException($"Cannot verify {what}: digest algorithm '{algorithm}' is not one OCI registries use (sha256, sha512)."),
    };

    /// A read that brings no byte for this long fails (a stalled download must not hang the reader).
    public TimeSpan ReadIdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return Account(buffer[..n], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        if (ReadIdleTimeout == Timeout.InfiniteTimeSpan)
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(ReadIdleTimeout);
            try
            {
                n = await _inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"Blob {_name}: no data for {ReadIdleTimeout.TotalSeconds:0.###} s after {_read} bytes; the download stalled. Retry.", e);
            }
        }
        return Account(buffer.Span[..n], buffer.Length);
    }

    private int Account(ReadOnlySpan<byte> chunk, int requested)
    {
        if (chunk.IsEmpty)
        {
            if (requested == 0) return 0; // a zero-length read is not the end of the stream
            Verify();
            return 0;
        }
        _read += chunk.Length;
        if (_expectedSize is { } max && _read > max)
            throw new InputException($"Blob {_name} is longer than the {max} bytes its manifest gives; refusing the rest. The registry served different content.");
        _hash.AppendData(chunk);
        return chunk.Length;
    }

    private void Verify()
    {
        if (_verified) return;
        if (_expectedSize is { } size && _read != size)
            throw new InputException($"Blob {_name} is truncated: got {_read} of {size} bytes. Retry; if it persists the registry's copy is damaged.");
        var actual = new Digest(_expected.Algorithm, Convert.ToHexStringLower(_hash.GetHashAndReset()));
        if (actual != _expected)
            throw new InputException($"Blob {_name} does not match its digest: got {actual}. The registry served different content; do not trust this image.");
        _verified = true;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
