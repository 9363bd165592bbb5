// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Robustness;

/// Equal purls from several files merge first-wins (description, properties); the order must not depend on which
/// file a parallel run happened to finish first, or the same tree gives different SBOMs.
public sealed class MergeOrderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Merges_equal_purls_from_several_files_the_same_way_in_every_run()
    {
        // same size, so only the path decides the order: a.txt before b.txt before c.txt
        foreach (var name in new[] { "c.txt", "a.txt", "b.txt" }) await File.WriteAllTextAsync(Path.Combine(_dir, name), name[..1]);

        var descriptions = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = await Catalog.RunAsync(new DirectoryFileTree(_dir), [new SlowCataloger(i)], new CatalogOptions { MaxParallelism = 3 });
            descriptions.Add(Assert.Single(result.Packages).Description!);
        }

        Assert.Equal(["a"], descriptions);
    }

    /// Reports the same package from every file, finishing the files in an order that changes with the run.
    private sealed class SlowCataloger(int run) : ICataloger
    {
        public string Name => "slow";

        public bool Wants(FilePath path) => path.Extension == ".txt";

        public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
        {
            var text = await input.ReadTextAsync(ct);
            await Task.Delay((text[0] + run) % 3 * 20, ct);
            return [Package.Create(Ecosystem.Npm, "same", "1.0.0", input.Location) with { Description = text }];
        }
    }
}
