// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Layers;

/// A PAX or GNU metadata entry larger than 1 MiB is refused from its 512-byte header block, before System.Formats.Tar
/// allocates an array of the claimed size; legitimate ones, large names and large PAX records pass. Every case runs on
/// the streaming path (decompressed layers) and on the seeking path (uncompressed layers in local files).
public sealed class TarMetadataLimitTests
{
    public static TheoryData<bool> Paths => new() { false, true };

    /// Reads the tar as an uncompressed layer; seeking: as a local file whose digest another pass verifies.
    private static async Task<List<string>> Read(byte[] tar, bool seeking)
    {
        var entries = new List<string>();
        var layer = TarLayer(tar);
        if (seeking) layer = layer with { OpenUnverified = () => new MemoryStream(tar, writable: false) };
        await LayerReader.ReadAsync(layer, new ImageByteBudget(LayerLimits.Default),
            async (path, entry, ct) =>
            {
                var text = entry.DataStream is { } s ? await new StreamReader(s).ReadToEndAsync(ct) : entry.LinkName;
                entries.Add($"{path} {entry.EntryType} {text}");
            },
            (_, _) => { }, verifyDiffId: true, CancellationToken.None,
            seeking ? () => Task.CompletedTask : null);
        return entries;
    }

    /// A header block with a valid checksum; <paramref name="size"/> is the 12-byte size field as written.
    private static byte[] Header(string name, char type, byte[] size, string magic = "ustar\0" + "00")
    {
        var h = new byte[512];
        Encoding.ASCII.GetBytes(name, h);
        Encoding.ASCII.GetBytes("0000644\0", h.AsSpan(100));
        Encoding.ASCII.GetBytes("0000000\0", h.AsSpan(108));
        Encoding.ASCII.GetBytes("0000000\0", h.AsSpan(116));
        size.CopyTo(h, 124);
        Encoding.ASCII.GetBytes("00000000000\0", h.AsSpan(136));
        h.AsSpan(148, 8).Fill((byte)' ');
        h[156] = (byte)type;
        Encoding.ASCII.GetBytes(magic, h.AsSpan(257));
        var sum = 0;
        foreach (var b in h) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", h.AsSpan(148));
        return h;
    }

    private static byte[] Octal(long size) => Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0");

    private static byte[] Base256(long size)
    {
        var field = new byte[12];
        field[0] = 0x80;
        BinaryPrimitives.WriteInt64BigEndian(field.AsSpan(4), size);
        return field;
    }

    /// An entry's data padded to the 512-byte block.
    private static byte[] Data(byte[] data) => [.. data, .. new byte[(512 - data.Length % 512) % 512]];

    private static byte[] Data(string text) => Data(Encoding.UTF8.GetBytes(text));

    /// One PAX record, "LENGTH key=value\n", its length counting itself.
    private static string PaxRecord(string key, string value)
    {
        var rest = $" {key}={value}\n";
        var length = rest.Length + 1;
        while ((length.ToString(CultureInfo.InvariantCulture) + rest).Length != length) length++;
        return length.ToString(CultureInfo.InvariantCulture) + rest;
    }

    /// Entries before the hostile header, so that its offset is not 0: a PAX file whose data size comes from a "size"
    /// record (its header says 0), a GNU long name, and a plain file.
    private static byte[] Prefix() =>
    [
        .. Header("PaxHeaders/a", 'x', Octal(PaxRecord("size", "1000").Length)), .. Data(PaxRecord("size", "1000")),
        .. Header("a", '0', Octal(0)), .. Data(new string('a', 1000)),
        .. Header("././@LongLink", 'L', Octal(301), "ustar  \0"), .. Data(new string('n', 300) + "\0"),
        .. Header("short", '0', Octal(2), "ustar  \0"), .. Data("nn"),
        .. Header("b", '0', Octal(3)), .. Data("bbb"),
    ];

