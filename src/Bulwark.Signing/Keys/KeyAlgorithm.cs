// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Signing.Keys;

/// The key types Bulwark signs or verifies with. ECDSA and RSA keys sign a digest (SHA-256 unless a bundle names
/// another, as Cosign does for key files); Ed25519 signs the whole message (RFC 8032 "pure" Ed25519).
public enum KeyAlgorithm
{
    /// ECDSA on NIST P-256, ASN.1 DER signatures (Cosign's default).
    EcdsaP256,
    /// ECDSA on NIST P-384.
    EcdsaP384,
    /// ECDSA on NIST P-521.
    EcdsaP521,
    /// RSA with PKCS#1 v1.5 signatures.
    Rsa,
    /// Ed25519 over the whole message.
    Ed25519,
}

/// Object identifiers of the key types (RFC 5480, RFC 8017, RFC 8410).
internal static class KeyOids
{
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string P256 = "1.2.840.10045.3.1.7";
    public const string P384 = "1.3.132.0.34";
    public const string P521 = "1.3.132.0.35";
    public const string Rsa = "1.2.840.113549.1.1.1";
    public const string Ed25519 = "1.3.101.112";
}
