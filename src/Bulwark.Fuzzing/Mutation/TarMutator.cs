// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Fuzzing.Mutation;

/// Mutates tar headers in place (size, type, name, link name, mode), duplicates, drops or truncates entries, adds
/// PAX headers, and recomputes the header checksum (usually) so the change reaches the code past the checksum test.
/// Null when the input does not start with a tar header.
public static class TarMutator
{
    private const int Block = 512;

    private static readonly string[] Names =
    [
        "../../etc/passwd", "/etc/passwd", "a/../../b", ".wh..wh..opq", "a/.wh..wh..opq", ".wh.a", "a/.wh.b", ".wh.", "", ".", "./", "..",
        "a//b", "a/./b", "A", "a", "a/", "dev/null", "var/lib/dpkg/status", "lib/apk/db/installed", "package.json", "\0a", "a\0b",
        "usr/lib/os-release", "etc/os-release", "Cargo.lock", "node_modules/x/package.json",
    ];

    private static readonly byte[] TypeFlags = "0123456789gxLKSVDM\0"u8.ToArray();

    /// Offsets of every header found by walking sizes from the start (stops at the first that is not one).
    public static List<int> Headers(byte[] tar)
    {
        var offsets = new List<int>();
        var at = 0;
        while (at + Block <= tar.Length && offsets.Count < 10_000)
        {
            var header = tar.AsSpan(at, Block);
            if (header.IndexOfAnyExcept((byte)0) < 0) break;
            if (!header.Slice(257, 5).SequenceEqual("ustar"u8) && !LooksLikeV7(header)) break;
            offsets.Add(at);
            var size = ReadOctal(header.Slice(124, 12));
            if (size < 0 || size > tar.Length) break;
            at += Block + (int)((size + Block - 1) / Block * Block);
        }
        return offsets;
    }

    public static byte[]? Mutate(byte[] input, Rng rng, MutationContext ctx)
    {
        var headers = Headers(input);
        if (headers.Count == 0) return null;
        var output = (byte[])input.Clone();
        var at = rng.Pick(headers);
        var checksum = !rng.Chance(16);
        switch (rng.Next(10))
        {
            case 0:
                WriteField(output, at + 124, 12, rng.Next(5) switch
                {
                    0 => "77777777777",
                    1 => "0",
                    2 => Convert.ToString(Math.Max(0, ReadOctal(output.AsSpan(at + 124, 12)) + rng.Next(-600, 600)), 8),
                    3 => "-1",
                    _ => "zz",
                });
                if (rng.Chance(4)) { output[at + 124] = 0x80; output[at + 135] = (byte)rng.Next(256); }   // base-256 size
                break;
            case 1:
                output[at + 156] = TypeFlags[rng.Next(TypeFlags.Length)];
                break;
            case 2 or 3:
                WriteField(output, at, 100, rng.Chance(8) ? new string('n', 100) : rng.Pick(Names));
                break;
            case 4:
                WriteField(output, at + 157, 100, rng.Pick(Names));
                if (rng.Chance(2)) output[at + 156] = rng.Chance(2) ? (byte)'1' : (byte)'2';
                break;
            case 5:
                WriteField(output, at + 100, 8, rng.Pick<string>(["7777777", "0", "4755", "zz"]));
                break;
            case 6:
                // an entry (header and data) repeated
                var end = headers.IndexOf(at) + 1 < headers.Count ? headers[headers.IndexOf(at) + 1] : Math.Min(output.Length, at + Block);
                output = ByteMutators.Insert(output, end, output.AsSpan(at, end - at));
                break;
            case 7:
                var next = headers.IndexOf(at) + 1 < headers.Count ? headers[headers.IndexOf(at) + 1] : output.Length;
                output = ByteMutators.Remove(output, at, next - at);
                checksum = false;
                break;
            case 8:
                return output.AsSpan(0, rng.Next(output.Length)).ToArray();
            default:
                output = ByteMutators.Insert(output, at, Pax(rng));
                checksum = false;
                break;
        }
        if (checksum && at + Block <= output.Length) Checksum(output.AsSpan(at, Block));
        return output;
    }

    /// A PAX extended header ('x') naming a path, link path or size, with lengths that may lie.
    public static byte[] Pax(Rng rng)
    {
        var key = rng.Pick<string>(["path", "linkpath", "size", "uid", "mtime", "GNU.sparse.size", "hdrcharset"]);
        var value = key == "size" ? rng.Pick(ByteMutators.InterestingNumbers) : rng.Chance(4) ? new string('p', 300) : rng.Pick(Names);
        var body = $"{key}={value}\n";
        var record = $"{body.Length + 3 + (body.Length > 96 ? 1 : 0)} {body}";
        if (rng.Chance(8)) record = "99999 " + body;
        var data = Encoding.UTF8.GetBytes(record);
        var header = new byte[Block];
        WriteField(header, 0, 100, "PaxHeaders/x");
        WriteField(header, 100, 8, "0000644");
        WriteField(header, 124, 12, Convert.ToString(data.Length, 8).PadLeft(11, '0'));
        header[156] = (byte)'x';
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        Checksum(header);
        var padded = new byte[(data.Length + Block - 1) / Block * Block];
        data.CopyTo(padded, 0);
        return [.. header, .. padded];
    }

    /// Writes the header checksum (POSIX: the sum of the header bytes with the checksum field as spaces).
    public static void Checksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header.Slice(148, 8));
    }

    private static bool LooksLikeV7(ReadOnlySpan<byte> header)
    {
        var stored = ReadOctal(header.Slice(148, 8));
        var sum = 0;
        for (var i = 0; i < Block; i++) sum += i is >= 148 and < 156 ? ' ' : header[i];
        return stored == sum;
    }

    private static long ReadOctal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        var any = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0) { if (any) break; continue; }
            if (b is < (byte)'0' or > (byte)'7') return -1;
            value = value * 8 + (b - '0');
            any = true;
            if (value > int.MaxValue) return -1;
        }
        return value;
    }

    private static void WriteField(byte[] buffer, int offset, int length, string value)
    {
        if (offset + length > buffer.Length) return;
        var bytes = Encoding.UTF8.GetBytes(value);
        var field = buffer.AsSpan(offset, length);
        field.Clear();
        bytes.AsSpan(0, Math.Min(bytes.Length, length)).CopyTo(field);
    }
}
