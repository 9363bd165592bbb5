// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Hygiene.Tests.Commits;

public sealed class SignatureParsingTests
{
    private const string Sha1 = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public void A_commit_without_a_signature_header_is_its_own_payload()
    {
        var raw = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@example.com> 1700000000 +0100\ncommitter C <c@example.com> 1700000001 +0100\n\nsubject line\n\nbody\n"u8.ToArray();
        var commit = GitCommit.Parse(Sha1, raw);
        Assert.Null(commit.Signature);
        Assert.Equal(raw, commit.Payload);
        Assert.Equal("c@example.com", commit.CommitterEmail);
        Assert.Equal("C", commit.CommitterName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000001), commit.CommitterTime);
        Assert.Equal("subject line", commit.Subject);
    }

    [Fact]
    public void Only_the_signature_header_is_cut_out_and_other_multi_line_headers_stay()
    {
        const string head = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter C <c@example.com> 1700000001 +0000\n";
        const string mergetag = "mergetag object 0123\n type commit\n tag v1\n";
        const string sig = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n wsBc\n -----END PGP SIGNATURE-----\n";
        const string sha256Sig = "gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n AAAA\n -----END SSH SIGNATURE-----\n";
        const string message = "\nmsg gpgsig in the body\n gpgsig indented body line\n";
        var commit = GitCommit.Parse(Sha1, Encoding.UTF8.GetBytes(head + mergetag + sig + sha256Sig + message));
        Assert.Equal(head + mergetag + message, Encoding.UTF8.GetString(commit.Payload));
        Assert.Equal("-----BEGIN PGP SIGNATURE-----\n\nwsBc\n-----END PGP SIGNATURE-----\n", commit.Signature);
        // a SHA-256 repository verifies gpgsig-sha256; both headers are cut from its payload too
        var in256 = GitCommit.Parse(new string('a', 64), Encoding.UTF8.GetBytes(head + sig + sha256Sig + message));
        Assert.Equal("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n", in256.Signature);
        Assert.Equal(head + message, Encoding.UTF8.GetString(in256.Payload));
    }

    [Fact]
    public void Crc24_matches_the_rfc_4880_initial_value_and_a_known_vector()
    {
        Assert.Equal(0xB704CEu, PgpArmor.Crc24([]));
        // "=R/WK" is the checksum `printf hello | gpg --enarmor` writes
        Assert.Equal(Convert.FromBase64String("R/WK"), ToBytes(PgpArmor.Crc24("hello"u8)));
        var block = PgpArmor.Decode("-----BEGIN PGP ARMORED FILE-----\nComment: x\n\naGVsbG8=\n=R/WK\n-----END PGP ARMORED FILE-----\n").Single();
        Assert.Equal("ARMORED FILE", block.Label);
        Assert.Equal("hello"u8.ToArray(), block.Data);
        var altered = Assert.Throws<MalformedSignatureException>(() => PgpArmor.Decode("-----BEGIN PGP ARMORED FILE-----\n\naGVsbG0=\n=R/WK\n-----END PGP ARMORED FILE-----\n"));
        Assert.Contains("CRC-24", altered.Message, StringComparison.Ordinal);
    }

    private static byte[] ToBytes(uint crc) => [(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];

    [Fact]
    public void Random_bytes_never_crash_the_parsers()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 3000; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            if (data.Length > 0 && i % 2 == 0) data[0] |= 0x80; // look like an OpenPGP packet header half the time
            AssertOnlyFormatErrors(() => PgpPackets.Read(data));
            AssertOnlyFormatErrors(() => PgpSignature.Parse(data));
            AssertOnlyFormatErrors(() => PgpPublicKey.Parse(data));
            AssertOnlyFormatErrors(() => new PgpKeyring().Add(data));
            AssertOnlyFormatErrors(() => SshPublicKey.Parse(data));
            AssertOnlyFormatErrors(() => SshSignature.Parse($"{SshSignature.Begin}\n{Convert.ToBase64String([.. "SSHSIG"u8, .. data])}\n-----END SSH SIGNATURE-----"));
            var armored = $"-----BEGIN PGP SIGNATURE-----\n\n{Convert.ToBase64String(data)}\n-----END PGP SIGNATURE-----\n";
            var commit = GitCommit.Parse(Sha1, "tree x\ncommitter C <c@example.com> 1 +0000\n\nm\n"u8.ToArray()) with { Signature = armored };
            var status = new CommitVerifier(null, null).Verify(commit).Status;
            Assert.NotEqual(CommitStatus.Good, status);
        }
    }

    [Fact]
    public void A_packet_length_beyond_the_data_is_malformed_not_an_allocation()
    {
        // new-format tag 2, five-octet length of 2 GiB, no body
        Assert.Throws<MalformedSignatureException>(() => PgpPackets.Read([0xC2, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF]));
        // an SSH string claiming 4 GiB
        Assert.Throws<MalformedSignatureException>(() => SshPublicKey.Parse([0xFF, 0xFF, 0xFF, 0xFF, 0x00]));
    }

    private static void AssertOnlyFormatErrors(Action parse)
    {
        try
        {
            parse();
        }
        catch (MalformedSignatureException)
        {
        }
        catch (UnsupportedSignatureException)
        {
        }
    }
}
