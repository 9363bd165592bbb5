// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using Microsoft.Win32.SafeHandles;

namespace Bulwark.Oci.Sources;

/// A tar archive (oci-archive, docker-archive) read in place: the archive is indexed once (entry name → offset and
/// length) and each file is opened as a window of the archive, never extracted.
///
/// A gzip-compressed archive cannot be read at an offset, so it is decompressed once, in one sequential pass, into an
/// anonymous temp file (created in the temp directory and unlinked at once on Linux, so it vanishes when the image is
/// disposed or the process ends, even on a crash) and indexed the same way. Its layers are compressed already, so
/// that copy is about the archive's size; more than <see cref="MaxExpansion"/> times the archive is refused as a bomb.
internal sealed class TarArchive : LayoutFiles, IDisposable
{
    /// Archives expanding more than this many times (and beyond <see cref="ExpansionFloor"/> bytes) are refused.
    public const int MaxExpansion = 50;
    public const long ExpansionFloor = 256L * 1024 * 1024;
    /// More entries than this is not an image archive (a real one has a few per layer).
    public const int MaxEntries = 200_000;

    private readonly record struct Entry(long Offset, long Length, string? SymlinkTarget, string? HardlinkTarget);

    private readonly string _path;
    private readonly SafeFileHandle? _spooled;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private TarArchive(string path, string origin, SafeFileHandle? spooled)
    {
        _path = path;
        Origin = origin;
        _spooled = spooled;
    }

    public override string Origin { get; }

    /// The archive's file names (regular files and links), in archive order is not kept: sorted.
    public IEnumerable<string> Names => _entries.Keys.Order(StringComparer.Ordinal);

    /// Opens and indexes an archive; <paramref name="origin"/> is what the user named, for messages.
    public static Task<TarArchive> OpenAsync(string path, string origin, CancellationToken ct) =>
        OpenAsync(path, origin, ExpansionFloor, ct);

    /// Opens an archive, refusing a gzip one that expands beyond max(<paramref name="expansionFloor"/>, 50× its size).
    public static async Task<TarArchive> OpenAsync(string path, string origin, long expansionFloor, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new InputException($"{origin}: {full} does not exist or is not a file.");
        var magic = new byte[4];
        int got;
        await using (var probe = File.OpenRead(full))
            got = await probe.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (got >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            throw new InputException($"{origin}: {full} is zstd-compressed; decompress it first (zstd -d) and read the .tar.");
        if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            var spooled = await SpoolAsync(full, origin, expansionFloor, ct).ConfigureAwait(false);
            var archive = new TarArchive(full, origin, spooled);
            var indexed = false;
            try
            {
                archive.Index();
                indexed = true;
                return archive;
            }
            finally
            {
                if (!indexed) archive.Dispose();
            }
        }
        var plain = new TarArchive(full, origin, null);
        plain.Index();
        return plain;
    }

