// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Ecosystems.Binaries;

/// Executables are read by jumping to their headers and sections. When the file's stream cannot seek (a layer
/// being streamed), it is spooled to a temporary file first, so memory stays bounded whatever the file's size.
internal static class SeekableContent
{
    /// Returns a seekable view of the input and whether the caller must dispose it.
    public static async Task<(Stream Stream, bool Owned)> OpenAsync(CatalogInput input, CancellationToken ct)
    {
        if (input.Content.CanSeek) return (input.Content, false);
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None,
            81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
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
