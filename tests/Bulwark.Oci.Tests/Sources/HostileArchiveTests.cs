// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Sources;

/// Tar headers that System.Formats.Tar fails on with exceptions other than InvalidDataException, met while an image
/// archive is indexed (found by the oci.archive fuzz target; bench/RESULTS.md, fuzzing item 19). Each used to end
/// `bulwark sbom docker-archive:…` with an internal error; now each is the archive's input error, on both transports.
public sealed class HostileArchiveTests
{
    private static string Testdata(string name) => Path.Combine(TestPaths.Project("Bulwark.Oci.Tests"), "Sources", "testdata", "hostile-archives", name);

    [Theory]
    // a GNU sparse entry (type 'S'): NotSupportedException
    [InlineData("sparse-entry.tar", "is not a readable tar archive (Entry type 'SparseFile' not supported")]
    // a base-256 size field past 64 bits: OverflowException
    [InlineData("size-overflow.tar", "is not a readable tar archive (Arithmetic operation resulted in an overflow.")]
    // a GNU long link ('K') larger than TarReader accepts: InvalidOperationException, now refused from its header
    [InlineData("gnu-long-link-oversized.tar", "is refused: the tar header at byte ")]
    public async Task A_header_the_tar_reader_throws_on_is_the_archives_input_error(string name, string expected)
    {
        foreach (var transport in new[] { "docker-archive", "oci-archive" })
        {
            var path = Testdata(name);
            var ex = await Assert.ThrowsAsync<InputException>(() => OciLayoutSourceTests.Resolve($"{transport}:{path}"));
            Assert.StartsWith($"{transport}:{path}: {path} ", ex.Message, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_pax_header_claiming_a_gigabyte_is_refused_before_the_tar_reader_allocates_for_it()
    {
        using var dir = new TempDir();
        var path = dir.File("pax.tar");
        using (var file = File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json", new Dictionary<string, string> { ["comment"] = "x" }) { DataStream = new MemoryStream("[]"u8.ToArray()) });
        // the 'x' header's size field (offset 124, 12 octal digits) rewritten to 1 GiB, its checksum recomputed
        var bytes = File.ReadAllBytes(path);
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(1L << 30, 8).PadLeft(11, '0') + "\0").CopyTo(bytes, 124);
        for (var i = 0; i < 8; i++) bytes[148 + i] = (byte)' ';
        var sum = 0;
        for (var i = 0; i < 512; i++) sum += bytes[i];
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);
        Array.Resize(ref bytes, bytes.Length + (2 << 20));   // room enough that only the claim is wrong, not the length
        File.WriteAllBytes(path, bytes);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = await Assert.ThrowsAsync<InputException>(() => OciLayoutSourceTests.Resolve($"docker-archive:{path}"));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal($"docker-archive:{path}: {path} is refused: the tar header at byte 0 is a PAX extended header ('x') claiming 1073741824 bytes; more than 1048576 bytes of tar metadata is refused (as by docker's Go archive/tar and libarchive; real ones are a few hundred bytes). The archive is corrupt or hostile; do not use it.", ex.Message);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes");
    }
}
