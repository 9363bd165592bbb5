// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Ecosystems.Ruby;

/// The name of the project a lockfile belongs to when the lockfile itself does not say it: the directory it lies in.
internal static class ProjectName
{
    public static string Of(CatalogInput input)
    {
        var dir = input.Path.Directory;
        if (dir.Length > 0) return dir[(dir.LastIndexOf('/') + 1)..];
        // the lockfile is at the root of the scanned tree: the root directory's own name
        if (input.Tree is DirectoryFileTree d && Path.GetFileName(d.Root) is { Length: > 0 } name) return name;
        return "project";
    }
}
