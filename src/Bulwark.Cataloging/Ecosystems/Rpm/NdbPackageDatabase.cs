// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Rpm;

/// A reader for rpm's own "ndb" package database, Packages.db (SUSE and openSUSE), as rpm's lib/backend/ndb writes it:
/// <code>
/// offset 0      header (little-endian u32s): magic "RpmP", version 0, generation, slot page count, next package index
/// offset 32…    slots, 16 bytes each, filling the slot pages (4096 bytes each): magic "Slot", package index,
///               block offset, block count (blocks are 16 bytes; offset 0 = a free slot)
/// blob          at block offset × 16: head magic "BlbS", package index, timestamp, length; the header blob;
///               zero padding; tail adler32 (of everything before it), length, magic "BlbE" ending the last block
/// </code>
/// Every slot is checked against the file size and every blob's head, tail and checksum are verified.
public static class NdbPackageDatabase
{
    private const uint HeaderMagic = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    private const uint SlotMagic = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    private const uint BlobHeadMagic = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    private const uint BlobTailMagic = 'B' | 'l' << 8 | 'b' << 16 | 'E' << 24;
    private const int PageSize = 4096, SlotSize = 16, BlockSize = 16, HeaderSize = 32, BlobHeadSize = 16, BlobTailSize = 12;
    private const int MaxBlobLength = 0x0fffffff;

    /// True when the stream starts with the ndb package database magic.
    public static bool HasMagic(ReadOnlySpan<byte> start) => start.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(start) == HeaderMagic;

    /// Every package header blob with its package index, in slot order; <paramref name="where"/> names the file in messages.
    public static IEnumerable<(uint Index, byte[] Blob)> Entries(Stream file, string where)
    {
        if (!file.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(file));
        var length = file.Length;
        var header = new byte[HeaderSize];
        file.Position = 0;
        if (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize) throw Bad(where, "it is shorter than the 32-byte header");
        if (U32(header, 0) != HeaderMagic) throw Bad(where, "it has no ndb magic 'RpmP'");
        if (U32(header, 4) != 0) throw Bad(where, $"it is format version {U32(header, 4)}; only version 0 is known");
        var slotPages = U32(header, 12);
        if (slotPages == 0 || (long)slotPages * PageSize > length) throw Bad(where, $"it claims {slotPages} slot pages but is {length} bytes long (truncated?)");
        var fileBlocks = length / BlockSize;
        var firstBlobBlock = (long)slotPages * (PageSize / BlockSize);

        var slots = new List<(uint Index, uint Offset, uint Count)>();
        var page = new byte[PageSize];
        for (var p = 0L; p < slotPages; p++)
        {
            file.Position = p * PageSize;
            file.ReadExactly(page);
            for (var o = p == 0 ? HeaderSize : 0; o < PageSize; o += SlotSize)
            {
                if (U32(page, o) != SlotMagic) throw Bad(where, $"slot at byte {p * PageSize + o} has no 'Slot' magic");
                var offset = U32(page, o + 8);
                if (offset == 0) continue; // a free slot
                var index = U32(page, o + 4);
                var count = U32(page, o + 12);
                if (index == 0 || count == 0 || offset < firstBlobBlock || (long)offset + count > fileBlocks)
                    throw Bad(where, $"slot for package {index} points at blocks {offset}+{count}, outside the data area (truncated?)");
                slots.Add((index, offset, count));
            }
        }

        foreach (var (index, offset, count) in slots)
            yield return (index, ReadBlob(file, where, index, offset, count));
    }

    private static byte[] ReadBlob(Stream file, string where, uint index, uint offset, uint count)
    {
        var total = (long)count * BlockSize;
        if (total > MaxBlobLength + BlobHeadSize + BlobTailSize + BlockSize) throw Bad(where, $"package {index} claims {total} bytes");
        var bytes = new byte[total];
        file.Position = (long)offset * BlockSize;
        file.ReadExactly(bytes);
        if (U32(bytes, 0) != BlobHeadMagic || U32(bytes, 4) != index) throw Bad(where, $"package {index}'s data does not start with its blob head");
        var blobLength = U32(bytes, 12);
        if (blobLength > MaxBlobLength || (BlobHeadSize + blobLength + BlobTailSize + BlockSize - 1) / BlockSize != count)
            throw Bad(where, $"package {index}'s blob length {blobLength} does not match its {count} blocks");
        var tail = (int)total - BlobTailSize;
        if (U32(bytes, tail + 4) != blobLength || U32(bytes, tail + 8) != BlobTailMagic) throw Bad(where, $"package {index}'s blob tail is damaged");
        if (Adler32(bytes.AsSpan(0, tail)) != U32(bytes, tail)) throw Bad(where, $"package {index}'s checksum does not match its data");
        return bytes.AsSpan(BlobHeadSize, (int)blobLength).ToArray();
    }

    // RFC 1950 §8.2
    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, 5552);
            foreach (var x in data[..n]) { a += x; b += a; }
            a %= 65521;
            b %= 65521;
            data = data[n..];
        }
        return b << 16 | a;
    }

    private static uint U32(byte[] b, int o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o));

    private static InputException Bad(string where, string why) =>
        new($"Cannot read the rpm ndb database {where}: {why}. If it came from a running system, 'rpm --rebuilddb' there rebuilds it.");
}
