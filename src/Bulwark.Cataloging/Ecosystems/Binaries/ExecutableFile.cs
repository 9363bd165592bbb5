// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Binaries;

/// The container format of an executable file.
internal enum ExecutableFormat { Elf, Pe, MachO }

/// One section (or, for an ELF without section headers, one loadable segment) of an executable.
/// <see cref="FileSize"/> is 0 when the section occupies no bytes in the file (.bss, zerofill).
internal sealed record ExecutableSection(string Name, ulong Address, long Offset, long FileSize, bool Writable);

/// The section table of an ELF, PE or Mach-O file, read from its headers only: the file is never loaded whole,
/// and callers read just the sections they need. Formats: ELF (System V gABI, "Sections" and "Program Header"),
/// PE (Microsoft PE/COFF specification, "Section Table"), Mach-O (Apple &lt;mach-o/loader.h&gt; and &lt;mach-o/fat.h&gt;).
internal sealed class ExecutableFile
{
    // Header tables larger than this are not believed: real binaries have a few hundred sections at most.
    private const int MaxHeaderBytes = 16 << 20;

    private readonly Stream _stream;

    private ExecutableFile(Stream stream, ExecutableFormat format, bool littleEndian,
        IReadOnlyList<ExecutableSection> sections)
    {
        _stream = stream;
        Format = format;
        LittleEndian = littleEndian;
        Sections = sections;
    }

    public ExecutableFormat Format { get; }
    public bool LittleEndian { get; }
    public IReadOnlyList<ExecutableSection> Sections { get; }
    public long Length => _stream.Length;

