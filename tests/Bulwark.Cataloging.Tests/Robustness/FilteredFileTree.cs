// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Tests.Robustness;

/// A tree that lists every path but opens only those <paramref name="keep"/> allows, as an image source does
/// after keeping only the files some cataloger wants or may read. Refused opens are recorded. With
/// <paramref name="forwardOnly"/> its streams cannot seek, as a layer's entries cannot.
internal sealed class FilteredFileTree(IFileTree inner, Func<FilePath, bool> keep, bool forwardOnly = false) : IFileTree
{
    public ConcurrentBag<string> Refused { get; } = [];

    public string Description => inner.Description;

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => inner.Files(onWarning);

    public Stream? TryOpen(FilePath path)
    {
        if (keep(path))
        {
            var s = inner.TryOpen(path);
            return forwardOnly && s is not null ? new ForwardOnlyStream(s) : s;
        }
        if (inner.Exists(path)) Refused.Add(path.Value);
        return null;
    }

    public bool Exists(FilePath path) => inner.Exists(path);
}
