// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Ecosystems.Binaries;

/// Executables are read by jumping to their headers and sections. When the file's stream cannot seek (a layer
/// being streamed), it is spooled to a temporary file first, so memory stays bounded whatever the file's size;
/// only files whose first bytes are an executable's magic number are spooled.
internal static class SeekableContent
{
    /// Returns a seekable view of the input and whether the caller must dispose it, or null when the input's
    /// first bytes say it is not an executable.
    public static async Task<(Stream Stream, bool Owned)?> OpenExecutableAsync(CatalogInput input, CancellationToken ct)
    {
        if (input.Content.CanSeek) return (input.Content, false);
        var head = new byte[8];
        var read = await input.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (!ExecutableFile.HasMagic(head.AsSpan(0, read))) return null;
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None,
            81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await temp.WriteAsync(head.AsMemory(0, read), ct).ConfigureAwait(false);
            await input.Content.CopyToAsync(temp, ct).ConfigureAwait(false);
            temp.Position = 0;
            return (temp, true);
        }
        catch
        {
            await temp.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
