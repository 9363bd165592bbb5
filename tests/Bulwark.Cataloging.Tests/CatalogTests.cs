// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests;

public sealed class CatalogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bulwark-catalog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// A cataloger for "*.pkgs" files: one "name version" per line; "boom" throws an input error, "bug" a bug.
    private sealed class LineCataloger : ICataloger
    {
        public string Name => "test-lines";
        public bool Wants(FilePath path) => path.Extension == ".pkgs";

        public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
        {
            var text = await input.ReadTextAsync(ct);
            var result = new List<Package>();
            var line = 0;
            foreach (var l in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                line++;
                if (l == "boom") throw new InputException($"line {line}: cannot parse 'boom'.");
                if (l == "bug") throw new InvalidOperationException("oops");
                var parts = l.Split(' ');
                result.Add(Package.Create(Ecosystem.Npm, parts[0], parts[1], input.LocationAt(line)) with { Scope = parts.Length > 2 ? Scope.Dev : Scope.Required });
            }
            return result;
        }
    }

    private void Write(string relative, string text)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public async Task Merges_the_same_package_from_two_files_keeping_every_location_and_the_stronger_scope()
    {
        Write("a/x.pkgs", "left-pad 1.3.0 dev\n");
        Write("b/x.pkgs", "other 1.0.0\nleft-pad 1.3.0\n");
        var result = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()]);
        Assert.Equal(["pkg:npm/left-pad@1.3.0", "pkg:npm/other@1.0.0"], result.Packages.Select(p => p.Purl.ToString()));
        var pad = result.Packages[0];
        Assert.Equal(Scope.Required, pad.Scope);
        Assert.Equal([new FileLocation("a/x.pkgs", 1), new FileLocation("b/x.pkgs", 2)], pad.Locations.ToArray());
        Assert.Equal(["test-lines"], pad.FoundBy.ToArray());
    }

    [Fact]
    public async Task Records_an_unreadable_file_and_goes_on()
    {
        Write("good.pkgs", "a 1.0.0\n");
        Write("bad.pkgs", "a 1.0.0\nboom\n");
        var result = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()]);
        Assert.Single(result.Packages);
        var u = Assert.Single(result.Unreadable);
        Assert.Equal("bad.pkgs", u.Location.Path);
        Assert.Equal("line 2: cannot parse 'boom'.", u.Reason);
    }

    [Fact]
    public async Task Reports_a_cataloger_bug_as_an_internal_error_instead_of_dropping_it()
    {
        Write("bug.pkgs", "bug\n");
        var result = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()]);
        var u = Assert.Single(result.Unreadable);
        Assert.StartsWith("internal error in cataloger test-lines (InvalidOperationException: oops)", u.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_not_read_files_over_the_size_limit()
    {
        Write("big.pkgs", "a 1.0.0\n" + new string('#', 200));
        var result = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()], new CatalogOptions { MaxFileSize = 100 });
        Assert.Empty(result.Packages);
        Assert.Contains("over the 100-byte limit", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gives_the_same_result_whatever_the_parallelism()
    {
        for (var i = 0; i < 50; i++) Write($"d{i}/p.pkgs", $"pkg{i % 7} 1.{i % 3}.0\nshared 2.0.0\n");
        var one = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()], new CatalogOptions { MaxParallelism = 1 });
        var many = await Catalog.RunAsync(new DirectoryFileTree(_root), [new LineCataloger()], new CatalogOptions { MaxParallelism = 8 });
        Assert.Equal(one.Packages, many.Packages, (a, b) => a.Purl == b.Purl && a.Locations.SequenceEqual(b.Locations));
        Assert.Equal(22, one.Packages.Count);
    }

    [Fact]
    public void Writes_declared_licenses_as_spdx_expressions_and_keeps_unknown_text()
    {
        var p = Package.Create(Ecosystem.Npm, "x", "1.0.0") with { Licenses = ["Apache License, Version 2.0", "mit OR apache-2.0", "BSD", "NOASSERTION"] };
        var merged = Assert.Single(Catalog.Merge([p]));
        Assert.Equal(["Apache-2.0", "BSD", "MIT OR Apache-2.0"], merged.Licenses.ToArray());
    }
}
