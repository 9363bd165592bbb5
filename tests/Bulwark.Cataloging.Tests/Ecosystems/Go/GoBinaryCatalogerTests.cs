// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Text;
using Bulwark.Cataloging.Ecosystems.Go;
using Bulwark.Cataloging.Tests.Ecosystems.Binaries;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Go;

public sealed class GoBinaryCatalogerTests : IDisposable
{
    private static readonly GoBinaryCataloger Cataloger = new();
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("usr/local/bin/cosign", true)]
    [InlineData("app/server", true)]
    [InlineData("tools/kubectl.exe", true)]
    [InlineData("lib/libfoo.so", true)]
    [InlineData("lib/libfoo.so.1.2", true)]
    [InlineData("Frameworks/libbar.dylib", true)]
    [InlineData("usr/bin/python3.11", true)]
    [InlineData("src/main.go", false)]
    [InlineData("README.md", false)]
    [InlineData("LICENSE", false)]
    [InlineData("Makefile", false)]
    [InlineData("Dockerfile", false)]
    [InlineData(".gitignore", false)]
    [InlineData(".git/objects/ab/cdef0123", false)]
    [InlineData("go.mod", false)]
    [InlineData("usr/share/zoneinfo/Europe/Paris", false)]
    [InlineData("usr/share/terminfo/x/xterm", false)]
    [InlineData("node_modules/@esbuild/linux-x64/bin/esbuild", true)]
    public void Wants_files_that_may_be_executables(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    // Built by testdata/make-go-binary.sh: go1.19.8, module example.com/hello at a fixed git commit, requiring
    // example.com/greet v1.2.3 (from a module proxy, with its h1: hash) and example.com/local (replaced by ./local).
    [Theory]
    [InlineData("hello-go-linux-amd64.gz", "linux", "amd64")]
    [InlineData("hello-go-windows-amd64.exe.gz", "windows", "amd64")]
    [InlineData("hello-go-darwin-arm64.gz", "darwin", "arm64")]
    public async Task Reads_the_modules_of_a_real_go_binary(string fixture, string goos, string goarch)
    {
        var path = _scratch.Gunzip($"Ecosystems/Go/testdata/{fixture}");

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:golang/example.com/greet@v1.2.3",
            "pkg:golang/example.com/hello@v0.0.0-20240102030405-e74c8b2813ca",
            "pkg:golang/example.com/local",
            "pkg:golang/stdlib@v1.19.8",
        ], result.Packages.Select(p => p.Purl.ToString()));

        var greet = result.Single("pkg:golang/example.com/greet@v1.2.3");
        Assert.Equal(new Digest(HashAlgorithm.Sha256, "6271cdc4fc3358ad076bfcd21b97c991ff317abe0a21478c1fa9bc0910d19366"), greet.Hashes.Single());
        Assert.Equal(Path.GetFileName(path), greet.Locations.Single().Path);
        Assert.Equal(["go-binary"], greet.FoundBy.ToArray());

        var local = result.Single("pkg:golang/example.com/local");
        Assert.Equal("path", local.Properties["bulwark:source"]);
        Assert.Equal("./local", local.Properties["go:replace"]);

        var stdlib = result.Single("pkg:golang/stdlib@v1.19.8");
        Assert.Equal("stdlib", stdlib.Name);
        Assert.Equal("v1.19.8", stdlib.Version);
        Assert.Equal("go1.19.8", stdlib.Properties["go:toolchain"]);

        var root = result.Single("pkg:golang/example.com/hello@v0.0.0-20240102030405-e74c8b2813ca");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal([greet.Purl, local.Purl, stdlib.Purl], root.DependsOn.ToArray());
        Assert.Equal(goos, root.Properties["go:build:GOOS"]);
        Assert.Equal(goarch, root.Properties["go:build:GOARCH"]);
        Assert.Equal("e74c8b2813ca39b8835552b126908ad393df73cd", root.Properties["go:build:vcs.revision"]);
        Assert.Equal("2024-01-02T03:04:05Z", root.Properties["go:build:vcs.time"]);
        Assert.Equal("false", root.Properties["go:build:vcs.modified"]);
        Assert.Equal("true", root.Properties["go:build:-trimpath"]);
        Assert.Equal("example.com/hello", root.Properties["go:package"]);
        Assert.Equal("go1.19.8", root.Properties["go:toolchain"]);
    }

    [Fact]
    public async Task Reads_inline_build_info_with_a_module_replacement_and_an_ldflags_version()
    {
        const string modInfo =
            "path\texample.com/tool/cmd/tool\n" +
            "mod\texample.com/tool\t(devel)\t\n" +
            "dep\tgithub.com/old/lib\tv1.0.0\th1:apOUWs51W5PlhuyGyz9FCeeBIOUDA/6nW8Oi/yOhh5U=\n" +
            "=>\tgithub.com/new/lib\tv1.1.0\th1:YnHNxPwzWK0Ha/zSG5fJkf8xer4KIUeMH6m8CRDRk2Y=\n" +
            "dep\tgolang.org/x/sys\tv0.15.0\n" +
            "dep\texample.com/tool/internal/shared\t(devel)\t\n" +
            "build\t-ldflags=\"-s -w -X main.version=1.4.2\"\n" +
            "build\t\"key with space\"=\"tab\\there \\\"quoted\\\" \\u00e9\"\n" +
            "build\tGOOS=linux\n";
        var path = _scratch.Write("tool", Elf(".go.buildinfo", InlineBuildInfo("go1.22.1 X:loopvar", modInfo)));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:golang/example.com/tool/internal/shared",
            "pkg:golang/example.com/tool@v1.4.2",
            "pkg:golang/github.com/new/lib@v1.1.0",
            "pkg:golang/golang.org/x/sys@v0.15.0",
            "pkg:golang/stdlib@v1.22.1",
        ], result.Packages.Select(p => p.Purl.ToString()));
        var lib = result.Single("pkg:golang/github.com/new/lib@v1.1.0");
        Assert.Equal("github.com/old/lib@v1.0.0", lib.Properties["go:replaces"]);
        Assert.Equal("6271cdc4fc3358ad076bfcd21b97c991ff317abe0a21478c1fa9bc0910d19366", lib.Hashes.Single().Hex);
        Assert.Empty(result.Single("pkg:golang/golang.org/x/sys@v0.15.0").Hashes);
        Assert.Equal("workspace", result.Single("pkg:golang/example.com/tool/internal/shared").Properties["bulwark:source"]);
        var root = result.Single("pkg:golang/example.com/tool@v1.4.2");
        Assert.Equal("-s -w -X main.version=1.4.2", root.Properties["go:build:-ldflags"]);
        Assert.Equal("tab\there \"quoted\" é", root.Properties["go:build:key with space"]);
        Assert.Equal("go1.22.1 X:loopvar", result.Single("pkg:golang/stdlib@v1.22.1").Properties["go:toolchain"]);
    }

    [Theory]
    [InlineData("-s -w -X main.version=1.4.2", "v1.4.2")]
    [InlineData("-X 'github.com/acme/tool/pkg/version.GitVersion=v2.0.0-rc.1' -s", "v2.0.0-rc.1")]
    [InlineData("-X main.version=dev", "v0.0.0-20240102030405-0123456789ab")]   // not a version: the commit's pseudo-version
    [InlineData("-X main.commit=0123456", "v0.0.0-20240102030405-0123456789ab")]
    public async Task Takes_the_main_module_version_from_ldflags_or_else_the_commit(string ldflags, string version)
    {
        var modInfo = "path\texample.com/tool\nmod\texample.com/tool\t(devel)\t\n" +
            $"build\t-ldflags=\"{ldflags.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n" +
            "build\tvcs.revision=0123456789abcdef0123456789abcdef01234567\nbuild\tvcs.time=2024-01-02T03:04:05Z\n";
        var path = _scratch.Write("tool", Elf(".go.buildinfo", InlineBuildInfo("go1.22.0", modInfo)));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        var root = Assert.Single(result.Packages, p => p.IsRoot);
        Assert.Equal(version, root.Version);
        Assert.Equal(ldflags, root.Properties["go:build:-ldflags"]);
    }

    // Go 1.13-1.17: the header holds the addresses of two Go string headers; the strings live in another section.
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Follows_the_pointers_of_pre_1_18_build_info(bool is64, bool bigEndian)
    {
        const string modInfo = "path\texample.com/old/cmd\nmod\texample.com/old\tv1.2.0\th1:apOUWs51W5PlhuyGyz9FCeeBIOUDA/6nW8Oi/yOhh5U=\ndep\tgithub.com/pkg/errors\tv0.9.1\n";
        var elf = PointerBuildInfoElf("go1.16.15", modInfo, is64, bigEndian);
        var path = _scratch.Write("old-tool", elf);

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:golang/example.com/old@v1.2.0", "pkg:golang/github.com/pkg/errors@v0.9.1", "pkg:golang/stdlib@v1.16.15"],
            result.Packages.Select(p => p.Purl.ToString()));
        var root = result.Single("pkg:golang/example.com/old@v1.2.0");
        Assert.True(root.IsRoot);
        Assert.Equal("6a93945ace755b93e586ec86cb3f4509e78120e50303fea75bc3a2ff23a18795", root.Hashes.Single().Hex);
    }

    [Fact]
    public async Task Finds_the_build_info_by_its_magic_in_an_elf_without_section_headers()
    {
        var data = new byte[4096];
        var blob = InlineBuildInfo("go1.21.0", "path\texample.com/x\nmod\texample.com/x\tv0.3.0\t\n");
        blob.CopyTo(data, 0x230); // 16-byte aligned, not at the start
        var elf = new SyntheticElf()
            .Section("", new byte[256], 0x400000)
            .Section("", data, 0x500000, writable: true)
            .Build(sectionHeaders: false);
        var path = _scratch.Write("sstripped", elf);

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:golang/example.com/x@v0.3.0", "pkg:golang/stdlib@v1.21.0"], result.Packages.Select(p => p.Purl.ToString()));
    }

    [Theory]
    [InlineData("go1.21rc2", "pkg:golang/stdlib@v1.21.0-rc.2")]
    [InlineData("go1.20", "pkg:golang/stdlib@v1.20.0")]
    [InlineData("go1.9.2beta1", "pkg:golang/stdlib@v1.9.2-beta.1")]
    [InlineData("devel go1.23-8d5fa2a Tue Jan 2 2024", "pkg:golang/stdlib")]
    public async Task Names_the_standard_library_by_the_toolchain_version(string goVersion, string purl)
    {
        var path = _scratch.Write("prog", Elf(".go.buildinfo", InlineBuildInfo(goVersion, "")));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        var stdlib = Assert.Single(result.Packages); // no module information: built outside module mode
        Assert.Equal(purl, stdlib.Purl.ToString());
        Assert.Equal(goVersion, stdlib.Properties["go:toolchain"]);
    }

    [Theory]
    [InlineData("Ecosystems/Go/testdata/not-go-program")]
    [InlineData("Ecosystems/Binaries/testdata/hello-auditable-linux-amd64.gz")]
    public async Task Finds_nothing_in_a_program_that_is_not_written_in_go(string fixture)
    {
        var path = fixture.EndsWith(".gz", StringComparison.Ordinal) ? _scratch.Gunzip(fixture) : fixture;

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Fact]
    public async Task Finds_nothing_in_a_file_that_is_not_an_executable()
    {
        var path = _scratch.Write("run", Encoding.UTF8.GetBytes("#!/bin/sh\n# a script with no extension, long enough to read a header from\nexec ./server \"$@\"\n"));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    // Decision: an executable whose headers point past its end is recorded as unreadable (it may be a Go program
    // we cannot see into), rather than silently reported as having no packages.
    [Fact]
    public async Task Records_a_truncated_executable_as_unreadable()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, "Ecosystems/Go/testdata/truncated-go-program");

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("truncated-go-program", unreadable.Location.Path);
        Assert.Equal("the executable's headers point past the end of the file (ELF section name table); the file is truncated or corrupt.", unreadable.Reason);
    }

    [Fact]
    public async Task Records_build_info_with_an_impossible_string_length_as_unreadable()
    {
        var blob = InlineBuildInfo("go1.22.0", "");
        // replace the version's length with a ten-byte varint that never ends
        var corrupt = blob.AsSpan(0, 32).ToArray().Concat(Enumerable.Repeat((byte)0xFF, 16)).ToArray();
        var path = _scratch.Write("corrupt", Elf(".go.buildinfo", corrupt));

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Empty(result.Packages);
        Assert.Equal("Go build information has a bad string length; the binary is corrupt.", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task Does_not_load_a_large_executable_into_memory()
    {
        // 300 MB of zeros after a real Go binary's headers would be read in full by a naive reader; ours reads the
        // header, the section table and one section. The file is sparse, so the disk is not filled either.
        var path = _scratch.Gunzip("Ecosystems/Go/testdata/hello-go-linux-amd64.gz", "big");
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(300L << 20);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = await CatalogerRun.FileAsync(Cataloger, path);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(4, result.Packages.Count);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes");
    }

    private static byte[] Elf(string section, byte[] data) =>
        new SyntheticElf().Section(".text", new byte[64], 0x401000).Section(section, data, 0x500000, writable: true).Build();

    /// The Go 1.18+ layout: 32-byte header (magic, pointer size 8, flags 2 = inline strings), then the version and
    /// the module info as uvarint-length-prefixed strings; the module info between its 16-byte sentinels.
    private static byte[] InlineBuildInfo(string goVersion, string modInfo)
    {
        var s = new MemoryStream();
        s.Write(Header(8, 2));
        WriteVarintString(s, Encoding.UTF8.GetBytes(goVersion));
        WriteVarintString(s, WrapModInfo(modInfo));
        return s.ToArray();
    }

    private static byte[] Header(byte pointerSize, byte flags)
    {
        var h = new byte[32];
        h[0] = 0xFF;
        Encoding.ASCII.GetBytes(" Go buildinf:").CopyTo(h, 1);
        h[14] = pointerSize;
        h[15] = flags;
        return h;
    }

    // runtime/debug: modinfo is wrapped in these sentinels; empty module info is stored as an empty string
    private static byte[] WrapModInfo(string modInfo) => modInfo.Length == 0 ? [] :
    [
        0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6,
        .. Encoding.UTF8.GetBytes(modInfo),
        0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2,
    ];

    private static void WriteVarintString(MemoryStream s, byte[] value)
    {
        var n = (ulong)value.Length;
        while (n >= 0x80)
        {
            s.WriteByte((byte)(n | 0x80));
            n >>= 7;
        }
        s.WriteByte((byte)n);
        s.Write(value);
    }

    /// The Go 1.13-1.17 layout: .go.buildinfo at 0x600000 holds the header, whose words at 16 and 16+ptrsize point
    /// to two string headers (data address, length) at 0x600020 and 0x600040; the bytes are in .rodata at 0x480000.
    private static byte[] PointerBuildInfoElf(string goVersion, string modInfo, bool is64, bool bigEndian)
    {
        var ptr = is64 ? 8 : 4;
        var version = Encoding.UTF8.GetBytes(goVersion);
        var mod = WrapModInfo(modInfo);
        var rodata = new byte[64 + version.Length + mod.Length];
        version.CopyTo(rodata, 32);
        mod.CopyTo(rodata, 32 + version.Length);
        const ulong rodataAddress = 0x480000, infoAddress = 0x600000;

        var info = new byte[0x60];
        Header((byte)ptr, (byte)(bigEndian ? 1 : 0)).CopyTo(info, 0);
        void Word(int offset, ulong value)
        {
            if (is64 && bigEndian) BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(offset), value);
            else if (is64) BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(offset), value);
            else if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(offset), (uint)value);
            else BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(offset), (uint)value);
        }
        Word(16, infoAddress + 0x20);
        Word(16 + ptr, infoAddress + 0x40);
        Word(0x20, rodataAddress + 32);
        Word(0x20 + ptr, (ulong)version.Length);
        Word(0x40, rodataAddress + 32 + (ulong)version.Length);
        Word(0x40 + ptr, (ulong)mod.Length);

        return new SyntheticElf(is64, bigEndian)
            .Section(".rodata", rodata, rodataAddress)
            .Section(".go.buildinfo", info, infoAddress, writable: true)
            .Build();
    }
}
