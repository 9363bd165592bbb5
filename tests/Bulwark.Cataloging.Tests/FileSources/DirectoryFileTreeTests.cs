// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Tests.FileSources;

public sealed class DirectoryFileTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bulwark-tree-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("bulwark-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private void Write(string relative, string text = "x")
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private List<string> Paths(DirectoryFileTree tree, List<(string, string)>? warnings = null) =>
        [.. tree.Files((p, m) => warnings?.Add((p.Value, m))).Select(f => f.Path.Value).Order(StringComparer.Ordinal)];

    [Fact]
    public void Lists_every_file_with_relative_slash_paths()
    {
        Write("a.txt");
        Write("sub/dir/b.json");
        Assert.Equal(["a.txt", "sub/dir/b.json"], Paths(new DirectoryFileTree(_root)));
    }

    [Fact]
    public void Skips_git_directories()
    {
        Write(".git/config");
        Write("nested/.git/HEAD");
        Write("keep.txt");
        Assert.Equal(["keep.txt"], Paths(new DirectoryFileTree(_root)));
    }

    [Fact]
    public void Leaves_out_paths_matching_exclude_globs()
    {
        Write("src/app.js");
        Write("test/fixtures/package-lock.json");
        Write("deep/a/b/vendor/x.json");
        Write("docs/readme.md");
        var tree = new DirectoryFileTree(_root, [new Glob("test/**"), new Glob("vendor"), new Glob("*.md")]);
        Assert.Equal(["src/app.js"], Paths(tree));
    }

    [Fact]
    public void Does_not_follow_a_file_link_that_leaves_the_root_and_says_so()
    {
        File.WriteAllText(Path.Combine(_outside, "secret.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(_root, "escape.json"), Path.Combine(_outside, "secret.json"));
        Write("inside.json");
        var warnings = new List<(string, string)>();
        Assert.Equal(["inside.json"], Paths(new DirectoryFileTree(_root), warnings));
        Assert.Contains(warnings, w => w.Item1 == "escape.json" && w.Item2.Contains("outside", StringComparison.Ordinal));
        Assert.Null(new DirectoryFileTree(_root).TryOpen("escape.json"));
    }

    [Fact]
    public void Does_not_follow_a_directory_link_that_leaves_the_root()
    {
        File.WriteAllText(Path.Combine(_outside, "package-lock.json"), "{}");
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked"), _outside);
        Assert.Empty(Paths(new DirectoryFileTree(_root)));
        Assert.Null(new DirectoryFileTree(_root).TryOpen("linked/package-lock.json"));
    }

    [Fact]
    public void Reads_a_file_link_that_stays_inside_the_root()
    {
        Write("real/package.json", "{\"name\":\"x\"}");
        File.CreateSymbolicLink(Path.Combine(_root, "alias.json"), Path.Combine(_root, "real", "package.json"));
        var tree = new DirectoryFileTree(_root);
        Assert.Equal(["alias.json", "real/package.json"], Paths(tree));
        using var s = tree.TryOpen("alias.json");
        Assert.NotNull(s);
    }

    [Fact]
    public void Survives_a_directory_link_cycle()
    {
        Write("a/file.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "loop"), Path.Combine(_root, "a"));
        Assert.Equal(["a/file.txt"], Paths(new DirectoryFileTree(_root)));
    }

    [Fact]
    public void Refuses_to_open_paths_that_climb_out_of_the_root()
    {
        File.WriteAllText(Path.Combine(_outside, "x.txt"), "x");
        var tree = new DirectoryFileTree(_root);
        Assert.Null(tree.TryOpen(new FilePath("../" + Path.GetFileName(_outside) + "/x.txt")));
        Assert.False(tree.Exists("../../etc/passwd"));
    }

    [Fact]
    public void A_single_file_tree_lists_only_that_file_but_opens_its_neighbours()
    {
        Write("proj/package-lock.json", "{}");
        Write("proj/package.json", "{}");
        var tree = DirectoryFileTree.ForSingleFile(Path.Combine(_root, "proj", "package-lock.json"));
        Assert.Equal(["package-lock.json"], Paths(tree));
        Assert.True(tree.Exists("package.json"));
    }
}
