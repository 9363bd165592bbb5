// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Cli.Tests.Scan;

/// One database for every scan test: the real npm, PyPI, Maven and Go advisories and npm malicious-package reports
/// from ../shared/vulndb, imported once through the same updater `bulwark db update` uses.
public sealed class ScanDatabaseFixture : IDisposable
{
    private static readonly string[] Advisories = ["npm", "PyPI", "Maven", "Go"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bulwark-scan-db-" + Guid.NewGuid());

    public ScanDatabaseFixture()
    {
        var mirror = Path.Combine(_root, "mirror");
        foreach (var (tree, ecosystems) in new[] { ("osv", Advisories), ("malicious", new[] { "npm" }) })
        {
            foreach (var eco in ecosystems)
            {
                Directory.CreateDirectory(Path.Combine(mirror, tree, eco));
                File.Copy(Path.Combine(TestPaths.Shared, "vulndb", tree, eco, "all.zip"), Path.Combine(mirror, tree, eco, "all.zip"));
            }
            File.WriteAllLines(Path.Combine(mirror, tree, "ecosystems.txt"), ecosystems);
        }
        using var http = new HttpClient();
        new DatabaseUpdater(http).UpdateAsync(new UpdateOptions { Directory = Db, Source = mirror }).GetAwaiter().GetResult();
    }

    /// The database directory (pass as --db).
    public string Db => Path.Combine(_root, "db");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
