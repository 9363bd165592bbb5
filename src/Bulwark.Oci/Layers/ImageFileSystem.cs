// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Core;

namespace Bulwark.Oci.Layers;

/// One layer of an image by position: its blob digest and its diff-id (from the image config).
public sealed record LayerId(int Index, Digest Digest, Digest? DiffId)
{
    public override string ToString() => Digest.ToString();
}

/// Something odd in a layer that was skipped rather than trusted (a path leaving the root, a device file, a hard
/// link to nothing).
public sealed record LayerWarning(LayerId Layer, string Path, string Message);

/// A regular file of the squashed view (or a symbolic link that leads to one), and the layer that last wrote it.
public sealed record ImageFile(string Path, long Size, LayerId Layer);

/// A file that a later layer deleted or replaced (kept only with <see cref="LayerReadOptions.KeepHidden"/>).
public sealed class HiddenFile
{
    internal HiddenFile(string path, long size, LayerId layer, LayerId hiddenBy, int content)
    {
        Path = path;
        Size = size;
        Layer = layer;
        HiddenBy = hiddenBy;
        Content = content;
    }

    public string Path { get; }
    public long Size { get; }

    /// The layer that wrote the file.
    public LayerId Layer { get; }

    /// The layer that deleted or replaced it.
    public LayerId HiddenBy { get; }

    internal int Content { get; }
}

/// What to do with a file's content as its layer streams by.
public enum KeepDecision
{
    /// Nobody wants it: listed, never opened.
    Skip,
    /// Keep it whole.
    Keep,
    /// Keep it whole only when its first <see cref="ImageFileSystem.HeadLength"/> bytes pass the head test (a path that
    /// only might be wanted: any extensionless file might be an executable). Otherwise only those first bytes are kept,
    /// which is all a reader that applies the same test looks at.
    KeepIfHead,
}

/// Decides, from a file's first bytes, whether a <see cref="KeepDecision.KeepIfHead"/> file is kept whole.
public delegate bool HeadTest(ReadOnlySpan<byte> head);

/// How an image's layers are read.
public sealed record LayerReadOptions
{
    public static LayerReadOptions Default { get; } = new();

    public LayerLimits Limits { get; init; } = LayerLimits.Default;

    /// Also keep files that later layers delete or replace (`--layers all`).
    public bool KeepHidden { get; init; }

    /// A kept file at most this large is held in memory (while the total allows); larger ones spill to disk.
    public long MaxInMemoryFileBytes { get; init; } = 1L << 20;

    /// Most bytes of kept content held in memory at once.
    public long MaxInMemoryBytes { get; init; } = 64L << 20;

    /// Largest file kept for catalogers; a larger one is listed but cannot be opened (a warning says so).
    public long MaxKeptFileBytes { get; init; } = 1L << 30;

    /// Most bytes of kept files written to the private temporary directory.
    public long MaxSpilledBytes { get; init; } = 8L << 30;

    /// Where the private temporary directory is created; null means the system's (TMPDIR).
    public string? TemporaryDirectory { get; init; }

    /// Check each layer's uncompressed tar against its diff-id (also catches truncation).
    public bool VerifyDiffIds { get; init; } = true;

    /// Warnings recorded before the rest are only counted.
    public int MaxWarnings { get; init; } = 1000;

    /// Most tar entries read over all layers: every path is held in memory (about 150 bytes each plus its name), so
    /// this bounds the memory of the path index the way <see cref="LayerLimits"/> bounds the bytes. Large distribution
    /// images hold a few hundred thousand.
    public int MaxEntries { get; init; } = 1_000_000;
}

/// The squashed filesystem of an image (OCI image-spec, "Applying Changesets"), read layer by layer in one streaming
/// pass each: every path is recorded (for whiteouts and listing) but only the content of kept files is buffered.
/// Whiteouts (`.wh.name`, opaque `.wh..wh..opq`) remove content of lower layers only; a later entry replaces an earlier
/// one; hard links share their target's content; symbolic links are kept as links and resolved inside the image root
/// only (absolute targets start at the root, ".." stops at the root, loops end after <see cref="MaxLinkHops"/>).
/// A kept symbolic link whose target was not kept (it came earlier in the stream) or a kept hard link to an unkept file
/// costs one more pass over the layer that holds the bytes.
public sealed class ImageFileSystem : IDisposable
{
    /// Links followed while resolving one path before it counts as a loop (Linux's limit is 40).
    public const int MaxLinkHops = 40;