    public ExecutableSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name && s.FileSize > 0);

    /// Reads the headers of an executable, or returns null when the magic bytes say the file is none of ELF, PE
    /// or Mach-O (a script, a text file, an image). Headers that point past the end of the file throw
    /// <see cref="InputException"/>: the file is a truncated or corrupt executable. The stream must be seekable.
    public static async Task<ExecutableFile?> TryReadAsync(Stream stream, CancellationToken ct)
    {
        if (stream.Length < 64) return null;
        var head = new byte[64];
        stream.Position = 0;
        await stream.ReadExactlyAsync(head, ct).ConfigureAwait(false);
        if (head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F')
            return await ReadElfAsync(stream, head, ct).ConfigureAwait(false);
        if (head[0] == 'M' && head[1] == 'Z')
            return await ReadPeAsync(stream, head, ct).ConfigureAwait(false);
        var magicBe = BinaryPrimitives.ReadUInt32BigEndian(head);
        var magicLe = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (magicLe is 0xFEEDFACE or 0xFEEDFACF || magicBe is 0xFEEDFACE or 0xFEEDFACF)
            return await ReadMachOAsync(stream, 0, ct).ConfigureAwait(false);
        // a universal binary; 0xCAFEBABE is also a Java class file, whose major version makes the "count" 45 or more
        if (magicBe == 0xCAFEBABE && BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4)) is > 0 and < 20)
        {
            // the architectures carry the same build information; the first one is read
            var offset = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16));
            return await ReadMachOAsync(stream, offset, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// True when the first bytes of a file are the magic number of ELF, PE (MZ) or Mach-O (thin or universal).
    public static bool HasMagic(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4) return false;
        if (head[0] == 0x7F && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') return true;
        if (head[0] == 'M' && head[1] == 'Z') return true;
        var be = BinaryPrimitives.ReadUInt32BigEndian(head);
        var le = BinaryPrimitives.ReadUInt32LittleEndian(head);
        return be is 0xFEEDFACE or 0xFEEDFACF or 0xCAFEBABE || le is 0xFEEDFACE or 0xFEEDFACF;
    }

    /// Reads <paramref name="count"/> bytes at a file offset; throws <see cref="InputException"/> past the end.
    public async Task<byte[]> ReadAsync(long offset, int count, CancellationToken ct)
    {
        if (!Fits(offset, count, _stream.Length))
            throw TruncatedAt($"data at offset {offset} (+{count} bytes)");
        var buffer = new byte[count];
        _stream.Position = offset;
        await _stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        return buffer;
    }

    /// Reads up to <paramref name="max"/> bytes of a section's file contents.
    public Task<byte[]> ReadSectionAsync(ExecutableSection section, int max, CancellationToken ct) =>
        ReadAsync(section.Offset, (int)Math.Min(section.FileSize, max), ct);

    /// Maps a virtual address to a file offset through the section table; null when no section holds it.
    public long? FileOffsetOf(ulong address, long count)
    {
        foreach (var s in Sections)
        {
            if (s.FileSize == 0 || address < s.Address) continue;
            var delta = address - s.Address;
            if (delta + (ulong)count <= (ulong)s.FileSize) return s.Offset + (long)delta;
        }
        return null;
    }

    private static InputException TruncatedAt(string what) =>
        new($"the executable's headers point past the end of the file ({what}); the file is truncated or corrupt.");

    private static async Task<byte[]> ReadTableAsync(Stream s, long offset, long count, string what, CancellationToken ct)
    {
        if (count > MaxHeaderBytes) throw new InputException($"the {what} is {count:N0} bytes, too large to be real; the file is corrupt.");
        if (!Fits(offset, count, s.Length)) throw TruncatedAt(what);
        var buffer = new byte[count];
        s.Position = offset;
        await s.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        return buffer;
    }

    private static async Task<ExecutableFile> ReadElfAsync(Stream s, byte[] head, CancellationToken ct)
    {
        var is64 = head[4] == 2;
        var le = head[5] != 2;
        var r = new Reader(le);
        long shoff, phoff;
        int shentsize, shnum, shstrndx, phentsize, phnum;
        if (is64)
        {
            phoff = (long)r.U64(head, 0x20);
            shoff = (long)r.U64(head, 0x28);
            phentsize = r.U16(head, 0x36);
            phnum = r.U16(head, 0x38);
            shentsize = r.U16(head, 0x3A);
            shnum = r.U16(head, 0x3C);
            shstrndx = r.U16(head, 0x3E);
        }
        else
        {
            phoff = r.U32(head, 0x1C);
            shoff = r.U32(head, 0x20);
            phentsize = r.U16(head, 0x2A);
            phnum = r.U16(head, 0x2C);
            shentsize = r.U16(head, 0x2E);
            shnum = r.U16(head, 0x30);
            shstrndx = r.U16(head, 0x32);
        }
        var minEntry = is64 ? 64 : 40;
        var sections = new List<ExecutableSection>();
        if (shoff != 0 && shnum > 0 && shentsize >= minEntry)
        {
            var table = await ReadTableAsync(s, shoff, (long)shnum * shentsize, "ELF section headers", ct).ConfigureAwait(false);
            var raw = new List<(uint Name, uint Type, ulong Flags, ulong Addr, long Offset, long Size)>();
            for (var i = 0; i < shnum; i++)
            {
                var o = i * shentsize;
                raw.Add(is64
                    ? (r.U32(table, o), r.U32(table, o + 4), r.U64(table, o + 8), r.U64(table, o + 16), (long)r.U64(table, o + 24), (long)r.U64(table, o + 32))
                    : (r.U32(table, o), r.U32(table, o + 4), r.U32(table, o + 8), r.U32(table, o + 12), r.U32(table, o + 16), r.U32(table, o + 20)));
            }
            byte[] names = [];
            if (shstrndx > 0 && shstrndx < shnum && raw[shstrndx].Type != 8)
                names = await ReadTableAsync(s, raw[shstrndx].Offset, raw[shstrndx].Size, "ELF section name table", ct).ConfigureAwait(false);
            foreach (var (name, type, flags, addr, offset, size) in raw)
            {
                // SHT_NOBITS (8) takes no space in the file; SHT_NULL (0) is the reserved first entry
                if (type == 0) continue;
                var fileSize = type == 8 ? 0 : size;
                if (fileSize > 0 && !Fits(offset, size, s.Length)) throw TruncatedAt($"ELF section {CString(names, (int)Math.Min(name, int.MaxValue))}");
                sections.Add(new(CString(names, (int)Math.Min(name, int.MaxValue)), addr, offset, fileSize, (flags & 1) != 0));
            }
        }
        else if (phoff != 0 && phnum > 0 && phentsize >= (is64 ? 56 : 32))
        {
            // no section headers (stripped with sstrip or similar): the loadable segments stand in for sections
            var table = await ReadTableAsync(s, phoff, (long)phnum * phentsize, "ELF program headers", ct).ConfigureAwait(false);
            for (var i = 0; i < phnum; i++)
            {
                var o = i * phentsize;
                if (r.U32(table, o) != 1) continue; // PT_LOAD
                var (flags, offset, addr, filesz) = is64
                    ? (r.U32(table, o + 4), (long)r.U64(table, o + 8), r.U64(table, o + 16), (long)r.U64(table, o + 32))
                    : (r.U32(table, o + 24), r.U32(table, o + 4), r.U32(table, o + 8), r.U32(table, o + 16));
                if (!Fits(offset, filesz, s.Length)) throw TruncatedAt("ELF segment");
                sections.Add(new("", addr, offset, filesz, (flags & 2) != 0));
            }
        }
        return new ExecutableFile(s, ExecutableFormat.Elf, le, sections);
    }

    private static async Task<ExecutableFile?> ReadPeAsync(Stream s, byte[] head, CancellationToken ct)
    {
        var peOffset = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x3C));
        if ((long)peOffset + 24 > s.Length) return null; // an MZ-only (DOS) program or a text file starting with "MZ"
        var coff = await ReadTableAsync(s, peOffset, 24, "PE header", ct).ConfigureAwait(false);
        if (coff[0] != 'P' || coff[1] != 'E' || coff[2] != 0 || coff[3] != 0) return null;
        var r = new Reader(true);
        var count = r.U16(coff, 6);
        var optionalSize = r.U16(coff, 20);
        var optional = await ReadTableAsync(s, peOffset + 24, optionalSize, "PE optional header", ct).ConfigureAwait(false);
        ulong imageBase = optionalSize < 32 ? 0 : r.U16(optional, 0) switch
        {
            0x20B => r.U64(optional, 24), // PE32+
            _ => r.U32(optional, 28),     // PE32
        };
        var table = await ReadTableAsync(s, peOffset + 24 + optionalSize, count * 40L, "PE section table", ct).ConfigureAwait(false);
        var sections = new List<ExecutableSection>();
        for (var i = 0; i < count; i++)
        {
            var o = i * 40;
            var name = CString(table.AsSpan(o, 8).ToArray(), 0);
            var virtualSize = r.U32(table, o + 8);
            var virtualAddress = r.U32(table, o + 12);
            var rawSize = r.U32(table, o + 16);
            var rawOffset = r.U32(table, o + 20);
            var characteristics = r.U32(table, o + 36);
            // the file holds SizeOfRawData bytes (rounded up to the file alignment); VirtualSize is the real length
            long fileSize = virtualSize == 0 ? rawSize : Math.Min(rawSize, virtualSize);
            if (rawOffset == 0) fileSize = 0;
            if (fileSize > 0 && !Fits(rawOffset, fileSize, s.Length)) throw TruncatedAt($"PE section {name}");
            sections.Add(new(name, imageBase + virtualAddress, rawOffset, fileSize, (characteristics & 0x80000000) != 0));
        }
        return new ExecutableFile(s, ExecutableFormat.Pe, true, sections);
    }

    private static async Task<ExecutableFile> ReadMachOAsync(Stream s, long start, CancellationToken ct)
    {
        var header = await ReadTableAsync(s, start, 32, "Mach-O header", ct).ConfigureAwait(false);
        var le = BinaryPrimitives.ReadUInt32LittleEndian(header) is 0xFEEDFACE or 0xFEEDFACF;
        var r = new Reader(le);
        var magic = r.U32(header, 0);
        if (magic is not (0xFEEDFACE or 0xFEEDFACF)) throw TruncatedAt("Mach-O architecture in a universal binary");
        var is64 = magic == 0xFEEDFACF;
        var ncmds = r.U32(header, 16);
        var sizeofcmds = r.U32(header, 20);
        var commands = await ReadTableAsync(s, start + (is64 ? 32 : 28), sizeofcmds, "Mach-O load commands", ct).ConfigureAwait(false);
        var sections = new List<ExecutableSection>();
        var o = 0;
        for (var i = 0; i < ncmds && o + 8 <= commands.Length; i++)
        {
            var cmd = r.U32(commands, o);
            var size = (int)Math.Min(r.U32(commands, o + 4), int.MaxValue);
            if (size < 8 || o + size > commands.Length) throw TruncatedAt("Mach-O load command");
            if (cmd is 0x19 or 0x1) // LC_SEGMENT_64, LC_SEGMENT
            {
                var seg64 = cmd == 0x19;
                var headerSize = seg64 ? 72 : 56;
                var sectionSize = seg64 ? 80 : 68;
                var initprot = r.U32(commands, o + (seg64 ? 60 : 44));
                var nsects = r.U32(commands, o + (seg64 ? 64 : 48));
                for (var k = 0; k < nsects; k++)
                {
                    var so = o + headerSize + k * sectionSize;
                    if (so + sectionSize > o + size) throw TruncatedAt("Mach-O section header");
                    var name = CString(commands.AsSpan(so, 16).ToArray(), 0);
                    var (addr, secSize, offset, flags) = seg64
                        ? (r.U64(commands, so + 32), (long)r.U64(commands, so + 40), r.U32(commands, so + 48), r.U32(commands, so + 64))
                        : (r.U32(commands, so + 32), r.U32(commands, so + 36), r.U32(commands, so + 40), r.U32(commands, so + 56));
                    // S_ZEROFILL (1), S_GB_ZEROFILL (12) and S_THREAD_LOCAL_ZEROFILL (18) take no space in the file
                    var fileSize = (flags & 0xFF) is 1 or 12 or 18 || offset == 0 ? 0 : secSize;
                    if (fileSize > 0 && !Fits(start + offset, fileSize, s.Length)) throw TruncatedAt($"Mach-O section {name}");
                    sections.Add(new(name, addr, start + offset, fileSize, (initprot & 2) != 0));
                }
            }
            o += size;
        }
        return new ExecutableFile(s, ExecutableFormat.MachO, le, sections);
    }

    /// True when [offset, offset + count) lies inside a file of <paramref name="length"/> bytes (no overflow).
    private static bool Fits(long offset, long count, long length) =>
        offset >= 0 && count >= 0 && offset <= length && count <= length - offset;

    private static string CString(byte[] table, int offset)
    {
        if (offset < 0 || offset >= table.Length) return "";
        var end = Array.IndexOf(table, (byte)0, offset);
        return Encoding.ASCII.GetString(table, offset, (end < 0 ? table.Length : end) - offset);
    }

    /// Reads integers in the file's byte order.
    private readonly struct Reader(bool littleEndian)
    {
        public ushort U16(byte[] b, int o) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(o));
        public uint U32(byte[] b, int o) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(o));
        public ulong U64(byte[] b, int o) => littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(o)) : BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(o));
    }
}
