// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Hygiene.Commits;

/// Decides each commit's <see cref="CommitStatus"/> from its signature, the OpenPGP keyring and the SSH allowed
/// signers, with our own parsing and cryptography (no gpg, no ssh-keygen). The signer must be the committer: the key
/// must carry the committer's email (OpenPGP user ID) or be allowed for it (allowed-signers principals), as
/// `git verify-commit` trusts the committer line. Key validity is judged at signing time: the OpenPGP signature's
/// creation time, and for SSH (which records none) the committer date, as git passes it to ssh-keygen.
public sealed class CommitVerifier(PgpKeyring? keyring, AllowedSigners? allowedSigners)
{
    private const int MaxSignatureChars = 256 << 10;

    public CommitVerification Verify(GitCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Signature is not { } text)
            return Result(commit, CommitStatus.Unsigned, SignatureKind.None, "the commit is not signed");
        var trimmed = text.TrimStart();
        if (text.Length > MaxSignatureChars)
            return Result(commit, CommitStatus.BadSignature, SignatureKind.Unknown, $"the signature is larger than {MaxSignatureChars >> 10} KiB");
        if (trimmed.StartsWith("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal))
            return Guard(commit, SignatureKind.OpenPgp, () => VerifyOpenPgp(commit, text));
        if (trimmed.StartsWith(SshSignature.Begin, StringComparison.Ordinal))
            return Guard(commit, SignatureKind.Ssh, () => VerifySsh(commit, text));
        if (trimmed.StartsWith("-----BEGIN SIGNED MESSAGE-----", StringComparison.Ordinal)
            || trimmed.StartsWith("-----BEGIN PKCS7-----", StringComparison.Ordinal) || trimmed.StartsWith("-----BEGIN CMS-----", StringComparison.Ordinal))
            return Result(commit, CommitStatus.Unsupported, SignatureKind.X509, "x509 signature: not verified (CMS signatures such as gitsign or gpgsm make are reported, not checked)");
        return Result(commit, CommitStatus.Unsupported, SignatureKind.Unknown, "the signature is in no format Bulwark knows (OpenPGP, SSH or X.509)");
    }

    // a signature we cannot parse fails closed as bad; one we will not check is unsupported, never good
    private static CommitVerification Guard(GitCommit commit, SignatureKind kind, Func<CommitVerification> verify)
    {
        try
        {
            return verify();
        }
        catch (MalformedSignatureException e)
        {
            return Result(commit, CommitStatus.BadSignature, kind, $"malformed signature: {e.Message}");
        }
        catch (UnsupportedSignatureException e)
        {
            return Result(commit, CommitStatus.Unsupported, kind, e.Message);
        }
    }

    private CommitVerification VerifyOpenPgp(GitCommit commit, string text)
    {
        var blocks = PgpArmor.Decode(text).Where(b => b.Label == "SIGNATURE").ToList();
        if (blocks.Count != 1) throw new MalformedSignatureException("expected exactly one armored PGP SIGNATURE block");
        var packets = PgpPackets.Read(blocks[0].Data);
        if (packets.Count != 1 || packets[0].Tag != 2) throw new MalformedSignatureException("expected exactly one signature packet");
        var sig = PgpSignature.Parse(packets[0].Body);
        if (sig.Type is not (PgpSignature.SigBinary or PgpSignature.SigText))
            throw new MalformedSignatureException($"signature type 0x{sig.Type:x2} is not a signature over data");
        var created = sig.Created ?? throw new MalformedSignatureException("the signature has no hashed creation time");
        if (sig.HashAlgorithm is 1 or 2 or 3 || PgpSignature.HashName(sig.HashAlgorithm) is null)
            throw new UnsupportedSignatureException($"{PgpSignature.HashLabel(sig.HashAlgorithm)} signatures are not accepted (SHA-256 or stronger)");
        var issuer = sig.IssuerFingerprint is { } ifp ? Convert.ToHexString(ifp)
            : sig.IssuerKeyId is { } id ? id.ToString("X16", CultureInfo.InvariantCulture) : "(no issuer)";

        // the issuer only picks which keys to try: the signature must still verify with one of them
        var candidates = new List<(PgpCertificate Cert, PgpPublicKey Key, PgpSubkey? Sub)>();
        var named = sig.IssuerFingerprint is not null || sig.IssuerKeyId is not null;
        foreach (var cert in named ? keyring?.Certificates ?? [] : [])
        {
            if (PgpKeyring.IsFrom(sig, cert.Primary)) candidates.Add((cert, cert.Primary, null));
            foreach (var sub in cert.Subkeys)
                if (PgpKeyring.IsFrom(sig, sub.Key)) candidates.Add((cert, sub.Key, sub));
        }
        if (candidates.Count == 0)
            return Result(commit, CommitStatus.UnknownKey, SignatureKind.OpenPgp, $"OpenPGP key {issuer} is not in the keyring", fingerprint: issuer, signedAt: created);

        var data = sig.Type == PgpSignature.SigText ? PgpSignature.Canonical(commit.Payload) : commit.Payload;
        var digest = sig.Digest(data);
        foreach (var (cert, key, sub) in candidates)
        {
            if (!key.Verify(sig, digest)) continue;
            CommitVerification Found(CommitStatus status, string detail, string? signer = null) => Result(commit, status, SignatureKind.OpenPgp, detail,
                fingerprint: key.FingerprintHex, primary: sub is null ? null : cert.Primary.FingerprintHex, algorithm: key.Description,
                signer: signer ?? string.Join(", ", cert.UserIds), signedAt: created);
            if (created < key.Created)
                return Found(CommitStatus.BadSignature, $"the signature ({Stamp(created)}) claims to predate its key ({Stamp(key.Created)})");
            if (cert.Revocation is { } revoked && revoked.Covers(created))
                return Found(CommitStatus.RevokedKey, $"key {cert.Primary.FingerprintHex} was revoked on {Stamp(revoked.Created)} ({revoked.Describe()})");
            if (sub?.Revocation is { } subRevoked && subRevoked.Covers(created))
                return Found(CommitStatus.RevokedKey, $"subkey {key.FingerprintHex} was revoked on {Stamp(subRevoked.Created)} ({subRevoked.Describe()})");
            if (cert.Expires is { } expires && created >= expires)
                return Found(CommitStatus.ExpiredKey, $"key {cert.Primary.FingerprintHex} expired on {Stamp(expires)}, before the signature ({Stamp(created)})");
            if (sub?.Expires is { } subExpires && created >= subExpires)
                return Found(CommitStatus.ExpiredKey, $"subkey {key.FingerprintHex} expired on {Stamp(subExpires)}, before the signature ({Stamp(created)})");
            if (sub is null && !cert.PrimaryCanSign)
                return Found(CommitStatus.BadSignature, $"key {key.FingerprintHex} is not flagged for signing (its self-signature allows certification only)");
            if (sub is { CanSign: false })
                return Found(CommitStatus.BadSignature, $"subkey {key.FingerprintHex} is not bound for signing (no signing flag or no back-signature)");
            var uid = cert.UserIds.FirstOrDefault(u => string.Equals(PgpCertificate.EmailOf(u), commit.CommitterEmail, StringComparison.OrdinalIgnoreCase));
            if (uid is null)
                return Found(CommitStatus.SignerNotAllowed, $"key {cert.Primary.FingerprintHex} has no user ID for the committer <{commit.CommitterEmail}>");
            return Found(CommitStatus.Good, $"good {key.Description} signature by {uid}", uid);
        }
        return Result(commit, CommitStatus.BadSignature, SignatureKind.OpenPgp, $"the signature does not verify with key {issuer}: the commit or its signature was altered",
            fingerprint: candidates[0].Key.FingerprintHex, algorithm: candidates[0].Key.Description, signedAt: created);
    }

    private CommitVerification VerifySsh(GitCommit commit, string text)
    {
        var sig = SshSignature.Parse(text);
        var key = sig.Key;
        if (sig.Namespace != "git")
            return Result(commit, CommitStatus.BadSignature, SignatureKind.Ssh, $"the SSH signature is for namespace '{sig.Namespace}', not 'git'", fingerprint: key.Fingerprint);
        if (!key.Supported)
            return Result(commit, CommitStatus.Unsupported, SignatureKind.Ssh, $"{key.Type} keys are not supported (security keys and certificates cannot be checked yet)", fingerprint: key.Fingerprint, algorithm: key.Type);
        if (!sig.Verify(commit.Payload))
            return Result(commit, CommitStatus.BadSignature, SignatureKind.Ssh, $"the signature does not verify with its key {key.Fingerprint}: the commit or its signature was altered",
                fingerprint: key.Fingerprint, algorithm: key.Description);
        CommitVerification Found(CommitStatus status, string detail, string? signer) =>
            Result(commit, status, SignatureKind.Ssh, detail, fingerprint: key.Fingerprint, algorithm: key.Description, signer: signer);

        var entries = (allowedSigners?.Entries ?? []).Where(e => !e.CertAuthority && e.Key.SameKey(key)).ToList();
        if (entries.Count == 0) return Found(CommitStatus.UnknownKey, $"SSH key {key.Fingerprint} is not in the allowed signers", null);
        var forEmail = entries.Where(e => e.Matches(commit.CommitterEmail)).ToList();
        if (forEmail.Count == 0)
            return Found(CommitStatus.SignerNotAllowed, $"SSH key {key.Fingerprint} is not allowed to sign for the committer <{commit.CommitterEmail}>",
                string.Join(" ", entries.Select(e => e.Principals)));
        var inNamespace = forEmail.Where(e => e.Namespaces is null || e.Namespaces.Any(n => AllowedSigner.Wildcard(n, "git"))).ToList();
        if (inNamespace.Count == 0)
            return Found(CommitStatus.SignerNotAllowed, $"SSH key {key.Fingerprint} is not allowed for the 'git' namespace", forEmail[0].Principals);
        var when = commit.CommitterTime;
        var valid = inNamespace.FirstOrDefault(e => (e.ValidAfter is not { } a || when >= a) && (e.ValidBefore is not { } b || when <= b));
        if (valid is null)
        {
            var e = inNamespace[0];
            return Found(CommitStatus.ExpiredKey,
                $"SSH key {key.Fingerprint} is allowed only {Window(e)}, not at the commit time {Stamp(when)} (line {e.Line})", e.Principals);
        }
        return Found(CommitStatus.Good, $"good {key.Description} signature allowed for {valid.Principals} (line {valid.Line})", valid.Principals);
    }

    private static string Window(AllowedSigner e) =>
        (e.ValidAfter, e.ValidBefore) switch
        {
            ({ } a, { } b) => $"from {Stamp(a)} to {Stamp(b)}",
            ({ } a, null) => $"from {Stamp(a)}",
            (null, { } b) => $"until {Stamp(b)}",
            _ => "always",
        };

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static CommitVerification Result(GitCommit commit, CommitStatus status, SignatureKind kind, string detail, string? fingerprint = null,
        string? primary = null, string? algorithm = null, string? signer = null, DateTimeOffset? signedAt = null) => new()
    {
        Commit = commit, Status = status, Kind = kind, Detail = detail, Fingerprint = fingerprint, PrimaryFingerprint = primary,
        KeyAlgorithm = algorithm, Signer = signer, SignedAt = signedAt,
    };
}
