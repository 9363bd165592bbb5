// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text.Json;
using Bulwark.Testing;

namespace Bulwark.Versions.Tests;

/// Every version in the offline OSV data (../shared/vulndb) for each distro parses, except the listed ones.
public class RealDistroVersionsTests
{
    [Theory]
    [InlineData("Debian", new string[0])]
    // upstream typos: a stray ')' and an '_' that dpkg rejects too ("invalid character in version number")
    [InlineData("Ubuntu", new[] { "0.168-0.2)", "1:1.12_1.12.6-1+deb9u1build0.18.04.1" })]
    [InlineData("AlmaLinux", new string[0])]
    // alpine-secdb typos that apk itself rejects: ".-r", ".rN", "-N" without r, "-r" after "-", a letter then digits
    [InlineData("Alpine", new[]
    {
        "0.12.5.-r0", "0.8.21.r2", "1.0.4.-r0", "1.11-20-r0", "1.18.-r2", "1.7.5.-r1", "10.2.22.r0", "10.2.24.r0",
        "10.2.26.r0", "2.15.r-r1", "2.7.16-33", "4.10-1-r1", "4.8.0.-r1", "57-1-r2", "6.6.2p1-r0",
    })]
    public void Every_osv_version_of_a_distro_parses_except_known_bad_data(string ecosystem, string[] knownBad)
    {
        var scheme = VersionSchemes.For(ecosystem);
        var versions = OsvVersions(ecosystem);
        Assert.True(versions.Count > 1000, $"only {versions.Count} versions in {ecosystem}");
        var rejected = versions.Where(v => !scheme.TryParse(v, out _)).ToArray();
        Assert.True(knownBad.SequenceEqual(rejected), "rejected: " + string.Join(" ", rejected.Select(r => "\"" + r + "\"")));
    }

    private static SortedSet<string> OsvVersions(string ecosystem)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        using var zip = ZipFile.OpenRead(Path.Combine(TestPaths.Shared, "vulndb", "osv", ecosystem, "all.zip"));
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var doc = JsonDocument.Parse(stream);
            foreach (var affected in doc.RootElement.GetProperty("affected").EnumerateArray())
            {
                if (affected.TryGetProperty("ranges", out var ranges))
                    foreach (var range in ranges.EnumerateArray())
                        foreach (var ev in range.GetProperty("events").EnumerateArray())
                            foreach (var p in ev.EnumerateObject())
                                if (p.Name is "introduced" or "fixed" or "last_affected" or "limit" && p.Value.GetString() is { } v && v != "0")
                                    found.Add(v);
                if (affected.TryGetProperty("versions", out var list))
                    foreach (var v in list.EnumerateArray())
                        found.Add(v.GetString()!);
            }
        }
        return found;
    }
}
