// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;

namespace Bulwark.Oci;

/// The one place OCI content is hashed: the algorithms OCI registers (image-spec descriptor.md: sha256, sha512;
/// sha384 is accepted as distribution does) and the strict "algorithm:lowercase-hex" digest syntax.
public static class OciDigests
{
    /// True for the algorithms a blob may be named by.
    public static bool IsSupported(HashAlgorithm algorithm) => algorithm is HashAlgorithm.Sha256 or HashAlgorithm.Sha384 or HashAlgorithm.Sha512;

    /// The digest of <paramref name="data"/> with <paramref name="algorithm"/>; <paramref name="what"/> names the content in errors.
    public static Digest Compute(ReadOnlySpan<byte> data, HashAlgorithm algorithm, string what) => algorithm switch
    {
        HashAlgorithm.Sha256 => new(algorithm, Convert.ToHexStringLower(SHA256.HashData(data))),
        HashAlgorithm.Sha384 => new(algorithm, Convert.ToHexStringLower(SHA384.HashData(data))),
        HashAlgorithm.Sha512 => new(algorithm, Convert.ToHexStringLower(SHA512.HashData(data))),
        _ => throw Unsupported(algorithm, what),
    };

    /// An incremental hash for <paramref name="algorithm"/>; <paramref name="what"/> names the content in errors.
    internal static IncrementalHash CreateHash(HashAlgorithm algorithm, string what) => algorithm switch
    {
        HashAlgorithm.Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        HashAlgorithm.Sha384 => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
        HashAlgorithm.Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw Unsupported(algorithm, what),
    };

    /// Parses an OCI digest ("sha256:" + lowercase hex of the right length); null for anything else.
    public static Digest? TryParse(string? text)
    {
        if (text is null) return null;
        var colon = text.IndexOf(':');
        if (colon < 0 || text[..colon] is not ("sha256" or "sha384" or "sha512")) return null;
        var hex = text[(colon + 1)..];
        return hex == hex.ToLowerInvariant() && Digest.TryCreate(text[..colon], hex, out var d) ? d : null;
    }

    private static InputException Unsupported(HashAlgorithm algorithm, string what) =>
        new($"Cannot verify {what}: digest algorithm '{new Digest(algorithm, "").Prefix}' is not one OCI uses (sha256, sha512).");
}