    private const string OpaqueMarker = ".wh..wh..opq";
    private const int MaxPathLength = 4096;
    private const int MaxNameLength = 255;

    private static int LongestSegment(string path)
    {
        var longest = 0;
        var start = 0;
        while (start <= path.Length)
        {
            var end = path.IndexOf('/', start);
            if (end < 0) end = path.Length;
            longest = Math.Max(longest, end - start);
            start = end + 1;
        }
        return longest;
    }

    private enum Kind : byte { Directory, File, Symlink }

    private sealed class Node(Kind kind, int layer)
    {
        public Kind Kind = kind;
        public bool TooLarge;
        /// Only the first bytes were kept: the head test refuted the file (see KeepDecision.KeepIfHead).
        public bool HeadOnly;
        public int Layer = layer;
        public int SourceLayer = layer;
        public long Size;
        public int Content = -1;
        public string? Link;
        public string? SourceName;
        public Dictionary<string, Node>? Children = kind == Kind.Directory ? new(StringComparer.Ordinal) : null;
    }

    private readonly Node _root = new(Kind.Directory, -1);
    private readonly List<LayerId> _layers = [];
    private readonly LayerContentStore _store;
    private readonly Func<string, KeepDecision> _keep;
    private readonly HeadTest _headTest;
    private readonly LayerReadOptions _options;
    private readonly HashSet<string> _linkTargets = new(StringComparer.Ordinal);
    private readonly List<LayerWarning> _warnings = [];
    private readonly List<HiddenFile> _hidden = [];
    private int _entries;

    /// How many first bytes of a <see cref="KeepDecision.KeepIfHead"/> file the head test sees.
    public const int HeadLength = 16;

    private ImageFileSystem(Func<string, KeepDecision> keep, HeadTest headTest, LayerReadOptions options)
    {
        _keep = keep;
        _headTest = headTest;
        _options = options;
        _store = new LayerContentStore(options.MaxInMemoryFileBytes, options.MaxInMemoryBytes, options.TemporaryDirectory);
    }

    /// Reads <paramref name="layers"/> (base first) and keeps the content of files for which <paramref name="keep"/>
    /// (given the squashed path, no leading '/') says true.
    public static Task<ImageFileSystem> ReadAsync(IReadOnlyList<LayerRef> layers, Func<string, bool> keep, LayerReadOptions? options = null, CancellationToken ct = default) =>
        ReadAsync(layers, path => keep(path) ? KeepDecision.Keep : KeepDecision.Skip, static _ => true, options, ct);

