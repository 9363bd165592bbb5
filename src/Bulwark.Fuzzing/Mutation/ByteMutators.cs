// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Fuzzing.Mutation;

/// Mutations that know nothing of the format: bit flips, byte set/insert/delete, block duplicate/delete, splicing
/// between seeds, interesting values and dictionary tokens.
public static class ByteMutators
{
    /// Integers that sit on boundaries parsers get wrong (sign, width, length fields).
    public static readonly long[] InterestingIntegers =
    [
        0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, int.MaxValue, int.MinValue, uint.MaxValue,
        long.MaxValue, long.MinValue, 512, 1023, 1024, 4096, 65535, 1 << 20, 1 << 30,
    ];

    /// The same as text, plus spellings number parsers choke on.
    public static readonly string[] InterestingNumbers =
    [
        "0", "-1", "-0", "127", "128", "255", "256", "65535", "65536", "2147483647", "2147483648", "-2147483649",
        "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "99999999999999999999999999999999999999", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "0x7fffffff", "1.5", "00000000001",
    ];

    /// Tokens every text format may trip on.
    public static readonly string[] GenericTokens =
    [
        "\0", "\n", "\r\n", "\r", "\t", " ", "\"", "'", "\\", "{", "}", "[", "]", "<", ">", ":", ",", "=", "#", "/", "..", "../",
        "%00", "%", "@", "\\ud800", "\\udc00\\ud800", "\\u0000", "\uFEFF", "\u2028", "\uFFFD", "\uD800", "😀", "&", ";", "|", "*", "?", "~",
    ];

    public delegate byte[] Mutation(byte[] input, Rng rng, MutationContext ctx);

    /// The byte-level mutations, each named for the corpus notes.
    public static IReadOnlyList<(string Name, Mutation Apply)> All { get; } =
    [
        ("bit-flip", BitFlip),
        ("byte-set", ByteSet),
        ("byte-insert", ByteInsert),
        ("byte-delete", ByteDelete),
        ("block-duplicate", BlockDuplicate),
        ("block-delete", BlockDelete),
        ("splice", Splice),
        ("interesting-binary", InterestingBinary),
        ("interesting-text", InterestingText),
        ("dictionary", DictionaryToken),
    ];

    public static byte[] Apply(byte[] input, Rng rng, MutationContext ctx) => rng.Pick(All).Apply(input, rng, ctx);

