// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Sigstore;

/// The artifact a bundle is checked against: a file (hashed here) or only its SHA-256 digest.
public sealed record BundleArtifact(string? Path, byte[]? Sha256)
{
    public static BundleArtifact File(string path) => new(path, null);
    public static BundleArtifact Digest(byte[] sha256) => new(null, sha256);
}

/// Verifies a Sigstore bundle offline, following the sigstore-conformance client protocol: the signature over the
/// artifact, the transparency-log entries, and either a managed key or a Fulcio certificate with its identity.
public static class BundleVerifier
{
    private static readonly HashSet<string> StatementTypes = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];

    /// Verifies with a managed key. <paramref name="root"/> may be null only when the bundle has no log entry.
    public static VerificationResult VerifyWithKey(SigstoreBundle bundle, BundleArtifact artifact, VerificationKey key, TrustedRoot? root, CancellationToken ct = default)
    {
        try
        {
            return KeyPath(bundle, artifact, key, root, ct);
        }
        catch (Exception e) when (e is InputException or PlatformNotSupportedException)
        {
            // the bundle's own material is parsed before; what is left is a trusted-root key that cannot be used
            return VerificationResult.CouldNotVerify($"the trusted root holds a key that cannot be used: {e.Message}");
        }
    }

    /// Verifies with a Fulcio certificate, its chain to the trusted root at the log's signing time, its SCTs and identity.
    public static VerificationResult VerifyWithCertificate(SigstoreBundle bundle, BundleArtifact artifact, IdentityPolicy policy, TrustedRoot root, CancellationToken ct = default)
    {
        try
        {
            return CertificatePath(bundle, artifact, policy, root, ct);
        }
        catch (Exception e) when (e is InputException or PlatformNotSupportedException)
        {
            return VerificationResult.CouldNotVerify($"the trusted root holds a key that cannot be used: {e.Message}");
        }
    }

    private static VerificationResult KeyPath(SigstoreBundle bundle, BundleArtifact artifact, VerificationKey key, TrustedRoot? root, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(key);
        if (Preflight(bundle) is { } early) return early;
        if (bundle.Certificates.Count > 0) return VerificationResult.Failed("the bundle is signed with a certificate, but a key (--key) was given.");
        if (bundle.TlogEntries.Count > 0 && root is null)
            return VerificationResult.CouldNotVerify("the bundle has transparency-log entries and no trusted root was given: pass --trusted-root.");
        if (CheckContent(bundle, artifact, key, ct) is { } content) return content;
        var signer = new LogEntryBody.Signer(null, key.SubjectPublicKeyInfo);
        if (CheckLogEntries(bundle, root, signer, out _) is { } logs) return logs;
        var stamped = new List<DateTimeOffset>();
        if (root is not null && CheckTimestamps(bundle, root, out stamped) is { } stamps) return stamps;
        var logged = bundle.TlogEntries.Count == 0 ? "no transparency-log entry" : $"{bundle.TlogEntries.Count} transparency-log entr{(bundle.TlogEntries.Count == 1 ? "y" : "ies")} verified";
        if (stamped.Count > 0) logged += $", timestamped at {stamped[0]:u}";
        return VerificationResult.Verified($"Verified OK: {Kind(bundle)} signed by {key.Description} key ({logged}).");
    }

    private static VerificationResult CertificatePath(SigstoreBundle bundle, BundleArtifact artifact, IdentityPolicy policy, TrustedRoot root, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(root);
        if (Preflight(bundle) is { } early) return early;
        if (bundle.Certificates.Count == 0)
            return VerificationResult.Failed("the bundle is signed with a key, not a certificate; verify it with --key.");
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(bundle.Certificates[0]);
        }
        catch (CryptographicException e)
        {
            return VerificationResult.Failed($"the bundle's signing certificate is not a valid X.509 certificate ({e.Message.TrimEnd('.')}).");
        }
        using (leaf)
        {
            VerificationKey key;
            try
            {
                key = VerificationKey.FromSubjectPublicKeyInfo(leaf.PublicKey.ExportSubjectPublicKeyInfo(), "the signing certificate");
            }
            catch (Exception e) when (e is InputException or CryptographicException or PlatformNotSupportedException)
            {
                // an unknown curve surfaces as PlatformNotSupportedException from the platform's EC import
                return VerificationResult.Failed($"the signing certificate's public key cannot be used ({e.Message.TrimEnd('.')}).");
            }
            using (key)
            {
                if (CheckContent(bundle, artifact, key, ct) is { } content) return content;
                if (bundle.TlogEntries.Count == 0) return VerificationResult.Failed("the bundle has no transparency-log entry; a certificate signature must be logged.");
                var signer = new LogEntryBody.Signer(leaf.RawData, key.SubjectPublicKeyInfo);
                if (CheckLogEntries(bundle, root, signer, out var times) is { } logs) return logs;
                if (CheckTimestamps(bundle, root, out var stamped) is { } stamps) return stamps;
                times.AddRange(stamped);
                if (times.Count == 0)
                    return VerificationResult.Failed("no verified signing time: no log entry has a signed entry timestamp and no RFC 3161 timestamp verifies.");
                CertificateIdentity identity;
                try
                {
                    foreach (var time in times)
                    {
                        if (FulcioCertificate.VerifyChain(leaf, root, time, out var issuer) is { } chain) return VerificationResult.Failed(chain + ".");
                        using (issuer)
                        {
                            if (SignedCertificateTimestamps.Verify(leaf, issuer!, root, out _) is { } sct) return VerificationResult.Failed(sct + ".");
                        }
                    }
                    identity = FulcioCertificate.Identity(leaf);
                }
                catch (Exception e) when (e is System.Formats.Asn1.AsnContentException or CryptographicException)
                {
                    // a certificate whose extensions do not parse passed no check: it is wrong, not unreadable input
                    return VerificationResult.Failed($"the signing certificate is malformed ({e.Message.TrimEnd('.')}).");
                }
                if (policy.Check(identity) is { } mismatch) return VerificationResult.Failed(mismatch + ".");
                return VerificationResult.Verified($"Verified OK: {Kind(bundle)} signed by {identity.SubjectAlternativeName} ({identity.Issuer}), logged at {times[0]:u}.");
            }
        }
    }

    private static string Kind(SigstoreBundle bundle) => bundle.DsseEnvelope is not null ? "DSSE envelope" : "message signature";

    private static VerificationResult? Preflight(SigstoreBundle bundle)
    {
        if (!bundle.IsKnownMediaType)
            return VerificationResult.CouldNotVerify($"the bundle's media type '{bundle.MediaType}' is not a Sigstore bundle v0.1–v0.3.");
        if (bundle.MalformedMaterial is { } malformed)
            return VerificationResult.CouldNotVerify($"the bundle is malformed: {malformed}.");
        if ((bundle.MessageSignature is null) == (bundle.DsseEnvelope is null))
            return VerificationResult.Failed("the bundle must hold exactly one of a message signature and a DSSE envelope.");
        // v0.1 bundles predate inclusion proofs with checkpoints: they must carry a signed entry timestamp instead
        if (bundle.MediaType != SigstoreBundle.MediaTypeV01 && bundle.TlogEntries.Any(e => e.InclusionProof?.Checkpoint is null))
            return VerificationResult.Failed("a transparency-log entry has no inclusion proof with a checkpoint, which bundles from v0.2 on require.");
        return null;
    }

    // the signature must verify over the artifact (message signature) or the envelope's PAE, and the artifact's digest
    // must be the one the bundle or the in-toto statement names
    private static VerificationResult? CheckContent(SigstoreBundle bundle, BundleArtifact artifact, VerificationKey key, CancellationToken ct)
    {
        if (bundle.MessageSignature is { } message)
        {
            if (SigstoreBundle.HashFor(message.DigestAlgorithm) is not { } algorithm)
                return VerificationResult.CouldNotVerify($"the bundle's digest algorithm '{message.DigestAlgorithm}' is not supported.");
            byte[] digest;
            if (artifact.Path is { } path)
            {
                using (var stream = System.IO.File.OpenRead(path)) digest = ContentDigest.Compute(stream, algorithm, ct);
                if (!key.SignsDigest)
                {
                    // Ed25519 signs the file itself; the bundle's digest must still be the file's (the log records it)
                    if (message.Digest.Length > 0 && !CryptographicOperations.FixedTimeEquals(message.Digest, digest))
                        return VerificationResult.Failed("the artifact's digest is not the one the bundle signs.");
                    using var stream = System.IO.File.OpenRead(path);
                    return key.VerifyMessage(stream, message.Signature, ct) ? null : VerificationResult.Failed("the signature does not verify over the artifact.");
                }
            }
            else
            {
                if (algorithm != HashAlgorithmName.SHA256) return VerificationResult.CouldNotVerify($"the bundle signs a {algorithm.Name} digest, but only a SHA-256 digest was given.");
                if (!key.SignsDigest) return VerificationResult.CouldNotVerify($"{key.Description} signs whole messages: give the artifact file, not its digest.");
                digest = artifact.Sha256!;
            }
            if (message.Digest.Length > 0 && !CryptographicOperations.FixedTimeEquals(message.Digest, digest))
                return VerificationResult.Failed("the artifact's digest is not the one the bundle signs.");
            return key.VerifyDigest(digest, algorithm, message.Signature) ? null : VerificationResult.Failed("the signature does not verify over the artifact's digest.");
        }
        var envelope = bundle.DsseEnvelope!;
        if (envelope.Signatures.Length != 1) return VerificationResult.Failed($"the DSSE envelope has {envelope.Signatures.Length} signatures; a Sigstore bundle holds exactly one.");
        if (!envelope.VerifiedBy(key)) return VerificationResult.Failed("the DSSE envelope's signature does not verify.");
        if (envelope.PayloadType != Dsse.DsseEnvelope.InTotoPayloadType)
            return VerificationResult.Failed($"the DSSE payload type is '{envelope.PayloadType}', not an in-toto statement.");
        var sha256 = artifact.Sha256;
        if (sha256 is null)
        {
            using var stream = System.IO.File.OpenRead(artifact.Path!);
            sha256 = ContentDigest.Compute(stream, HashAlgorithmName.SHA256, ct);
        }
        return StatementNames(envelope.Payload, Convert.ToHexStringLower(sha256));
    }

    private static VerificationResult? StatementNames(byte[] payload, string sha256Hex)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
            var statement = document.RootElement;
            if (!statement.TryGetProperty("_type", out var type) || type.ValueKind != JsonValueKind.String || !StatementTypes.Contains(type.GetString()!))
                return VerificationResult.Failed("the DSSE payload is not an in-toto Statement (missing or unknown _type).");
            foreach (var subject in statement.GetProperty("subject").EnumerateArray())
            {
                if (subject.TryGetProperty("digest", out var digest) && digest.TryGetProperty("sha256", out var value) &&
                    string.Equals(value.GetString(), sha256Hex, StringComparison.OrdinalIgnoreCase))
                    return null;
            }
            return VerificationResult.Failed($"no subject of the in-toto statement has the artifact's digest sha256:{sha256Hex}.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return VerificationResult.Failed($"the DSSE payload is not a valid in-toto statement ({e.Message.TrimEnd('.')}).");
        }
    }

    // every RFC 3161 timestamp must verify against a TSA of the trusted root; a root with no TSA at all cannot check
    // them, and then they count for nothing (the log's signed entry timestamp must provide the time)
    private static VerificationResult? CheckTimestamps(SigstoreBundle bundle, TrustedRoot root, out List<DateTimeOffset> times)
    {
        times = [];
        if (bundle.Rfc3161Timestamps.Count == 0 || root.TimestampAuthorities.Count == 0) return null;
        var signature = bundle.MessageSignature?.Signature ?? bundle.DsseEnvelope!.Signatures[0].Signature;
        foreach (var stamp in bundle.Rfc3161Timestamps)
        {
            if (SignedTimestamps.Verify(stamp, signature, root, out var time) is { } reason) return VerificationResult.Failed(reason + ".");
            times.Add(time);
        }
        return null;
    }

    // every entry must be from a trusted log, proven (inclusion proof + checkpoint, or SET) and record this bundle;
    // the signing times are the integrated times that a verified SET vouches for
    private static VerificationResult? CheckLogEntries(SigstoreBundle bundle, TrustedRoot? root, LogEntryBody.Signer signer, out List<DateTimeOffset> times)
    {
        times = [];
        foreach (var entry in bundle.TlogEntries)
        {
            if (root!.TransparencyLog(entry.LogId) is not { } log)
                return VerificationResult.Failed($"transparency-log entry {entry.LogIndex} is from log {Convert.ToBase64String(entry.LogId)}, which the trusted root does not list.");
            if (LogEntryBody.Check(entry, bundle, signer) is { } body) return VerificationResult.Failed($"transparency-log entry {entry.LogIndex}: {body}.");
            if (entry.InclusionProof is null && entry.SignedEntryTimestamp is null)
                return VerificationResult.Failed($"transparency-log entry {entry.LogIndex} has neither an inclusion proof nor a signed entry timestamp.");
            if (entry.InclusionProof is not null && TransparencyLog.VerifyInclusionProof(entry, log) is { } proof)
                return VerificationResult.Failed($"transparency-log entry {entry.LogIndex}: {proof}.");
            if (entry.SignedEntryTimestamp is not null)
            {
                if (TransparencyLog.VerifySignedEntryTimestamp(entry, log) is { } set) return VerificationResult.Failed($"transparency-log entry {entry.LogIndex}: {set}.");
                if (entry.IntegratedTime is <= 0 or > 253402300799)
                    return VerificationResult.Failed($"transparency-log entry {entry.LogIndex} has no usable integrated time ({entry.IntegratedTime}).");
                var time = DateTimeOffset.FromUnixTimeSeconds(entry.IntegratedTime);
                if (!log.ValidFor.Contains(time))
                    return VerificationResult.Failed($"transparency-log entry {entry.LogIndex} was integrated at {time:u}, outside the log key's validity.");
                times.Add(time);
            }
        }
        return null;
    }
}
