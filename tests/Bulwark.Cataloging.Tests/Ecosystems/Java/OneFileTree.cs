// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Java;

/// A directory tree that lists one file but can open all of them, so a pom's parents and BOMs above it are
/// visible while only the pom itself is cataloged.
internal sealed class OneFileTree(string root, string file) : IFileTree
{
    private readonly DirectoryFileTree _tree = new(Path.IsPathRooted(root) ? root : Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), root));

    public string Description => _tree.Description;

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) =>
        _tree.Files(onWarning).Where(f => f.Path.Value == file);

    public Stream? TryOpen(FilePath path) => _tree.TryOpen(path);

    public bool Exists(FilePath path) => _tree.Exists(path);

    public static Task<CatalogResult> RunAsync(ICataloger cataloger, string root, string file) =>
        Catalog.RunAsync(new OneFileTree(root, file), [cataloger]);
}
