// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.FileSources;

/// One file in a tree. A listing may leave the size to be read when first asked for (one stat): on large trees
/// catalogers want only a few files, so most sizes are never needed.
public sealed class FileEntry
{
    private long _size;
    private Func<FilePath, long>? _sizeOf;

    public FileEntry(FilePath path, long size)
    {
        Path = path;
        _size = size;
    }

    /// A file whose size <paramref name="sizeOf"/> reads on first use.
    public FileEntry(FilePath path, Func<FilePath, long> sizeOf)
    {
        Path = path;
        _sizeOf = sizeOf;
    }

    public FilePath Path { get; }

    public long Size
    {
        get
        {
            if (_sizeOf is { } sizeOf)
            {
                _size = sizeOf(Path);
                _sizeOf = null;
            }
            return _size;
        }
    }

    public override string ToString() => Path.Value;
}

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
