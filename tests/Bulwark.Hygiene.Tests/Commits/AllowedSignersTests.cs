// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Hygiene.Tests.Commits;

public sealed class AllowedSignersTests
{
    // a real ssh-ed25519 public key (ssh-keygen output); its private half was never kept
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO3rXkYDiONVGNxKo7vp875mby6+duYVaX8B1B3GCDZJ";

    [Fact]
    public void Reads_principals_options_key_and_comment_and_skips_comments_and_blank_lines()
    {
        var signers = AllowedSigners.Parse($"""
            # team

            alice@example.com,bob@example.com {Key} alice's laptop
            "carol@example.com" namespaces="git,file",valid-after="20240101",valid-before="20250101Z" {Key}
            *@example.com cert-authority {Key}
            """);
        Assert.Equal(3, signers.Entries.Count);
        var first = signers.Entries[0];
        Assert.Equal(3, first.Line);
        Assert.Equal("alice@example.com,bob@example.com", first.Principals);
        Assert.Equal("ssh-ed25519", first.Key.Type);
        Assert.Null(first.Namespaces);
        Assert.False(first.CertAuthority);
        var second = signers.Entries[1];
        Assert.Equal("carol@example.com", second.Principals);
        Assert.Equal(["git", "file"], second.Namespaces);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), second.ValidBefore);
        Assert.Equal(new DateTimeOffset(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local)), second.ValidAfter);
        Assert.True(signers.Entries[2].CertAuthority);
        Assert.Equal("SHA256:jQfHN4dWPl4LomsKKeWFz3TWR2voBv4nUafbvcWOxhM", first.Key.Fingerprint);
    }

    [Theory]
    [InlineData("alice@example.com", "alice@example.com", true)]
    [InlineData("alice@example.com", "Alice@example.com", false)]
    [InlineData("*@example.com", "bob@example.com", true)]
    [InlineData("*@example.com", "bob@example.org", false)]
    [InlineData("*@example.com,!mallory@example.com", "mallory@example.com", false)]
    [InlineData("!mallory@example.com,*@example.com", "mallory@example.com", false)]
    [InlineData("!mallory@example.com", "bob@example.com", false)]
    [InlineData("b?b@example.com", "bob@example.com", true)]
    [InlineData("dev@example.com,bob@example.com", "bob@example.com", true)]
    [InlineData("*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Principal_patterns_match_as_in_openssh(string principals, string email, bool expected)
    {
        var entry = AllowedSigners.Parse($"{principals} {Key}").Entries.Single();
        Assert.Equal(expected, entry.Matches(email));
    }

    [Theory]
    [InlineData("alice@example.com", "expected principals")]
    [InlineData("alice@example.com ssh-ed25519 !!!!", "not valid base64")]
    [InlineData("alice@example.com ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIO3rXkYDiONVGNxKo7vp875mby6+duYVaX8B1B3GCDZJ", "is a ssh-ed25519 key but the line says ssh-rsa")]
    [InlineData("alice@example.com valid-after=\"2024\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO3rXkYDiONVGNxKo7vp875mby6+duYVaX8B1B3GCDZJ", "'2024' is not a time")]
    [InlineData("alice@example.com no-touch-required ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO3rXkYDiONVGNxKo7vp875mby6+duYVaX8B1B3GCDZJ", "unknown or malformed option 'no-touch-required'")]
    [InlineData("\"alice@example.com ssh-ed25519 AAAA", "unterminated quote")]
    [InlineData("alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO3r", "runs past the end of the data")]
    public void A_malformed_line_is_an_input_error_naming_the_line(string line, string reason)
    {
        var e = Assert.Throws<InputException>(() => AllowedSigners.Parse($"# header\n{line}\n", "signers.txt"));
        Assert.StartsWith("Cannot use allowed-signers file signers.txt: line 2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20240102", 2024, 1, 2, 0, 0, 0)]
    [InlineData("202401021530Z", 2024, 1, 2, 15, 30, 0)]
    [InlineData("20240102153045Z", 2024, 1, 2, 15, 30, 45)]
    public void Times_have_the_three_ssh_keygen_forms(string text, int y, int mo, int d, int h, int mi, int s)
    {
        var kind = text.EndsWith('Z') ? DateTimeKind.Utc : DateTimeKind.Local;
        Assert.Equal(new DateTimeOffset(new DateTime(y, mo, d, h, mi, s, kind)), AllowedSigners.ParseTime(text));
    }
}
