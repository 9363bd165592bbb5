// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Hygiene.Tests.Commits;

public sealed class CommitVerifierTests(SignedRepository repo) : IClassFixture<SignedRepository>
{
    private CommitVerifier Trusting() => new(PgpKeyring.Load([repo.Keyring]), AllowedSigners.Load(repo.AllowedSigners));

    private async Task<Dictionary<string, CommitVerification>> VerifyAllAsync(CommitVerifier verifier, string? range = null)
    {
        var results = new Dictionary<string, CommitVerification>();
        await foreach (var commit in GitCommitSource.ReadAsync(repo.Repo, range, all: false))
            results[commit.Subject] = verifier.Verify(commit);
        return results;
    }

    private CommitVerification VerifyRaw(CommitVerifier verifier, string subject, byte[] raw) =>
        verifier.Verify(GitCommit.Parse(repo.Commits[subject], raw));

    [Theory]
    [InlineData("unsigned", CommitStatus.Unsigned)]
    [InlineData("pgp-ed25519", CommitStatus.Good)]
    [InlineData("pgp-rsa", CommitStatus.Good)]
    [InlineData("pgp-p256", CommitStatus.Good)]
    [InlineData("pgp-p521", CommitStatus.Good)]
    [InlineData("pgp-subkey", CommitStatus.Good)]
    [InlineData("pgp-unknown", CommitStatus.UnknownKey)]
    [InlineData("pgp-expired", CommitStatus.ExpiredKey)]
    [InlineData("pgp-revoked", CommitStatus.RevokedKey)]
    [InlineData("pgp-wrong-email", CommitStatus.SignerNotAllowed)]
    [InlineData("ssh-ed25519", CommitStatus.Good)]
    [InlineData("ssh-ecdsa-p256", CommitStatus.Good)]
    [InlineData("ssh-ecdsa-p384", CommitStatus.Good)]
    [InlineData("ssh-ecdsa-p521", CommitStatus.Good)]
    [InlineData("ssh-rsa", CommitStatus.Good)]
    [InlineData("ssh-unknown", CommitStatus.UnknownKey)]
    [InlineData("ssh-wrong-email", CommitStatus.SignerNotAllowed)]
    [InlineData("ssh-expired", CommitStatus.ExpiredKey)]
    [InlineData("ssh-not-yet-valid", CommitStatus.ExpiredKey)]
    [InlineData("ssh-namespace-not-allowed", CommitStatus.SignerNotAllowed)]
    [InlineData("ssh-file-namespace", CommitStatus.BadSignature)]
    [InlineData("x509", CommitStatus.Unsupported)]
    public async Task Each_commit_of_the_real_repository_gets_its_status(string subject, CommitStatus expected)
    {
        var results = await VerifyAllAsync(Trusting());
        Assert.Equal(expected, results[subject].Status);
        Assert.Equal(repo.Commits[subject], results[subject].Commit.Sha);
    }

    [Fact]
    public async Task The_whole_history_is_read_newest_first_with_every_scenario_once()
    {
        var shas = new List<string>();
        await foreach (var commit in GitCommitSource.ReadAsync(repo.Repo, null, all: false)) shas.Add(commit.Sha);
        Assert.Equal(repo.Commits.Count, shas.Count);
        Assert.Equal(repo.Commits["ssh-file-namespace"], shas[0]);
        Assert.Equal(repo.Commits["unsigned"], shas[^1]);
    }

