// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci.Sources;

/// The files of an image on disk, by path relative to its root ("index.json", "blobs/sha256/…"): a directory or the
/// entries of a tar archive. Relative paths are built by the readers from validated names, and every implementation
/// refuses a path (or link) that leaves the root.
internal abstract class LayoutFiles
{
    /// What the user named ("oci:/images/layout", "docker-archive:/tmp/x.tar"), for error messages and LayerRef sources.
    public abstract string Origin { get; }

    /// Where a file is, for error messages ("/images/layout/blobs/sha256/…", "/tmp/x.tar (entry manifest.json)").
    public abstract string Describe(string relative);

    /// The file's length, or null when it is not there.
    public abstract long? LengthOf(string relative);

    /// Opens the file (exactly <see cref="LengthOf"/> bytes).
    public abstract Stream Open(string relative);

    /// Reads a small file whole, refusing one larger than <paramref name="maxBytes"/>.
    public async Task<byte[]> ReadSmallAsync(string relative, int maxBytes, string what, CancellationToken ct)
    {
        var length = LengthOf(relative) ?? throw new InputException($"{Origin}: {what} {Describe(relative)} is missing; the image is incomplete.");
        if (length > maxBytes)
            throw new InputException($"{Origin}: {what} {Describe(relative)} is {length} bytes, more than the {maxBytes} allowed; refusing it.");
        await using var s = Open(relative);
        var data = new byte[length];
        await s.ReadExactlyAsync(data, ct).ConfigureAwait(false);
        return data;
    }

    /// Normalises a path inside an image ("./blobs//sha256/x" → "blobs/sha256/x"); null when it is absolute, empty or
    /// climbs out with "..".
    public static string? Normalise(string name)
    {
        if (name.Length == 0 || name[0] == '/' || name.Contains('\0', StringComparison.Ordinal)) return null;
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") return null;
            parts.Add(part);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// Like <see cref="Normalise"/>, but ".." steps back a component (a link target "../id/layer.tar"); null when
    /// the path would climb above the root.
    public static string? Collapse(string name)
    {
        if (name.Length == 0 || name[0] == '/' || name.Contains('\0', StringComparison.Ordinal)) return null;
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}

/// An image layout in a directory. Symbolic links inside it are followed only while they stay inside the directory.
internal sealed class DirectoryFiles : LayoutFiles
{
    private readonly string _root;
    private readonly string _realRoot;

    public DirectoryFiles(string root, string origin)
    {
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root))
            throw new InputException($"{origin}: {_root} is not a directory. Give the directory of an OCI image layout (it holds oci-layout and index.json).");
        _realRoot = new DirectoryInfo(_root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? _root;
        Origin = origin;
    }

    public override string Origin { get; }

    public override string Describe(string relative) => relative.Length == 0 ? _root : Path.Combine(_root, relative);

    public override long? LengthOf(string relative)
    {
        var path = Resolve(relative);
        var info = new FileInfo(path);
        return info.Exists ? info.Length : null;
    }

    public override Stream Open(string relative)
    {
        var path = Resolve(relative);
        // an empty file is not opened: a FIFO or device node also reports length 0, and opening a FIFO would block
        // until a writer came; an empty blob's content is known anyway
        if (new FileInfo(path).Length == 0) return new MemoryStream([], writable: false);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// The real path of a file inside the root: each symbolic link on the way is resolved one hop at a time and the
    /// walk restarts from its target, so no link (nor a link inside a link's target) can lead out of the root.
    private string Resolve(string relative)
    {
        var pending = new Stack<string>(relative.Split('/').Reverse());
        var current = _realRoot;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part is "" or ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                if (current.Length < _realRoot.Length) throw Outside(relative, current);
                continue;
            }
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                current = next;
                continue;
            }
            if (++hops > 40) throw new InputException($"{Origin}: {Describe(relative)} goes through more than 40 symbolic links; refusing it.");
            var absolute = Path.GetFullPath(target, current);
            if (!IsInside(absolute) && absolute != _realRoot) throw Outside(relative, absolute);
            // continue from the root along the link target, then the rest of the original path
            foreach (var p in Path.GetRelativePath(_realRoot, absolute).Split('/').Reverse()) pending.Push(p);
            current = _realRoot;
        }
        return current;
    }

    private InputException Outside(string relative, string target) =>
        new($"{Origin}: {Describe(relative)} leads through a symbolic link to {target}, outside the layout; refusing to follow it.");

    private bool IsInside(string path) =>
        path.StartsWith(_realRoot.TrimEnd('/') + "/", StringComparison.Ordinal);
}
