// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.InToto;

/// The checks every attestation passes, for images and blobs alike: the DSSE signature with the key, the in-toto payload
/// type, a well-formed statement, a subject whose digest is the artifact's, and (when asked) the predicate type.
public static class AttestationCheck
{
    /// Null when the envelope passes; otherwise why it fails. <paramref name="statement"/> is set once the signature verified.
    public static string? Check(DsseEnvelope envelope, VerificationKey key, Digest artifact, string? predicateType, out InTotoStatement? statement)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(key);
        statement = null;
        if (envelope.Signatures.IsEmpty) return "the envelope has no signatures";
        if (!envelope.VerifiedBy(key)) return $"the envelope's signature is not valid for the {key.Description} key (wrong key, or the envelope was altered)";
        if (envelope.PayloadType != DsseEnvelope.InTotoPayloadType)
            return $"the envelope's payload type is '{envelope.PayloadType}', not {DsseEnvelope.InTotoPayloadType}";
        statement = InTotoStatement.TryParse(envelope.Payload, out var reason);
        if (statement is null) return $"the signed payload is not an in-toto statement: {reason}";
        if (!statement.HasSubject(artifact))
            return $"the statement is about {statement.DescribeSubjects()}, not {artifact}";
        if (predicateType is not null && statement.PredicateType != predicateType)
            return $"the statement's predicate type is {statement.PredicateType}, not {predicateType}";
        return null;
    }
}