    /// Reads <paramref name="layers"/> (base first); <paramref name="keep"/> decides per squashed path whether a file's
    /// content is kept, and <paramref name="headTest"/> settles the <see cref="KeepDecision.KeepIfHead"/> ones.
    public static async Task<ImageFileSystem> ReadAsync(IReadOnlyList<LayerRef> layers, Func<string, KeepDecision> keep, HeadTest headTest, LayerReadOptions? options = null, CancellationToken ct = default)
    {
        options ??= LayerReadOptions.Default;
        var fs = new ImageFileSystem(keep, headTest, options);
        try
        {
            // uncompressed layers in local files are verified on the other core while this one parses (every one
            // of them before the image is returned)
            await using var background = await BackgroundVerification.StartAsync(layers, options.VerifyDiffIds, ct).ConfigureAwait(false);
            var budget = new ImageByteBudget(options.Limits);
            // a check still running when its layer is parsed (the largest layer's) is awaited once the parse of the
            // later layers and the walk below are done, not before: they need no verified bytes, and nothing leaves
            // here before every check passed. A check that has failed already fails the read at once.
            var pending = new List<Task>();
            Task Verified(int index)
            {
                var check = background.VerifiedAsync(index);
                if (check.IsCompleted) return check;
                pending.Add(check);
                return Task.CompletedTask;
            }
            for (var i = 0; i < layers.Count; i++)
            {
                var index = i;
                fs._layers.Add(new LayerId(i, layers[i].Digest, layers[i].DiffId));
                await LayerReader.ReadAsync(layers[i], budget,
                    (path, entry, token) => fs.ApplyAsync(index, path, entry, token),
                    (path, message) => fs.Warn(index, path, message),
                    options.VerifyDiffIds, ct, background.Covers(i) ? () => Verified(index) : null).ConfigureAwait(false);
            }
            fs._linkTargets.Clear();
            await fs.FetchMissingAsync(layers, background, ct).ConfigureAwait(false);
            foreach (var check in pending) await check.ConfigureAwait(false);
            return fs;
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    public IReadOnlyList<LayerId> Layers => _layers;
    public IReadOnlyList<LayerWarning> Warnings => _warnings;

    /// Warnings beyond <see cref="LayerReadOptions.MaxWarnings"/>, counted only.
    public int WarningsNotRecorded { get; private set; }

    /// Files deleted or replaced by later layers, when <see cref="LayerReadOptions.KeepHidden"/> is set.
    public IReadOnlyList<HiddenFile> Hidden => _hidden;

    /// Bytes of kept content in memory and spilled to the private temporary directory.
    public long InMemoryBytes => _store.InMemoryBytes;
    public long SpilledBytes => _store.SpilledBytes;
    public string? SpillDirectory => _store.SpillDirectory;

    /// Every regular file of the squashed view, and every symbolic link that leads to one inside the root (listed under
    /// the link's own path). Links to directories are not walked: the real directory is listed where it lies.
    public IEnumerable<ImageFile> Files()
    {
        var pending = new Stack<(Node Dir, string Path)>();
        pending.Push((_root, ""));
        while (pending.Count > 0)
        {
            var (dir, prefix) = pending.Pop();
            foreach (var (name, child) in dir.Children!)
            {
                var path = prefix.Length == 0 ? name : string.Concat(prefix, "/", name);
                switch (child.Kind)
                {
                    case Kind.Directory:
                        pending.Push((child, path));
                        break;
                    case Kind.File:
                        yield return new ImageFile(path, child.Size, _layers[child.Layer]);
                        break;
                    case Kind.Symlink:
                        if (Resolve(path, followFinal: true, lenient: false).Node is { Kind: Kind.File } target)
                            yield return new ImageFile(path, target.Size, _layers[target.Layer]);
                        break;
                }
            }
        }
    }

    /// True when <paramref name="path"/> is a regular file, following links inside the root.
    public bool Exists(string path) => Resolve(Clean(path), followFinal: true, lenient: false).Node is { Kind: Kind.File };

    /// The content of a kept file (following links inside the root); null when the path is not a regular file or its
    /// content was not kept. For a <see cref="KeepDecision.KeepIfHead"/> file the head test refuted, only its first
    /// <see cref="HeadLength"/> bytes (<see cref="IsHeadOnly"/>).
    public Stream? TryOpen(string path) =>
        Resolve(Clean(path), followFinal: true, lenient: false).Node is { Kind: Kind.File, Content: >= 0 } node
            ? _store.Open(node.Content)
            : null;

    /// True when only the first bytes of the file were kept, because the head test refuted it.
    public bool IsHeadOnly(string path) => Resolve(Clean(path), followFinal: true, lenient: false).Node is { Kind: Kind.File, HeadOnly: true };

    /// The path with every link resolved inside the root, or null when it is missing, loops or passes through a file.
    public string? RealPath(string path) => Resolve(Clean(path), followFinal: true, lenient: false) is { Node: not null } r ? r.Path : null;

    /// The layer that last wrote the file at <paramref name="path"/> (the link's target for a symbolic link).
    public LayerId? LayerOf(string path) =>
        Resolve(Clean(path), followFinal: true, lenient: false).Node is { Kind: Kind.File } node ? _layers[node.Layer] : null;

    /// The content of a hidden file, when it was kept.
    public Stream? TryOpenHidden(HiddenFile file) => file.Content >= 0 ? _store.Open(file.Content) : null;

    public void Dispose() => _store.Dispose();

    private static string Clean(string path) => TarPath.Normalise(path) ?? "";

    private void Warn(int layer, string path, string message)
    {
        if (_warnings.Count >= _options.MaxWarnings)
        {
            WarningsNotRecorded++;
            return;
        }
        _warnings.Add(new LayerWarning(_layers[layer], path, message));
    }

    private ValueTask ApplyAsync(int layer, string path, TarEntry entry, CancellationToken ct)
    {
        if (++_entries > _options.MaxEntries)
            throw new InputException($"Layer {_layers[layer].Digest} brings the image to more than {_options.MaxEntries} tar entries (the entry limit, which bounds memory); it is refused. Raise the entry limit if the image is genuine.");
        // Linux's PATH_MAX and NAME_MAX: longer names cannot exist in a running container, and they bound the memory of
        // the path index and the work of resolving links
        if (path.Length > MaxPathLength || entry.LinkName.Length > MaxPathLength || LongestSegment(path) > MaxNameLength)
        {
            Warn(layer, path.Length > 200 ? path[..200] + "…" : path, $"entry path or link target longer than Linux allows ({MaxPathLength} bytes, {MaxNameLength} per name); ignored");
            return ValueTask.CompletedTask;
        }
        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? path : path[(slash + 1)..];
        var parentPath = slash < 0 ? "" : path[..slash];
        // aufs bookkeeping (.wh..wh.plnk/, .wh..wh.aufs) is never part of the image's filesystem
        if (name != OpaqueMarker && (path.StartsWith(".wh..wh.", StringComparison.Ordinal) || path.Contains("/.wh..wh.", StringComparison.Ordinal)))
            return ValueTask.CompletedTask;
        if (name.StartsWith(".wh.", StringComparison.Ordinal))
        {
            ApplyWhiteout(layer, parentPath, name, path);
            return ValueTask.CompletedTask;
        }
        Kind kind;
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                kind = Kind.File;
                break;
            case TarEntryType.Directory:
                kind = Kind.Directory;
                break;
            case TarEntryType.SymbolicLink:
                kind = Kind.Symlink;
                break;
            case TarEntryType.HardLink:
                ApplyHardLink(layer, path, parentPath, name, entry.LinkName);
                return ValueTask.CompletedTask;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                Warn(layer, path, "device or FIFO entry ignored");
                return ValueTask.CompletedTask;
            default:
                Warn(layer, path, $"tar entry type {entry.EntryType} not supported; ignored");
                return ValueTask.CompletedTask;
        }

        var (parent, realParent) = EnsureDirectory(layer, parentPath, path);
        var real = ReferenceEquals(realParent, parentPath) ? path : realParent.Length == 0 ? name : string.Concat(realParent, "/", name);
        parent.Children!.TryGetValue(name, out var existing);
        switch (kind)
        {
            case Kind.Directory:
                if (existing is { Kind: Kind.Directory })
                {
                    existing.Layer = layer;
                    return ValueTask.CompletedTask;
                }
                Replace(parent, name, real, existing, layer);
                parent.Children[name] = new Node(Kind.Directory, layer);
                return ValueTask.CompletedTask;
            case Kind.Symlink:
                Replace(parent, name, real, existing, layer);
                parent.Children[name] = new Node(Kind.Symlink, layer) { Link = entry.LinkName };
                var wanted = _keep(real);
                if (wanted != KeepDecision.Skip && Resolve(real, followFinal: true, lenient: true) is { Path: { } target } resolved
                    && (resolved.Node is null || (resolved.Node.Kind == Kind.File && Lacks(resolved.Node, wanted))))
                    _linkTargets.Add(target); // its file may still come in this or a later layer
                return ValueTask.CompletedTask;
            default:
                Replace(parent, name, real, existing, layer);
                var file = new Node(Kind.File, layer) { Size = entry.Length, SourceName = ReferenceEquals(real, path) ? null : path };
                parent.Children[name] = file;
                // a file some wanted link leads to is kept whole, whatever its own path would get
                var decision = _linkTargets.Count > 0 && _linkTargets.Contains(real) ? KeepDecision.Keep : _keep(real);
                if (decision == KeepDecision.KeepIfHead) return KeepIfHeadAsync(layer, real, file, entry, ct);
                if (decision == KeepDecision.Keep)
                {
                    if (MayKeep(layer, real, entry.Length)) return KeepAsync(file, entry, ct);
                    file.TooLarge = true;
                }
                return ValueTask.CompletedTask;
        }
    }

    /// True when a file wanted this way still lacks content: none was kept, or only its head while the whole is wanted.
    private static bool Lacks(Node file, KeepDecision wanted) => file.Content < 0 || (file.HeadOnly && wanted == KeepDecision.Keep);

    /// Kept files spill to disk, so their size is capped too: one file, and everything spilled together.
    private bool MayKeep(int layer, string path, long length)
    {
        if (length > _options.MaxKeptFileBytes)
        {
            Warn(layer, path, $"file of {length} bytes is larger than the {_options.MaxKeptFileBytes} bytes kept for catalogers; not read");
            return false;
        }
        if (_store.SpilledBytes + length > _options.MaxSpilledBytes)
        {
            Warn(layer, path, $"kept files already fill the {_options.MaxSpilledBytes} bytes allowed on disk; not read");
            return false;
        }
        return true;
    }

    private async ValueTask KeepAsync(Node file, TarEntry entry, CancellationToken ct) =>
        file.Content = await _store.AddAsync(entry.DataStream ?? Stream.Null, entry.Length, ct).ConfigureAwait(false);

    /// Reads the first bytes; the whole file is kept only when the head test passes them. A refuted file keeps just
    /// those bytes, and the tar reader skips the rest of its data without anyone copying it.
    private async ValueTask KeepIfHeadAsync(int layer, string path, Node file, TarEntry entry, CancellationToken ct)
    {
        var data = entry.DataStream ?? Stream.Null;
        var head = new byte[(int)Math.Min(HeadLength, entry.Length)];
        var read = await data.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < head.Length) throw new EndOfStreamException($"the data of {path} ends after {read} of its {entry.Length} bytes");
        if (!_headTest(head))
        {
            file.Content = await _store.AddAsync(new MemoryStream(head, writable: false), head.Length, ct).ConfigureAwait(false);
            file.HeadOnly = true;
            return;
        }
        if (!MayKeep(layer, path, entry.Length))
        {
            file.TooLarge = true;
            return;
        }
        file.Content = await _store.AddAsync(new PrefixedStream(head, data), entry.Length, ct).ConfigureAwait(false);
    }

