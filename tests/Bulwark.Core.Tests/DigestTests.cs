// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public class DigestTests
{
    [Fact]
    public void Reads_an_npm_integrity_value_as_hex()
    {
        // acorn 8.x in phoenix's package-lock.json (shared/corpora); hex checked with Python base64
        Assert.True(Digest.TryParseIntegrity("sha512-UVJyE9MttOsBQIDKw1skb9nAwQuR5wuGD3+82K6JgJlm/Y+KI92oNsMNGZCYdDsVtRHSak0pcV5Dno5+4jh9sw==", out var d));
        Assert.Equal(HashAlgorithm.Sha512, d.Algorithm);
        Assert.Equal(128, d.Hex.Length);
        Assert.Equal("51527213d32db4eb014080cac35b246fd9c0c10b91e70b860f7fbcd8ae89809966fd8f8a23dda836c30d199098743b15b511d26a4d29715e439e8e7ee2387db3", d.Hex);
    }

    [Fact]
    public void Takes_the_first_understood_hash_of_a_multi_hash_integrity() =>
        Assert.Equal(HashAlgorithm.Sha1,
            Digest.TryParseIntegrity("md9-xxxx sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=", out var d) ? d.Algorithm : HashAlgorithm.Md5);

    [Theory]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("SHA-256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", true)]
    [InlineData("sha256:e3b0c442", false)]
    [InlineData("sha256:zzb0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData("crc32:1234", false)]
    [InlineData("", false)]
    public void Parses_algorithm_colon_hex_and_checks_length_and_characters(string text, bool ok)
    {
        Assert.Equal(ok, Digest.TryParse(text, out var d));
        if (ok) Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.ToString());
    }

    [Fact]
    public void Rejects_garbage_integrity() => Assert.False(Digest.TryParseIntegrity("sha512-!!!notbase64", out _));
}
