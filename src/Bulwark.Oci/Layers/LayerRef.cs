// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// One layer of an image, as the layer reader needs it: its blob digest (what the manifest names), its diff-id (the
/// digest of the uncompressed tar, from the image config), media type (decides gzip/zstd/plain), size, and a way to
/// open the blob. The stream returned verifies <see cref="Digest"/> as it is read and throws on a mismatch.
public sealed record LayerRef(Digest Digest, Digest? DiffId, string MediaType, long Size, Func<CancellationToken, Task<Stream>> OpenAsync)
{
    /// For a blob in a local file (layout, archive): the raw blob as a seekable stream, NOT verified. An uncompressed
    /// layer with it is read by seeking past the data nobody wants while a background pass over a second stream
    /// verifies the digest (<see cref="BackgroundVerification"/>); the layer counts only once that pass succeeded.
    public Func<Stream>? OpenUnverified { get; init; }

    public override string ToString() => Digest.ToString();
}