    private void ApplyHardLink(int layer, string path, string parentPath, string name, string linkName)
    {
        var targetPath = TarPath.Normalise(linkName);
        if (targetPath is null)
        {
            Warn(layer, path, $"hard link to '{linkName}' leaves the image root; ignored");
            return;
        }
        var (realTarget, target) = Resolve(targetPath, followFinal: false, lenient: false);
        if (target is null || target.Kind == Kind.Directory || realTarget is null)
        {
            Warn(layer, path, $"hard link to '{linkName}', which is not a file in this or an earlier layer; ignored");
            return;
        }
        // the copy takes its reference first: making the link's directory may replace the target itself ("b/x" -> "b")
        var copy = new Node(target.Kind, layer)
        {
            Size = target.Size,
            Link = target.Link,
            SourceLayer = target.SourceLayer,
            SourceName = target.SourceName ?? realTarget,
            TooLarge = target.TooLarge,
            HeadOnly = target.HeadOnly,
        };
        if (target.Content >= 0)
        {
            _store.AddReference(target.Content);
            copy.Content = target.Content;
        }
        var (parent, realParent) = EnsureDirectory(layer, parentPath, path);
        var real = ReferenceEquals(realParent, parentPath) ? path : realParent.Length == 0 ? name : string.Concat(realParent, "/", name);
        parent.Children!.TryGetValue(name, out var existing);
        if (ReferenceEquals(existing, target))
        {
            if (copy.Content >= 0) _store.Release(copy.Content);
            return; // a link to itself changes nothing
        }
        Replace(parent, name, real, existing, layer);
        parent.Children[name] = copy;
    }

