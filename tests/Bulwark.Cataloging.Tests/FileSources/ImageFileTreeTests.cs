// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.FileSources;

/// The real images in ../shared/images/oci-layout: demo-shop is Debian bookworm (layer 0), Python and Java libraries
/// (layer 1), and /app with node_modules plus a whiteout of /etc/motd (layer 2).
public sealed class ImageFileTreeTests(DemoShopTree demoShop) : IClassFixture<DemoShopTree>
{
    private static readonly string Layout = Path.Combine(TestPaths.Shared, "images", "oci-layout");
    private const string DemoShopManifest = "dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0";

    private static readonly Digest Layer0 = Digest.Parse("sha256:a292a3acf15f928c22a0164e3e0e53eca9ea17137ab21331cf34bed726e20c9e");
    private static readonly Digest Layer1 = Digest.Parse("sha256:a94e5af9772bd066c9fcf0f469e9bfb8fff522cdf2db5ecfcc2045215f56b6d8");
    private static readonly Digest Layer2 = Digest.Parse("sha256:16cf8437a32eacd9a250821982f58f7f076168ff805a1ad0b82560d3746ea95f");

    private static string Blob(string hex) => Path.Combine(Layout, "blobs", "sha256", hex);

    /// The layers as the layout reader will hand them over, built here straight from the blobs.
    internal static IReadOnlyList<LayerRef> DemoShopLayers()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(DemoShopManifest)));
        var configDigest = Digest.Parse(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!);
        using var config = JsonDocument.Parse(File.ReadAllBytes(Blob(configDigest.Hex)));
        var diffIds = config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => Digest.Parse(d.GetString()!)).ToList();
        return
        [
            .. manifest.RootElement.GetProperty("layers").EnumerateArray().Select((l, i) =>
            {
                var digest = Digest.Parse(l.GetProperty("digest").GetString()!);
                return new LayerRef(digest, diffIds[i], l.GetProperty("mediaType").GetString()!, l.GetProperty("size").GetInt64(),
                    _ => Task.FromResult<Stream>(new FileStream(Blob(digest.Hex), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous)));
            }),
        ];
    }

    internal static Task<ImageFileTree> ReadDemoShop(Func<FilePath, bool> keep, LayerReadOptions? options = null) =>
        ImageFileTree.ReadAsync(DemoShopLayers(), keep, "image demo-shop", options);

    private static string Text(Stream? s)
    {
        Assert.NotNull(s);
        using (s) return new StreamReader(s).ReadToEnd();
    }

    [Fact]
    public void Paths_only_executable_catalogers_want_are_kept_on_their_head_and_the_rest_as_before()
    {
        var all = Catalogers.BuiltIn;
        Assert.Equal(KeepDecision.KeepIfHead, ImageFileTree.Decide(all, new FilePath("usr/bin/zgrep")));
        Assert.Equal(KeepDecision.KeepIfHead, ImageFileTree.Decide(all, new FilePath("srv/data/blob-00001.bin")));
        Assert.Equal(KeepDecision.Keep, ImageFileTree.Decide(all, new FilePath("var/lib/dpkg/status")));
        Assert.Equal(KeepDecision.Keep, ImageFileTree.Decide(all, new FilePath("etc/os-release")));
        Assert.Equal(KeepDecision.Skip, ImageFileTree.Decide(all, new FilePath("srv/notes.md")));
        var test = ImageFileTree.HeadTestFor(all);
        Assert.True(test([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1]));
        Assert.False(test("#!/bin/sh\n"u8));
    }

    [Fact]
    public async Task Reading_the_real_image_with_head_tests_keeps_programs_whole_and_scripts_as_their_first_bytes()
    {
        var all = Catalogers.BuiltIn;
        using var tree = await ImageFileTree.ReadAsync(DemoShopLayers(), p => ImageFileTree.Decide(all, p), ImageFileTree.HeadTestFor(all), "image demo-shop");
        long Kept(string path)
        {
            using var s = tree.TryOpen(new FilePath(path));
            Assert.NotNull(s);
            return s.Length;
        }
        long Size(string path) => tree.Files().Single(f => f.Path.Value == path).Size;
        Assert.Equal(Size("usr/bin/perl5.36.0"), Kept("usr/bin/perl5.36.0"));        // ELF: whole
        Assert.Equal(16, Kept("usr/bin/zgrep"));                                     // a shell script: its head
        Assert.True(Size("usr/bin/zgrep") > 16);
        Assert.Contains("ID=debian", Text(tree.TryOpen(new FilePath("etc/os-release"))), StringComparison.Ordinal);
        Assert.Equal(Size("var/lib/dpkg/status"), Kept("var/lib/dpkg/status"));
    }

    [Fact]
    public async Task The_whiteout_of_etc_motd_removes_it_from_the_squashed_view()
    {
        using var tree = await ReadDemoShop(p => p.Value == "etc/motd");
        Assert.False(tree.Exists("etc/motd"));
        Assert.Null(tree.TryOpen("etc/motd"));
        Assert.DoesNotContain(tree.Files(), f => f.Path.Value == "etc/motd");
        Assert.Empty(tree.HiddenFiles);
    }

    [Fact]
    public async Task With_layers_all_etc_motd_is_kept_as_written_by_the_base_layer_and_hidden_by_the_last()
    {
        var tree = await demoShop.Tree;
        var motd = tree.HiddenFiles.Single(h => h.Path == "etc/motd");
        Assert.Equal((Layer0, Layer2, 286L), (motd.Layer.Digest, motd.HiddenBy.Digest, motd.Size));
        var baseLayer = tree.HiddenTree(tree.Layers[0]);
        Assert.Contains("The programs included with the Debian GNU/Linux system are free software", Text(baseLayer.TryOpen("etc/motd")), StringComparison.Ordinal);
        // layer 1's apt-get rewrote the dpkg status: the base layer's copy is hidden too, with fewer packages
        Assert.True(baseLayer.Exists("var/lib/dpkg/status"));
        Assert.True(Text(baseLayer.TryOpen("var/lib/dpkg/status")).Length < Text(tree.TryOpen("var/lib/dpkg/status")).Length);
        Assert.DoesNotContain(tree.Files(), f => f.Path.Value == "etc/motd");
    }

    [Fact]
    public async Task Each_file_knows_the_layer_that_last_wrote_it()
    {
        var tree = await demoShop.Tree;
        var layers = new[] { "usr/lib/os-release", "usr/share/java/log4j-core.jar", "var/lib/dpkg/status", "app/package.json" }
            .Select(p => tree.LayerOf(p))
            .ToList();
        Assert.Equal([Layer0, Layer1, Layer1, Layer2], layers.Select(l => l!.Digest));
        Assert.Equal(
            [
                "sha256:0d74ca29cb9e0c8abcc1e4f680949deb47c50b4d26a6995c77dba3a7d5249090",
                "sha256:2d0ffe56917889bf20dd831e108002c3a0fbe4a22de3a290aee999f2ecf07076",
                "sha256:2d0ffe56917889bf20dd831e108002c3a0fbe4a22de3a290aee999f2ecf07076",
                "sha256:34450d38ca757d6ff1009d643748f993b2738bfd353356813da8a98a9c126c08",
            ],
            layers.Select(l => l!.DiffId.ToString()));
        Assert.Null(tree.LayerOf("etc/motd"));
    }

    [Fact]
    public async Task Etc_os_release_is_read_through_its_link_to_usr_lib()
    {
        var tree = await demoShop.Tree;
        var text = Text(tree.TryOpen("etc/os-release"));
        Assert.StartsWith("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", text, StringComparison.Ordinal);
        Assert.Equal(267, tree.Files().Single(f => f.Path.Value == "etc/os-release").Size);
        Assert.Equal(Layer0, tree.LayerOf("etc/os-release")!.Digest);
        // the link leads through /lib -> usr/lib as well
        Assert.True(tree.Exists("lib/os-release"));
    }

    [Fact]
    public async Task Hard_links_in_the_base_layer_read_as_their_targets()
    {
        var tree = await demoShop.Tree;
        using var perl = tree.TryOpen("usr/bin/perl5.36.0");
        Assert.Equal(3804464, perl!.Length);
        Assert.Equal(3804464, tree.Files().Single(f => f.Path.Value == "usr/bin/perl").Size);
    }

    [Fact]
    public async Task Device_files_of_the_image_are_warnings_and_not_files()
    {
        var tree = await demoShop.Tree;
        Assert.Equal(16, tree.Warnings.Count(w => w.Message == "device or FIFO entry ignored"));
        Assert.Contains(tree.Warnings, w => w.Path == "dev/null" && w.Layer.Digest == Layer0);
        Assert.False(tree.Exists("dev/null"));
        var warnings = new List<string>();
        _ = tree.Files((p, m) => warnings.Add($"{p}: {m}")).Count();
        Assert.Contains($"dev/null: layer {Layer0}: device or FIFO entry ignored", warnings);
    }

    [Fact]
    public async Task Lists_every_regular_file_but_keeps_only_the_wanted_ones()
    {
        var tree = await demoShop.Tree;
        var files = tree.Files().Select(f => f.Path.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("usr/share/java/log4j-core.jar", files);
        Assert.Contains("app/node_modules/express/package.json", files);
        Assert.Contains("\"name\": \"express\"", Text(tree.TryOpen("app/node_modules/express/package.json")), StringComparison.Ordinal);
        Assert.Null(tree.TryOpen("usr/share/java/log4j-core.jar"));
        Assert.True(tree.Exists("usr/share/java/log4j-core.jar"));
    }
}

/// demo-shop read once with `--layers all`, keeping what the tests open.
public sealed class DemoShopTree : IDisposable
{
    public Task<ImageFileTree> Tree { get; } = ImageFileTreeTests.ReadDemoShop(
        p => p.Value is "etc/motd" or "var/lib/dpkg/status" or "etc/os-release" or "usr/bin/perl5.36.0"
            || (p.FileName == "package.json" && p.Value.StartsWith("app/", StringComparison.Ordinal)),
        new LayerReadOptions { KeepHidden = true });

    public void Dispose()
    {
        if (Tree.IsCompletedSuccessfully) Tree.Result.Dispose();
    }
}
