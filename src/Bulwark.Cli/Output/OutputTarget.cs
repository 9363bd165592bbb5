// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cli.Output;

/// Where a verb writes its machine-readable result: `-o FILE` or stdout. A file is written beside its final name
/// and moved into place only when complete, so a failed run never leaves a half-written SBOM behind.
internal static class OutputTarget
{
    public static async Task WriteAsync(string? path, Stream stdout, Func<Stream, Task> write)
    {
        if (string.IsNullOrEmpty(path) || path == "-")
        {
            await write(stdout).ConfigureAwait(false);
            await stdout.FlushAsync().ConfigureAwait(false);
            return;
        }
        var full = Path.GetFullPath(path);
        if (IsSpecialFile(full))
        {
            await using var special = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            await write(special).ConfigureAwait(false);
            return;
        }
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new UsageException($"Cannot write {path}: directory {dir} does not exist. Create it or choose another -o path.");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await write(file).ConfigureAwait(false);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// Devices and descriptors (/dev/null, /dev/stdout, /dev/fd/3, /proc/self/fd/1): written in place, because the
    /// write-beside-then-rename that protects real files would replace the device node with a regular file.
    internal static bool IsSpecialFile(string fullPath) =>
        fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal);
}
