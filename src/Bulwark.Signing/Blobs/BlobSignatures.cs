// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Blobs;

/// A blob's signature and the SHA-256 of its content (the bundle's message digest).
public sealed record BlobSignature(byte[] Sha256, byte[] Signature)
{
    public string SignatureBase64 => Convert.ToBase64String(Signature);

    public MessageSignature ToMessageSignature() => new("SHA2_256", Sha256, Signature);
}

/// `cosign sign-blob` / `verify-blob` semantics: ECDSA and RSA sign SHA-256 of the file, Ed25519 the file itself;
/// signatures travel as base64 text. Files are streamed (one pass for digest schemes).
public static class BlobSignatures
{
    public static BlobSignature Sign(SigningKey key, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var digest = ContentDigest.Sha256OfFile(path, ct);
        if (key.SignsDigest) return new BlobSignature(digest, key.SignDigest(digest, HashAlgorithmName.SHA256));
        using var stream = File.OpenRead(path);
        return new BlobSignature(digest, key.SignMessage(stream, ct));
    }

    /// Decodes a signature file's text (base64, surrounding white space ignored); null when it is not base64.
    public static byte[]? DecodeBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var buffer = new byte[trimmed.Length];
        return trimmed.Length > 0 && Convert.TryFromBase64String(trimmed, buffer, out var written) ? buffer[..written] : null;
    }

    /// Checks a detached signature over a file.
    public static VerificationResult Verify(VerificationKey key, string path, byte[] signature, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        bool valid;
        try
        {
            valid = key.VerifyMessage(stream, signature, ct);
        }
        catch (MessageTooLargeException e)
        {
            return VerificationResult.CouldNotVerify($"{path}: {e.Message}");
        }
        return valid
            ? VerificationResult.Verified($"Verified OK: {path} is signed by the {key.Description} key.")
            : VerificationResult.Failed($"the signature over {path} is not valid for the {key.Description} key (wrong key, or the file or signature was altered).");
    }

    /// Checks a bundle's message signature over a file: the file's digest must be the bundle's, and the signature must
    /// verify with the key. Transparency-log entries, timestamps and certificates are not checked here.
    public static VerificationResult Verify(VerificationKey key, string path, SigstoreBundle bundle, string bundleSource, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(bundle);
        if (!bundle.IsKnownMediaType)
            return VerificationResult.CouldNotVerify($"bundle {bundleSource} has media type '{bundle.MediaType}', which is not a Sigstore bundle v0.1–v0.3.");
        if (bundle.HasDsseEnvelope)
            return VerificationResult.CouldNotVerify($"bundle {bundleSource} holds a DSSE envelope (an attestation); verify-blob checks message signatures only, for now.");
        if (bundle.MessageSignature is not { } message)
            return VerificationResult.CouldNotVerify($"bundle {bundleSource} has no messageSignature.");
        if (SigstoreBundle.HashFor(message.DigestAlgorithm) is not { } algorithm)
            return VerificationResult.CouldNotVerify($"bundle {bundleSource} uses digest algorithm '{message.DigestAlgorithm}', which Bulwark does not support (SHA2_256, SHA2_384, SHA2_512).");

        byte[] actual;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            actual = ContentDigest.Compute(stream, algorithm, ct);
        if (!CryptographicOperations.FixedTimeEquals(actual, message.Digest))
            return VerificationResult.Failed($"{path} does not match bundle {bundleSource}: its {algorithm.Name!.Replace("SHA", "SHA-", StringComparison.Ordinal)} is {Convert.ToHexStringLower(actual)}, the bundle signs {Convert.ToHexStringLower(message.Digest)}.");

        bool valid;
        if (key.SignsDigest)
        {
            valid = key.VerifyDigest(message.Digest, algorithm, message.Signature);
        }
        else
        {
            using var stream = File.OpenRead(path);
            try
            {
                valid = key.VerifyMessage(stream, message.Signature, ct);
            }
            catch (MessageTooLargeException e)
            {
                return VerificationResult.CouldNotVerify($"{path}: {e.Message}");
            }
        }
        if (valid) return VerificationResult.Verified($"Verified OK: {path} matches bundle {bundleSource}, signed by the {key.Description} key.");
        var otherKey = bundle.PublicKeyHint is { } hint && hint != key.Hint ? $" The bundle names key hint {hint}; the given key's is {key.Hint}." : "";
        return VerificationResult.Failed($"the signature in bundle {bundleSource} is not valid for the {key.Description} key (wrong key, or the signature was altered).{otherKey}");
    }
}
