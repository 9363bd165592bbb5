// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using Bulwark.Cataloging.Ecosystems.Binaries;
using Bulwark.Cataloging.Ecosystems.Go;
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging.Tests.Ecosystems.Binaries;

/// How the executable readers behave on inputs no compiler writes: damaged headers must become recorded
/// unreadable files or empty results, never internal errors, hangs, or huge allocations.
public sealed class ExecutableReadingTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("hello-go-linux-amd64.gz")]
    [InlineData("hello-go-windows-amd64.exe.gz")]
    [InlineData("hello-go-darwin-arm64.gz")]
    public async Task Survives_random_damage_to_the_headers_of_a_real_binary(string fixture)
    {
        var original = File.ReadAllBytes(_scratch.Gunzip($"Ecosystems/Go/testdata/{fixture}", "original"));
        var random = new Random(20240102);
        var dir = Path.Combine(_scratch.Root, "damaged");
        Directory.CreateDirectory(dir);
        for (var i = 0; i < 60; i++)
        {
            var copy = (byte[])original.Clone();
            // headers and tables sit in the first pages; the build info near the start of the data
            for (var k = 0; k < 8; k++) copy[random.Next(0, 4096)] = (byte)random.Next(256);
            var info = IndexOf(copy, [0xFF, .. " Go buildinf:"u8]);
            for (var k = 0; k < 4; k++) copy[info + random.Next(0, 64)] = (byte)random.Next(256);
            File.WriteAllBytes(Path.Combine(dir, $"prog{i}"), copy);
        }

        var result = await Catalog.RunAsync(new DirectoryFileTree(dir), [new GoBinaryCataloger(), new CargoAuditableCataloger()]);

        Assert.Equal(60, result.FilesSeen);
        Assert.NotEmpty(result.Unreadable); // the damage is real: some files must be refused
        Assert.All(result.Unreadable, u => Assert.DoesNotContain("internal error", u.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Survives_random_bytes_behind_each_magic_number()
    {
        var random = new Random(7);
        var dir = Path.Combine(_scratch.Root, "noise");
        Directory.CreateDirectory(dir);
        byte[][] magics = [[0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1], [0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2], [(byte)'M', (byte)'Z'],
            [0xCF, 0xFA, 0xED, 0xFE], [0xFE, 0xED, 0xFA, 0xCE], [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2]];
        for (var i = 0; i < 120; i++)
        {
            var bytes = new byte[random.Next(64, 2048)];
            random.NextBytes(bytes);
            magics[i % magics.Length].CopyTo(bytes, 0);
            File.WriteAllBytes(Path.Combine(dir, $"blob{i}"), bytes);
        }

        var result = await Catalog.RunAsync(new DirectoryFileTree(dir), [new GoBinaryCataloger(), new CargoAuditableCataloger()]);

        Assert.Empty(result.Packages);
        Assert.NotEmpty(result.Unreadable);
        Assert.All(result.Unreadable, u => Assert.DoesNotContain("internal error", u.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_the_first_architecture_of_a_universal_mach_o_binary()
    {
        var thin = File.ReadAllBytes(_scratch.Gunzip("Ecosystems/Go/testdata/hello-go-darwin-arm64.gz", "thin"));
        const int offset = 0x4000;
        var fat = new byte[offset + thin.Length];
        BinaryPrimitives.WriteUInt32BigEndian(fat, 0xCAFEBABE);
        BinaryPrimitives.WriteUInt32BigEndian(fat.AsSpan(4), 1);             // nfat_arch
        BinaryPrimitives.WriteUInt32BigEndian(fat.AsSpan(8), 0x0100000C);    // CPU_TYPE_ARM64
        BinaryPrimitives.WriteUInt32BigEndian(fat.AsSpan(16), offset);
        BinaryPrimitives.WriteUInt32BigEndian(fat.AsSpan(20), (uint)thin.Length);
        BinaryPrimitives.WriteUInt32BigEndian(fat.AsSpan(24), 14);           // 2^14 alignment
        thin.CopyTo(fat, offset);
        var path = _scratch.Write("universal", fat);

        var result = await CatalogerRun.FileAsync(new GoBinaryCataloger(), path);

        Assert.Empty(result.Unreadable);
        Assert.Equal("darwin", result.Single("pkg:golang/example.com/hello@v0.0.0-20240102030405-e74c8b2813ca").Properties["go:build:GOOS"]);
    }

    [Fact]
    public async Task Does_not_mistake_a_java_class_file_for_a_universal_binary()
    {
        // 0xCAFEBABE, minor 0, major 61 (Java 17): read as a universal binary it would claim 61 architectures
        byte[] header = [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 61];
        var path = _scratch.Write("Main", [.. header, .. new byte[200]]);

        var result = await CatalogerRun.FileAsync(new GoBinaryCataloger(), path);

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Fact]
    public async Task Reads_an_executable_from_a_stream_that_cannot_seek()
    {
        _scratch.Gunzip("Ecosystems/Go/testdata/hello-go-linux-amd64.gz", "server");
        _scratch.Write("run", "#!/bin/sh\nexec ./server\n"u8.ToArray());
        _scratch.Write("tiny", [0x7F]);
        var tree = new ForwardOnlyTree(new DirectoryFileTree(_scratch.Root));

        var result = await Catalog.RunAsync(tree, [new GoBinaryCataloger(), new CargoAuditableCataloger()]);

        Assert.Empty(result.Unreadable);
        Assert.Equal(3, result.FilesSeen);
        Assert.Equal(4, result.Packages.Count);
    }

    /// A tree whose files can be read only from start to end, as an image layer streams them.
    private sealed class ForwardOnlyTree(IFileTree inner) : IFileTree
    {
        public string Description => inner.Description;
        public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => inner.Files(onWarning);
        public Stream? TryOpen(FilePath path) => inner.TryOpen(path) is { } s ? new ForwardOnlyStream(s) : null;
        public bool Exists(FilePath path) => inner.Exists(path);
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
