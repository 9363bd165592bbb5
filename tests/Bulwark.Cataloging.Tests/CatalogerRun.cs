// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests;

/// Runs one cataloger over test files the way `bulwark sbom` does (through <see cref="Catalog"/>), so unreadable
/// files are recorded exactly as in production.
public static class CatalogerRun
{
    /// Catalogs one file (its neighbours stay readable): a path relative to the test project, or absolute.
    public static Task<CatalogResult> FileAsync(ICataloger cataloger, string path) =>
        Catalog.RunAsync(DirectoryFileTree.ForSingleFile(Resolve(path)), [cataloger]);

    /// Catalogs a whole directory with one cataloger.
    public static Task<CatalogResult> DirectoryAsync(ICataloger cataloger, string path) =>
        Catalog.RunAsync(new DirectoryFileTree(Resolve(path)), [cataloger]);

    /// A file from ../shared/corpora/lockfiles.
    public static string Corpus(string relative) => Path.Combine(TestPaths.Lockfiles, relative);

    /// Finds one package by purl, failing with the list of purls seen when it is missing.
    public static Package Single(this CatalogResult result, string purl)
    {
        var p = Purl.Parse(purl);
        return result.Packages.FirstOrDefault(x => x.Purl.Equals(p))
            ?? throw new Xunit.Sdk.XunitException($"{purl} not found among:\n  " + string.Join("\n  ", result.Packages.Select(x => x.Purl)));
    }

    private static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), path);
}