    public static byte[] BitFlip(byte[] input, Rng rng, MutationContext ctx)
    {
        if (input.Length == 0) return [(byte)rng.Next(256)];
        var output = (byte[])input.Clone();
        for (var n = 1 + rng.Next(4); n > 0; n--)
        {
            var bit = rng.Next(output.Length * 8);
            output[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        return output;
    }

    public static byte[] ByteSet(byte[] input, Rng rng, MutationContext ctx)
    {
        if (input.Length == 0) return [(byte)rng.Next(256)];
        var output = (byte[])input.Clone();
        output[rng.Next(output.Length)] = (byte)rng.Next(256);
        return output;
    }

    public static byte[] ByteInsert(byte[] input, Rng rng, MutationContext ctx)
    {
        var at = rng.Next(input.Length + 1);
        var count = rng.Chance(4) ? 1 + rng.Next(64) : 1;
        var value = (byte)rng.Next(256);
        var insert = new byte[count];
        for (var i = 0; i < count; i++) insert[i] = rng.Chance(2) ? value : (byte)rng.Next(256);
        return Insert(input, at, insert);
    }

    public static byte[] ByteDelete(byte[] input, Rng rng, MutationContext ctx)
    {
        if (input.Length == 0) return input;
        var at = rng.Next(input.Length);
        return Remove(input, at, 1);
    }

    public static byte[] BlockDuplicate(byte[] input, Rng rng, MutationContext ctx)
    {
        if (input.Length == 0) return input;
        var (start, length) = Block(input.Length, rng);
        var block = input.AsSpan(start, length).ToArray();
        var copies = rng.Chance(8) ? 2 + rng.Next(64) : 1;
        var output = input;
        var at = rng.Next(input.Length + 1);
        for (var i = 0; i < copies && output.Length + block.Length <= ctx.MaxSize; i++) output = Insert(output, at, block);
        return output;
    }

    public static byte[] BlockDelete(byte[] input, Rng rng, MutationContext ctx)
    {
        if (input.Length == 0) return input;
        var (start, length) = Block(input.Length, rng);
        return Remove(input, start, length);
    }

    /// The head of this input joined to the tail of another seed (or of itself).
    public static byte[] Splice(byte[] input, Rng rng, MutationContext ctx)
    {
        var other = ctx.Seeds.Count > 0 ? rng.Pick(ctx.Seeds) : input;
        var cut = rng.Next(input.Length + 1);
        var from = rng.Next(other.Length + 1);
        return [.. input.AsSpan(0, cut), .. other.AsSpan(from)];
    }

    /// Overwrites 1, 2, 4 or 8 bytes with a boundary integer in either byte order.
    public static byte[] InterestingBinary(byte[] input, Rng rng, MutationContext ctx)
    {
        var width = rng.Pick<int>([1, 2, 4, 8]);
        if (input.Length < width) return Insert(input, 0, new byte[width]);
        var output = (byte[])input.Clone();
        var value = rng.Pick(InterestingIntegers);
        var span = output.AsSpan(rng.Next(output.Length - width + 1), width);
        var bigEndian = rng.Chance(2);
        switch (width)
        {
            case 1: span[0] = (byte)value; break;
            case 2: if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(span, (short)value); else BinaryPrimitives.WriteInt16LittleEndian(span, (short)value); break;
            case 4: if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(span, (int)value); else BinaryPrimitives.WriteInt32LittleEndian(span, (int)value); break;
            default: if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(span, value); else BinaryPrimitives.WriteInt64LittleEndian(span, value); break;
        }
        return output;
    }

    /// Replaces a run of ASCII digits with a boundary number (or inserts one).
    public static byte[] InterestingText(byte[] input, Rng rng, MutationContext ctx)
    {
        var number = Encoding.UTF8.GetBytes(rng.Pick(InterestingNumbers));
        var digits = new List<int>();
        for (var i = 0; i < input.Length; i++)
            if (input[i] is >= (byte)'0' and <= (byte)'9' && (i == 0 || input[i - 1] is < (byte)'0' or > (byte)'9')) digits.Add(i);
        if (digits.Count == 0) return Insert(input, rng.Next(input.Length + 1), number);
        var start = rng.Pick(digits);
        var end = start;
        while (end < input.Length && input[end] is >= (byte)'0' and <= (byte)'9') end++;
        return [.. input.AsSpan(0, start), .. number, .. input.AsSpan(end)];
    }

    /// Inserts or overwrites with a token from the target's dictionary or the generic list.
    public static byte[] DictionaryToken(byte[] input, Rng rng, MutationContext ctx)
    {
        var token = Encoding.UTF8.GetBytes(ctx.Dictionary.Count > 0 && rng.Chance(2) ? rng.Pick(ctx.Dictionary) : rng.Pick(GenericTokens));
        var at = rng.Next(input.Length + 1);
        if (rng.Chance(2) || at + token.Length > input.Length) return Insert(input, at, token);
        var output = (byte[])input.Clone();
        token.CopyTo(output, at);
        return output;
    }

    internal static byte[] Insert(byte[] input, int at, ReadOnlySpan<byte> insert) => [.. input.AsSpan(0, at), .. insert, .. input.AsSpan(at)];

    internal static byte[] Remove(byte[] input, int at, int count) => [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];

    // mostly small blocks, sometimes large ones
    private static (int Start, int Length) Block(int size, Rng rng)
    {
        var max = rng.Chance(4) ? size : Math.Min(size, 32);
        var length = 1 + rng.Next(max);
        return (rng.Next(size - length + 1), length);
    }
}