    private static async Task<SafeFileHandle> SpoolAsync(string path, string origin, long floor, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"bulwark-archive-{Guid.NewGuid():N}.tar");
        var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        var filled = false;
        try
        {
            if (!OperatingSystem.IsWindows()) File.Delete(temp);   // unlinked: the open handle keeps the data
            var compressedLength = new FileInfo(path).Length;
            var limit = Math.Max(floor, compressedLength * MaxExpansion);
            await using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            var buffer = new byte[1 << 20];
            long written = 0;
            int n;
            try
            {
                while ((n = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    if (written + n > limit)
                        throw new InputException($"{origin}: {path} expands to more than {limit} bytes from {compressedLength} (at most {MaxExpansion}× its size or {floor} bytes); refusing a possible decompression bomb.");
                    await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, n), written, ct).ConfigureAwait(false);
                    written += n;
                }
            }
            catch (InvalidDataException e)
            {
                throw new InputException($"{origin}: {path} is not a valid gzip file ({e.Message}); the archive is corrupt: fetch or save it again.", e);
            }
            filled = true;
            return handle;
        }
        finally
        {
            if (!filled) handle.Dispose();
        }
    }

    private void Index()
    {
        using var stream = _spooled is null
            ? new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)
            : (Stream)new FileSliceStream(_spooled, 0, RandomAccess.GetLength(_spooled), ownsHandle: false);
        var archiveLength = stream.Length;
        try
        {
            // metadata headers are size-checked before TarReader allocates for them, as in layers
            using var limited = new TarMetadataLimit(stream, $"{Origin}: {_path}", "The archive is corrupt or hostile; do not use it.");
            using var reader = new TarReader(limited, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } e)
            {
                limited.EntryRead(e.Length);
                if (e.EntryType is TarEntryType.Directory) continue;
                var name = Normalise(e.Name)
                    ?? throw new InputException($"{Origin}: {_path} has an entry named '{e.Name}', which points outside the archive; the archive is hostile or corrupt.");
                if (e.Length < 0 || e.DataOffset < 0 || e.DataOffset + e.Length > archiveLength)
                    throw new InputException($"{Origin}: {_path} entry '{name}' declares {e.Length} bytes but the archive ends first; the archive is truncated or corrupt: fetch or save it again.");
                Entry entry;
                switch (e.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        entry = new Entry(e.DataOffset, e.Length, null, null);
                        break;
                    case TarEntryType.SymbolicLink:
                        entry = new Entry(0, 0, e.LinkName, null);
                        break;
                    case TarEntryType.HardLink:
                        entry = new Entry(0, 0, null, e.LinkName);
                        break;
                    default:
                        continue;   // devices and fifos name nothing an image reader opens
                }
                if (!_entries.TryAdd(name, entry))
                    throw new InputException($"{Origin}: {_path} has two entries named '{name}'; an image archive never does, so it is hostile or corrupt.");
                if (_entries.Count > MaxEntries)
                    throw new InputException($"{Origin}: {_path} has more than {MaxEntries} entries; it is not an image archive.");
            }
        }
        catch (Exception e) when (TarDamage.Is(e))
        {
            throw new InputException($"{Origin}: {_path} is not a readable tar archive ({e.Message}); it is corrupt or truncated: fetch or save it again.", e);
        }
    }

    public override string Describe(string relative) => relative.Length == 0 ? _path : $"{_path} (entry {relative})";

    public override long? LengthOf(string relative) => Find(relative) is { } e ? e.Length : null;

    public override Stream Open(string relative)
    {
        var e = Find(relative) ?? throw new InputException($"{Origin}: {Describe(relative)} is missing; the archive is incomplete.");
        return _spooled is not null
            ? new FileSliceStream(_spooled, e.Offset, e.Length, ownsHandle: false)
            : new FileSliceStream(File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous), e.Offset, e.Length, ownsHandle: true);
    }

    /// The regular-file entry for a name, following symbolic and hard links inside the archive only.
    private Entry? Find(string relative)
    {
        var name = relative;
        for (var hops = 0; hops <= 16; hops++)
        {
            if (!_entries.TryGetValue(name, out var e)) return null;
            string? next;
            if (e.SymlinkTarget is { } symlink)
            {
                var dir = name.Contains('/', StringComparison.Ordinal) ? name[..name.LastIndexOf('/')] + "/" : "";
                next = symlink.StartsWith('/') ? null : Collapse(dir + symlink);
            }
            else if (e.HardlinkTarget is { } hardlink)
            {
                next = Normalise(hardlink);   // hard link names are archive paths
            }
            else
            {
                return e;
            }
            name = next ?? throw new InputException($"{Origin}: {Describe(relative)} is a link to '{e.SymlinkTarget ?? e.HardlinkTarget}', outside the archive; the archive is hostile or corrupt.");
        }
        throw new InputException($"{Origin}: {Describe(relative)} goes through more than 16 links; the archive is hostile or corrupt.");
    }

    public void Dispose() => _spooled?.Dispose();
}
