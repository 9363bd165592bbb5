// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Commits.OpenPgp;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Tests.Commits;

/// Version 6 OpenPGP checked against the sample data of RFC 9580 Appendix A (see testdata/README.md).
public sealed class Rfc9580VectorTests
{
    private static readonly string Dir = Path.Combine(TestPaths.Project("Bulwark.Hygiene.Tests"), "Commits", "testdata", "rfc9580");

    private static List<PgpPacket> Packets(string file) =>
        PgpPackets.Read(PgpArmor.Decode(File.ReadAllText(Path.Combine(Dir, file))).Single().Data);

    // the signed text of Appendix A.6: dash-escaping removed, lines ending in CRLF (a text signature)
    private static readonly byte[] GroceryList = Encoding.UTF8.GetBytes("What we need from the grocery store:\r\n\r\n- tofu\r\n- vegetables\r\n- noodles\r\n");

    [Fact]
    public void The_v6_certificate_has_the_fingerprint_the_rfc_states_and_its_direct_key_signature_verifies()
    {
        var packets = Packets("a3-v6-certificate.asc");
        var primary = PgpPublicKey.Parse(packets[0].Body)!;
        Assert.Equal(6, primary.Version);
        Assert.Equal("CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9", primary.FingerprintHex);
        Assert.Equal(0xCB186C4F0609A697UL, primary.KeyId);
        Assert.Equal("Ed25519", primary.Description);
        var direct = PgpSignature.Parse(packets[1].Body);
        Assert.Equal(PgpSignature.DirectKey, direct.Type);
        Assert.Equal(32, direct.Salt.Length); // SHA-512: a 32-octet salt (RFC 9580 §9.5)
        Assert.True(primary.Verify(direct, direct.Digest(primary.HashPrefix())));
        // the subkey binding signature over primary and X25519 subkey
        var subkey = PgpPublicKey.Parse(packets[2].Body)!;
        var binding = PgpSignature.Parse(packets[3].Body);
        Assert.True(primary.Verify(binding, binding.Digest(primary.HashPrefix(), subkey.HashPrefix())));
    }

    [Fact]
    public void The_v6_cleartext_signature_verifies_over_its_text_and_fails_when_one_byte_changes()
    {
        var primary = PgpPublicKey.Parse(Packets("a3-v6-certificate.asc")[0].Body)!;
        var sig = PgpSignature.Parse(Packets("a6-cleartext-signature.asc").Single().Body);
        Assert.Equal(6, sig.Version);
        Assert.Equal(PgpSignature.SigText, sig.Type);
        Assert.Equal(primary.Fingerprint, sig.IssuerFingerprint);
        Assert.True(primary.Verify(sig, sig.Digest(GroceryList)));
        var altered = (byte[])GroceryList.Clone();
        altered[5] ^= 0x20;
        Assert.False(primary.Verify(sig, sig.Digest(altered)));
    }
}
