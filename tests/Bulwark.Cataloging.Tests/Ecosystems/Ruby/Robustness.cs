// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.Tests.Ecosystems;

/// Damaged copies of a real file (truncated at 16 points, 16 copies with random bytes changed, plain binary) must
/// each be read or recorded as unreadable input, never end in a cataloger's internal error.
internal static class Robustness
{
    private static readonly int Copies = int.TryParse(Environment.GetEnvironmentVariable("BULWARK_DAMAGED_COPIES"), out var n) ? n : 16;

    /// Damages <paramref name="source"/> written as <paramref name="fileName"/> and catalogs <paramref name="catalogedName"/>
    /// (the damaged file itself, or a lockfile beside a damaged manifest written from <paramref name="intact"/>).
    public static async Task AssertDamagedCopiesAreReadOrUnreadableAsync(ICataloger cataloger, string source, string fileName,
        string? catalogedName = null, string? intact = null)
    {
        var bytes = await File.ReadAllBytesAsync(source);
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("BULWARK_DAMAGED_SEED"), out var seed) ? seed : 20261122);
        // the undamaged file first: it must give packages, or this test would test nothing
        var variants = new List<byte[]> { bytes, new byte[] { 0, 1, 2, 0xFF, 0xFE, 0x80, (byte)'\n', 0 } };
        for (var i = 1; i <= 16; i++) variants.Add(bytes[..(bytes.Length * i / 17)]);
        for (var i = 0; i < Copies; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var k = 0; k < 8; k++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            variants.Add(copy);
        }

        var dir = Directory.CreateTempSubdirectory("bulwark-damaged-");
        try
        {
            var path = Path.Combine(dir.FullName, fileName);
            var cataloged = Path.Combine(dir.FullName, catalogedName ?? fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (intact is not null) File.Copy(intact, cataloged);
            foreach (var variant in variants)
            {
                await File.WriteAllBytesAsync(path, variant);
                // a file whose directory matters (specifications/x.gemspec) is found by walking the whole directory
                var result = (catalogedName ?? fileName).Contains('/', StringComparison.Ordinal)
                    ? await CatalogerRun.DirectoryAsync(cataloger, dir.FullName)
                    : await CatalogerRun.FileAsync(cataloger, cataloged);
                if (ReferenceEquals(variant, bytes)) Assert.True(result.Packages.Count > 0 && result.Unreadable.Count == 0, "the undamaged file gave no packages");
                foreach (var u in result.Unreadable)
                {
                    if (u.Reason.StartsWith("internal error", StringComparison.Ordinal)) await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "bulwark-failing-" + fileName), variant);
                    Assert.False(u.Reason.StartsWith("internal error", StringComparison.Ordinal), u.Reason);
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
