// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Testing;

/// Where the repository, its test data and ../shared are, found from the test assembly's location.
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// ../shared beside the repository (read-only reference material).
    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
    public static string Corpora => Path.Combine(Shared, "corpora");
    public static string Lockfiles => Path.Combine(Corpora, "lockfiles");

    /// The source folder of a test project (where testdata/ lives), e.g. TestPaths.Project("Bulwark.Cataloging.Tests").
    public static string Project(string name) => Path.Combine(RepositoryRoot, "tests", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find Bulwark.slnx above " + AppContext.BaseDirectory);
    }
}
