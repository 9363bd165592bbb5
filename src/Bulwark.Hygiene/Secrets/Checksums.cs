// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Secrets;

/// The checksums some token formats carry, so a random-looking string of the right shape can be told from a token.
public static class Checksums
{
    private const string Base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// GitHub's and npm's token format (github.blog, 2021-04-05 "Behind GitHub's new authentication token formats";
    /// npm adopted it in 2021): PREFIX_ + 30 random base62 characters + 6 characters that are the CRC32 of the random
    /// part written in base62 (0-9A-Za-z), left-padded with '0'.
    public static bool IsValidCrc32Base62Token(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var underscore = token.IndexOf('_', StringComparison.Ordinal);
        if (underscore < 0) return false;
        var body = token.AsSpan(underscore + 1);
        if (body.Length != 36) return false;
        var random = body[..30];
        var check = body[30..];
        return check.SequenceEqual(Crc32Base62(random));
    }

    /// The 6-character base62 CRC32 of <paramref name="random"/>, as a token carries it.
    public static string Crc32Base62(ReadOnlySpan<char> random)
    {
        Span<byte> bytes = stackalloc byte[random.Length];
        for (var i = 0; i < random.Length; i++)
        {
            if (random[i] > 0x7f) return "";
            bytes[i] = (byte)random[i];
        }
        var crc = Crc32(bytes);
        Span<char> digits = stackalloc char[6];
        digits.Fill('0');
        var n = (ulong)crc;
        for (var i = 5; i >= 0 && n > 0; i--)
        {
            digits[i] = Base62Alphabet[(int)(n % 62)];
            n /= 62;
        }
        return new string(digits);
    }

    private static readonly uint[] Crc32Table = BuildCrc32Table();

    /// CRC-32 as in ISO-HDLC / zlib (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF).
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Crc32Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
