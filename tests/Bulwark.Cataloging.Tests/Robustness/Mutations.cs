// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Cataloging.Tests.Robustness;

/// Deterministic damage to a seed file: what disks, editors, transfers and attackers do to lockfiles.
internal static class Mutations
{
    public const int DeepNesting = 100_000;

    /// Every kind of damage for <paramref name="seed"/>, each made with <paramref name="random"/>.
    public static IEnumerable<(string Name, byte[] Bytes)> All(byte[] seed, Random random)
    {
        if (seed.Length == 0) yield break;
        foreach (var cut in new[] { random.Next(seed.Length), seed.Length / 2, Math.Max(0, seed.Length - 1 - random.Next(Math.Min(seed.Length, 64))) })
            yield return ($"truncated-at-{cut}", seed[..cut]);
        yield return ("byte-flips", Flip(seed, random));
        yield return ("random-insertion", Insert(seed, random.Next(seed.Length + 1), RandomBytes(random, 1 + random.Next(16))));
        yield return ("chunk-deletion", Delete(seed, random));
        yield return ("chunk-duplication", Duplicate(seed, random));
        yield return ("invalid-utf8", Insert(seed, InsideAString(seed, random), [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80]));
        yield return ("bom", [0xEF, 0xBB, 0xBF, .. seed]);
        yield return ("crlf", Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(seed).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)));
        yield return ("nul-bytes", Insert(seed, random.Next(seed.Length + 1), new byte[1 + random.Next(64)]));
        foreach (var deep in Deep(seed, random)) yield return deep;
    }

    /// 100,000-deep nesting shaped like the seed (JSON, XML, YAML or TOML), and plain brackets anywhere.
    private static IEnumerable<(string Name, byte[] Bytes)> Deep(byte[] seed, Random random)
    {
        var first = seed.AsSpan().TrimStart(" \t\r\n\uFEFF"u8).IsEmpty ? (byte)0 : seed.AsSpan().TrimStart(" \t\r\n"u8)[0];
        var brackets = seed.Where(b => b is (byte)'[' or (byte)'{' or (byte)'(').Distinct().ToArray();
        var open = brackets.Length > 0 ? brackets[random.Next(brackets.Length)] : (byte)'[';
        yield return ("deep-brackets", Insert(seed, random.Next(seed.Length + 1), Repeat([open], DeepNesting)));
        switch (first)
        {
            case (byte)'{' or (byte)'[':
                var colon = After(seed, (byte)':', random);
                yield return ("deep-json-arrays", Insert(seed, colon, Repeat("["u8, DeepNesting)));
                yield return ("deep-json-objects", Insert(seed, colon, Repeat("{\"a\":"u8, DeepNesting)));
                break;
            case (byte)'<':
                var start = Array.IndexOf(seed, (byte)'>', Math.Max(0, Array.IndexOf(seed, (byte)'<', seed.AsSpan().StartsWith("<?"u8) ? 2 : 0)));
                yield return ("deep-xml", Insert(seed, start < 0 ? seed.Length : start + 1, Repeat("<a>"u8, DeepNesting)));
                break;
            default:
                var line = After(seed, (byte)'\n', random);
                yield return ("deep-yaml-flow", Insert(seed, line, [.. "deep: "u8, .. Repeat("["u8, DeepNesting), (byte)'\n']));
                yield return ("deep-yaml-blocks", Insert(seed, line, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => new string(' ', i) + "k:\n")))));
                yield return ("deep-toml", Insert(seed, line, [.. "deep = "u8, .. Repeat("[{x="u8, DeepNesting / 4), (byte)'\n']));
                break;
        }
    }

    private static byte[] Flip(byte[] seed, Random random)
    {
        var copy = (byte[])seed.Clone();
        for (var k = 0; k < 8; k++) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] Delete(byte[] seed, Random random)
    {
        var at = random.Next(seed.Length);
        var length = 1 + random.Next(Math.Min(256, seed.Length - at));
        return [.. seed.AsSpan(0, at), .. seed.AsSpan(at + length)];
    }

    private static byte[] Duplicate(byte[] seed, Random random)
    {
        var at = random.Next(seed.Length);
        var length = 1 + random.Next(Math.Min(4096, seed.Length - at));
        return Insert(seed, at + length, seed[at..(at + length)]);
    }

    // just after a quote when there is one, so JSON keeps the bad bytes inside a string
    private static int InsideAString(byte[] seed, Random random) => After(seed, (byte)'"', random);

    private static int After(byte[] seed, byte b, Random random)
    {
        var positions = new List<int>();
        for (var i = 0; i < seed.Length; i++) if (seed[i] == b) positions.Add(i + 1);
        return positions.Count == 0 ? random.Next(seed.Length + 1) : positions[random.Next(positions.Count)];
    }

    private static byte[] Insert(byte[] seed, int at, ReadOnlySpan<byte> bytes) => [.. seed.AsSpan(0, at), .. bytes, .. seed.AsSpan(at)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Repeat(ReadOnlySpan<byte> unit, int times)
    {
        var result = new byte[unit.Length * times];
        for (var i = 0; i < times; i++) unit.CopyTo(result.AsSpan(i * unit.Length));
        return result;
    }

    /// A hash that is the same in every process (string.GetHashCode is randomised), to seed <see cref="Random"/>.
    public static int StableHash(string text)
    {
        var h = 2166136261u;
        foreach (var c in text) h = (h ^ c) * 16777619u;
        return (int)(h & 0x7FFFFFFF);
    }
}
