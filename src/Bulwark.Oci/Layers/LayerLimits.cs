// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Oci.Layers;

/// Decompression-bomb limits for reading layers. Defaults: a layer may expand at most 200:1 once it has produced
/// 64 MiB (small layers of zeros legitimately compress better), and at most 16 GiB per layer and 64 GiB per image.
public sealed record LayerLimits
{
    public static LayerLimits Default { get; } = new();

    /// Largest uncompressed/compressed ratio allowed once <see cref="RatioFreeBytes"/> have been produced.
    public double MaxRatio { get; init; } = 200;

    /// Uncompressed bytes a layer may produce before the ratio limit applies.
    public long RatioFreeBytes { get; init; } = 64L << 20;

    /// Largest uncompressed size of one layer.
    public long MaxLayerBytes { get; init; } = 16L << 30;

    /// Largest uncompressed size of all layers of an image together.
    public long MaxImageBytes { get; init; } = 64L << 30;
}

/// Counts the uncompressed bytes of every layer of one image against <see cref="LayerLimits.MaxImageBytes"/>.
public sealed class ImageByteBudget(LayerLimits limits)
{
    private long _used;

    public LayerLimits Limits { get; } = limits;
    public long Used => Interlocked.Read(ref _used);

    internal bool TryUse(long bytes) => Interlocked.Add(ref _used, bytes) <= Limits.MaxImageBytes;
}
