// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Sigstore;

/// Offline checks of a Rekor v1 entry: the RFC 6962 inclusion proof, the signed checkpoint and the signed entry timestamp.
/// Each returns null when the check passes, or the reason it failed.
public static class TransparencyLog
{
    /// An audit path longer than this cannot belong to a tree of at most 2^64 leaves.
    private const int MaxProofHashes = 64;

    /// RFC 6962 §2.1 leaf hash: SHA-256(0x00 || leaf).
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var buffer = new byte[leaf.Length + 1];
        leaf.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    private static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    /// RFC 9162 §2.1.3.2: recomputes the root from a leaf hash and its audit path; null when it equals <paramref name="rootHash"/>.
    public static string? VerifyInclusion(long index, long treeSize, byte[] leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || treeSize <= 0 || index >= treeSize) return $"log index {index} is outside a tree of size {treeSize}";
        if (proof.Count > MaxProofHashes) return $"the inclusion proof has {proof.Count} hashes, more than any tree can need";
        if (proof.Any(h => h.Length != 32)) return "an inclusion proof hash is not 32 bytes";
        ulong fn = (ulong)index, sn = (ulong)treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return "the inclusion proof is longer than the path to the root";
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) return "the inclusion proof is shorter than the path to the root";
        return CryptographicOperations.FixedTimeEquals(r, rootHash) ? null : "the inclusion proof does not lead to the root hash";
    }

    /// The checked parts of a checkpoint (a signed note: origin, tree size, base64 root hash, optional lines).
    public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash);

    /// Verifies a checkpoint's note signature by <paramref name="log"/>'s key and parses its body; returns the reason on failure.
    public static string? VerifyCheckpoint(string envelope, TrustedLog log, out Checkpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(log);
        checkpoint = null;
        var split = envelope.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return "the checkpoint has no blank line between its body and its signatures";
        var body = envelope[..(split + 1)];
        var lines = body.Split('\n');
        if (lines.Length < 4) return "the checkpoint body has fewer than three lines";
        var origin = lines[0];
        if (origin.Length == 0) return "the checkpoint has an empty origin line";
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return "the checkpoint's tree size is not a number";
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return "the checkpoint's root hash is not base64";
        }
        // the key name in a signature line is the origin's first token ("rekor.sigstore.dev - 1193050959916656506"),
        // and it names the log: the host (and port) of the trusted root's baseUrl, so one log's checkpoint cannot
        // stand for another's even where a key were shared
        var name = origin.Split(' ')[0];
        if (Uri.TryCreate(log.BaseUrl, UriKind.Absolute, out var baseUrl) && !string.Equals(name, baseUrl.Authority, StringComparison.OrdinalIgnoreCase))
            return $"the checkpoint is from log '{name}', not from {log.BaseUrl}";
        var message = Encoding.UTF8.GetBytes(body);
        var hint = log.LogId.AsSpan(0, 4);
        using var key = VerificationKey.FromSubjectPublicKeyInfo(log.PublicKey, $"transparency log {log.BaseUrl}");
        var signed = false;
        foreach (var line in envelope[(split + 2)..].Split('\n'))
        {
            if (line.Length == 0) continue;
            if (!line.StartsWith("\u2014 ", StringComparison.Ordinal)) return "a checkpoint signature line does not start with an em dash";
            var parts = line[2..].Split(' ');
            if (parts.Length != 2) return "a checkpoint signature line is not 'name signature'";
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                return "a checkpoint signature is not base64";
            }
            if (blob.Length < 5 || !blob.AsSpan(0, 4).SequenceEqual(hint)) continue;
            if (parts[0] != name) return $"the checkpoint is signed as '{parts[0]}', not as its origin '{name}'";
            if (!Signatures.Verify(key, log.KeyDetails, message, blob.AsSpan(4))) return "the checkpoint signature does not verify with the log's key";
            signed = true;
        }
        if (!signed) return "the checkpoint carries no signature by the log's key";
        checkpoint = new Checkpoint(origin, size, root);
        return null;
    }

    /// Verifies the inclusion proof of <paramref name="entry"/> and its checkpoint; null when both hold.
    public static string? VerifyInclusionProof(TransparencyLogEntry entry, TrustedLog log)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.InclusionProof is not { } proof) return "the entry has no inclusion proof";
        if (proof.Checkpoint is null)
        {
            // v0.1 bundles carry proofs without checkpoints: the path still must lead to the stated root, but only the
            // signed entry timestamp (checked separately and then required) vouches for the entry
            if (entry.SignedEntryTimestamp is null) return "the inclusion proof has no checkpoint and the entry no signed entry timestamp";
            return VerifyInclusion(proof.LogIndex, proof.TreeSize, LeafHash(entry.CanonicalizedBody), proof.Hashes, proof.RootHash);
        }
        // proof.LogIndex is the index within this tree (a shard), which may differ from the entry's global index
        if (VerifyCheckpoint(proof.Checkpoint, log, out var checkpoint) is { } reason) return reason;
        if (checkpoint!.TreeSize != proof.TreeSize) return $"the checkpoint's tree size {checkpoint.TreeSize} is not the proof's {proof.TreeSize}";
        if (!CryptographicOperations.FixedTimeEquals(checkpoint.RootHash, proof.RootHash)) return "the checkpoint's root hash is not the proof's";
        return VerifyInclusion(proof.LogIndex, proof.TreeSize, LeafHash(entry.CanonicalizedBody), proof.Hashes, proof.RootHash);
    }

    /// Verifies the signed entry timestamp: the log's signature over canonical JSON
    /// {"body","integratedTime","logID","logIndex"} (keys sorted, no spaces; body base64, logID hex).
    public static string? VerifySignedEntryTimestamp(TransparencyLogEntry entry, TrustedLog log)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(log);
        if (entry.SignedEntryTimestamp is not { } set) return "the entry has no signed entry timestamp";
        var payload = string.Create(CultureInfo.InvariantCulture,
            $"{{\"body\":\"{Convert.ToBase64String(entry.CanonicalizedBody)}\",\"integratedTime\":{entry.IntegratedTime},\"logID\":\"{Convert.ToHexStringLower(entry.LogId)}\",\"logIndex\":{entry.LogIndex}}}");
        using var key = VerificationKey.FromSubjectPublicKeyInfo(log.PublicKey, $"transparency log {log.BaseUrl}");
        return Signatures.Verify(key, log.KeyDetails, Encoding.UTF8.GetBytes(payload), set)
            ? null
            : "the signed entry timestamp does not verify with the log's key";
    }
}

/// Signature checks with a trusted-root key, the digest chosen by its `keyDetails`.
internal static class Signatures
{
    public static HashAlgorithmName HashFor(string keyDetails) =>
        keyDetails.EndsWith("SHA_384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : keyDetails.EndsWith("SHA_512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512
        : HashAlgorithmName.SHA256;

    public static bool Verify(VerificationKey key, string keyDetails, byte[] message, ReadOnlySpan<byte> signature)
    {
        if (!key.SignsDigest)
        {
            using var stream = new MemoryStream(message, writable: false);
            return key.VerifyMessage(stream, signature);
        }
        var algorithm = HashFor(keyDetails);
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(message);
        return key.VerifyDigest(hash.GetHashAndReset(), algorithm, signature);
    }
}
