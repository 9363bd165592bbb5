// SPDX-License-Identifier: Apache-2.0
using System.IO.Enumeration;

namespace Bulwark.Cataloging.FileSources;

/// A directory on disk. The walk never leaves the root: a symbolic link to a file inside the root is read as that
/// file, a link that points outside is reported and skipped, and linked directories are not followed (the real
/// directory is walked where it lies, which also rules out cycles). `.git` directories are skipped.
public sealed class DirectoryFileTree : IFileTree
{
    private readonly string _root;
    private readonly string _rootWithSeparator;
    private readonly IReadOnlyList<Glob> _excludes;
    private readonly FilePath? _only;
    private readonly Func<FilePath, long> _sizeOf;

    /// A tree over <paramref name="root"/>; paths matching any of <paramref name="excludes"/> are left out.
    public DirectoryFileTree(string root, IEnumerable<Glob>? excludes = null)
    {
        _sizeOf = SizeOf;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _rootWithSeparator = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        _excludes = excludes?.ToList() ?? [];
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"Directory '{root}' does not exist.");
    }

    /// A tree that lists only one file (a lockfile given on the command line) but can open its neighbours.
    public static DirectoryFileTree ForSingleFile(string file)
    {
        var full = Path.GetFullPath(file);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{file}' has no directory.", nameof(file));
        return new DirectoryFileTree(dir, null, new FilePath(Path.GetFileName(full)));
    }

    private DirectoryFileTree(string root, IEnumerable<Glob>? excludes, FilePath only) : this(root, excludes)
    {
        _only = only;
    }

    public string Root => _root;
    public string Description => _only is { } f ? $"file {Path.Combine(_root, f.Value)}" : $"directory {_root}";

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null)
    {
        if (_only is { } only)
        {
            var info = new FileInfo(Path.Combine(_root, only.Value));
            if (info.Exists) yield return new FileEntry(only, info.Length);
            yield break;
        }

        var links = new List<string>();
        var unreadable = 0;
        if (NativeDirectoryWalk.IsSupported)
        {
            // no stat per file: sizes are asked for (SizeOf) only for the files a cataloger wants
            var pending = new Stack<(string Full, string Relative)>();
            pending.Push((_root, ""));
            while (pending.Count > 0)
            {
                var (dir, prefix) = pending.Pop();
                var entries = NativeDirectoryWalk.List(dir);
                if (entries is null)
                {
                    unreadable++;
                    continue;
                }
                foreach (var (name, kind) in entries)
                {
                    var rel = prefix.Length == 0 ? name : string.Concat(prefix, "/", name);
                    var full = string.Concat(dir, "/", name);
                    var k = kind == NativeDirectoryWalk.Kind.Unknown ? KindOf(full) : kind;
                    switch (k)
                    {
                        case NativeDirectoryWalk.Kind.File:
                            if (_excludes.Count == 0 || !IsExcluded(rel)) yield return new FileEntry(new FilePath(rel), _sizeOf);
                            break;
                        case NativeDirectoryWalk.Kind.Directory:
                            if (name != ".git" && (_excludes.Count == 0 || !IsExcluded(rel))) pending.Push((full, rel));
                            break;
                        case NativeDirectoryWalk.Kind.Link:
                            links.Add(full);
                            break;
                    }
                }
            }
        }
        else
        {
            // One recursive enumeration: the runtime walks directories itself and we decide, per entry, what to keep
            // and where to descend. Paths are built relative to the root straight from the entry's spans.
            using var walk = new Walker(this);
            while (walk.MoveNext())
            {
                if (walk.Current is { } file && (_excludes.Count == 0 || !IsExcluded(file.Path.Value))) yield return file;
            }
            links.AddRange(walk.Links);
            unreadable = walk.UnreadableDirectories;
        }
        if (unreadable > 0)
            onWarning?.Invoke(new FilePath(""), $"{unreadable:N0} directories could not be listed (permission denied or removed during the walk); their files are not in the SBOM");

        // symbolic links: read as the file they point to when that stays inside the root
        foreach (var path in links)
        {
            var rel = Relative(path);
            if (IsExcluded(rel.Value)) continue;
            var target = ResolveLink(path);
            if (target is null || !IsInside(target))
            {
                onWarning?.Invoke(rel, "symbolic link points outside the scanned directory; not followed");
                continue;
            }
            if (Directory.Exists(target)) continue; // the real directory is walked where it lies
            if (File.Exists(target)) yield return new FileEntry(rel, new FileInfo(target).Length);
        }
    }

    /// The recursive walk. Errors opening a directory are counted, not fatal, so they can be reported.
    private sealed class Walker(DirectoryFileTree tree) : FileSystemEnumerator<FileEntry?>(tree._root, new EnumerationOptions
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    })
    {
        private readonly int _rootLength = tree._rootWithSeparator.Length;

        public List<string> Links { get; } = [];
        public int UnreadableDirectories { get; private set; }

        protected override bool ShouldIncludeEntry(ref FileSystemEntry entry) =>
            !entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0;

        protected override bool ShouldRecurseIntoEntry(ref FileSystemEntry entry)
        {
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) return false; // linked directories: see the class comment
            if (entry.FileName is ".git") return false;
            return tree._excludes.Count == 0 || !tree.IsExcluded(RelativeOf(entry.Directory, entry.FileName, _rootLength));
        }

        protected override FileEntry? TransformEntry(ref FileSystemEntry entry)
        {
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                Links.Add(entry.ToFullPath());
                return null;
            }
            return new FileEntry(new FilePath(RelativeOf(entry.Directory, entry.FileName, _rootLength)), entry.Length);
        }

        protected override bool ContinueOnError(int error)
        {
            UnreadableDirectories++;
            return true;
        }
    }

    private static string RelativeOf(ReadOnlySpan<char> directory, ReadOnlySpan<char> name, int rootLength)
    {
        var dir = directory.Length >= rootLength ? directory[rootLength..] : [];
        var s = dir.IsEmpty ? name.ToString() : string.Concat(dir, "/", name);
        return Path.DirectorySeparatorChar == '/' ? s : s.Replace(Path.DirectorySeparatorChar, '/');
    }

    // sizes read on demand (one lstat); a file removed since the listing has size 0 and fails to open later
    private long SizeOf(FilePath path) => new FileInfo(Path.Combine(_root, path.Value)) is { Exists: true } info ? info.Length : 0;

    // a directory entry whose type the file system did not say (d_type DT_UNKNOWN): ask with lstat
    private static NativeDirectoryWalk.Kind KindOf(string full)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is not null) return NativeDirectoryWalk.Kind.Link;
        if (Directory.Exists(full)) return NativeDirectoryWalk.Kind.Directory;
        return info.Exists ? NativeDirectoryWalk.Kind.File : NativeDirectoryWalk.Kind.Other;
    }

    public Stream? TryOpen(FilePath path)
    {
        var full = FullPathOf(path);
        // catalogers ask for files that may be there (package.json beside a lockfile, Directory.Packages.props above
        // a project): a missing one is answered without the exception, whose first throw costs a millisecond
        if (full is null || (!File.Exists(full) && !Directory.Exists(full))) return null;
        try
        {
            return new BlockingFileStream(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Exists(FilePath path) => FullPathOf(path) is { } full && File.Exists(full);

    /// The real path of a file inside the tree, with links resolved; null when it is missing or would leave the root.
    private string? FullPathOf(FilePath path)
    {
        // a name read from a file ("\u0000" in JSON, "\0" in YAML) can hold a NUL, which no file name on disk has
        if (path.Value.Contains('\0', StringComparison.Ordinal)) return null;
        var full = Path.GetFullPath(Path.Combine(_root, path.Value));
        if (!IsInside(full)) return null;
        var resolved = ResolveAllLinks(full);
        return resolved is not null && IsInside(resolved) ? resolved : null;
    }

    private bool IsExcluded(string rel)
    {
        foreach (var g in _excludes) if (g.IsMatch(rel)) return true;
        return false;
    }

    private FilePath Relative(string full) =>
        new(full.Length <= _rootWithSeparator.Length ? "" : full[_rootWithSeparator.Length..].Replace(Path.DirectorySeparatorChar, '/'));

    private bool IsInside(string full) =>
        full == _root || full.StartsWith(_rootWithSeparator, StringComparison.Ordinal);

    private static string? ResolveLink(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? null : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return null; // a broken or looping link
        }
    }

    /// Resolves links in every directory segment too, so "a/link/../x" cannot escape. Null for a broken or looping link;
    /// for a missing segment, the path up to it (opening it then fails).
    private string? ResolveAllLinks(string full)
    {
        var cut = full.LastIndexOf(Path.DirectorySeparatorChar);
        var (parent, complete) = ResolveDirectory(cut <= 0 ? FileSystemRoot : full[..cut]);
        if (parent is null || !complete) return parent;
        return Step(parent, full[(cut + 1)..]).Path;
    }

    private static readonly string FileSystemRoot = Path.DirectorySeparatorChar.ToString();

    // directories resolved so far: a scan asks about many files of the same directories (FindAbove walks up from each
    // project), and resolving costs three system calls per segment
    private readonly Dictionary<string, (string? Path, bool Complete)> _resolvedDirectories = new(StringComparer.Ordinal);

    private (string? Path, bool Complete) ResolveDirectory(string dir)
    {
        if (dir == FileSystemRoot) return (FileSystemRoot, true);
        lock (_resolvedDirectories)
        {
            if (_resolvedDirectories.TryGetValue(dir, out var known)) return known;
        }
        var cut = dir.LastIndexOf(Path.DirectorySeparatorChar);
        var (parent, complete) = ResolveDirectory(cut <= 0 ? FileSystemRoot : dir[..cut]);
        var result = parent is null || !complete ? (parent, complete) : Step(parent, dir[(cut + 1)..]);
        lock (_resolvedDirectories) _resolvedDirectories[dir] = result;
        return result;
    }

    // one segment below a resolved directory: its link target when it is a link, (path, false) when it is missing
    private static (string? Path, bool Complete) Step(string current, string part)
    {
        var next = Path.Combine(current, part);
        var info = new FileInfo(next);
        if (!(info.Exists || Directory.Exists(next))) return (next, false);
        if (info.LinkTarget is not null || new DirectoryInfo(next).LinkTarget is not null)
        {
            var resolved = ResolveLink(next);
            if (resolved is null) return (null, true);
            next = resolved;
        }
        return (next, true);
    }
}
