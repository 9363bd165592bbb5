// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;
using Bulwark.Cataloging.Ecosystems.Binaries;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Go;

/// The build information the Go linker embeds in every module-aware executable (Go 1.13 and later): the toolchain
/// version and the module-info text that `go version -m` prints.
///
/// Layout (Go source, src/debug/buildinfo/buildinfo.go and cmd/link/internal/ld/data.go "buildinfo"): a 32-byte
/// header at a 16-byte aligned address, at the start of section .go.buildinfo (ELF) or __go_buildinfo (Mach-O), or in
/// the first writable data section (PE .data, older binaries):
///   [0..14)  magic "\xff Go buildinf:"
///   [14]     pointer size (4 or 8)
///   [15]     flags: bit 0 = big-endian pointers, bit 1 = strings follow inline (Go 1.18+)
/// Inline (Go 1.18+): at offset 32, the version string then the module-info string, each a uvarint length and bytes.
/// Pointer form (Go 1.13-1.17): at offset 16 and 16+ptrsize, the addresses of two Go string headers (data pointer,
/// length), which point into the data segment. The module-info string is wrapped in 16 sentinel bytes at each end.
internal sealed record GoBuildInfo(string GoVersion, string ModInfo)
{
    private static readonly byte[] Magic = [0xFF, .. " Go buildinf:"u8];
    private const int HeaderSize = 32;
    // How far into the section the header is looked for: the linker puts it at or near the start, and the Go
    // toolchain's own reader (debug/buildinfo) reads the first 64 KB too. The strings after it are read separately.
    private const int SearchLimit = 64 << 10;
    // Longest version or module-info string believed; real ones are a few hundred KB at most.
    private const int MaxStringBytes = 8 << 20;

    /// Finds and reads the build information, or returns null when the executable is not a Go program.
    public static async Task<GoBuildInfo?> ReadAsync(ExecutableFile exe, CancellationToken ct)
    {
        foreach (var section in Candidates(exe))
        {
            var data = await exe.ReadSectionAsync(section, SearchLimit, ct).ConfigureAwait(false);
            for (var i = 0; i + HeaderSize <= data.Length; i += 16)
            {
                if (!data.AsSpan(i, Magic.Length).SequenceEqual(Magic)) continue;
                return await ReadAtAsync(exe, section.Offset + i, data.AsSpan(i, HeaderSize).ToArray(), ct).ConfigureAwait(false);
            }
        }
        return null;
    }

    private static IEnumerable<ExecutableSection> Candidates(ExecutableFile exe)
    {
        var named = exe.Section(".go.buildinfo") ?? exe.Section("__go_buildinfo");
        if (named is not null)
        {
            yield return named;
            yield break;
        }
        // Go 1.13-1.17 Mach-O, and PE at every version, put the header at the start of the writable data
        if (exe.Format == ExecutableFormat.Elf && exe.Sections.Any(s => s.Name.Length > 0))
        {
            // every Go 1.13+ ELF has .go.buildinfo, so one with section headers but without it is not a Go program;
            // stopping here keeps the cost of the many non-Go ELF files in an image to reading their headers
            yield break;
        }
        var data = exe.Sections.FirstOrDefault(s => s.FileSize > 0 && s.Writable && s.Name is ".data" or "__data" or "");
        if (data is not null) yield return data;
    }

    private static async Task<GoBuildInfo?> ReadAtAsync(ExecutableFile exe, long offset, byte[] header, CancellationToken ct)
    {
        var pointerSize = header[14];
        var flags = header[15];
        byte[] version, modInfo;
        if ((flags & 2) != 0)
        {
            var position = offset + HeaderSize;
            (version, position) = await ReadVarintStringAsync(exe, position, ct).ConfigureAwait(false);
            (modInfo, _) = await ReadVarintStringAsync(exe, position, ct).ConfigureAwait(false);
        }
        else
        {
            if (pointerSize is not (4 or 8)) throw new InputException($"Go build information names a pointer size of {pointerSize}; the binary is corrupt.");
            var bigEndian = (flags & 1) != 0;
            var pointers = await exe.ReadAsync(offset + 16, 2 * pointerSize, ct).ConfigureAwait(false);
            version = await ReadStringHeaderAsync(exe, Pointer(pointers, 0, pointerSize, bigEndian), pointerSize, bigEndian, ct).ConfigureAwait(false);
            modInfo = await ReadStringHeaderAsync(exe, Pointer(pointers, pointerSize, pointerSize, bigEndian), pointerSize, bigEndian, ct).ConfigureAwait(false);
        }
        // the module information sits between two 16-byte sentinels, the last text byte being a newline
        // (cut before decoding: the sentinels are not UTF-8)
        var text = modInfo.Length >= 33 && modInfo[^17] == '\n' ? Encoding.UTF8.GetString(modInfo.AsSpan(16, modInfo.Length - 32)) : "";
        return new GoBuildInfo(Encoding.UTF8.GetString(version), text);
    }

    private static ulong Pointer(byte[] b, int offset, int size, bool bigEndian) => (size, bigEndian) switch
    {
        (8, false) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset)),
        (8, true) => BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(offset)),
        (_, false) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset)),
        _ => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(offset)),
    };

    private static async Task<byte[]> ReadStringHeaderAsync(ExecutableFile exe, ulong address, int pointerSize, bool bigEndian, CancellationToken ct)
    {
        var headerOffset = exe.FileOffsetOf(address, 2 * pointerSize)
            ?? throw new InputException($"Go build information points to address 0x{address:x}, outside the file's sections; the binary is corrupt.");
        var stringHeader = await exe.ReadAsync(headerOffset, 2 * pointerSize, ct).ConfigureAwait(false);
        var data = Pointer(stringHeader, 0, pointerSize, bigEndian);
        var length = Pointer(stringHeader, pointerSize, pointerSize, bigEndian);
        if (length == 0) return [];
        if (length > MaxStringBytes) throw new InputException($"Go build information names a {length:N0}-byte string; the binary is corrupt.");
        var dataOffset = exe.FileOffsetOf(data, (long)length)
            ?? throw new InputException($"Go build information points to address 0x{data:x}, outside the file's sections; the binary is corrupt.");
        return await exe.ReadAsync(dataOffset, (int)length, ct).ConfigureAwait(false);
    }

    private static async Task<(byte[] Value, long Next)> ReadVarintStringAsync(ExecutableFile exe, long offset, CancellationToken ct)
    {
        var prefix = await exe.ReadAsync(offset, (int)Math.Min(10, Math.Max(0, exe.Length - offset)), ct).ConfigureAwait(false);
        ulong length = 0;
        var shift = 0;
        var used = 0;
        while (true)
        {
            if (used >= prefix.Length || shift > 63) throw new InputException("Go build information has a bad string length; the binary is corrupt.");
            var b = prefix[used++];
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
            shift += 7;
        }
        if (length > MaxStringBytes) throw new InputException($"Go build information names a {length:N0}-byte string; the binary is corrupt.");
        var bytes = await exe.ReadAsync(offset + used, (int)length, ct).ConfigureAwait(false);
        return (bytes, offset + used + (long)length);
    }
}
