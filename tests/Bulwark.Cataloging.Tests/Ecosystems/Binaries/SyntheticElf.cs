// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Cataloging.Tests.Ecosystems.Binaries;

/// Builds minimal ELF files for tests (System V gABI, chapter 4): the ELF header, each section's bytes, a
/// .shstrtab, and the section header table, or, when <c>sectionHeaders</c> is false, only program headers
/// (one PT_LOAD per section, as a binary stripped with sstrip looks). Nothing here is executable.
public sealed class SyntheticElf(bool is64 = true, bool bigEndian = false)
{
    private readonly List<(string Name, byte[] Data, ulong Address, bool Writable)> _sections = [];

    public SyntheticElf Section(string name, byte[] data, ulong address = 0, bool writable = false)
    {
        _sections.Add((name, data, address, writable));
        return this;
    }

    public byte[] Build(bool sectionHeaders = true)
    {
        var headerSize = is64 ? 64 : 52;
        var phentsize = is64 ? 56 : 32;
        var shentsize = is64 ? 64 : 40;
        var body = new MemoryStream();
        body.Write(new byte[headerSize]);
        var phoff = 0L;
        if (!sectionHeaders)
        {
            phoff = body.Position;
            body.Write(new byte[phentsize * _sections.Count]);
        }
        var offsets = new List<long>();
        foreach (var s in _sections)
        {
            Align(body, 16);
            offsets.Add(body.Position);
            body.Write(s.Data);
        }

        var names = new MemoryStream();
        names.WriteByte(0);
        var nameOffsets = new List<int>();
        foreach (var s in _sections.Select(s => s.Name).Append(".shstrtab"))
        {
            nameOffsets.Add((int)names.Position);
            names.Write(Encoding.ASCII.GetBytes(s));
            names.WriteByte(0);
        }
        Align(body, 16);
        var strtabOffset = body.Position;
        body.Write(names.ToArray());
        Align(body, 16);
        var shoff = body.Position;
        var shnum = _sections.Count + 2;
        if (sectionHeaders) body.Write(new byte[shentsize * shnum]);
        var file = body.ToArray();

        // ELF header
        file[0] = 0x7F; file[1] = (byte)'E'; file[2] = (byte)'L'; file[3] = (byte)'F';
        file[4] = (byte)(is64 ? 2 : 1);
        file[5] = (byte)(bigEndian ? 2 : 1);
        file[6] = 1;
        U16(file, 16, 2);                 // ET_EXEC
        U16(file, 18, is64 ? 62 : 3);     // x86-64 / i386
        U32(file, 20, 1);
        if (is64)
        {
            U64(file, 0x20, (ulong)phoff);
            U64(file, 0x28, sectionHeaders ? (ulong)shoff : 0);
            U16(file, 0x34, headerSize);
            U16(file, 0x36, phentsize);
            U16(file, 0x38, sectionHeaders ? 0 : _sections.Count);
            U16(file, 0x3A, shentsize);
            U16(file, 0x3C, sectionHeaders ? shnum : 0);
            U16(file, 0x3E, sectionHeaders ? shnum - 1 : 0);
        }
        else
        {
            U32(file, 0x1C, (uint)phoff);
            U32(file, 0x20, sectionHeaders ? (uint)shoff : 0);
            U16(file, 0x28, headerSize);
            U16(file, 0x2A, phentsize);
            U16(file, 0x2C, sectionHeaders ? 0 : _sections.Count);
            U16(file, 0x2E, shentsize);
            U16(file, 0x30, sectionHeaders ? shnum : 0);
            U16(file, 0x32, sectionHeaders ? shnum - 1 : 0);
        }

        if (sectionHeaders)
        {
            for (var i = 0; i < _sections.Count; i++)
            {
                var s = _sections[i];
                WriteSectionHeader(file, (int)shoff + (i + 1) * shentsize, nameOffsets[i], 1, s.Writable ? 3UL : 2UL, s.Address, offsets[i], s.Data.Length);
            }
            WriteSectionHeader(file, (int)shoff + (shnum - 1) * shentsize, nameOffsets[^1], 3, 0, 0, strtabOffset, names.Length);
        }
        else
        {
            for (var i = 0; i < _sections.Count; i++)
            {
                var s = _sections[i];
                var o = (int)phoff + i * phentsize;
                var flags = s.Writable ? 6u : 4u; // PF_R | PF_W, or PF_R
                U32(file, o, 1); // PT_LOAD
                if (is64)
                {
                    U32(file, o + 4, flags);
                    U64(file, o + 8, (ulong)offsets[i]);
                    U64(file, o + 16, s.Address);
                    U64(file, o + 24, s.Address);
                    U64(file, o + 32, (ulong)s.Data.Length);
                    U64(file, o + 40, (ulong)s.Data.Length);
                }
                else
                {
                    U32(file, o + 4, (uint)offsets[i]);
                    U32(file, o + 8, (uint)s.Address);
                    U32(file, o + 12, (uint)s.Address);
                    U32(file, o + 16, (uint)s.Data.Length);
                    U32(file, o + 20, (uint)s.Data.Length);
                    U32(file, o + 24, flags);
                }
            }
        }
        return file;
    }

    private void WriteSectionHeader(byte[] f, int o, int name, uint type, ulong flags, ulong addr, long offset, long size)
    {
        U32(f, o, (uint)name);
        U32(f, o + 4, type);
        if (is64)
        {
            U64(f, o + 8, flags);
            U64(f, o + 16, addr);
            U64(f, o + 24, (ulong)offset);
            U64(f, o + 32, (ulong)size);
        }
        else
        {
            U32(f, o + 8, (uint)flags);
            U32(f, o + 12, (uint)addr);
            U32(f, o + 16, (uint)offset);
            U32(f, o + 20, (uint)size);
        }
    }

    private static void Align(MemoryStream s, int to)
    {
        while (s.Position % to != 0) s.WriteByte(0);
    }

    private void U16(byte[] b, int o, int v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(o), (ushort)v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(o), (ushort)v);
    }

    private void U32(byte[] b, int o, uint v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(o), v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(o), v);
    }

    private void U64(byte[] b, int o, ulong v)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(o), v);
        else BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(o), v);
    }
}
