// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.FileSources;

/// One file in a tree.
public sealed record FileEntry(FilePath Path, long Size);

/// A read-only view of files: a directory on disk, one lockfile, or (later) an image's squashed layers.
/// Catalogers see only this, never the disk.
public interface IFileTree
{
    /// What the tree is, for messages: "directory /src/app".
    string Description { get; }

    /// Every regular file, in no particular order. Problems met while walking (unreadable directories,
    /// links that leave the tree) are reported through <paramref name="onWarning"/> and the walk goes on.
    IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null);

    /// Opens a file for reading, or returns null when it does not exist in the tree.
    Stream? TryOpen(FilePath path);

    bool Exists(FilePath path);
}
