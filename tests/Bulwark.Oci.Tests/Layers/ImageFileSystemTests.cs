// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Layers;

public sealed class ImageFileSystemTests
{
    private static Task<ImageFileSystem> Squash(params byte[][] tars) => Squash(_ => true, null, tars);

    private static Task<ImageFileSystem> Squash(Func<string, bool> keep, LayerReadOptions? options, params byte[][] tars) =>
        ImageFileSystem.ReadAsync([.. tars.Select(GzipLayer)], keep, options);

    private static List<string> Paths(ImageFileSystem fs) => [.. fs.Files().Select(f => f.Path).Order(StringComparer.Ordinal)];

    private static string? Text(ImageFileSystem fs, string path)
    {
        using var s = fs.TryOpen(path);
        return s is null ? null : new StreamReader(s).ReadToEnd();
    }

    private static List<string> Warnings(ImageFileSystem fs) => [.. fs.Warnings.Select(w => $"{w.Layer.Index} {w.Path}: {w.Message}")];

    [Fact]
    public async Task A_whiteout_deletes_a_file_of_a_lower_layer()
    {
        using var fs = await Squash(Tar(File("a/x", "1"), File("a/y", "2")), Tar(File("a/.wh.x", "")));
        Assert.Equal(["a/y"], Paths(fs));
        Assert.False(fs.Exists("a/x"));
        Assert.Null(fs.TryOpen("a/x"));
    }

    [Fact]
    public async Task A_whiteout_of_a_directory_removes_everything_under_it()
    {
        using var fs = await Squash(Tar(Dir("d"), File("d/e/f", "1"), File("d/g", "2"), File("h", "3")), Tar(File(".wh.d", "")));
        Assert.Equal(["h"], Paths(fs));
    }

