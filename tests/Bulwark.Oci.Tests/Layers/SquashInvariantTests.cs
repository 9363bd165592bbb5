// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Oci.Layers;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Layers;

public sealed class SquashInvariantTests
{
    private static readonly string[] Names = ["a", "b", "A", "a", "b", "c", "a", "b", ".wh.a", ".wh.b", ".wh..wh..opq", "..", "."];
    private static readonly string[] Targets = ["a", "/a", "../a", "b/a", "/b/../a", "../../../../a", "a/b", ".", "/", "..", "b"];

    /// Random layers over a tiny alphabet of names (files, directories, links, hard links, whiteouts, opaque markers;
    /// fixed seed): reading never fails, every listed file exists and opens (everything is kept), and what is hidden
    /// with `--layers all` can be opened too.
    [Fact]
    public async Task Random_layer_stacks_keep_the_views_invariants()
    {
        var rng = new Random(7);
        var (listed, hiddenSeen, linksListed) = (0, 0, 0);
        for (var round = 0; round < 600; round++)
        {
            var layers = new List<LayerRef>();
            for (var l = rng.Next(1, 4); l > 0; l--)
            {
                var entries = new List<Action<TarWriter>>();
                for (var e = rng.Next(1, 12); e > 0; e--)
                {
                    var path = string.Join('/', Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Names[rng.Next(Names.Length)]));
                    var target = Targets[rng.Next(Targets.Length)];
                    entries.Add(rng.Next(5) switch
                    {
                        0 => Dir(path),
                        1 => Symlink(path, target),
                        2 => HardLink(path, target),
                        _ => File(path, $"{round}:{path}"),
                    });
                }
                layers.Add(GzipLayer(Tar([.. entries])));
            }
            using var fs = await ImageFileSystem.ReadAsync(layers, _ => true, new LayerReadOptions { KeepHidden = true });
            foreach (var file in fs.Files())
            {
                Assert.True(fs.Exists(file.Path), $"round {round}: {file.Path} is listed but does not exist");
                using var content = fs.TryOpen(file.Path);
                Assert.True(content is not null, $"round {round}: {file.Path} is listed but cannot be opened");
                Assert.Equal(file.Size, content.Length);
                Assert.NotNull(fs.LayerOf(file.Path));
                listed++;
                if (fs.RealPath(file.Path) != file.Path) linksListed++;
            }
            // keeping only some paths: each of those opens, through links and hard links too (a second pass may fetch it)
            using var some = await ImageFileSystem.ReadAsync(layers, p => p.EndsWith('a'));
            foreach (var file in some.Files().Where(f => f.Path.EndsWith('a')))
            {
                using var content = some.TryOpen(file.Path);
                Assert.True(content is not null, $"round {round}: kept {file.Path} cannot be opened");
            }
            foreach (var hidden in fs.Hidden)
            {
                using var content = fs.TryOpenHidden(hidden);
                Assert.True(content is not null, $"round {round}: hidden {hidden.Path} cannot be opened");
                Assert.True(hidden.Layer.Index < hidden.HiddenBy.Index);
                hiddenSeen++;
            }
        }
        // the random stacks exercise what they are meant to
        Assert.True(listed > 400 && hiddenSeen > 150 && linksListed > 10, $"listed {listed}, hidden {hiddenSeen}, through links {linksListed}");
    }
}
