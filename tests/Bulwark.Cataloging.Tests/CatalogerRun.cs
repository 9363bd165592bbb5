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

    /// A package's dependency edges as purl strings, for compact assertions.
    public static string[] Deps(Package p) => [.. p.DependsOn.Select(d => d.ToString())];

    /// Asserts a whole lockfile's totals: no unreadable file, package and edge counts, and packages per scope.
    public static void AssertTotals(this CatalogResult result, int packages, int edges, int required, int optional, int dev)
    {
        Assert.Empty(result.Unreadable);
        Assert.Equal(packages, result.Packages.Count);
        Assert.Equal(edges, result.Packages.Sum(p => p.DependsOn.Length));
        Assert.Equal(required, result.Packages.Count(p => p.Scope == Scope.Required));
        Assert.Equal(optional, result.Packages.Count(p => p.Scope == Scope.Optional));
        Assert.Equal(dev, result.Packages.Count(p => p.Scope == Scope.Dev));
    }

    private static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), path);
}
