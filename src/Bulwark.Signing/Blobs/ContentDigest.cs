// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Security.Cryptography;

namespace Bulwark.Signing.Blobs;

/// Hashes content in one streaming pass with a bounded buffer, so a 1 GB blob is never held in memory.
public static class ContentDigest
{
    private const int BufferSize = 1 << 20;

    public static byte[] Compute(Stream content, HashAlgorithmName algorithm, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = content.Read(buffer, 0, BufferSize)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.GetHashAndReset();
    }

    /// The SHA-256 of a file, streamed.
    public static byte[] Sha256OfFile(string path, CancellationToken ct = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Compute(stream, HashAlgorithmName.SHA256, ct);
    }
}
