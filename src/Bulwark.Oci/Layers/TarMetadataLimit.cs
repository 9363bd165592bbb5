// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// Sits between a layer's tar and System.Formats.Tar's <c>TarReader</c> and looks at every 512-byte header block as
/// the reader reads it. TarReader reads a metadata entry (a PAX extended or global header, 'x' or 'g', or a GNU long
/// name or link, 'L' or 'K') whole, into an array as large as the header's size field claims, before it reads a byte
/// of it: a header claiming 1 GiB allocates 1 GiB. Such a header is refused here, as its block passes, before
/// TarReader has parsed it. Nothing is buffered but the one header block.
///
/// Header positions follow TarReader's walk of the archive. A metadata entry's data is its header's size rounded up
/// to 512 bytes, and the next header follows it (TarReader groups at most 'x' + entry, or 'L'/'K' (+ 'K'/'L') + entry).
/// An entry's data size may come from a preceding PAX "size" record, so the caller reports each entry TarReader
/// returns (<see cref="EntryRead"/>) and the next header is placed after that entry's data. Reads that skip a header
/// block or go on past the end-of-archive block mean the two walks disagree, and are refused rather than unchecked.
/// <paramref name="subject"/> opens a refusal ("Layer sha256:…"), <paramref name="advice"/> ends it.
internal sealed class TarMetadataLimit(Stream inner, string subject, string advice) : Stream
{
    /// 1 MiB, the limit of Go's archive/tar (which docker, containerd and BuildKit write and read layers with) and of
    /// libarchive: a layer with a larger metadata entry does not load in docker either. Real ones hold a path, a link
    /// target, times, owner names and extended attributes: a few hundred bytes, tens of KiB with large ACLs or xattrs
    /// (a Linux xattr value is at most 64 KiB).
    public const int MaxMetadataBytes = 1 << 20;

    private const int BlockSize = 512;
    private const long AwaitingEntry = -1;  // inside an entry's data, until the caller reports the entry's size
    private const long Ended = long.MaxValue; // after the end-of-archive block: TarReader reads no further

    private readonly byte[] _block = new byte[BlockSize];
    private long _position;
    private long _next;                 // where the next header block starts
    private int _filled;                // bytes of that block seen so far
    private long _entryHeader;          // the header block of the entry TarReader returns next
    private Group _group = Group.Start;
    private byte _firstGnuType;

    /// Where TarReader is within its grouping of metadata headers with the entry they describe.
    private enum Group { Start, AfterPax, AfterOneGnu, AfterTwoGnu }

    /// Places the next header after the data of the entry TarReader has just returned (<paramref name="length"/> is
    /// the entry's data size as TarReader reads it, a PAX "size" record included). Entries that are themselves
    /// metadata ('g', or an 'x' after a GNU long name) were placed already, from their own header.
    public void EntryRead(long length)
    {
        if (_next != AwaitingEntry) return;
        _next = _entryHeader + BlockSize + Padded(length);
        _filled = 0;
    }

    private static long Padded(long size) => (size + BlockSize - 1) & ~(long)(BlockSize - 1);

