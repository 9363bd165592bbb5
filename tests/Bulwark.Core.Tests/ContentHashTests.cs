// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public sealed class ContentHashTests
{
    [Theory]
    // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA256_2.pdf")
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Gives_the_standard_digests(string text, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(ContentHash.Sha256(text)));

    [Fact]
    public void Agrees_with_the_platform_at_every_length_around_the_block_edges()
    {
        var random = new Random(3);
        for (var length = 0; length < 600; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(data), ContentHash.Sha256(data));
        }
        var large = new byte[1 << 20];
        random.NextBytes(large);
        Assert.Equal(SHA256.HashData(large), ContentHash.Sha256(large));
    }
}
