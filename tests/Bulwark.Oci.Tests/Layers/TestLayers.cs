// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Bulwark.Core;
using Bulwark.Oci.Layers;

namespace Bulwark.Oci.Tests.Layers;

/// Builds small layers in memory for scenario tests: tar entries written with TarWriter, then compressed.
internal static class TestLayers
{
    public static byte[] Tar(params Action<TarWriter>[] entries) => Tar(TarEntryFormat.Pax, entries);

    public static byte[] Tar(TarEntryFormat format, params Action<TarWriter>[] entries)
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, format, leaveOpen: true))
        {
            foreach (var e in entries) e(writer);
        }
        return ms.ToArray();
    }

    public static Action<TarWriter> File(string name, string content, TarEntryFormat format = TarEntryFormat.Pax) => w =>
    {
        var entry = NewEntry(format, TarEntryType.RegularFile, name);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        w.WriteEntry(entry);
    };

    public static Action<TarWriter> Dir(string name) => w => w.WriteEntry(NewEntry(TarEntryFormat.Pax, TarEntryType.Directory, name));

    public static Action<TarWriter> Symlink(string name, string target) => w =>
    {
        var entry = NewEntry(TarEntryFormat.Pax, TarEntryType.SymbolicLink, name);
        entry.LinkName = target;
        w.WriteEntry(entry);
    };

    public static Action<TarWriter> HardLink(string name, string target) => w =>
    {
        var entry = NewEntry(TarEntryFormat.Pax, TarEntryType.HardLink, name);
        entry.LinkName = target;
        w.WriteEntry(entry);
    };

    public static Action<TarWriter> Special(string name, TarEntryType type) => w => w.WriteEntry(NewEntry(TarEntryFormat.Pax, type, name));

    private static TarEntry NewEntry(TarEntryFormat format, TarEntryType type, string name) => format switch
    {
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        TarEntryFormat.V7 => new V7TarEntry(type == TarEntryType.RegularFile ? TarEntryType.V7RegularFile : type, name),
        _ => new PaxTarEntry(type, name),
    };

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] Zstd(byte[] data) => ZstdNative.Compress(data);

    /// A layer over bytes in memory; the diff-id is the tar's digest unless given.
    public static LayerRef Layer(byte[] blob, string mediaType, Digest? diffId = null) =>
        new(Digest.Sha256Of(blob), diffId, mediaType, blob.Length, _ => Task.FromResult<Stream>(new MemoryStream(blob, writable: false)));

    public static LayerRef GzipLayer(byte[] tar) => Layer(Gzip(tar), MediaTypes.OciLayerGzip, Digest.Sha256Of(tar));

    public static LayerRef TarLayer(byte[] tar) => Layer(tar, MediaTypes.OciLayerTar, Digest.Sha256Of(tar));

    /// Reads a layer and returns (path, type, content-or-link) per entry, and the warnings.
    public static async Task<(List<string> Entries, List<string> Warnings)> ReadAsync(LayerRef layer, LayerLimits? limits = null)
    {
        var entries = new List<string>();
        var warnings = new List<string>();
        await LayerReader.ReadAsync(layer, new ImageByteBudget(limits ?? LayerLimits.Default),
            async (path, entry, ct) =>
            {
                var text = entry.DataStream is { } s ? await new StreamReader(s).ReadToEndAsync(ct) : entry.LinkName;
                entries.Add($"{path} {entry.EntryType} {text}");
            },
            (path, message) => warnings.Add($"{path}: {message}"),
            verifyDiffId: true, CancellationToken.None);
        return (entries, warnings);
    }
}