    [Theory]
    [InlineData("a/.wh.y")]
    [InlineData("a/.wh..wh..opq")]
    public async Task A_whiteout_inside_a_path_that_was_a_file_makes_it_a_directory(string marker)
    {
        // the marker's directory exists in its layer; overlayfs shows that upper directory over the lower file
        using var fs = await Squash(Tar(File("a", "file"), File("b", "kept")), Tar(File(marker, "")));
        Assert.Equal(["b"], Paths(fs));
        Assert.False(fs.Exists("a"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_whiteout_leaves_what_its_own_layer_wrote(bool whiteoutFirst)
    {
        var upper = whiteoutFirst ? Tar(File("a/.wh.x", ""), File("a/x", "new")) : Tar(File("a/x", "new"), File("a/.wh.x", ""));
        using var fs = await Squash(Tar(File("a/x", "old")), upper);
        Assert.Equal("new", Text(fs, "a/x"));
        Assert.Equal(1, fs.LayerOf("a/x")!.Index);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_opaque_directory_hides_lower_contents_and_keeps_its_own(bool markerFirst)
    {
        var upper = markerFirst
            ? Tar(Dir("bin"), File("bin/.wh..wh..opq", ""), File("bin/tools/new", "n"))
            : Tar(Dir("bin"), File("bin/tools/new", "n"), File("bin/.wh..wh..opq", ""));
        using var fs = await Squash(Tar(File("bin/a", "a"), File("bin/tools/t", "t"), File("etc/c", "c")), upper);
        Assert.Equal(["bin/tools/new", "etc/c"], Paths(fs));
    }

    [Fact]
    public async Task An_empty_whiteout_name_is_a_warning()
    {
        using var fs = await Squash(Tar(File("a/x", "1")), Tar(File("a/.wh.", "")));
        Assert.Equal(["a/x"], Paths(fs));
        Assert.Equal(["1 a/.wh.: whiteout '.wh.' names nothing to delete; ignored"], Warnings(fs));
    }

    [Fact]
    public async Task A_later_layer_replaces_a_file_and_owns_it()
    {
        using var fs = await Squash(Tar(File("a", "1"), File("b", "b")), Tar(File("a", "2")));
        Assert.Equal("2", Text(fs, "a"));
        Assert.Equal(1, fs.LayerOf("a")!.Index);
        Assert.Equal(0, fs.LayerOf("b")!.Index);
    }

    [Fact]
    public async Task A_duplicate_entry_in_one_layer_wins_over_the_first()
    {
        using var fs = await Squash(Tar(File("a", "first"), File("a", "second")));
        Assert.Equal(["a"], Paths(fs));
        Assert.Equal("second", Text(fs, "a"));
    }

    [Fact]
    public async Task Names_that_differ_only_in_case_stay_distinct()
    {
        using var fs = await Squash(Tar(File("README", "upper"), File("readme", "lower")));
        Assert.Equal(["README", "readme"], Paths(fs));
        Assert.Equal("upper", Text(fs, "README"));
        Assert.Equal("lower", Text(fs, "readme"));
    }

    [Fact]
    public async Task A_file_replacing_a_directory_removes_the_directory()
    {
        using var fs = await Squash(Tar(File("x/y", "1")), Tar(File("x", "file")));
        Assert.Equal(["x"], Paths(fs));
    }

    [Fact]
    public async Task A_hard_link_shares_its_targets_content_and_belongs_to_its_own_layer()
    {
        using var fs = await Squash(Tar(File("usr/bin/a", "binary")), Tar(HardLink("usr/bin/b", "usr/bin/a")));
        Assert.Equal(["usr/bin/a", "usr/bin/b"], Paths(fs));
        Assert.Equal("binary", Text(fs, "usr/bin/b"));
        Assert.Equal(1, fs.LayerOf("usr/bin/b")!.Index);
    }

    [Fact]
    public async Task Hard_links_to_nothing_or_out_of_the_root_are_warnings()
    {
        using var fs = await Squash(Tar(HardLink("a", "missing"), HardLink("b", "../../../../etc/passwd"), File("c", "c")));
        Assert.Equal(["c"], Paths(fs));
        Assert.Equal(
            [
                "0 a: hard link to 'missing', which is not a file in this or an earlier layer; ignored",
                "0 b: hard link to '../../../../etc/passwd' leaves the image root; ignored",
            ],
            Warnings(fs));
    }

    [Fact]
    public async Task Symbolic_links_resolve_inside_the_root_only()
    {
        using var fs = await Squash(Tar(
            File("etc/passwd", "inside"),
            Symlink("etc/x", "../../../../etc/passwd"),
            Symlink("etc/y", "/etc/passwd"),
            Symlink("etc/z", "/../../etc/./passwd"),
            Symlink("etc/gone", "/nowhere")));
        Assert.Equal("inside", Text(fs, "etc/x"));
        Assert.Equal("inside", Text(fs, "etc/y"));
        Assert.Equal("inside", Text(fs, "etc/z"));
        Assert.Equal("etc/passwd", fs.RealPath("etc/x"));
        Assert.False(fs.Exists("etc/gone"));
        Assert.Equal(["etc/passwd", "etc/x", "etc/y", "etc/z"], Paths(fs));
    }

    [Fact]
    public async Task Link_loops_end_without_an_answer()
    {
        using var fs = await Squash(Tar(Symlink("a", "b"), Symlink("b", "a"), Symlink("self", "./self"), Symlink("dir/x", "../dir/x/y")));
        Assert.False(fs.Exists("a"));
        Assert.Null(fs.TryOpen("self"));
        Assert.Null(fs.RealPath("dir/x"));
        Assert.Empty(Paths(fs));
    }

    [Fact]
    public async Task Paths_through_linked_directories_resolve_and_entries_under_them_land_in_the_real_directory()
    {
        using var fs = await Squash(Tar(Dir("usr/lib"), Symlink("lib", "usr/lib"), File("usr/lib/os-release", "ID=debian")), Tar(File("lib/extra", "e")));
        Assert.Equal("ID=debian", Text(fs, "lib/os-release"));
        Assert.Equal(["usr/lib/extra", "usr/lib/os-release"], Paths(fs));
    }

    [Fact]
    public async Task A_parent_link_that_leaves_the_root_is_replaced_by_a_directory()
    {
        using var fs = await Squash(Tar(Symlink("evil", "/../../tmp/nothing-here"), File("evil/x", "x")));
        Assert.Equal(["evil/x"], Paths(fs));
        Assert.Equal(["0 evil/x: parent 'evil' is a link that leads to no directory inside the image; replaced by a directory"], Warnings(fs));
    }

    [Fact]
    public async Task Device_and_fifo_entries_are_ignored_with_warnings()
    {
        using var fs = await Squash(Tar(
            Special("dev/null", TarEntryType.CharacterDevice), Special("dev/sda", TarEntryType.BlockDevice), Special("run/pipe", TarEntryType.Fifo), File("ok", "")));
        Assert.Equal(["ok"], Paths(fs));
        Assert.Equal(
            ["0 dev/null: device or FIFO entry ignored", "0 dev/sda: device or FIFO entry ignored", "0 run/pipe: device or FIFO entry ignored"],
            Warnings(fs));
    }

    [Fact]
    public async Task Only_kept_files_can_be_opened_but_every_file_is_listed()
    {
        using var fs = await Squash(p => p.EndsWith(".json", StringComparison.Ordinal), null, Tar(File("a.json", "{}"), File("b.txt", "text")));
        Assert.Equal(["a.json", "b.txt"], Paths(fs));
        Assert.Equal("{}", Text(fs, "a.json"));
        Assert.True(fs.Exists("b.txt"));
        Assert.Null(fs.TryOpen("b.txt"));
    }

    [Fact]
    public async Task A_kept_link_whose_target_came_first_costs_one_more_pass_over_that_layer()
    {
        var opens = 0;
        var tar = Tar(File("usr/lib/os-release", "ID=debian"), Symlink("etc/os-release", "../usr/lib/os-release"));
        var blob = Gzip(tar);
        var layer = new LayerRef(Digest.Sha256Of(blob), Digest.Sha256Of(tar), MediaTypes.OciLayerGzip, blob.Length,
            _ => { opens++; return Task.FromResult<Stream>(new MemoryStream(blob)); });
        using var fs = await ImageFileSystem.ReadAsync([layer], p => p == "etc/os-release");
        Assert.Equal("ID=debian", Text(fs, "etc/os-release"));
        Assert.Equal(2, opens);
    }

    [Fact]
    public async Task A_kept_link_seen_before_its_target_keeps_the_target_in_the_same_pass()
    {
        var opens = 0;
        var tar = Tar(Symlink("etc/os-release", "../usr/lib/os-release"), File("usr/lib/os-release", "ID=debian"));
        var blob = Gzip(tar);
        var layer = new LayerRef(Digest.Sha256Of(blob), Digest.Sha256Of(tar), MediaTypes.OciLayerGzip, blob.Length,
            _ => { opens++; return Task.FromResult<Stream>(new MemoryStream(blob)); });
        using var fs = await ImageFileSystem.ReadAsync([layer], p => p == "etc/os-release");
        Assert.Equal("ID=debian", Text(fs, "etc/os-release"));
        Assert.Equal(1, opens);
    }

    [Fact]
    public async Task A_kept_hard_link_to_an_unkept_file_reads_the_bytes_from_the_targets_layer()
    {
        using var fs = await Squash(p => p == "b", null, Tar(File("a", "shared")), Tar(HardLink("b", "a")));
        Assert.Equal("shared", Text(fs, "b"));
        Assert.Null(fs.TryOpen("a"));
    }

    // KeepIfHead: "bin/*" might be an executable; the head test here wants files starting with "ELF"
    private static Task<ImageFileSystem> SquashByHead(Func<string, KeepDecision> keep, params byte[][] tars) =>
        ImageFileSystem.ReadAsync([.. tars.Select(GzipLayer)], keep, head => head.StartsWith("ELF"u8));

    private static KeepDecision BinMaybe(string path) => path.StartsWith("bin/", StringComparison.Ordinal) ? KeepDecision.KeepIfHead : KeepDecision.Skip;

    [Fact]
    public async Task A_file_kept_on_its_head_is_kept_whole_when_the_head_passes_and_as_its_first_bytes_when_not()
    {
        var data = "DATA" + new string('x', 5000);
        using var fs = await SquashByHead(BinMaybe, Tar(File("bin/tool", "ELF and the rest of a program"), File("bin/blob", data), File("bin/tiny", "EL")));
        Assert.Equal("ELF and the rest of a program", Text(fs, "bin/tool"));
        Assert.False(fs.IsHeadOnly("bin/tool"));
        Assert.Equal(data[..ImageFileSystem.HeadLength], Text(fs, "bin/blob"));
        Assert.True(fs.IsHeadOnly("bin/blob"));
        Assert.Equal(5004, fs.Files().Single(f => f.Path == "bin/blob").Size); // listed with its real size
        Assert.Equal("EL", Text(fs, "bin/tiny"));                           // shorter than a head: all of it, refuted
        Assert.True(fs.IsHeadOnly("bin/tiny"));
        Assert.Equal(0, fs.SpilledBytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_link_wanted_whole_gets_the_whole_target_even_when_the_targets_own_path_is_kept_on_its_head(bool linkFirst)
    {
        // etc/os-release is wanted outright; its target bin/os-release only "might be an executable"
        Action<System.Formats.Tar.TarWriter> link = Symlink("etc/os-release", "../bin/os-release"), file = File("bin/os-release", "ID=debian");
        using var fs = await SquashByHead(p => p == "etc/os-release" ? KeepDecision.Keep : BinMaybe(p), linkFirst ? Tar(link, file) : Tar(file, link));
        Assert.Equal("ID=debian", Text(fs, "etc/os-release"));
    }

    [Fact]
    public async Task A_hard_link_wanted_whole_to_a_file_kept_on_its_head_reads_the_whole_file()
    {
        using var fs = await SquashByHead(p => p == "etc/motd" ? KeepDecision.Keep : BinMaybe(p), Tar(File("bin/motd", "hello from the image")), Tar(HardLink("etc/motd", "bin/motd")));
        Assert.Equal("hello from the image", Text(fs, "etc/motd"));
        Assert.True(fs.IsHeadOnly("bin/motd"));
    }

    [Fact]
    public async Task Files_deleted_or_replaced_later_are_kept_with_layers_all()
    {
        var options = new LayerReadOptions { KeepHidden = true };
        using var fs = await Squash(_ => true, options, Tar(File("etc/motd", "hello"), File("etc/v", "1")), Tar(File("etc/.wh.motd", ""), File("etc/v", "2")));
        Assert.Equal(["etc/v"], Paths(fs));
        Assert.Equal(["etc/motd 0 1", "etc/v 0 1"], fs.Hidden.Select(h => $"{h.Path} {h.Layer.Index} {h.HiddenBy.Index}").Order(StringComparer.Ordinal));
        using var motd = fs.TryOpenHidden(fs.Hidden.Single(h => h.Path == "etc/motd"))!;
        Assert.Equal("hello", new StreamReader(motd).ReadToEnd());
    }

    [Fact]
    public async Task Without_layers_all_nothing_hidden_is_kept()
    {
        using var fs = await Squash(Tar(File("etc/motd", "hello")), Tar(File("etc/.wh.motd", "")));
        Assert.Empty(fs.Hidden);
        Assert.Equal(0, fs.InMemoryBytes);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Large_kept_files_spill_into_one_private_directory_removed_on_dispose()
    {
        var options = new LayerReadOptions { MaxInMemoryFileBytes = 10 };
        var fs = await Squash(_ => true, options, Tar(File("small", "tiny"), File("big/../../name-is-ignored", "x"), File("var/big", new string('b', 100))));
        var dir = fs.SpillDirectory!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(dir));
        Assert.Equal(["1"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(Path.Combine(dir, "1")));
        Assert.Equal(new string('b', 100), Text(fs, "var/big"));
        Assert.Equal((4, 100), (fs.InMemoryBytes, fs.SpilledBytes));
        fs.Dispose();
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task A_broken_layer_is_an_input_error_and_leaves_no_temporary_files()
    {
        var good = Tar(File("a", new string('a', 100)));
        var bad = Layer([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3], MediaTypes.OciLayerGzip);
        // A directory of its own: other tests in this process spill into the system's temporary directory meanwhile.
        var parent = Directory.CreateTempSubdirectory("bulwark-test-spill-");
        try
        {
            using (var fs = await ImageFileSystem.ReadAsync([GzipLayer(good)], _ => true, new LayerReadOptions { MaxInMemoryFileBytes = 1, TemporaryDirectory = parent.FullName }))
                Assert.Equal(parent.FullName, Path.GetDirectoryName(fs.SpillDirectory)); // the good layer alone does spill there
            await Assert.ThrowsAsync<InputException>(() => ImageFileSystem.ReadAsync(
                [GzipLayer(good), bad], _ => true, new LayerReadOptions { MaxInMemoryFileBytes = 1, TemporaryDirectory = parent.FullName }));
            Assert.Empty(Directory.GetFileSystemEntries(parent.FullName));
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Refuses_an_image_with_more_entries_than_the_limit()
    {
        var layer = GzipLayer(Tar(File("a", ""), File("b", ""), File("c", "")));
        var e = await Assert.ThrowsAsync<InputException>(() => ImageFileSystem.ReadAsync([layer], _ => true, new LayerReadOptions { MaxEntries = 2 }));
        Assert.Equal(
            $"Layer {layer.Digest} brings the image to more than 2 tar entries (the entry limit, which bounds memory); it is refused. Raise the entry limit if the image is genuine.",
            e.Message);
    }

    [Fact]
    public async Task Reads_a_layer_compressed_by_the_zstd_program()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-zstd-test-");
        try
        {
            var tar = Tar(File("etc/os-release", "ID=alpine"), Symlink("usr/lib/os-release", "/etc/os-release"));
            var input = Path.Combine(dir.FullName, "layer.tar");
            await System.IO.File.WriteAllBytesAsync(input, tar);
            var psi = new System.Diagnostics.ProcessStartInfo("zstd", ["-q", "-19", "--check", input, "-o", input + ".zst"]);
            System.Diagnostics.Process process;
            try
            {
                process = System.Diagnostics.Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                Assert.Fail("The zstd program is missing; run ./test.sh (it installs the Debian package zstd).");
                return;
            }
            using (process)
            {
                await process.WaitForExitAsync();
                Assert.Equal(0, process.ExitCode);
            }
            using var fs = await ImageFileSystem.ReadAsync(
                [Layer(await System.IO.File.ReadAllBytesAsync(input + ".zst"), MediaTypes.OciLayerZstd, Digest.Sha256Of(tar))], _ => true);
            Assert.Equal("ID=alpine", Text(fs, "usr/lib/os-release"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Aufs_bookkeeping_entries_are_not_files()
    {
        using var fs = await Squash(Tar(File("a", "1")), Tar(File(".wh..wh.aufs", ""), File(".wh..wh.plnk/123.456", "x"), File("b", "2")));
        Assert.Equal(["a", "b"], Paths(fs));
    }

    [Fact]
    public async Task Warnings_beyond_the_limit_are_counted_not_kept()
    {
        var devices = Enumerable.Range(0, 5).Select(i => Special($"dev/d{i}", TarEntryType.CharacterDevice)).ToArray();
        using var fs = await Squash(_ => true, new LayerReadOptions { MaxWarnings = 2 }, Tar(devices));
        Assert.Equal((2, 3), (fs.Warnings.Count, fs.WarningsNotRecorded));
    }

    [Fact]
    public async Task Names_and_link_targets_longer_than_Linux_allows_are_ignored()
    {
        var longName = new string('n', 256);
        var longTarget = string.Concat(Enumerable.Repeat("a/", 2100));
        using var fs = await Squash(Tar(File($"dir/{longName}", "x"), Symlink("link", longTarget), File("ok", "y")));
        Assert.Equal(["ok"], Paths(fs));
        Assert.Equal(
            [
                $"0 dir/{longName[..196]}…: entry path or link target longer than Linux allows (4096 bytes, 255 per name); ignored",
                "0 link: entry path or link target longer than Linux allows (4096 bytes, 255 per name); ignored",
            ],
            Warnings(fs));
    }

    [Fact]
    public async Task Files_over_the_kept_size_are_listed_but_not_read()
    {
        using var fs = await Squash(_ => true, new LayerReadOptions { MaxKeptFileBytes = 5, MaxSpilledBytes = 12, MaxInMemoryFileBytes = 0 },
            Tar(File("big", "123456"), File("a", "12345"), File("b", "12345"), File("c", "12345")));
        Assert.Equal(["a", "b", "big", "c"], Paths(fs));
        Assert.Null(fs.TryOpen("big"));
        Assert.Equal("12345", Text(fs, "b"));
        Assert.Null(fs.TryOpen("c"));
        Assert.Equal(
            [
                "0 big: file of 6 bytes is larger than the 5 bytes kept for catalogers; not read",
                "0 c: kept files already fill the 12 bytes allowed on disk; not read",
            ],
            Warnings(fs));
    }

    [Fact]
    public async Task A_hard_link_whose_directory_replaces_its_own_target_keeps_the_content()
    {
        using var fs = await Squash(Tar(File("b", "B")), Tar(HardLink("b/x", "b")));
        Assert.Equal(["b/x"], Paths(fs));
        Assert.Equal("B", Text(fs, "b/x"));
    }
}
