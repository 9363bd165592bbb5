// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Hygiene.Tests.Secrets;

/// Well-formed but made-up tokens, drawn from a seeded generator so runs are repeatable. None is a real credential;
/// they are built here rather than stored so no file in the repository looks like a leaked secret.
internal sealed class FakeTokens(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private readonly Random _random = new(seed);

    public string From(string alphabet, int n)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++) sb.Append(alphabet[_random.Next(alphabet.Length)]);
        return sb.ToString();
    }

    public string Alnum(int n) => From(Upper + Lower + Digits, n);
    public string Hex(int n) => From(Digits + "abcdef", n);
    public string UpperDigits(int n) => From(Upper + Digits, n);
    public string LowerDigits(int n) => From(Lower + Digits, n);
    public string Letters(int n) => From(Upper + Lower, n);
    public string Digit(int n) => From("123456789", 1) + From(Digits, n - 1);
    public string Base64(int n) => From(Upper + Lower + Digits + "+/", n);
    // word characters and '-' (base64url); never ending in '-' so a test's expected end is unambiguous
    public string Url(int n) => From(Upper + Lower + Digits + "_-", n - 1) + From(Upper + Lower + Digits, 1);
    public string Uuid() => $"{Hex(8)}-{Hex(4)}-4{Hex(3)}-a{Hex(3)}-{Hex(12)}";

    /// A GitHub-format token (also npm's): prefix, 30 random base62 characters, the base62 CRC32 of those.
    public string Checksummed(string prefix)
    {
        var random = Alnum(30);
        return prefix + random + Checksums.Crc32Base62(random);
    }

    public string PemLines(int lines) => string.Join("\n", Enumerable.Range(0, lines).Select(_ => Base64(64)));

    public static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
