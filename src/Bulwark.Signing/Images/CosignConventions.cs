// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Signing.Images;

/// Where and how Cosign keeps signatures and attestations of an image, so either tool finds what the other stored.
/// <remarks>
/// Cosign's tag convention: for an image whose manifest digest is sha256:HEX, the repository gets
///   tag sha256-HEX.sig  an OCI manifest, one layer per signature: the simple-signing payload
///                       (application/vnd.dev.cosign.simplesigning.v1+json) with the base64 signature in the
///                       annotation dev.cosignproject.cosign/signature
///   tag sha256-HEX.att  the same shape, one layer per attestation: a DSSE envelope (application/vnd.dsse.envelope.v1+json)
///                       with the annotation predicateType
/// OCI 1.1 referrers (image-spec manifest.md "subject", distribution-spec "Listing Referrers"): one manifest per
/// signature with artifactType application/vnd.dev.cosign.artifact.{sig,att}.v1+json, the same layer, and subject = the
/// signed manifest; registries without the referrers API list it in the index tagged sha256-HEX.
/// </remarks>
public static class CosignConventions
{
    public const string SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string DsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PredicateTypeAnnotation = "predicateType";
    public const string SignatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string AttestationArtifactType = "application/vnd.dev.cosign.artifact.att.v1+json";
    public const string SignatureTagSuffix = ".sig";
    public const string AttestationTagSuffix = ".att";

    /// "sha256-HEX.sig" for a manifest digest and a suffix.
    public static string Tag(Digest subject, string suffix) => $"{subject.Prefix}-{subject.Hex}{suffix}";

    /// The repository as Cosign writes it into a payload's docker-reference (go-containerregistry's Context().Name():
    /// Docker Hub is index.docker.io).
    public static string DockerReference(string registry, string repository) =>
        $"{(registry == Oci.ImageReference.DockerHub ? "index.docker.io" : registry)}/{repository}";
}
