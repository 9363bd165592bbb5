// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.InToto;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Images;

/// What attesting stored: the attested manifest, the statement, the Cosign .att tag's manifest and the referrer.
public sealed record ImageAttestationResult(ImageReference Image, Descriptor Subject, byte[] Statement, Digest TagManifest, Digest Referrer);

/// In-toto attestations of images in DSSE envelopes, stored and verified as `cosign attest --key` / `verify-attestation` do.
public static class ImageAttestations
{
    /// Resolves the image, makes a statement about its manifest digest with the predicate, signs it and stores the
    /// envelope as Cosign's .att tag and as a referrer.
    public static async Task<ImageAttestationResult> AttestAsync(RegistryClient client, ImageReference image, SigningKey key,
        string predicateType, ReadOnlyMemory<byte> predicate, string predicateSource, Digest? pinned = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        var subject = await ImageSignatures.ResolveAsync(client, pinned is { } d ? image.WithDigest(d) : image, ct).ConfigureAwait(false);
        var statement = InTotoStatement.Create([InTotoSubject.Sha256(image.Name, subject.Digest)], predicateType, predicate.Span, predicateSource);
        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, key).ToJson();
        var annotations = new Dictionary<string, string>
        {
            // Cosign writes an empty signature annotation on .att layers: the signature is inside the envelope
            [CosignConventions.SignatureAnnotation] = "",
            [CosignConventions.PredicateTypeAnnotation] = predicateType,
        };
        var tag = await SignatureStore.AppendToTagAsync(client, image.Registry, image.Repository, subject.Digest, SignatureKind.Attestation,
            envelope, annotations, ct).ConfigureAwait(false);
        var referrer = await SignatureStore.PushReferrerAsync(client, image.Registry, image.Repository, subject, SignatureKind.Attestation,
            envelope, annotations, ct).ConfigureAwait(false);
        return new ImageAttestationResult(image.WithDigest(subject.Digest), subject, statement, tag, referrer);
    }

    /// Finds the image's attestations (Cosign tag and referrers) and checks each (<see cref="AttestationCheck"/>); the
    /// verified statements are returned. With <paramref name="predicateType"/>, only statements of that type count.
    public static async Task<ImageVerification> VerifyAsync(RegistryClient client, ImageReference image, VerificationKey key,
        string? predicateType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(key);
        var subject = await ImageSignatures.ResolveAsync(client, image, ct).ConfigureAwait(false);
        var skipped = new List<string>();
        var found = await SignatureStore.FindAsync(client, image.Registry, image.Repository, subject.Digest, SignatureKind.Attestation, skipped, ct)
            .ConfigureAwait(false);
        var tally = new ImageSignatures.Tally($"{image.Name}@{subject.Digest}", "attestation");
        foreach (var s in found)
        {
            DsseEnvelope envelope;
            try
            {
                envelope = DsseEnvelope.Parse(s.Content, s.Source);
            }
            catch (InputException e)
            {
                tally.Fail(s.Source, e.Message);
                continue;
            }
            if (AttestationCheck.Check(envelope, key, subject.Digest, null, out var statement) is { } reason)
            {
                tally.Fail(s.Source, reason);
                continue;
            }
            if (predicateType is not null && statement!.PredicateType != predicateType)
            {
                // a valid attestation of another kind: not a pass, and not worth a warning when one of the right kind passes
                tally.OtherKind(s.Source, $"the statement's predicate type is {statement.PredicateType}, not {predicateType}");
                continue;
            }
            tally.Pass(envelope.Payload, envelope.Signatures.SelectMany(x => x.Signature).ToArray());
        }
        return tally.Result(subject.Digest, skipped);
    }
}