    private void ApplyWhiteout(int layer, string parentPath, string name, string path)
    {
        // whiteouts apply to lower layers only: what this layer wrote (before or after the whiteout) stays. The marker's
        // directory exists in this layer, as a regular entry's does: over a file of a lower layer it is a directory now,
        // as overlayfs shows an upper directory over a lower file (SquashModelPropertiesTests found the file kept)
        var (parent, realParent) = EnsureDirectory(layer, parentPath, path);
        if (name == OpaqueMarker)
        {
            RemoveLower(parent, realParent, layer);
            return;
        }
        if (name.Length == 4)
        {
            Warn(layer, path, "whiteout '.wh.' names nothing to delete; ignored");
            return;
        }
        var victim = name[4..];
        if (!parent.Children!.TryGetValue(victim, out var child)) return;
        var childPath = realParent.Length == 0 ? victim : string.Concat(realParent, "/", victim);
        if (child.Kind == Kind.Directory)
        {
            RemoveLower(child, childPath, layer);
            if (child.Layer < layer)
            {
                if (child.Children!.Count == 0) parent.Children.Remove(victim);
                else child.Layer = layer;
            }
        }
        else if (child.Layer < layer)
        {
            Hide(child, childPath, layer);
            parent.Children.Remove(victim);
        }
    }