    private static readonly string[] PrefixEntries = ["a RegularFile " + new string('a', 1000), new string('n', 300) + " RegularFile nn", "b RegularFile bbb"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task The_prefix_reads_on_both_paths(bool seeking)
    {
        byte[] tar = [.. Prefix(), .. new byte[1024]];
        Assert.Equal(PrefixEntries, await Read(tar, seeking));
    }

    [Theory]
    [InlineData('x', "PAX extended header", false)]
    [InlineData('x', "PAX extended header", true)]
    [InlineData('g', "PAX global header", false)]
    [InlineData('g', "PAX global header", true)]
    [InlineData('L', "GNU long name", false)]
    [InlineData('L', "GNU long name", true)]
    [InlineData('K', "GNU long link name", false)]
    [InlineData('K', "GNU long link name", true)]
    public async Task A_metadata_entry_claiming_a_gigabyte_is_refused_with_its_offset_and_type(char type, string what, bool seeking)
    {
        var prefix = Prefix();
        byte[] tar = [.. prefix, .. Header("hostile", type, Octal(1L << 30)), .. Data("1 x\n"), .. new byte[1024]];
        var layer = TarLayer(tar);

        var e = await Assert.ThrowsAsync<InputException>(() => Read(tar, seeking));

        Assert.Equal(
            $"Layer {layer.Digest} is refused: the tar header at byte {prefix.Length} is a {what} ('{type}') claiming 1073741824 bytes; more than 1048576 bytes of tar metadata is refused (as by docker's Go archive/tar and libarchive; real ones are a few hundred bytes). The layer is corrupt or hostile; do not use the image.",
            e.Message);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_base_256_size_is_read_like_tar_does(bool seeking)
    {
        // GNU base-256: a regular file's size is taken as TarReader reads it, a metadata entry's is checked
        byte[] ok = [.. Header("f", '0', Base256(5), "ustar  \0"), .. Data("12345"), .. Header("././@LongLink", 'L', Base256(9), "ustar  \0"), .. Data("long/name"),
                     .. Header("x", '0', Octal(1), "ustar  \0"), .. Data("z"), .. new byte[1024]];
        Assert.Equal(["f RegularFile 12345", "long/name RegularFile z"], await Read(ok, seeking));

        byte[] hostile = [.. Header("f", '0', Base256(5), "ustar  \0"), .. Data("12345"), .. Header("././@LongLink", 'L', Base256(5L << 30), "ustar  \0"), .. new byte[1024]];
        var e = await Assert.ThrowsAsync<InputException>(() => Read(hostile, seeking));
        Assert.Contains("the tar header at byte 1024 is a GNU long name ('L') claiming 5368709120 bytes;", e.Message, StringComparison.Ordinal);

        // eleven bytes of value that do not fit in 64 bits
        var huge = Base256(0);
        huge[1] = 1;
        byte[] hugeTar = [.. Header("././@LongLink", 'K', huge, "ustar  \0"), .. new byte[1024]];
        e = await Assert.ThrowsAsync<InputException>(() => Read(hugeTar, seeking));
        Assert.Contains($"the tar header at byte 0 is a GNU long link name ('K') claiming {ulong.MaxValue} bytes;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_size_field_with_spaces_and_nuls_is_read_like_tar_does(bool seeking)
    {
        var spaced = Encoding.ASCII.GetBytes("   12 \0\0\0\0\0\0"); // 10 octal
        byte[] tar = [.. Header("././@LongLink", 'L', spaced, "ustar  \0"), .. Data("0123456789"), .. Header("x", '0', Octal(1), "ustar  \0"), .. Data("z"), .. new byte[1024]];
        Assert.Equal(["0123456789 RegularFile z"], await Read(tar, seeking));

        byte[] notANumber = [.. Header("././@LongLink", 'L', Encoding.ASCII.GetBytes("12x\0\0\0\0\0\0\0\0\0"), "ustar  \0"), .. new byte[1024]];
        var e = await Assert.ThrowsAsync<InputException>(() => Read(notANumber, seeking));
        Assert.Contains("the tar header at byte 0 (GNU long name) has a size field that is not a number", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Legitimate_large_metadata_is_accepted_up_to_one_mebibyte(bool seeking)
    {
        // a 64 KiB extended attribute (the largest a Linux xattr value can be) written by TarWriter
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "big-xattr",
            new Dictionary<string, string> { ["SCHILY.xattr.user.big"] = new string('v', 64 << 10) })
        { DataStream = new MemoryStream("data"u8.ToArray()) };
        var tar = Tar(w => w.WriteEntry(entry), File("after", "ok"));
        Assert.Equal(["big-xattr RegularFile data", "after RegularFile ok"], await Read(tar, seeking));

        // exactly 1 MiB of PAX records is accepted, one byte more is not
        var record = PaxRecord("SCHILY.xattr.user.max", new string('m', TarMetadataLimit.MaxMetadataBytes - 31));
        Assert.Equal(TarMetadataLimit.MaxMetadataBytes, record.Length);
        byte[] max = [.. Header("PaxHeaders/m", 'x', Octal(record.Length)), .. Data(record), .. Header("m", '0', Octal(1)), .. Data("m"), .. new byte[1024]];
        Assert.Equal(["m RegularFile m"], await Read(max, seeking));

        var longName = new string('n', TarMetadataLimit.MaxMetadataBytes) + "\0";
        byte[] over = [.. Header("././@LongLink", 'L', Octal(longName.Length), "ustar  \0"), .. Data(longName), .. Header("m", '0', Octal(1), "ustar  \0"), .. Data("m"), .. new byte[1024]];
        var e = await Assert.ThrowsAsync<InputException>(() => Read(over, seeking));
        Assert.Contains("the tar header at byte 0 is a GNU long name ('L') claiming 1048577 bytes;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Long_names_and_links_written_by_tar_writers_pass(bool seeking)
    {
        var longDir = string.Join('/', Enumerable.Repeat("directory-name-of-some-length", 12));
        foreach (var format in new[] { TarEntryFormat.Gnu, TarEntryFormat.Pax })
        {
            var tar = Tar(format,
                File(longDir + "/file.txt", "one", format),
                w =>
                {
                    TarEntry link = format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.SymbolicLink, longDir + "/link") : new PaxTarEntry(TarEntryType.SymbolicLink, longDir + "/link");
                    link.LinkName = longDir + "/file.txt";
                    w.WriteEntry(link);
                },
                File("last", "two", format));
            Assert.Equal([$"{longDir}/file.txt RegularFile one", $"{longDir}/link SymbolicLink {longDir}/file.txt", "last RegularFile two"], await Read(tar, seeking));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_global_header_is_an_entry_of_its_own_and_the_walk_goes_on_after_it(bool seeking)
    {
        var global = PaxRecord("comment", "global");
        byte[] tar = [.. Header("PaxHeaders/g", 'g', Octal(global.Length)), .. Data(global), .. Prefix(),
                      .. Header("hostile", 'x', Octal(2L << 20)), .. new byte[1024]];
        var e = await Assert.ThrowsAsync<InputException>(() => Read(tar, seeking));
        Assert.Contains($"the tar header at byte {1024 + Prefix().Length} is a PAX extended header ('x') claiming 2097152 bytes;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Bytes_after_the_end_of_archive_blocks_are_not_read_as_headers(bool seeking)
    {
        byte[] tar = [.. Header("f", '0', Octal(1)), .. Data("f"), .. new byte[1024], .. Header("hostile", 'x', Octal(1L << 30))];
        Assert.Equal(["f RegularFile f"], await Read(tar, seeking));
    }

    [Fact]
    public void A_read_that_skips_a_header_block_is_refused()
    {
        byte[] tar = [.. Header("f", '0', Octal(1)), .. Data("f"), .. new byte[1024]];
        using var limited = new TarMetadataLimit(new MemoryStream(tar), "Layer sha256:test", "The layer is corrupt or hostile; do not use the image.");
        var block = new byte[512];
        limited.ReadExactly(block);
        limited.EntryRead(1);
        limited.Position = 1024 + 10;
        var e = Assert.Throws<InvalidDataException>(() => limited.ReadExactly(block));
        Assert.Equal("The tar reader skipped the header block at byte 1024 (it read from byte 1034).", e.Message);
    }

    [Fact]
    public void A_read_past_the_end_of_archive_block_is_refused()
    {
        byte[] tar = [.. new byte[1024], .. Header("hostile", 'x', Octal(1L << 30))];
        using var limited = new TarMetadataLimit(new MemoryStream(tar), "Layer sha256:test", "The layer is corrupt or hostile; do not use the image.");
        var block = new byte[512];
        limited.ReadExactly(block);
        var e = Assert.Throws<InvalidDataException>(() => limited.ReadExactly(block));
        Assert.Equal("The tar is read on at byte 512, after its end-of-archive block at byte 0.", e.Message);
    }
}
