// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using System.Text;
using Bulwark.Oci.Layers;
using FsCheck;
using FsCheck.Fluent;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Properties;

/// The squashed view of a stack of layers against a model written from the OCI image-layer specification: files,
/// directories, whiteouts and opaque markers over a tiny alphabet of names, so layers often collide.
public class SquashModelPropertiesTests
{
    private enum Op { File, Dir, Whiteout, Opaque }

    private sealed record Entry(Op Op, string Path, string Content)
    {
        public override string ToString() => Op switch
        {
            Op.File => $"{Path}={Content}",
            Op.Dir => Path + "/",
            Op.Whiteout => Parent(Path) is { Length: > 0 } p ? $"{p}/.wh.{Name(Path)}" : $".wh.{Name(Path)}",
            _ => Path.Length == 0 ? ".wh..wh..opq" : $"{Path}/.wh..wh..opq",
        };
    }

    private static readonly Gen<string> PathGen =
        from depth in Gen.Choose(1, 3)
        from names in Gen.ArrayOf(Gen.Elements("a", "b", "c"), depth)
        select string.Join('/', names);

    private static readonly Gen<Entry> EntryGen =
        from op in Gen.Frequency((5, Gen.Constant(Op.File)), (2, Gen.Constant(Op.Dir)), (3, Gen.Constant(Op.Whiteout)), (1, Gen.Constant(Op.Opaque)))
        from path in PathGen
        from n in Gen.Choose(0, 999)
        select new Entry(op, op == Op.Opaque && n % 4 == 0 ? "" : path, $"v{n}");

    // one layer: its entries, keeping it free of what the specification leaves open (a path written twice as different
    // kinds, or a file that is also the parent of another entry of the same layer)
    private static readonly Gen<Entry[]> LayerGen =
        from count in Gen.Choose(1, 8)
        from entries in Gen.ArrayOf(EntryGen, count)
        select Consistent(entries);

    private static readonly Gen<Entry[][]> StackGen =
        from count in Gen.Choose(1, 4)
        from layers in Gen.ArrayOf(LayerGen, count)
        select layers;

    [Fact]
    public void The_squashed_view_equals_the_specifications_model()
    {
        Prop.ForAll(StackGen.ToArbitrary(), stack =>
        {
            var expected = Model(stack);
            var layers = stack.Select(l => GzipLayer(Tar([.. l.Select(Write)]))).ToList();
            using var fs = ImageFileSystem.ReadAsync(layers, _ => true).GetAwaiter().GetResult();
            var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in fs.Files())
            {
                using var s = fs.TryOpen(file.Path)!;
                using var reader = new StreamReader(s, Encoding.UTF8);
                actual[file.Path] = reader.ReadToEnd();
            }
            var describe = string.Join(" | ", stack.Select(l => string.Join(' ', l.Select(e => e.ToString()))));
            Assert.True(expected.SequenceEqual(actual),
                $"layers: {describe}\nexpected: {string.Join(' ', expected.Select(p => $"{p.Key}={p.Value}"))}\nactual:   {string.Join(' ', actual.Select(p => $"{p.Key}={p.Value}"))}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1500).WithReplay(20261122, 53).WithQuietOnSuccess(true));
    }

    /// The model: each layer's whiteouts and opaque markers hide what the layers below hold (never what their own
    /// layer holds), then its files and directories are laid over the result; a file replaces whatever was at its
    /// path (a directory with all it held), a directory replaces a file, and an entry's parents become directories.
    private static SortedDictionary<string, string> Model(Entry[][] stack)
    {
        var nodes = new Dictionary<string, string?>(StringComparer.Ordinal);   // path -> content, null for a directory
        foreach (var layer in stack)
        {
            foreach (var e in layer.Where(e => e.Op is Op.Whiteout or Op.Opaque))
            {
                if (e.Op == Op.Whiteout) RemoveTree(nodes, e.Path, includeRoot: true);
                else RemoveTree(nodes, e.Path, includeRoot: false);
            }
            foreach (var e in layer)
            {
                var dir = e.Op == Op.Whiteout ? Parent(e.Path) : e.Op == Op.Opaque ? e.Path : Parent(e.Path);
                MakeDirectories(nodes, dir);
                switch (e.Op)
                {
                    case Op.File:
                        RemoveTree(nodes, e.Path, includeRoot: true);
                        nodes[e.Path] = e.Content;
                        break;
                    case Op.Dir:
                        if (nodes.TryGetValue(e.Path, out var existing) && existing is not null) nodes.Remove(e.Path);
                        nodes.TryAdd(e.Path, null);
                        break;
                }
            }
        }
        return new SortedDictionary<string, string>(
            nodes.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static void MakeDirectories(Dictionary<string, string?> nodes, string dir)
    {
        if (dir.Length == 0) return;
        var parts = dir.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var p = string.Join('/', parts[..i]);
            if (nodes.TryGetValue(p, out var existing) && existing is not null) nodes.Remove(p);
            nodes.TryAdd(p, null);
        }
    }

    private static void RemoveTree(Dictionary<string, string?> nodes, string path, bool includeRoot)
    {
        foreach (var key in nodes.Keys.ToList())
        {
            if ((includeRoot && key == path) || path.Length == 0 || key.StartsWith(path + "/", StringComparison.Ordinal))
                nodes.Remove(key);
        }
    }

    private static Entry[] Consistent(Entry[] entries)
    {
        var kept = new List<Entry>();
        foreach (var e in entries)
        {
            var marker = e.Op is Op.Whiteout or Op.Opaque;
            // the directories this entry implies, and the path it occupies (markers occupy none)
            var implied = Ancestors(marker && e.Op == Op.Opaque ? e.Path + "/x" : e.Path).ToList();
            var clash = kept.Any(k =>
                (k.Op == Op.File && (implied.Contains(k.Path) || (!marker && k.Path == e.Path && e.Op != Op.File)))
                || (e.Op == Op.File && (Ancestors(k.Op == Op.Opaque ? k.Path + "/x" : k.Path).Contains(e.Path) || (k.Op == Op.Dir && k.Path == e.Path)))
                || (k.Path == e.Path && k.Op == e.Op));
            if (!clash) kept.Add(e);
        }
        return [.. kept];
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var i = path.IndexOf('/'); i > 0; i = path.IndexOf('/', i + 1)) yield return path[..i];
    }

    private static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "";

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static Action<TarWriter> Write(Entry e) => e.Op switch
    {
        Op.File => File(e.Path, e.Content),
        Op.Dir => Dir(e.Path),
        _ => File(e.ToString(), ""),
    };
}
