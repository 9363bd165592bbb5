// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Rpm;

/// A read-only reader for Berkeley DB hash databases (DB 4.x/5.x on-disk format, hash version 8 or 9), enough to read
/// rpm's Packages file: the metadata page, the bucket pages and their chains, and values on overflow pages.
/// Layout, from Berkeley DB's documented page formats (dbinc/db_page.h):
/// <code>
/// page 0   hash metadata: lsn(8) pgno(4) magic(4)=0x061561 version(4) pagesize(4) encrypt_alg(1) type(1)=8 metaflags(1)
///          unused(1) free(4) last_pgno(4) nparts(4) key_count(4) record_count(4) flags(4) uid(20)        ← 72 bytes
///          max_bucket(4) high_mask(4) low_mask(4) ffactor(4) nelem(4) h_charkey(4) spares[32](4 each)   ← at 72
/// page n   header: lsn(8) pgno(4) prev_pgno(4) next_pgno(4) entries(2) hf_offset(2) level(1) type(1)     ← 26 bytes
///          then entries × 2-byte item offsets; hash pages (type 2 or 13) hold key/value items in pairs, items
///          packed from the end of the page: item i spans [inp[i], i == 0 ? pagesize : inp[i-1])
///          item type byte: 1 = key/data inline, 3 = off-page: unused(3) pgno(4) total length(4)
///          overflow pages (type 7): hf_offset bytes of data after the header, chained through next_pgno
/// bucket b is on page b + spares[ceil(log2(b + 1))]
/// </code>
/// Integers are in the byte order of the machine that wrote the file, told apart by the magic number. Every page
/// number, offset and length is checked; a page reached twice is a cycle and fails, so a damaged file cannot hang.
public sealed class BerkeleyHashDatabase
{
    private const uint HashMagic = 0x061561;
    private const int PageHeaderSize = 26;
    private const byte PageHash = 13, PageHashUnsorted = 2, PageOverflow = 7, PageHashMeta = 8;
    private const byte ItemKeyData = 1, ItemDuplicate = 2, ItemOffPage = 3, ItemOffDuplicate = 4;
    private const int MaxValueLength = 0x0fffffff;

    private readonly Stream _file;
    private readonly string _where;
    private readonly bool _bigEndian;
    private readonly int _pageSize;
    private readonly uint _lastPage;
    private readonly uint _maxBucket;
    private readonly uint[] _spares = new uint[32];

    private BerkeleyHashDatabase(Stream file, string where, bool bigEndian, int pageSize, uint lastPage, uint maxBucket, byte[] meta)
    {
        _file = file;
        _where = where;
        _bigEndian = bigEndian;
        _pageSize = pageSize;
        _lastPage = lastPage;
        _maxBucket = maxBucket;
        for (var i = 0; i < 32; i++) _spares[i] = U32(meta, 96 + 4 * i);
    }

    /// True when the file was written on a big-endian machine (keys the application wrote are in that order too).
    public bool IsBigEndian => _bigEndian;

