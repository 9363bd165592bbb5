// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Security.Cryptography;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Images;

/// What signing stored: the digest signed, the Cosign tag's new manifest and the referrer artifact.
public sealed record ImageSigningResult(ImageReference Image, Descriptor Signed, Digest TagManifest, Digest Referrer);

/// The answer of an image verification: the result, the digest checked, and the payloads (signature payloads or
/// in-toto statements) that verified, each once, in the order found.
public sealed record ImageVerification(VerificationResult Result, Digest? ManifestDigest, IReadOnlyList<byte[]> Verified);

/// Signs and verifies images the way `cosign sign --key` / `cosign verify --key` do.
public static class ImageSignatures
{
    /// The manifest the reference names (a tag is resolved; a digest is checked): what gets signed.
    public static async Task<Descriptor> ResolveAsync(RegistryClient client, ImageReference image, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var manifest = await client.GetManifestAsync(image, null, ct).ConfigureAwait(false);
        return new Descriptor(manifest.MediaType, manifest.Digest, manifest.Bytes.Length);
    }

    /// Signs the manifest digest the reference resolves to and stores the signature as Cosign's .sig tag and as a referrer.
    public static async Task<ImageSigningResult> SignAsync(RegistryClient client, ImageReference image, SigningKey key,
        IReadOnlyDictionary<string, string> annotations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(annotations);
        var signed = await ResolveAsync(client, image, ct).ConfigureAwait(false);
        var payload = new SimpleSigningPayload(CosignConventions.DockerReference(image.Registry, image.Repository), signed.Digest,
            annotations.ToImmutableSortedDictionary(StringComparer.Ordinal)).ToJson();
        byte[] signature;
        using (var stream = new MemoryStream(payload, writable: false))
            signature = key.SignMessage(stream, ct);
        var layerAnnotations = new Dictionary<string, string> { [CosignConventions.SignatureAnnotation] = Convert.ToBase64String(signature) };
        var tag = await SignatureStore.AppendToTagAsync(client, image.Registry, image.Repository, signed.Digest, SignatureKind.Signature,
            payload, layerAnnotations, ct).ConfigureAwait(false);
        var referrer = await SignatureStore.PushReferrerAsync(client, image.Registry, image.Repository, signed, SignatureKind.Signature,
            payload, layerAnnotations, ct).ConfigureAwait(false);
        return new ImageSigningResult(image.WithDigest(signed.Digest), signed, tag, referrer);
    }

    /// Finds the image's signatures (Cosign tag and referrers) and checks each: the signature over the payload with the
    /// key, the payload's manifest digest against the image's, its docker-reference against the repository, and the
    /// required annotations. Verified when at least one signature passes every check.
    public static async Task<ImageVerification> VerifyAsync(RegistryClient client, ImageReference image, VerificationKey key,
        IReadOnlyDictionary<string, string>? requiredAnnotations = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        var subject = await ResolveAsync(client, image, ct).ConfigureAwait(false);
        var skipped = new List<string>();
        var found = await SignatureStore.FindAsync(client, image.Registry, image.Repository, subject.Digest, SignatureKind.Signature, skipped, ct)
            .ConfigureAwait(false);
        var tally = new Tally($"{image.Name}@{subject.Digest}", "signature");
        foreach (var s in found)
        {
            if (!s.Annotations.TryGetValue(CosignConventions.SignatureAnnotation, out var base64) || BlobSignatures.DecodeBase64(base64) is not { } signature)
            {
                tally.Fail(s.Source, "it has no base64 signature annotation");
                continue;
            }
            bool valid;
            using (var stream = new MemoryStream(s.Content, writable: false))
                valid = key.VerifyMessage(stream, signature, ct);
            if (!valid)
            {
                tally.Fail(s.Source, $"the signature is not valid for the {key.Description} key (wrong key, or the payload or signature was altered)");
                continue;
            }
            if (SimpleSigningPayload.TryParse(s.Content, out var reason) is not { } payload)
            {
                tally.Fail(s.Source, $"the signed payload is not a Cosign signature payload: {reason}");
                continue;
            }
            if (payload.ManifestDigest != subject.Digest)
            {
                tally.Fail(s.Source, $"the payload signs {payload.ManifestDigest}, not this image's {subject.Digest}");
                continue;
            }
            if (!payload.NamesRepository(image.Registry, image.Repository))
            {
                tally.Fail(s.Source, $"the payload is for '{payload.DockerReference}', not {image.Name}");
                continue;
            }
            if (requiredAnnotations?.FirstOrDefault(a => !payload.Optional.TryGetValue(a.Key, out var v) || v != a.Value) is { Key: not null } missing)
            {
                tally.Fail(s.Source, $"the payload lacks the annotation {missing.Key}={missing.Value}");
                continue;
            }
            tally.Pass(s.Content, signature);
        }
        return tally.Result(subject.Digest, skipped);
    }

    /// Collects per-signature answers into one: verified if any passed; failed if any was checked and wrong; else could not verify.
    internal sealed class Tally(string subject, string what)
    {
        private readonly List<byte[]> _verified = [];
        private readonly HashSet<string> _seen = [];
        private readonly List<string> _failures = [];

        private readonly List<string> _otherKinds = [];

        public void Fail(string source, string reason) => _failures.Add($"{source}: {reason}");

        /// A valid item that is not what was asked for (another predicate type): a failure only when nothing passes.
        public void OtherKind(string source, string reason) => _otherKinds.Add($"{source}: {reason}");

        /// Records a verified payload; the same payload and signature found in both storages counts once.
        public void Pass(byte[] payload, byte[] signature)
        {
            var key = Convert.ToHexString(SHA256.HashData(payload)) + Convert.ToHexString(signature);
            if (_seen.Add(key)) _verified.Add(payload);
        }

        public ImageVerification Result(Digest digest, IReadOnlyList<string> skipped)
        {
            var notes = skipped.Count > 0 ? $" Skipped: {string.Join("; ", skipped)}." : "";
            if (_verified.Count > 0)
            {
                var ignored = _failures.Count > 0 ? $" ({_failures.Count} other {what}{(_failures.Count == 1 ? "" : "s")} did not verify: {string.Join("; ", _failures)})" : "";
                return new ImageVerification(VerificationResult.Verified(
                    $"Verified OK: {subject} has {_verified.Count} valid {what}{(_verified.Count == 1 ? "" : "s")}{ignored}.{notes}"), digest, _verified);
            }
            if (_failures.Count + _otherKinds.Count > 0)
                return new ImageVerification(VerificationResult.Failed($"no valid {what} for {subject}: {string.Join("; ", _failures.Concat(_otherKinds))}.{notes}"), digest, []);
            return new ImageVerification(VerificationResult.CouldNotVerify(
                $"no {what}s found for {subject} (neither a Cosign tag nor a referrer).{notes}"), digest, []);
        }
    }
}
