// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Tests.Commits;

/// The signed commits stored in testdata/signed (the fuzzer's seeds): good with their own keys, and bad once a byte of
/// the signed payload changes, so the fuzzer starts from commits that reach the signature checks.
public sealed class StoredCommitTests
{
    private static readonly string Dir = Path.Combine(TestPaths.Project("Bulwark.Hygiene.Tests"), "Commits", "testdata", "signed");

    private static CommitVerifier Verifier() =>
        new(PgpKeyring.Load([Path.Combine(Dir, "keyring.asc")]), AllowedSigners.Load(Path.Combine(Dir, "allowed_signers")));

    [Theory]
    [InlineData("pgp.commit", SignatureKind.OpenPgp)]
    [InlineData("ssh.commit", SignatureKind.Ssh)]
    public void The_stored_commits_verify_with_their_keys_and_fail_with_one_payload_byte_changed(string file, SignatureKind kind)
    {
        var raw = File.ReadAllBytes(Path.Combine(Dir, file));
        var good = Verifier().Verify(GitCommit.Parse(new string('0', 40), raw));
        Assert.Equal((CommitStatus.Good, kind), (good.Status, good.Kind));

        var flipped = (byte[])raw.Clone();
        var at = Array.IndexOf(flipped, (byte)'a'); // in "author" (or an earlier hex digit of the tree id)
        flipped[at] ^= 0x01;
        var bad = Verifier().Verify(GitCommit.Parse(new string('0', 40), flipped));
        Assert.Equal(CommitStatus.BadSignature, bad.Status);
    }
}