    [Fact]
    public async Task A_range_reads_only_the_commits_it_names()
    {
        var results = await VerifyAllAsync(Trusting(), $"{repo.Commits["pgp-ed25519"]}..{repo.Commits["pgp-p256"]}");
        Assert.Equal(["pgp-p256", "pgp-rsa"], results.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_sha256_repository_is_verified_through_its_gpgsig_sha256_header()
    {
        var dir = Path.Combine(repo.Root, "sha256-" + Guid.NewGuid().ToString("N"));
        repo.Run("git", repo.Root, "init", "-q", "--object-format=sha256", dir);
        File.WriteAllText(Path.Combine(dir, "a.txt"), "a\n");
        repo.Run("git", dir, "add", "a.txt");
        repo.Run("git", dir, "-c", "user.name=S", "-c", $"user.email={SignedRepository.SshUser}", "-c", "gpg.format=ssh",
            "-c", $"user.signingkey={repo.SshKey("ed25519")}", "commit", "-q", "-S", "-m", "ssh in sha256");
        repo.Run("git", dir, "-c", "user.name=Alice", "-c", "user.email=alice@example.com", "-c", $"user.signingkey={repo.Fingerprints["alice"]}",
            "commit", "-q", "--allow-empty", "-S", "-m", "pgp in sha256");
        var results = new List<CommitVerification>();
        await foreach (var commit in GitCommitSource.ReadAsync(dir, null, all: false)) results.Add(Trusting().Verify(commit));
        Assert.Equal(["pgp in sha256", "ssh in sha256"], results.Select(r => r.Commit.Subject));
        Assert.All(results, r => Assert.Equal(64, r.Commit.Sha.Length));
        Assert.All(results, r => Assert.Equal(CommitStatus.Good, r.Status));
    }

    [Fact]
    public async Task A_good_openpgp_signature_names_the_key_fingerprint_and_the_matching_user_id()
    {
        var results = await VerifyAllAsync(Trusting());
        var alice = results["pgp-ed25519"];
        Assert.Equal(SignatureKind.OpenPgp, alice.Kind);
        Assert.Equal(repo.Fingerprints["alice"], alice.Fingerprint);
        Assert.Equal("Alice <alice@example.com>", alice.Signer);
        Assert.Equal("Ed25519", alice.KeyAlgorithm);
        Assert.Equal("RSA 3072", results["pgp-rsa"].KeyAlgorithm);
        Assert.Equal("ECDSA P-256", results["pgp-p256"].KeyAlgorithm);
        Assert.Equal("ECDSA P-521", results["pgp-p521"].KeyAlgorithm);
        Assert.Equal("ECDSA P-521", results["ssh-ecdsa-p521"].KeyAlgorithm);
    }

    [Fact]
    public async Task A_subkey_signature_reports_the_subkey_and_its_primary_key()
    {
        var sam = (await VerifyAllAsync(Trusting()))["pgp-subkey"];
        Assert.Equal(repo.Fingerprints["sam"], sam.PrimaryFingerprint);
        Assert.NotEqual(repo.Fingerprints["sam"], sam.Fingerprint);
        Assert.Equal("ECDSA P-256", sam.KeyAlgorithm);
    }

    [Fact]
    public async Task An_x509_signature_is_reported_as_such_not_as_a_parse_failure()
    {
        var x509 = (await VerifyAllAsync(Trusting()))["x509"];
        Assert.Equal(SignatureKind.X509, x509.Kind);
        Assert.StartsWith("x509 signature: not verified", x509.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_and_revoked_keys_say_when()
    {
        var results = await VerifyAllAsync(Trusting());
        Assert.Contains($"key {repo.Fingerprints["olga"]} expired on", results["pgp-expired"].Detail, StringComparison.Ordinal);
        Assert.Contains($"key {repo.Fingerprints["ron"]} was revoked on", results["pgp-revoked"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_ssh_signature_names_the_key_fingerprint_and_the_principals()
    {
        var ed = (await VerifyAllAsync(Trusting()))["ssh-ed25519"];
        Assert.Equal(SignatureKind.Ssh, ed.Kind);
        Assert.Equal(SignatureKind.Ssh, ed.Kind);
        var expected = repo.Run("ssh-keygen", repo.Root, "-l", "-E", "sha256", "-f", repo.SshKey("ed25519") + ".pub").Split(' ')[1];
        Assert.Equal(expected, ed.Fingerprint);
        Assert.Equal(SignedRepository.SshUser, ed.Signer);
    }

    [Fact]
    public async Task Without_keys_every_signed_commit_is_signed_by_an_unknown_key()
    {
        var results = await VerifyAllAsync(new CommitVerifier(null, null));
        Assert.Equal(CommitStatus.UnknownKey, results["pgp-rsa"].Status);
        Assert.Equal(CommitStatus.UnknownKey, results["ssh-rsa"].Status);
        Assert.Equal(CommitStatus.Unsigned, results["unsigned"].Status);
    }

    [Fact]
    public async Task Swapping_the_keyring_for_another_key_makes_the_signer_unknown()
    {
        var results = await VerifyAllAsync(new CommitVerifier(PgpKeyring.Load([repo.RobKeyring]), null));
        Assert.Equal(CommitStatus.UnknownKey, results["pgp-ed25519"].Status);
        Assert.Equal(CommitStatus.UnknownKey, results["pgp-p256"].Status);
        Assert.Equal(CommitStatus.Good, results["pgp-rsa"].Status);
    }

    [Fact]
    public async Task Swapping_the_allowed_signers_makes_the_key_not_allowed_or_unknown()
    {
        var results = await VerifyAllAsync(new CommitVerifier(null, AllowedSigners.Load(repo.SwappedAllowedSigners)));
        Assert.Equal(CommitStatus.SignerNotAllowed, results["ssh-ed25519"].Status);
        Assert.Equal(CommitStatus.UnknownKey, results["ssh-rsa"].Status);
        Assert.Equal(CommitStatus.Good, results["ssh-unknown"].Status);
    }

    [Theory]
    [InlineData("pgp-ed25519")]
    [InlineData("pgp-rsa")]
    [InlineData("pgp-p256")]
    [InlineData("pgp-p521")]
    [InlineData("pgp-subkey")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ecdsa-p256")]
    [InlineData("ssh-ecdsa-p384")]
    [InlineData("ssh-ecdsa-p521")]
    [InlineData("ssh-rsa")]
    public void Flipping_any_byte_of_the_signed_payload_is_a_bad_signature(string subject)
    {
        var verifier = Trusting();
        var raw = repo.RawCommit(subject);
        Assert.Equal(CommitStatus.Good, VerifyRaw(verifier, subject, raw).Status);
        var (sigStart, sigEnd) = SignatureHeader(raw);
        for (var i = 0; i < raw.Length; i++)
        {
            if (i >= sigStart && i < sigEnd) continue;
            var flipped = (byte[])raw.Clone();
            flipped[i] ^= 0x01;
            var result = VerifyRaw(verifier, subject, flipped);
            // the newline before "gpgsig" joins the header to the line above: the commit then has no signature at all
            var expected = i == sigStart - 1 ? CommitStatus.Unsigned : CommitStatus.BadSignature;
            Assert.True(result.Status == expected, $"flipping payload byte {i} (0x{raw[i]:x2}) gave {result.Status}: {result.Detail}");
        }
    }

    [Theory]
    [InlineData("pgp-ed25519")]
    [InlineData("pgp-rsa")]
    [InlineData("pgp-p256")]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ecdsa-p256")]
    [InlineData("ssh-rsa")]
    public void Flipping_a_byte_of_the_signature_never_verifies(string subject)
    {
        var verifier = Trusting();
        var commit = GitCommit.Parse(repo.Commits[subject], repo.RawCommit(subject));
        var (begin, blob, end) = Dearmor(commit.Signature!);
        var (unhashedStart, unhashedEnd) = begin.Contains("PGP", StringComparison.Ordinal) ? UnhashedArea(blob) : (0, 0);
        for (var i = 0; i < blob.Length; i++)
        {
            // OpenPGP's unhashed subpackets are unprotected by design (RFC 4880 §5.2.3): only hints such as the issuer
            // key ID live there, and the issuer fingerprint in the hashed area decides which key is tried
            if (i >= unhashedStart && i < unhashedEnd) continue;
            var flipped = (byte[])blob.Clone();
            flipped[i] ^= 0x01;
            var result = verifier.Verify(commit with { Signature = Armor(begin, flipped, end) });
            Assert.True(result.Status != CommitStatus.Good, $"flipping signature byte {i} still verified");
        }
        // the last bytes are the signature value itself: flipping one there is a plain bad signature
        var last = (byte[])blob.Clone();
        last[^1] ^= 0x01;
        Assert.Equal(CommitStatus.BadSignature, verifier.Verify(commit with { Signature = Armor(begin, last, end) }).Status);
    }

    [Fact]
    public void An_altered_armored_signature_fails_its_crc_and_is_a_bad_signature()
    {
        var commit = GitCommit.Parse(repo.Commits["pgp-rsa"], repo.RawCommit("pgp-rsa"));
        var lines = commit.Signature!.Split('\n');
        var body = lines[2].ToCharArray();
        body[10] = body[10] == 'A' ? 'B' : 'A';
        lines[2] = new string(body);
        var result = Trusting().Verify(commit with { Signature = string.Join('\n', lines) });
        Assert.Equal(CommitStatus.BadSignature, result.Status);
        Assert.Contains("CRC-24", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_moved_to_another_commit_is_a_bad_signature()
    {
        var verifier = Trusting();
        var donor = GitCommit.Parse(repo.Commits["pgp-ed25519"], repo.RawCommit("pgp-ed25519"));
        var target = GitCommit.Parse(repo.Commits["pgp-wrong-email"], repo.RawCommit("pgp-wrong-email"));
        Assert.Equal(CommitStatus.BadSignature, verifier.Verify(target with { Signature = donor.Signature }).Status);
    }

    [Fact]
    public void The_payload_is_the_commit_object_without_its_signature_header()
    {
        var raw = repo.RawCommit("pgp-ed25519");
        var commit = GitCommit.Parse(repo.Commits["pgp-ed25519"], raw);
        var text = Encoding.UTF8.GetString(commit.Payload);
        Assert.DoesNotContain("gpgsig", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PGP SIGNATURE", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\npgp-ed25519\n", text, StringComparison.Ordinal);
        Assert.Equal(raw.Length - Encoding.UTF8.GetByteCount("gpgsig " + commit.Signature!.Replace("\n", "\n ", StringComparison.Ordinal)) + 1, commit.Payload.Length);
        Assert.StartsWith("-----BEGIN PGP SIGNATURE-----\n", commit.Signature, StringComparison.Ordinal);
        Assert.Equal("alice@example.com", commit.CommitterEmail);
    }

    [Fact]
    public void A_security_key_ssh_signature_is_unsupported()
    {
        var keyBlob = SshBlob(Str("sk-ssh-ed25519@openssh.com"), Str(new byte[32]), Str("ssh:"));
        var sig = SshBlob("SSHSIG"u8.ToArray(), [0, 0, 0, 1], Str(keyBlob), Str("git"), Str(""), Str("sha512"), Str(SshBlob(Str("sk-ssh-ed25519@openssh.com"), Str(new byte[64]))));
        var armored = $"{SshSignature.Begin}\n{Convert.ToBase64String(sig)}\n-----END SSH SIGNATURE-----\n";
        var commit = GitCommit.Parse(repo.Commits["ssh-ed25519"], repo.RawCommit("ssh-ed25519")) with { Signature = armored };
        var result = Trusting().Verify(commit);
        Assert.Equal(CommitStatus.Unsupported, result.Status);
        Assert.Contains("sk-ssh-ed25519@openssh.com", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJ\n")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAf////8=\n-----END SSH SIGNATURE-----\n")]
    public void Garbage_signatures_are_bad_signatures_not_crashes(string signature)
    {
        var commit = GitCommit.Parse(repo.Commits["pgp-rsa"], repo.RawCommit("pgp-rsa")) with { Signature = signature };
        Assert.Equal(CommitStatus.BadSignature, Trusting().Verify(commit).Status);
    }

    [Fact]
    public async Task Not_a_repository_and_a_bad_range_are_input_errors()
    {
        var notRepo = Directory.CreateTempSubdirectory("bulwark-not-repo-").FullName;
        try
        {
            var e = await Assert.ThrowsAsync<InputException>(async () => { await foreach (var _ in GitCommitSource.ReadAsync(notRepo, null, false)) { } });
            Assert.Contains("is not a git repository", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(notRepo);
        }
        var bad = await Assert.ThrowsAsync<InputException>(async () => { await foreach (var _ in GitCommitSource.ReadAsync(repo.Repo, "no-such-branch..main", false)) { } });
        Assert.Contains("no-such-branch..main", bad.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UsageException>(async () => { await foreach (var _ in GitCommitSource.ReadAsync(repo.Repo, "--output=/tmp/x", false)) { } });
    }

    [Fact]
    public void A_private_key_or_non_key_file_is_not_a_keyring()
    {
        var secret = Path.Combine(repo.Root, "secret.asc");
        File.WriteAllText(secret, repo.Gpg("--armor", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", "alice"));
        Assert.Contains("private key", Assert.Throws<InputException>(() => PgpKeyring.Load([secret])).Message, StringComparison.Ordinal);
        Assert.Contains("no such file", Assert.Throws<InputException>(() => PgpKeyring.Load([Path.Combine(repo.Root, "missing.asc")])).Message, StringComparison.Ordinal);
        var text = Path.Combine(repo.Root, "text.asc");
        File.WriteAllText(text, "hello\n");
        Assert.Throws<InputException>(() => PgpKeyring.Load([text]));
    }

    [Fact]
    public void A_binary_keyring_reads_like_an_armored_one()
    {
        var binary = Path.Combine(repo.Root, "keys.gpg");
        repo.Gpg("--output", binary, "--export", "alice", "rob");
        Assert.Equal(2, PgpKeyring.Load([binary]).Count);
        Assert.Equal(7, PgpKeyring.Load([repo.Keyring]).Count);
    }

    // the byte range of the "gpgsig …" header and its continuation lines in a raw commit
    private static (int Start, int End) SignatureHeader(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var start = text.IndexOf("\ngpgsig ", StringComparison.Ordinal) + 1;
        var end = text.IndexOf('\n', start) + 1;
        while (end < text.Length && text[end] == ' ') end = text.IndexOf('\n', end) + 1;
        return (start, end);
    }

    // the unhashed subpacket area of a one-packet v4 signature: after the packet header, version, type, algorithms
    // and the hashed area (RFC 4880 §5.2.3)
    private static (int Start, int End) UnhashedArea(byte[] packet)
    {
        var body = (packet[0] & 0x40) != 0
            ? (packet[1] < 192 ? 2 : packet[1] < 224 ? 3 : 6)
            : 1 + (1 << (packet[0] & 0x03));
        var hashed = (packet[body + 4] << 8) | packet[body + 5];
        var unhashedLength = body + 6 + hashed;
        var unhashed = (packet[unhashedLength] << 8) | packet[unhashedLength + 1];
        return (unhashedLength + 2, unhashedLength + 2 + unhashed);
    }

    private static (string Begin, byte[] Blob, string End) Dearmor(string armored)
    {
        var lines = armored.TrimEnd('\n').Split('\n');
        var body = lines.Skip(1).Take(lines.Length - 2).Where(l => l.Length > 0 && !l.StartsWith('=') && !l.Contains(": ", StringComparison.Ordinal));
        return (lines[0], Convert.FromBase64String(string.Concat(body)), lines[^1]);
    }

    // re-armored without a CRC line (it is optional), so the flip reaches the signature check
    private static string Armor(string begin, byte[] blob, string end) =>
        begin.Contains("PGP", StringComparison.Ordinal)
            ? $"{begin}\n\n{Convert.ToBase64String(blob)}\n{end}\n"
            : $"{begin}\n{Convert.ToBase64String(blob)}\n{end}\n";

    private static byte[] Str(string s) => Str(Encoding.ASCII.GetBytes(s));

    private static byte[] Str(byte[] b) => [(byte)(b.Length >> 24), (byte)(b.Length >> 16), (byte)(b.Length >> 8), (byte)b.Length, .. b];

    private static byte[] SshBlob(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
