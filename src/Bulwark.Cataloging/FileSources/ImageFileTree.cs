// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Layers;

namespace Bulwark.Cataloging.FileSources;

/// The squashed filesystem of a container image as catalogers see it. Every regular file is listed (catalogers'
/// Wants decides what is read); only the files the keep test chose when the layers streamed by can be opened. The
/// content of kept files lives in memory or in one private temporary directory removed on Dispose.
public sealed class ImageFileTree : IFileTree, IDisposable
{
    private readonly ImageFileSystem _fs;

    private ImageFileTree(ImageFileSystem fs, string description)
    {
        _fs = fs;
        Description = description;
    }

    /// Reads <paramref name="layers"/> (base first); <paramref name="keep"/> is asked once per file with its squashed
    /// path (the lead passes "some cataloger Wants it or some neighbour reader MayRead it").
    public static async Task<ImageFileTree> ReadAsync(
        IReadOnlyList<LayerRef> layers,
        Func<FilePath, bool> keep,
        string description,
        LayerReadOptions? options = null,
        CancellationToken ct = default)
    {
        var fs = await ImageFileSystem.ReadAsync(layers, path => keep(new FilePath(path)), options, ct).ConfigureAwait(false);
        return new ImageFileTree(fs, description);
    }

    /// Reads <paramref name="layers"/> (base first); <paramref name="keep"/> decides per squashed path whether the
    /// file's content is kept, and <paramref name="headTest"/> settles the <see cref="KeepDecision.KeepIfHead"/> ones
    /// (paths only <see cref="IConfirmsByHead"/> catalogers want).
    public static async Task<ImageFileTree> ReadAsync(
        IReadOnlyList<LayerRef> layers,
        Func<FilePath, KeepDecision> keep,
        HeadTest headTest,
        string description,
        LayerReadOptions? options = null,
        CancellationToken ct = default)
    {
        var fs = await ImageFileSystem.ReadAsync(layers, path => keep(new FilePath(path)), headTest, options, ct).ConfigureAwait(false);
        return new ImageFileTree(fs, description);
    }

    /// The keep decision for a set of catalogers: whole when some cataloger wants the path outright (or may read it as
    /// a neighbour), on its head when only <see cref="IConfirmsByHead"/> catalogers want it.
    public static KeepDecision Decide(IReadOnlyList<ICataloger> catalogers, FilePath path)
    {
        var decision = KeepDecision.Skip;
        foreach (var c in catalogers)
        {
            if (c is IReadsNeighbours n && n.MayRead(path)) return KeepDecision.Keep;
            if (!c.Wants(path)) continue;
            if (c is not IConfirmsByHead) return KeepDecision.Keep;
            decision = KeepDecision.KeepIfHead;
        }
        return decision;
    }

    /// The head test for a set of catalogers: some <see cref="IConfirmsByHead"/> cataloger wants the head.
    public static HeadTest HeadTestFor(IReadOnlyList<ICataloger> catalogers)
    {
        var confirming = catalogers.OfType<IConfirmsByHead>().ToArray();
        return head =>
        {
            foreach (var c in confirming)
                if (c.WantsHead(head)) return true;
            return false;
        };
    }

    /// What the tree is, for messages: "image demo/shop:1".
    public string Description { get; }

    /// The image's layers, base first.
    public IReadOnlyList<LayerId> Layers => _fs.Layers;

    /// Entries skipped while reading the layers (paths leaving the root, devices, dangling hard links), in order.
    public IReadOnlyList<LayerWarning> Warnings => _fs.Warnings;

    /// Warnings beyond the recorded ones (a hostile image can have millions), counted only.
    public int WarningsNotRecorded => _fs.WarningsNotRecorded;

    /// Files that later layers deleted or replaced (with <see cref="LayerReadOptions.KeepHidden"/>, `--layers all`).
    public IReadOnlyList<HiddenFile> HiddenFiles => _fs.Hidden;

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null)
    {
        if (onWarning is not null)
        {
            foreach (var w in _fs.Warnings) onWarning(new FilePath(w.Path), $"layer {w.Layer.Digest}: {w.Message}");
        }
        foreach (var f in _fs.Files()) yield return new FileEntry(new FilePath(f.Path), f.Size);
    }

    public Stream? TryOpen(FilePath path) => _fs.TryOpen(path.Value);

    public bool Exists(FilePath path) => _fs.Exists(path.Value);

    /// The layer that last wrote <paramref name="path"/> (through links), for a package's location; null when absent.
    public LayerId? LayerOf(FilePath path) => _fs.LayerOf(path.Value);

    /// A tree of the files that <paramref name="layer"/> wrote and later layers deleted or replaced, for `--layers all`:
    /// catalogers run over it find what the final image no longer holds. Neighbours missing from it are looked up in
    /// the squashed view.
    public IFileTree HiddenTree(LayerId layer) => new HiddenFileTree(this, layer);

    public void Dispose() => _fs.Dispose();

    private sealed class HiddenFileTree(ImageFileTree owner, LayerId layer) : IFileTree
    {
        private readonly Dictionary<string, HiddenFile> _files = owner._fs.Hidden
            .Where(h => h.Layer.Index == layer.Index)
            .GroupBy(h => h.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

        public string Description => $"{owner.Description}, files of layer {layer.Digest} hidden by later layers";

        public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) =>
            _files.Values.Select(h => new FileEntry(new FilePath(h.Path), h.Size));

        public Stream? TryOpen(FilePath path) =>
            _files.TryGetValue(path.Value, out var h) ? owner._fs.TryOpenHidden(h) : owner.TryOpen(path);

        public bool Exists(FilePath path) => _files.ContainsKey(path.Value) || owner.Exists(path);
    }
}
