// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using static Bulwark.Hygiene.Tests.Commits.PgpBuilder;

namespace Bulwark.Hygiene.Tests.Commits;

/// OpenPGP cases gpg will not produce on request, built packet by packet with <see cref="PgpBuilder"/>.
public sealed class SyntheticOpenPgpTests
{
    private const string Uid = "Vera <vera@example.com>";
    private static readonly DateTimeOffset KeyTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SignTime = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Vera <vera@example.com> 1717200000 +0000\n" +
        "committer Vera <vera@example.com> 1717200000 +0000\n\nsynthetic\n");

    private static GitCommit Commit(string signature) =>
        GitCommit.Parse("0123456789abcdef0123456789abcdef01234567", Payload) with { Signature = signature };

    private static byte[] CertifiedKey(Key key, byte[][]? selfSigExtra = null, DateTimeOffset? certTime = null) =>
    [
        .. Packet(6, key.Body),
        .. Packet(13, Encoding.UTF8.GetBytes(Uid)),
        .. Packet(2, Sign(key, 0x13, certTime ?? KeyTime, [key.Prefix, UidPrefix(Uid)], extraHashed: selfSigExtra)),
    ];

    private static PgpKeyring Keyring(byte[] transferable)
    {
        var keyring = new PgpKeyring();
        Assert.Equal(1, keyring.Add(Encoding.ASCII.GetBytes(Armor("PUBLIC KEY BLOCK", transferable))));
        return keyring;
    }

    private static string CommitSignature(Key key, DateTimeOffset when, int type = 0, int hash = 8, byte[][]? extra = null, byte[]? data = null) =>
        Armor("SIGNATURE", Packet(2, Sign(key, type, when, [data ?? Payload], hash, extra)));

    private static CommitVerification Verify(PgpKeyring keyring, string signature) => new CommitVerifier(keyring, null).Verify(Commit(signature));

    [Theory]
    [InlineData(27)]
    [InlineData(22)]
    public void An_ed25519_key_of_either_encoding_makes_a_good_signature(int algorithm)
    {
        var key = NewKey(KeyTime, algorithm);
        var result = Verify(Keyring(CertifiedKey(key)), CommitSignature(key, SignTime));
        Assert.Equal(CommitStatus.Good, result.Status);
        Assert.Equal(key.Hex, result.Fingerprint);
        Assert.Equal(Uid, result.Signer);
        Assert.Equal(SignTime, result.SignedAt);
    }

    [Fact]
    public void A_text_signature_covers_the_payload_with_crlf_line_endings()
    {
        var key = NewKey(KeyTime);
        var keyring = Keyring(CertifiedKey(key));
        var canonical = PgpSignature.Canonical(Payload);
        Assert.Equal(CommitStatus.Good, Verify(keyring, CommitSignature(key, SignTime, type: 1, data: canonical)).Status);
        // a binary signature over the CRLF form does not cover the LF commit
        Assert.Equal(CommitStatus.BadSignature, Verify(keyring, CommitSignature(key, SignTime, type: 0, data: canonical)).Status);
    }

    [Fact]
    public void A_signature_dated_before_its_key_existed_is_bad()
    {
        var key = NewKey(KeyTime);
        var result = Verify(Keyring(CertifiedKey(key)), CommitSignature(key, KeyTime.AddDays(-1)));
        Assert.Equal(CommitStatus.BadSignature, result.Status);
        Assert.Contains("predate its key", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_expiry_is_judged_at_signing_time()
    {
        var key = NewKey(KeyTime);
        // expires 100 days after creation (2024-04-10)
        var keyring = Keyring(CertifiedKey(key, [Subpacket(9, BigEndian(100 * 86400))]));
        Assert.Equal(CommitStatus.Good, Verify(keyring, CommitSignature(key, KeyTime.AddDays(99))).Status);
        Assert.Equal(CommitStatus.ExpiredKey, Verify(keyring, CommitSignature(key, KeyTime.AddDays(101))).Status);
    }

    [Fact]
    public void A_superseded_key_keeps_its_earlier_signatures_and_a_compromised_one_loses_all()
    {
        var key = NewKey(KeyTime);
        var revokedAt = SignTime.AddDays(10);
        byte[] Revoked(byte reason) =>
        [
            .. Packet(6, key.Body),
            .. Packet(2, Sign(key, 0x20, revokedAt, [key.Prefix], extraHashed: [Subpacket(29, [reason])])),
            .. CertifiedKey(key).AsSpan(Packet(6, key.Body).Length),
        ];
        var superseded = Keyring(Revoked(1));
        Assert.Equal(CommitStatus.Good, Verify(superseded, CommitSignature(key, SignTime)).Status);
        Assert.Equal(CommitStatus.RevokedKey, Verify(superseded, CommitSignature(key, revokedAt.AddDays(1))).Status);
        var compromised = Keyring(Revoked(2));
        var result = Verify(compromised, CommitSignature(key, SignTime));
        Assert.Equal(CommitStatus.RevokedKey, result.Status);
        Assert.Contains("compromised", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revocation_signed_by_another_key_is_ignored()
    {
        var key = NewKey(KeyTime);
        var other = NewKey(KeyTime);
        byte[] transferable =
        [
            .. Packet(6, key.Body),
            .. Packet(2, Sign(other, 0x20, SignTime, [key.Prefix], extraHashed: [Subpacket(29, [2])])),
            .. CertifiedKey(key).AsSpan(Packet(6, key.Body).Length),
        ];
        Assert.Equal(CommitStatus.Good, Verify(Keyring(transferable), CommitSignature(key, SignTime)).Status);
    }

    [Fact]
    public void A_signing_subkey_needs_a_back_signature()
    {
        var primary = NewKey(KeyTime);
        var sub = NewKey(KeyTime);
        byte[] WithSubkey(bool backSigned)
        {
            var back = Sign(sub, 0x19, KeyTime, [primary.Prefix, sub.Prefix]);
            byte[][] hashed = backSigned ? [Subpacket(27, [0x02]), Subpacket(32, back)] : [Subpacket(27, [0x02])];
            return [.. CertifiedKey(primary), .. Packet(14, sub.Body), .. Packet(2, Sign(primary, 0x18, KeyTime, [primary.Prefix, sub.Prefix], extraHashed: hashed))];
        }
        var good = Verify(Keyring(WithSubkey(true)), CommitSignature(sub, SignTime));
        Assert.Equal(CommitStatus.Good, good.Status);
        Assert.Equal(primary.Hex, good.PrimaryFingerprint);
        Assert.Equal(sub.Hex, good.Fingerprint);
        var unbound = Verify(Keyring(WithSubkey(false)), CommitSignature(sub, SignTime));
        Assert.Equal(CommitStatus.BadSignature, unbound.Status);
        Assert.Contains("not bound for signing", unbound.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_id_whose_self_signature_does_not_verify_binds_nothing()
    {
        var key = NewKey(KeyTime);
        var forged = NewKey(KeyTime);
        byte[] transferable = [.. Packet(6, key.Body), .. Packet(13, Encoding.UTF8.GetBytes(Uid)), .. Packet(2, Sign(forged, 0x13, KeyTime, [key.Prefix, UidPrefix(Uid)]))];
        var keyring = new PgpKeyring();
        Assert.Equal(0, keyring.Add(Encoding.ASCII.GetBytes(Armor("PUBLIC KEY BLOCK", transferable))));
        Assert.Equal(CommitStatus.UnknownKey, Verify(keyring, CommitSignature(key, SignTime)).Status);
    }

    [Fact]
    public void A_critical_unknown_subpacket_makes_the_signature_bad()
    {
        var key = NewKey(KeyTime);
        var result = Verify(Keyring(CertifiedKey(key)), CommitSignature(key, SignTime, extra: [Subpacket(0x80 | 100, [1, 2, 3])]));
        Assert.Equal(CommitStatus.BadSignature, result.Status);
        Assert.Contains("critical subpacket", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sha1_signature_is_unsupported_not_good()
    {
        var key = NewKey(KeyTime);
        var result = Verify(Keyring(CertifiedKey(key)), CommitSignature(key, SignTime, hash: 2));
        Assert.Equal(CommitStatus.Unsupported, result.Status);
        Assert.Contains("SHA-1", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_by_one_key_claiming_another_issuer_is_bad()
    {
        var key = NewKey(KeyTime);
        var impostor = NewKey(KeyTime);
        // the impostor's signature packet with the victim's fingerprint as issuer
        var body = Sign(impostor, 0, SignTime, [Payload]);
        var fp = impostor.Fingerprint;
        var at = body.AsSpan().IndexOf(fp);
        key.Fingerprint.CopyTo(body, at);
        var result = Verify(Keyring(CertifiedKey(key)), Armor("SIGNATURE", Packet(2, body)));
        Assert.Equal(CommitStatus.BadSignature, result.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_copies_of_a_key_are_merged_so_a_revocation_in_either_counts(bool revokedFirst)
    {
        var key = NewKey(KeyTime);
        var plain = CertifiedKey(key);
        byte[] revoked = [.. Packet(6, key.Body), .. Packet(2, Sign(key, 0x20, SignTime.AddDays(-1), [key.Prefix], extraHashed: [Subpacket(29, [2])]))];
        var keyring = new PgpKeyring();
        foreach (var copy in revokedFirst ? new[] { revoked, plain } : [plain, revoked])
            keyring.Add(Encoding.ASCII.GetBytes(Armor("PUBLIC KEY BLOCK", copy)));
        Assert.Equal(1, keyring.Count);
        Assert.Equal(CommitStatus.RevokedKey, Verify(keyring, CommitSignature(key, SignTime)).Status);
    }

    [Fact]
    public void A_newer_self_signature_in_a_second_copy_extends_the_expiry()
    {
        var key = NewKey(KeyTime);
        var expiring = CertifiedKey(key, [Subpacket(9, BigEndian(10 * 86400))]);
        var extended = CertifiedKey(key, [Subpacket(9, BigEndian(1000 * 86400))], certTime: KeyTime.AddDays(5));
        var keyring = new PgpKeyring();
        keyring.Add(Encoding.ASCII.GetBytes(Armor("PUBLIC KEY BLOCK", expiring)));
        Assert.Equal(CommitStatus.ExpiredKey, Verify(keyring, CommitSignature(key, SignTime)).Status);
        keyring.Add(Encoding.ASCII.GetBytes(Armor("PUBLIC KEY BLOCK", extended)));
        Assert.Equal(CommitStatus.Good, Verify(keyring, CommitSignature(key, SignTime)).Status);
    }

    [Fact]
    public void A_certification_only_primary_key_cannot_sign_commits()
    {
        var key = NewKey(KeyTime);
        var result = Verify(Keyring(CertifiedKey(key, [Subpacket(27, [0x01])])), CommitSignature(key, SignTime));
        Assert.Equal(CommitStatus.BadSignature, result.Status);
        Assert.Contains("not flagged for signing", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_6_key_with_a_user_id_makes_a_good_commit_signature()
    {
        var key = NewKey(KeyTime, version: 6);
        var keyring = Keyring(CertifiedKey(key));
        var result = Verify(keyring, CommitSignature(key, SignTime));
        Assert.Equal(CommitStatus.Good, result.Status);
        Assert.Equal(64, result.Fingerprint!.Length);
        Assert.Equal(Uid, result.Signer);
        // a v4 signature claiming the v6 key is not accepted
        var v4 = Armor("SIGNATURE", Packet(2, Sign(key, 0, SignTime, [Payload], version: 4)));
        Assert.Equal(CommitStatus.BadSignature, Verify(keyring, v4).Status);
    }
}
