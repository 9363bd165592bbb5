// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Rpm;

/// An rpm header as the rpm database stores it: a count of index entries and the data length (big-endian int32s),
/// the index entries (tag, type, offset, count: four big-endian int32s each), then the data store (rpm's
/// "Package File Format", header structure). Every count and offset is checked against the blob before use, so a
/// hostile header gives an <see cref="InputException"/>, never an out-of-range read or a huge allocation.
public sealed class RpmHeader
{
    // rpm's own limits (HEADER_TAGS_MAX, HEADER_DATA_MAX in lib/header_internal.h)
    private const int MaxEntries = 0xffff;
    private const int MaxData = 0x0fffffff;
    private static readonly byte[] Magic = [0x8e, 0xad, 0xe8, 0x01];

    /// Tag numbers (rpm's rpmtag.h) of the values the catalogers read.
    public const int Name = 1000, Version = 1001, Release = 1002, Epoch = 1003, Summary = 1004, Size = 1009,
        Vendor = 1011, License = 1014, Packager = 1015, Url = 1020, Arch = 1022, SourceRpm = 1044, ProvideName = 1047,
        RequireName = 1049, DirIndexes = 1116, BaseNames = 1117, DirNames = 1118, Sha256Header = 273, Sha1Header = 269,
        ModularityLabel = 5096, LongSize = 5009;

    private enum TagType { Null = 0, Char = 1, Int8 = 2, Int16 = 3, Int32 = 4, Int64 = 5, String = 6, Bin = 7, StringArray = 8, I18nString = 9 }

    private readonly record struct Entry(TagType Type, int Offset, int Count);

    private readonly byte[] _data;
    private readonly Dictionary<int, Entry> _entries;
    private readonly string _where;

    private RpmHeader(byte[] data, Dictionary<int, Entry> entries, string where)
    {
        _data = data;
        _entries = entries;
        _where = where;
    }

    /// Parses one header blob; <paramref name="where"/> names it in messages ("var/lib/rpm/Packages, record 12").
    public static RpmHeader Parse(ReadOnlySpan<byte> blob, string where)
    {
        // a header read from a .rpm file starts with magic, version and 4 reserved bytes; the database stores it without
        if (blob.Length >= 8 && blob[..4].SequenceEqual(Magic)) blob = blob[8..];
        if (blob.Length < 8) throw Bad(where, $"it is {blob.Length} bytes, shorter than a header's 8-byte preamble");
        var il = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dl = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (il < 1 || il > MaxEntries) throw Bad(where, $"it claims {il} index entries (allowed 1 to {MaxEntries})");
        if (dl < 0 || dl > MaxData) throw Bad(where, $"it claims {dl} bytes of data (allowed 0 to {MaxData})");
        var dataStart = 8L + 16L * il;
        if (dataStart + dl > blob.Length) throw Bad(where, $"it claims {il} entries and {dl} data bytes but is only {blob.Length} bytes long (truncated?)");

        var data = blob.Slice((int)dataStart, dl).ToArray();
        var entries = new Dictionary<int, Entry>();
        for (var i = 0; i < il; i++)
        {
            var e = blob.Slice(8 + 16 * i, 16);
            var tag = BinaryPrimitives.ReadInt32BigEndian(e);
            var type = BinaryPrimitives.ReadInt32BigEndian(e[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(e[8..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(e[12..]);
            if (type is < 0 or > 9) throw Bad(where, $"tag {tag} has unknown type {type}");
            if (offset < 0 || offset > dl) throw Bad(where, $"tag {tag} points at offset {offset}, outside the {dl}-byte data");
            if (count < 0 || count > dl) throw Bad(where, $"tag {tag} claims {count} values in {dl} bytes of data");
            var width = (TagType)type switch
            {
                TagType.Char or TagType.Int8 or TagType.Bin => 1L,
                TagType.Int16 => 2L,
                TagType.Int32 => 4L,
                TagType.Int64 => 8L,
                _ => 0L, // strings are checked when read: they end at a NUL that must lie inside the data
            };
            if (offset + width * count > dl) throw Bad(where, $"tag {tag} runs past the end of the data");
            // entries after the immutable region ("dribble" entries) replace earlier ones, as rpm reads them
            entries[tag] = new Entry((TagType)type, offset, count);
        }
        return new RpmHeader(data, entries, where);
    }

    /// True when the header has the tag.
    public bool Has(int tag) => _entries.ContainsKey(tag);

    /// The first string of a STRING, STRING_ARRAY or I18NSTRING tag; null when absent or empty.
    public string? String(int tag)
    {
        if (!_entries.TryGetValue(tag, out var e) || e.Type is not (TagType.String or TagType.StringArray or TagType.I18nString) || e.Count == 0 && e.Type != TagType.String)
            return null;
        var s = ReadString(e.Offset, tag, out _);
        return s.Length == 0 ? null : s;
    }

    /// Every string of a STRING_ARRAY tag (a STRING tag gives one); empty when absent.
    public IReadOnlyList<string> Strings(int tag)
    {
        if (!_entries.TryGetValue(tag, out var e)) return [];
        if (e.Type == TagType.String) return [ReadString(e.Offset, tag, out _)];
        if (e.Type is not (TagType.StringArray or TagType.I18nString)) return [];
        var result = new List<string>(e.Count);
        var offset = e.Offset;
        for (var i = 0; i < e.Count; i++)
        {
            result.Add(ReadString(offset, tag, out var next));
            offset = next;
        }
        return result;
    }

    /// The first value of an INT32 tag (INT16/INT8 widened); null when absent.
    public long? Integer(int tag) => Integers(tag) is [var first, ..] ? first : null;

    /// Every value of an integer tag; empty when absent.
    public IReadOnlyList<long> Integers(int tag)
    {
        if (!_entries.TryGetValue(tag, out var e)) return [];
        var span = _data.AsSpan(e.Offset);
        var result = new long[e.Type is TagType.Int8 or TagType.Char or TagType.Int16 or TagType.Int32 or TagType.Int64 ? e.Count : 0];
        for (var i = 0; i < result.Length; i++)
            result[i] = e.Type switch
            {
                TagType.Int8 or TagType.Char => span[i],
                TagType.Int16 => BinaryPrimitives.ReadUInt16BigEndian(span[(2 * i)..]),
                TagType.Int32 => BinaryPrimitives.ReadUInt32BigEndian(span[(4 * i)..]),
                _ => BinaryPrimitives.ReadInt64BigEndian(span[(8 * i)..]),
            };
        return result;
    }

    private string ReadString(int offset, int tag, out int next)
    {
        if (offset >= _data.Length) throw Bad(_where, $"tag {tag} has a string starting past the end of the data");
        var end = Array.IndexOf(_data, (byte)0, offset);
        if (end < 0) throw Bad(_where, $"tag {tag} has a string with no terminating NUL inside the data");
        next = end + 1;
        return Encoding.UTF8.GetString(_data, offset, end - offset);
    }

    private static InputException Bad(string where, string why) =>
        new($"Cannot read the rpm header in {where}: {why}. The rpm database is damaged; 'rpm --rebuilddb' on the system it came from rebuilds it.");
}
