// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Debian;

/// The dpkg database, os-release and copyright files of the real Debian bookworm image in
/// ../shared/images/oci-layout, copied once per test run into a temp directory (index.json → manifest → its one layer).
public static class BookwormRootfs
{
    private static readonly Lazy<string> Root = new(Extract, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Root.Value;

    private static string Extract()
    {
        var layout = System.IO.Path.Combine(TestPaths.Shared, "images", "oci-layout");
        using var index = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString() == "debian-bookworm")
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(layout, manifestDigest)));
        var layer = manifest.RootElement.GetProperty("layers").EnumerateArray().Single().GetProperty("digest").GetString()!;

        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bulwark-bookworm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        using var gz = new GZipStream(File.OpenRead(Blob(layout, layer)), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.TrimStart('.', '/');
            if (!Wanted(name)) continue;
            var target = System.IO.Path.Combine(dir, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            if (entry.EntryType is TarEntryType.SymbolicLink)
                File.CreateSymbolicLink(target, entry.LinkName);
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                entry.ExtractToFile(target, overwrite: true);
        }
        return dir;
    }

    private static bool Wanted(string name) =>
        name is "var/lib/dpkg/status" or "etc/os-release" or "usr/lib/os-release"
        || name.StartsWith("usr/share/doc/", StringComparison.Ordinal) && name.EndsWith("/copyright", StringComparison.Ordinal) && name.Count(c => c == '/') == 4;

    private static string Blob(string layout, string digest) =>
        System.IO.Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
}