    /// Removes everything under <paramref name="dir"/> that layers below <paramref name="layer"/> wrote.
    private void RemoveLower(Node dir, string dirPath, int layer)
    {
        foreach (var (name, child) in dir.Children!)
        {
            var path = dirPath.Length == 0 ? name : string.Concat(dirPath, "/", name);
            if (child.Kind == Kind.Directory)
            {
                RemoveLower(child, path, layer);
                if (child.Layer < layer)
                {
                    if (child.Children!.Count == 0) dir.Children.Remove(name); // allowed while enumerating
                    else child.Layer = layer;
                }
            }
            else if (child.Layer < layer)
            {
                Hide(child, path, layer);
                dir.Children.Remove(name);
            }
        }
    }

    private void Replace(Node parent, string name, string path, Node? existing, int layer)
    {
        if (existing is null) return;
        Hide(existing, path, layer);
        parent.Children!.Remove(name);
    }

    /// A node leaves the view: its content is released, or moved to the hidden list with `--layers all`.
    private void Hide(Node node, string path, int layer)
    {
        switch (node.Kind)
        {
            case Kind.Directory:
                foreach (var (name, child) in node.Children!) Hide(child, string.Concat(path, "/", name), layer);
                break;
            case Kind.File when _options.KeepHidden && node.Layer < layer:
                _hidden.Add(new HiddenFile(path, node.Size, _layers[node.Layer], _layers[layer], node.Content));
                break;
            case Kind.File when node.Content >= 0:
                _store.Release(node.Content);
                break;
        }
    }

