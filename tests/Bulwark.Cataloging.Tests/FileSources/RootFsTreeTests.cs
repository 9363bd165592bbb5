// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Tests.FileSources;

public sealed class RootFsTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bulwark-rootfs-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("bulwark-outside-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private void Write(string relative, string text)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void Link(string relative, string target)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
    }

    private static string? Text(RootFsTree tree, string path)
    {
        using var s = tree.TryOpen(path);
        return s is null ? null : new StreamReader(s).ReadToEnd();
    }

    [Fact]
    public void Reads_etc_os_release_through_its_relative_link()
    {
        Write("usr/lib/os-release", "ID=debian\n");
        Link("etc/os-release", "../usr/lib/os-release");
        var tree = new RootFsTree(_root);
        Assert.Equal("ID=debian\n", Text(tree, "etc/os-release"));
        Assert.Equal(["etc/os-release", "usr/lib/os-release"], tree.Files().Select(f => f.Path.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Absolute_links_resolve_against_the_rootfs_not_the_host()
    {
        Write("usr/lib/os-release", "ID=inside\n");
        Link("etc/os-release", "/usr/lib/os-release");
        Link("etc/hostname-link", "/etc/hostname"); // exists on the host, not in the rootfs
        var tree = new RootFsTree(_root);
        Assert.Equal("ID=inside\n", Text(tree, "etc/os-release"));
        Assert.False(tree.Exists("etc/hostname-link"));
        Assert.Null(tree.TryOpen("etc/hostname-link"));
    }

    [Fact]
    public void Dot_dot_links_stop_at_the_rootfs()
    {
        File.WriteAllText(Path.Combine(_outside, "secret"), "host secret");
        Write("etc/passwd", "root:x:0:0\n");
        Link("etc/x", "../../../../../../etc/passwd");
        Link("etc/out", Path.Combine(_outside, "secret"));
        Link("etc/rel-out", "../../" + Path.GetFileName(_outside) + "/secret");
        var tree = new RootFsTree(_root);
        Assert.Equal("root:x:0:0\n", Text(tree, "etc/x"));
        Assert.Null(Text(tree, "etc/out"));
        Assert.Null(Text(tree, "etc/rel-out"));
        Assert.Equal(["etc/passwd", "etc/x"], tree.Files().Select(f => f.Path.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Linked_directories_resolve_inside_the_rootfs_and_are_listed_once()
    {
        Write("usr/lib/libfoo.so", "elf");
        Link("lib", "usr/lib");
        Link("lib64", "/usr/lib");
        var tree = new RootFsTree(_root);
        Assert.Equal("elf", Text(tree, "lib/libfoo.so"));
        Assert.Equal("elf", Text(tree, "lib64/libfoo.so"));
        Assert.Equal(["usr/lib/libfoo.so"], tree.Files().Select(f => f.Path.Value));
    }

    [Fact]
    public void Link_loops_end_without_an_answer()
    {
        Link("a", "b");
        Link("b", "/a");
        var tree = new RootFsTree(_root);
        Assert.Null(tree.Resolve("a"));
        Assert.False(tree.Exists("a"));
        Assert.Empty(tree.Files());
    }
}
