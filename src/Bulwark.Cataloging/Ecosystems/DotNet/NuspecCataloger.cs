// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads loose .nuspec manifests (the global packages folder keeps one beside each extracted package).
public sealed class NuspecCataloger : ICataloger
{
    public string Name => "nuget-nuspec";

    public bool Wants(FilePath path) => path.Extension == ".nuspec";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var text = await input.ReadTextAsync(ct).ConfigureAwait(false);
        return Nuspec.Read(text, input.Location, input.LocationAt);
    }
}

/// Reads .nupkg packages: the .nuspec at the root of the zip, and the SHA-512 of the .nupkg bytes (what NuGet
/// records as the package's content hash).
public sealed class NupkgCataloger : ICataloger, IFileSizeLimit
{
    /// Archives and executables are read in place (seeking), not whole: no limit beyond the run's.
    public long MaxFileSize => long.MaxValue;

    // a manifest is a few kilobytes; anything past this is not a manifest we should inflate
    private const long MaxManifestBytes = 4 * 1024 * 1024;
    private const long MaxInMemory = 64L << 20;

    public string Name => "nuget-nupkg";

    public bool Wants(FilePath path) => path.Extension == ".nupkg";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        // ZipArchive needs to seek; a file on disk can, an image layer entry is copied: into memory when small,
        // else into a temporary file that deletes itself, so memory stays bounded whatever the package's size
        Stream content = input.Content;
        Stream? buffer = null;
        if (!content.CanSeek)
        {
            buffer = input.Size <= MaxInMemory
                ? new MemoryStream((int)Math.Max(0, input.Size))
                : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await content.CopyToAsync(buffer, ct).ConfigureAwait(false);
            }
            catch
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            buffer.Position = 0;
            content = buffer;
        }
        try
        {
            if (!Java.ZipDirectory.HasEndRecord(content))
                throw new InvalidDataException("not a zip archive: no end of central directory record in its last 64 KiB.");
            var start = content.Position;
            var hash = await SHA512.HashDataAsync(content, ct).ConfigureAwait(false);
            content.Position = start;
            string manifest;
            string manifestName;
            using (var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true))
            {
                var entry = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal)
                        && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                    ?? throw new InputException("the archive has no .nuspec at its root, so it is not a NuGet package. Check the file or repack it with 'dotnet pack'.");
                if (entry.Length > MaxManifestBytes)
                    throw new InputException($"{entry.FullName} is {entry.Length:N0} bytes, over the {MaxManifestBytes:N0}-byte limit for a manifest; not read.");
                manifestName = entry.FullName;
                await using var s = await entry.OpenAsync(ct).ConfigureAwait(false);
                using var limited = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await s.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
                {
                    if (limited.Length + read > MaxManifestBytes)
                        throw new InputException($"{manifestName} inflates past {MaxManifestBytes:N0} bytes; not read.");
                    limited.Write(chunk, 0, read);
                }
                limited.Position = 0;
                using var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                manifest = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            }

            List<Package> packages;
            try
            {
                packages = Nuspec.Read(manifest, input.Location, _ => input.Location);
            }
            catch (InputException e)
            {
                throw new InputException($"{manifestName}: {e.Message}", e);
            }
            catch (System.Xml.XmlException e)
            {
                throw new InputException($"{manifestName}: line {e.LineNumber}: {e.Message}", e);
            }
            packages[0] = packages[0] with { Hashes = [new Digest(Core.HashAlgorithm.Sha512, Convert.ToHexStringLower(hash))] };
            return packages;
        }
        finally
        {
            if (buffer is not null) await buffer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
