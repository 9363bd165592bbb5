// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci;

/// Picks manifests out of an image index by platform: the one asked for, or every image for --all-platforms.
public static class PlatformChoice
{
    /// The manifest for <paramref name="wanted"/> (first match in index order, as Docker does); when none matches,
    /// an <see cref="InputException"/> listing the platforms the index has. <paramref name="where"/> names the index.
    public static Descriptor Choose(ImageIndex index, Platform wanted, string where)
    {
        var images = Images(index);
        foreach (var d in images)
            if (d.Platform is { } p && wanted.Matches(p)) return d;
        // an index with a single untyped entry (some layouts) is that image, whatever it runs on
        if (images.Count == 1 && images[0].Platform is null) return images[0];
        var available = images.Select(d => d.Platform?.ToString() ?? $"(no platform: {d.Digest})").Distinct().ToList();
        throw new InputException(available.Count == 0
            ? $"{where} lists no image manifests; there is nothing to read."
            : $"{where} has no image for {wanted}; it has {string.Join(", ", available)}. Choose one with --platform, or read them all with --all-platforms.");
    }

    /// Every image manifest in the index, in index order, without attestation manifests (platform unknown/unknown).
    public static IReadOnlyList<Descriptor> Images(ImageIndex index) =>
        index.Manifests
            .Where(d => d.MediaType.Length == 0 || OciDocument.IsManifest(d.MediaType) || OciDocument.IsIndex(d.MediaType))
            .Where(d => d.Platform is not { Os: "unknown" } && d.Platform is not { Architecture: "unknown" })
            .Where(d => !d.Annotations.ContainsKey("vnd.docker.reference.type"))
            .ToList();
}
