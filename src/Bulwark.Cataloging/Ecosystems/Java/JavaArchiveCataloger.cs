// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Reads Java archives (jar, war, ear, hpi, jpi, par, sar, nar, kar) and the archives nested in them
/// (WEB-INF/lib, BOOT-INF/lib, an EAR's lib/, any jar inside a jar), so a library bundled into a Spring Boot
/// fat jar is found where it is: "app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar".
public sealed class JavaArchiveCataloger : ICataloger, IFileSizeLimit
{
    /// Archives and executables are read in place (seeking), not whole: no limit beyond the run's.
    public long MaxFileSize => long.MaxValue;

    private readonly JavaArchiveLimits _limits;

    public JavaArchiveCataloger() : this(new JavaArchiveLimits())
    {
    }

    internal JavaArchiveCataloger(JavaArchiveLimits limits)
    {
        _limits = limits;
    }

    public string Name => "java-archive";

    public bool Wants(FilePath path) => JavaArchiveReader.IsArchiveName(path.FileName);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var (archive, sha1, owned) = await SeekableAsync(input.Content, input.Size, _limits.MaxInMemoryInput, ct).ConfigureAwait(false);
        try
        {
            var found = new Dictionary<Purl, Package>();
            new JavaArchiveReader(_limits, input.Location.Layer).Read(archive, sha1, input.Path.Value, 0, found, ct);
            return [.. found.Values];
        }
        finally
        {
            if (owned) await archive.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// The archive as a seekable stream (zip's central directory is at the end) and the SHA-1 of its bytes.
    /// A stream we created is ours to dispose; a temporary file deletes itself when closed.
    private static async Task<(Stream Archive, Digest Sha1, bool Owned)> SeekableAsync(Stream content, long size, long maxInMemory, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = new byte[81920];
        if (content.CanSeek)
        {
            int n;
            while ((n = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, n);
            content.Position = 0;
            return (content, Sha1(hash), false);
        }

        Stream copy = size <= maxInMemory
            ? new MemoryStream((int)Math.Max(0, size))
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var complete = false;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                // the stream may hold more than the size we were told: never let a memory buffer grow past its cap
                if (copy is MemoryStream && copy.Length + read > maxInMemory)
                    throw new InputException($"the archive is larger than the {size:N0} bytes announced and than the {maxInMemory:N0} bytes buffered in memory; not read.");
                hash.AppendData(buffer, 0, read);
                await copy.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }
            copy.Position = 0;
            complete = true;
            return (copy, Sha1(hash), true);
        }
        finally
        {
            if (!complete) await copy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Digest Sha1(IncrementalHash hash) => new(Core.HashAlgorithm.Sha1, Convert.ToHexStringLower(hash.GetHashAndReset()));
}
