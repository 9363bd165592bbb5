// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Reads how many entries a zip's end of central directory record announces, before ZipArchive loads them all
/// into memory (APPNOTE.TXT 4.3.16 end of central directory record, 4.3.14–4.3.15 its Zip64 forms).
internal static class ZipDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int EndSize = 22;

    /// True when the end of central directory record is where APPNOTE puts it: in the last 64 KiB + 22 bytes.
    /// ZipArchive looks for it through the whole file, which takes seconds for a large file that is not a zip.
    public static bool HasEndRecord(Stream zip)
    {
        var length = zip.Length;
        if (length < EndSize) return false;
        var tailLength = (int)Math.Min(length, EndSize + ushort.MaxValue);
        var tail = new byte[tailLength];
        var start = zip.Position;
        zip.Position = length - tailLength;
        zip.ReadExactly(tail);
        zip.Position = start;
        return tail.AsSpan().LastIndexOf("PK\x05\x06"u8) >= 0;
    }

    /// The announced entry count, or null when the records cannot be found (ZipArchive then says what is wrong).
    public static long? EntryCount(Stream zip)
    {
        var length = zip.Length;
        if (length < EndSize) return null;
        var tailLength = (int)Math.Min(length, EndSize + ushort.MaxValue + 20);
        var tail = new byte[tailLength];
        zip.Position = length - tailLength;
        zip.ReadExactly(tail);
        zip.Position = 0;

        for (var i = tailLength - EndSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndSignature) continue;
            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            if (count != ushort.MaxValue) return count;
            // Zip64: the locator sits just before the record and points at the Zip64 end record
            if (i < 20 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i - 20)) != Zip64LocatorSignature) return count;
            var recordOffset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(i - 20 + 8));
            if (recordOffset < 0 || recordOffset > length - 56) return null;
            var record = new byte[40];
            zip.Position = recordOffset;
            zip.ReadExactly(record);
            zip.Position = 0;
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature) return null;
            var total = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32));
            return total < 0 ? long.MaxValue : total;
        }
        return null;
    }
}
