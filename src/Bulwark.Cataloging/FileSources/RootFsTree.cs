// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Layers;

namespace Bulwark.Cataloging.FileSources;

/// An unpacked root filesystem on disk (`dir:ROOTFS`), read the way the image would see itself: symbolic links are
/// resolved by hand against the rootfs, so an absolute target ("/usr/lib/os-release") starts at the rootfs, ".." stops
/// at it, and nothing outside it is ever opened; loops end after <see cref="ImageFileSystem.MaxLinkHops"/> links.
public sealed class RootFsTree : IFileTree
{
    private readonly string _root;

    public RootFsTree(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"Root filesystem '{root}' does not exist.");
    }

    public string Root => _root;
    public string Description => $"root filesystem {_root}";

    /// Every regular file, and every link that leads to one inside the rootfs (under the link's path). Linked
    /// directories are not walked: the real directory is listed where it lies. Fifos and devices appear as empty files
    /// (.NET does not tell them apart) and are never opened.
    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null)
    {
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var rel = pending.Pop();
            var dir = rel.Length == 0 ? _root : Path.Combine(_root, rel);
            FileSystemInfo[] children;
            try
            {
                children = new DirectoryInfo(dir).GetFileSystemInfos();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                onWarning?.Invoke(new FilePath(rel), $"cannot list directory: {e.Message}");
                continue;
            }
            foreach (var child in children)
            {
                var path = rel.Length == 0 ? child.Name : string.Concat(rel, "/", child.Name);
                if (child.LinkTarget is not null)
                {
                    if (Resolve(path) is { } real && new FileInfo(Full(real)) is { Exists: true, LinkTarget: null } info
                        && IsRegular(info))
                        yield return new FileEntry(new FilePath(path), info.Length);
                    continue;
                }
                if (child is DirectoryInfo) pending.Push(path);
                else if (child is FileInfo file && IsRegular(file)) yield return new FileEntry(new FilePath(path), file.Length);
            }
        }
    }

    public Stream? TryOpen(FilePath path)
    {
        if (Resolve(path.Value) is not { } real) return null;
        var full = Full(real);
        var info = new FileInfo(full);
        if (!info.Exists || !IsRegular(info)) return null;
        // .NET cannot tell a fifo or device from a file, and opening a fifo blocks; they all report length 0, and an
        // empty regular file has nothing to read anyway
        if (info.Length == 0) return new MemoryStream([], writable: false);
        try
        {
            return new BlockingFileStream(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Exists(FilePath path) => Resolve(path.Value) is { } real && new FileInfo(Full(real)) is { Exists: true } info && IsRegular(info);

    /// The path inside the rootfs with every link resolved against the rootfs; null when a link loops or a
    /// directory on the way is missing.
    public string? Resolve(string path)
    {
        var pending = new Stack<string>();
        Push(pending, path);
        var parts = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); // never above the rootfs
                continue;
            }
            var candidate = Full(parts.Count == 0 ? segment : string.Join('/', parts) + "/" + segment);
            FileSystemInfo info = new FileInfo(candidate);
            if (!info.Exists)
            {
                var asDir = new DirectoryInfo(candidate);
                if (asDir.Exists) info = asDir;
                else if (info.LinkTarget is null)
                {
                    if (pending.Count > 0) return null;
                    parts.Add(segment);
                    continue;
                }
            }
            if (info.LinkTarget is { } target)
            {
                if (++hops > ImageFileSystem.MaxLinkHops) return null;
                if (target.StartsWith('/')) parts.Clear();
                Push(pending, target);
                continue;
            }
            parts.Add(segment);
        }
        return string.Join('/', parts);
    }

    private string Full(string rel) => rel.Length == 0 ? _root : Path.Combine(_root, rel);

    private static bool IsRegular(FileInfo info) => (info.Attributes & (FileAttributes.Directory | FileAttributes.Device)) == 0;

    private static void Push(Stack<string> pending, string path)
    {
        var segments = path.Replace('\\', '/').Split('/');
        for (var i = segments.Length - 1; i >= 0; i--) pending.Push(segments[i]);
    }
}