    /// The directory an entry goes into, made as needed; a link on the way is followed when it leads to a directory
    /// inside the root, and replaced by a directory otherwise.
    private (Node Dir, string RealPath) EnsureDirectory(int layer, string parentPath, string entryPath)
    {
        if (parentPath.Length == 0) return (_root, "");
        var current = _root;
        // null while no link was followed: the real path so far is then a prefix of parentPath (no allocation)
        string? redirected = null;
        var start = 0;
        while (start <= parentPath.Length)
        {
            var end = parentPath.IndexOf('/', start);
            if (end < 0) end = parentPath.Length;
            var segment = parentPath.AsSpan(start, end - start);
            start = end + 1;
            var children = current.Children!;
            children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var next);
            if (redirected is not null) redirected = string.Concat(redirected, "/", segment);
            if (next is null)
            {
                next = new Node(Kind.Directory, layer);
                children[segment.ToString()] = next;
            }
            else if (next.Kind != Kind.Directory)
            {
                var realSoFar = redirected ?? parentPath[..end];
                if (next.Kind == Kind.Symlink
                    && Resolve(realSoFar, followFinal: true, lenient: false) is { Path: { } resolved, Node: { Kind: Kind.Directory } dir })
                {
                    next = dir;
                    redirected = resolved;
                }
                else
                {
                    if (next.Kind == Kind.Symlink)
                        Warn(layer, entryPath, $"parent '{realSoFar}' is a link that leads to no directory inside the image; replaced by a directory");
                    else Hide(next, realSoFar, layer);
                    next = new Node(Kind.Directory, layer);
                    children[segment.ToString()] = next;
                }
            }
            current = next;
        }
        return (current, redirected ?? parentPath);
    }

    /// Resolves <paramref name="path"/> inside the root. Lenient resolution carries on through missing directories
    /// (for a target that a later entry may create) and returns a path with a null node.
    private (string? Path, Node? Node) Resolve(string path, bool followFinal, bool lenient)
    {
        var pending = new Stack<string>();
        PushSegments(pending, path);
        var parts = new List<string>();
        var nodes = new List<Node?>();
        Node? current = _root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                // ".." never climbs above the root
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                    nodes.RemoveAt(nodes.Count - 1);
                    current = nodes.Count > 0 ? nodes[^1] : _root;
                }
                continue;
            }
            if (current is null)
            {
                parts.Add(segment);
                nodes.Add(null);
                continue;
            }
            if (current.Kind != Kind.Directory) return (null, null);
            if (!current.Children!.TryGetValue(segment, out var child))
            {
                if (!lenient && pending.Count > 0) return (null, null);
                parts.Add(segment);
                nodes.Add(null);
                current = null;
                continue;
            }
            if (child.Kind == Kind.Symlink && (followFinal || pending.Count > 0))
            {
                if (++hops > MaxLinkHops) return (null, null);
                var target = child.Link ?? "";
                if (target.StartsWith('/'))
                {
                    parts.Clear();
                    nodes.Clear();
                    current = _root;
                }
                PushSegments(pending, target);
                continue;
            }
            parts.Add(segment);
            nodes.Add(child);
            current = child;
        }
        return (string.Join('/', parts), parts.Count == 0 ? _root : current);
    }

    private static void PushSegments(Stack<string> pending, string path)
    {
        var segments = path.Split('/');
        for (var i = segments.Length - 1; i >= 0; i--) pending.Push(segments[i]);
    }

    /// Kept files whose bytes went by before anyone knew they were wanted (targets of links seen later, hard links to
    /// unkept files): one more pass over each layer that holds such bytes.
    private async Task FetchMissingAsync(IReadOnlyList<LayerRef> layers, BackgroundVerification background, CancellationToken ct)
    {
        var needs = new SortedDictionary<int, Dictionary<string, List<Node>>>();
        void Need(Node node, string path)
        {
            if (node.TooLarge) return; // warned about in the first pass
            if (!needs.TryGetValue(node.SourceLayer, out var byName)) needs[node.SourceLayer] = byName = new(StringComparer.Ordinal);
            var name = node.SourceName ?? path;
            if (!byName.TryGetValue(name, out var list)) byName[name] = list = [];
            if (!list.Contains(node)) list.Add(node);
        }

        var pending = new Stack<(Node Dir, string Path)>();
        pending.Push((_root, ""));
        while (pending.Count > 0)
        {
            var (dir, prefix) = pending.Pop();
            foreach (var (name, child) in dir.Children!)
            {
                var path = prefix.Length == 0 ? name : string.Concat(prefix, "/", name);
                if (child.Kind == Kind.Directory) pending.Push((child, path));
                else if (child.Kind == Kind.File && _keep(path) is var fileWant && fileWant != KeepDecision.Skip && Lacks(child, fileWant)) Need(child, path);
                else if (child.Kind == Kind.Symlink && _keep(path) is var linkWant && linkWant != KeepDecision.Skip
                    && Resolve(path, followFinal: true, lenient: false) is { Path: { } real, Node: { Kind: Kind.File } target } && Lacks(target, linkWant))
                    Need(target, real);
            }
        }

        foreach (var (index, byName) in needs)
        {
            await LayerReader.ReadAsync(layers[index], new ImageByteBudget(_options.Limits),
                async (path, entry, token) =>
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)) return;
                    if (!byName.TryGetValue(path, out var nodes) || !MayKeep(index, path, entry.Length)) return;
                    var handle = await _store.AddAsync(entry.DataStream ?? Stream.Null, entry.Length, token).ConfigureAwait(false);
                    for (var i = 0; i < nodes.Count; i++)
                    {
                        if (nodes[i].Content >= 0) _store.Release(nodes[i].Content);
                        if (i > 0) _store.AddReference(handle);
                        nodes[i].Content = handle;
                        nodes[i].HeadOnly = false;
                    }
                },
                (_, _) => { }, // recorded in the first pass
                verifyDiffId: false, ct, background.Covers(index) ? () => background.VerifiedAsync(index) : null).ConfigureAwait(false);
        }
    }
}
