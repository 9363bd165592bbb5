// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.IO.Compression;

namespace Bulwark.Fuzzing.Mutation;

/// Gzip-aware mutations (RFC 1952): the member decompressed, its tar mutated and recompressed; header flags,
/// method and trailer (CRC-32, ISIZE) changed; truncation; members concatenated. Null when the input is not gzip.
public static class GzipMutator
{
    private const int MaxInflated = 8 << 20;

    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 10 && data[0] == 0x1f && data[1] == 0x8b;

    public static byte[]? Mutate(byte[] input, Rng rng, MutationContext ctx)
    {
        if (!IsGzip(input)) return null;
        switch (rng.Next(8))
        {
            case 0 or 1 or 2:
                // the common case: the content changes and the member stays valid
                if (Inflate(input) is not { } inner) return null;
                var mutated = (rng.Chance(4) ? null : TarMutator.Mutate(inner, rng, ctx)) ?? ByteMutators.Apply(inner, rng, ctx);
                return Deflate(mutated);
            case 3:
            {
                var output = (byte[])input.Clone();
                output[3] ^= (byte)(1 << rng.Next(5));   // FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT
                return output;
            }
            case 4:
            {
                var output = (byte[])input.Clone();
                if (rng.Chance(2)) output[2] = (byte)rng.Next(256);   // compression method (8 = deflate)
                else BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(output.Length - (rng.Chance(2) ? 4 : 8)), (uint)rng.Pick(ByteMutators.InterestingIntegers));
                return output;
            }
            case 5:
                return input.AsSpan(0, rng.Next(input.Length)).ToArray();
            case 6:
            {
                // another member after this one (a seed compressed, or this member again)
                var other = ctx.Seeds.Count > 0 && rng.Chance(2) ? rng.Pick(ctx.Seeds) : input;
                return [.. input, .. IsGzip(other) ? other : Deflate(other)];
            }
            default:
                // trailing bytes after the member
                return [.. input, .. new byte[1 + rng.Next(1024)]];
        }
    }

    public static byte[]? Inflate(byte[] input)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(input), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > MaxInflated) return null;
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public static byte[] Deflate(byte[] input)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(input);
        return output.ToArray();
    }
}