    /// Opens a database held in a seekable stream; <paramref name="where"/> names it in messages.
    public static BerkeleyHashDatabase Open(Stream file, string where)
    {
        if (!file.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(file));
        var meta = new byte[512];
        file.Position = 0;
        if (file.ReadAtLeast(meta, meta.Length, throwOnEndOfStream: false) < 256) throw Bad(where, "it is too short to hold a Berkeley DB metadata page");
        var le = BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(12));
        var be = BinaryPrimitives.ReadUInt32BigEndian(meta.AsSpan(12));
        if (le != HashMagic && be != HashMagic)
            throw Bad(where, le is 0x053162 || be is 0x053162 ? "it is a Berkeley DB btree database, not a hash database" : "it has no Berkeley DB hash magic number");
        var bigEndian = be == HashMagic;
        uint U(int o) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(meta.AsSpan(o)) : BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(o));
        var version = U(16);
        if (version is < 8 or > 10) throw Bad(where, $"it is hash format version {version}; only versions 8 to 10 (Berkeley DB 4.x and later) are read");
        var pageSize = U(20);
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0) throw Bad(where, $"its page size {pageSize} is not a power of two from 512 to 65536");
        if (meta[24] != 0) throw Bad(where, "it is encrypted");
        if (meta[25] != PageHashMeta) throw Bad(where, $"its first page has type {meta[25]}, not hash metadata");
        if ((meta[26] & 0x01) != 0) throw Bad(where, "it has page checksums, which this reader does not support");
        var lastPage = U(32);
        var maxBucket = U(72);
        if ((long)(lastPage + 1L) * pageSize > file.Length) throw Bad(where, $"it claims {lastPage + 1} pages of {pageSize} bytes but is {file.Length} bytes long (truncated?)");
        if (maxBucket > lastPage) throw Bad(where, $"it claims {maxBucket + 1} buckets but has only {lastPage + 1} pages");
        return new BerkeleyHashDatabase(file, where, bigEndian, (int)pageSize, lastPage, maxBucket, meta);
    }

    /// Every value in the database with its key, bucket by bucket.
    public IEnumerable<(byte[] Key, byte[] Value)> Entries()
    {
        var seen = new HashSet<uint>();
        var page = new byte[_pageSize];
        for (uint bucket = 0; bucket <= _maxBucket; bucket++)
        {
            var pgno = bucket + _spares[Log2Ceiling(bucket + 1)];
            while (pgno != 0)
            {
                ReadPage(pgno, page, seen);
                var type = page[25];
                // a bucket page Berkeley DB reserved but never wrote reads as zeros: an empty bucket
                if (type == 0 && U16(page, 20) == 0 && U32(page, 16) == 0) break;
                if (type is not (PageHash or PageHashUnsorted)) throw Bad(_where, $"bucket page {pgno} has type {type}, not a hash page");
                var count = U16(page, 20);
                if (PageHeaderSize + 2 * count > _pageSize) throw Bad(_where, $"page {pgno} claims {count} items, more than fit in a page");
                if (count % 2 != 0) throw Bad(_where, $"page {pgno} has an odd number of items ({count}); items come in key/value pairs");
                for (var i = 0; i < count; i += 2)
                {
                    var key = Item(page, pgno, i, seen);
                    var value = Item(page, pgno, i + 1, seen);
                    yield return (key, value);
                }
                pgno = U32(page, 16);
            }
        }
    }

    private byte[] Item(byte[] page, uint pgno, int index, HashSet<uint> seen)
    {
        int start = U16(page, PageHeaderSize + 2 * index);
        int end = index == 0 ? _pageSize : U16(page, PageHeaderSize + 2 * (index - 1));
        if (start < PageHeaderSize || start >= end || end > _pageSize) throw Bad(_where, $"page {pgno} item {index} lies outside the page");
        switch (page[start])
        {
            case ItemKeyData:
                return page.AsSpan(start + 1, end - start - 1).ToArray();
            case ItemOffPage:
                if (end - start < 12) throw Bad(_where, $"page {pgno} item {index} is too short for an off-page reference");
                return Overflow(U32(page, start + 4), U32(page, start + 8), seen);
            case ItemDuplicate or ItemOffDuplicate:
                throw Bad(_where, $"page {pgno} item {index} holds duplicates, which rpm databases never use");
            default:
                throw Bad(_where, $"page {pgno} item {index} has unknown type {page[start]}");
        }
    }

    private byte[] Overflow(uint pgno, uint totalLength, HashSet<uint> seen)
    {
        if (totalLength > MaxValueLength || totalLength > _file.Length)
            throw Bad(_where, $"an off-page value claims {totalLength} bytes, more than the file holds");
        var value = new byte[totalLength];
        var filled = 0;
        var page = new byte[_pageSize];
        while (filled < value.Length)
        {
            if (pgno == 0) throw Bad(_where, $"an off-page value ends after {filled} of its {totalLength} bytes");
            ReadPage(pgno, page, seen);
            if (page[25] != PageOverflow) throw Bad(_where, $"page {pgno} has type {page[25]}, not an overflow page");
            var length = U16(page, 22);
            if (length > _pageSize - PageHeaderSize || length > value.Length - filled)
                throw Bad(_where, $"overflow page {pgno} claims {length} bytes, more than the page or the value holds");
            page.AsSpan(PageHeaderSize, length).CopyTo(value.AsSpan(filled));
            filled += length;
            if (length == 0 && filled < value.Length) throw Bad(_where, $"overflow page {pgno} is empty before the value is complete");
            pgno = U32(page, 16);
        }
        return value;
    }

    private void ReadPage(uint pgno, byte[] page, HashSet<uint> seen)
    {
        if (pgno == 0 || pgno > _lastPage) throw Bad(_where, $"a link points at page {pgno}, outside pages 1 to {_lastPage}");
        if (!seen.Add(pgno)) throw Bad(_where, $"page {pgno} is reached twice (a cycle in the page links)");
        _file.Position = (long)pgno * _pageSize;
        _file.ReadExactly(page);
    }

    private static int Log2Ceiling(uint n)
    {
        var i = 0;
        while ((1u << i) < n && i < 31) i++;
        return i;
    }

    private uint U32(byte[] b, int o) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o));
    private ushort U16(byte[] b, int o) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(o));

    private static InputException Bad(string where, string why) =>
        new($"Cannot read the Berkeley DB file {where}: {why}. If it came from a running system, 'rpm --rebuilddb' there rebuilds it.");
}