    private void Observe(long start, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && _next != AwaitingEntry)
        {
            if (_next == Ended)
                throw new InvalidDataException($"The tar is read on at byte {start}, after its end-of-archive block at byte {_entryHeader}.");
            var want = _next + _filled;
            if (start + data.Length <= want) return; // entry data or padding before the next header
            if (start > want)
                throw new InvalidDataException($"The tar reader skipped the header block at byte {_next} (it read from byte {start}).");
            var skip = (int)(want - start);
            var take = Math.Min(BlockSize - _filled, data.Length - skip);
            data.Slice(skip, take).CopyTo(_block.AsSpan(_filled));
            _filled += take;
            start = want + take;
            data = data[(skip + take)..];
            if (_filled == BlockSize) OnHeader(_next);
        }
    }

    private void OnHeader(long at)
    {
        _filled = 0;
        if (IsEndOfArchive(_block))
        {
            _entryHeader = at;
            _next = Ended;
            return;
        }
        var type = (char)_block[156];
        if (type is not ('x' or 'g' or 'L' or 'K'))
        {
            _entryHeader = at;
            _next = AwaitingEntry;
            _group = Group.Start;
            return;
        }
        var size = MetadataSize(_block.AsSpan(124, 12), type, at);
        _next = at + BlockSize + Padded(size);
        // TarReader's grouping (TarReader.TryGetNextEntryHeader): 'x' is followed by the entry it describes; 'L' and
        // 'K' by the entry, or by the other of the two and then the entry; 'g', or 'x'/'g' after GNU names, is an
        // entry itself. A grouping TarReader refuses (two 'x' in a row, 'L' after 'L') leaves it throwing; the block
        // is still checked here first.
        _group = (_group, type) switch
        {
            (Group.Start or Group.AfterPax, 'x') => Group.AfterPax,
            (Group.Start or Group.AfterPax, 'L' or 'K') => Group.AfterOneGnu,
            (Group.AfterOneGnu, 'L' or 'K') when type != _firstGnuType => Group.AfterTwoGnu,
            _ => Group.Start,
        };
        if (_group == Group.AfterOneGnu) _firstGnuType = (byte)type;
    }

    /// TarReader ends the archive at a block whose checksum field is empty or zero (TarHeader.TryReadCommonAttributes).
    private static bool IsEndOfArchive(ReadOnlySpan<byte> block)
    {
        var checksum = block.Slice(148, 8);
        return !checksum.ContainsAnyExcept((byte)0) || TryParseOctal(checksum, out var value) && value == 0;
    }

    /// The size field as TarReader parses it (TarHelpers.ParseNumeric): octal digits up to a NUL, spaces trimmed; or
    /// GNU base-256, a leading 0x80 then the value big-endian in the other 11 bytes (0xFF is a negative number).
    private long MetadataSize(ReadOnlySpan<byte> field, char type, long at)
    {
        ulong size;
        if (field[0] == 0x80)
        {
            // 11 bytes of value: the first three must be zero for it to fit in 64 bits
            size = field.Slice(1, 3).ContainsAnyExcept((byte)0) ? ulong.MaxValue : BinaryPrimitives.ReadUInt64BigEndian(field[4..]);
        }
        else if (!TryParseOctal(field, out size))
        {
            throw new InputException($"{subject} is refused: the tar header at byte {at} ({Describe(type)}) has a size field that is not a number. {advice}");
        }
        if (size > MaxMetadataBytes)
            throw new InputException($"{subject} is refused: the tar header at byte {at} is a {Describe(type)} ('{type}') claiming {size} bytes; more than {MaxMetadataBytes} bytes of tar metadata is refused (as by docker's Go archive/tar and libarchive; real ones are a few hundred bytes). {advice}");
        return (long)size;
    }

    private static string Describe(char type) => type switch
    {
        'x' => "PAX extended header",
        'g' => "PAX global header",
        'L' => "GNU long name",
        _ => "GNU long link name",
    };

    private static bool TryParseOctal(ReadOnlySpan<byte> field, out ulong value)
    {
        value = 0;
        var nul = field.IndexOf((byte)0);
        if (nul >= 0) field = field[..nul];
        field = field.Trim((byte)' ');
        foreach (var b in field)
        {
            var digit = (uint)(b - '0');
            if (digit >= 8) return false;
            value = value * 8 + digit; // at most 12 digits: no overflow
        }
        return true;
    }

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => _position;
        set
        {
            inner.Position = value;
            _position = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = inner.Seek(offset, origin);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Completed(_position, buffer, inner.Read(buffer));

    // not an async method: TarReader skips unread data of a non-seekable tar a few KiB per call, which must not
    // allocate a state machine each time
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = _position;
        var read = inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Completed(start, buffer.Span, read.Result)) : Later(start, buffer, read);
    }

    private async ValueTask<int> Later(long start, Memory<byte> buffer, ValueTask<int> read)
    {
        var n = await read.ConfigureAwait(false);
        return Completed(start, buffer.Span, n);
    }

    private int Completed(long start, ReadOnlySpan<byte> buffer, int n)
    {
        _position = start + n;
        Observe(start, buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// What System.Formats.Tar throws on a damaged or hostile archive, besides its InvalidDataException: some malformed
/// headers come out as InvalidOperationException ("the size field ... is greater than the expected length") or
/// OverflowException, and entry types it does not read (GNU sparse files, type 'S') as NotSupportedException.
internal static class TarDamage
{
    public static bool Is(Exception e) => e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or ArgumentException
        or InvalidOperationException { Source: "System.Formats.Tar" }
        or NotSupportedException { Source: "System.Formats.Tar" };
}
