// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Commits;

/// What a commit's signature check concluded. Only <see cref="Good"/> passes the gate.
public enum CommitStatus
{
    /// Signed, the signature verifies, the key was valid at signing time and may sign for the committer's email.
    Good,
    /// No gpgsig header.
    Unsigned,
    /// Signed by a key that is in neither the keyring nor the allowed-signers file.
    UnknownKey,
    /// The signature does not verify over the commit (or cannot even be parsed): the commit or signature was altered.
    BadSignature,
    /// The key had expired (or was outside its allowed-signers validity) when the signature was made.
    ExpiredKey,
    /// The key was revoked.
    RevokedKey,
    /// The key is known, but not for the committer's email (or not for the "git" namespace).
    SignerNotAllowed,
    /// A signature kind or algorithm Bulwark does not check (X.509/gitsign, security keys, OpenPGP v5/v6, SHA-1).
    Unsupported,
}

/// The kind of signature a commit carries.
public enum SignatureKind { None, OpenPgp, Ssh, X509, Unknown }

/// The verdict on one commit, with what identifies the key and signer when they are known.
public sealed record CommitVerification
{
    public required GitCommit Commit { get; init; }
    public required CommitStatus Status { get; init; }
    public required SignatureKind Kind { get; init; }
    /// OpenPGP: the signing key's fingerprint (hex); SSH: SHA256:… of the key.
    public string? Fingerprint { get; init; }
    /// OpenPGP: the primary key's fingerprint when a subkey signed.
    public string? PrimaryFingerprint { get; init; }
    public string? KeyAlgorithm { get; init; }
    /// The user ID or allowed-signers principals that matched (or, when not allowed, the key's identities).
    public string? Signer { get; init; }
    public DateTimeOffset? SignedAt { get; init; }
    /// A sentence for humans: why the status is what it is.
    public required string Detail { get; init; }

    public static string StatusName(CommitStatus status) => status switch
    {
        CommitStatus.Good => "good",
        CommitStatus.Unsigned => "unsigned",
        CommitStatus.UnknownKey => "unknown-key",
        CommitStatus.BadSignature => "bad-signature",
        CommitStatus.ExpiredKey => "expired-key",
        CommitStatus.RevokedKey => "revoked-key",
        CommitStatus.SignerNotAllowed => "signer-not-allowed",
        _ => "unsupported",
    };

    public static string KindName(SignatureKind kind) => kind switch
    {
        SignatureKind.OpenPgp => "openpgp",
        SignatureKind.Ssh => "ssh",
        SignatureKind.X509 => "x509",
        SignatureKind.Unknown => "unknown",
        _ => "none",
    };
}
