// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Bulwark.Fuzzing.Targets;
using Bulwark.Testing;

namespace Bulwark.Fuzzing.Tests;

public sealed class TargetTests
{
    private static readonly IReadOnlyList<FuzzTarget> All = FuzzTargets.All(TestPaths.RepositoryRoot);

    private static string Regressions => Path.Combine(TestPaths.Project("Bulwark.Fuzzing.Tests"), "testdata", "regressions");

    [Fact]
    public void Every_registered_cataloger_is_a_target()
    {
        var skipped = new List<string>();
        var targets = FuzzTargets.All(TestPaths.RepositoryRoot, skipped);
        Assert.Empty(skipped);
        foreach (var c in Catalogers.BuiltIn) Assert.Contains(targets, t => t.Name == "cataloger." + c.Name);
    }

    [Fact]
    public void Target_names_are_unique()
    {
        Assert.Equal(All.Count, All.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public void Every_target_has_seeds_and_its_seeds_hold_the_oracle()
    {
        var seeds = new SeedFiles(TestPaths.RepositoryRoot);
        foreach (var target in All)
        {
            var list = seeds.For(target, max: 20);
            Assert.NotEmpty(list);
            // CPU time, as the regressions below: the first input of a target JIT-compiles its reader, which under a
            // loaded test run (other classes beside it) took oci.archive's first seed past 2 s of wall-clock time
            using var executor = new Executor(target, new ExecutionLimits { CpuTime = true });
            foreach (var seed in list)
            {
                var outcome = executor.Run(seed);
                Assert.False(outcome.IsFinding, $"{target.Name}: a seed is a finding: {outcome}\n{outcome.Detail}");
            }
        }
    }

    public static TheoryData<string, string> RegressionFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.EnumerateDirectories(Regressions).Order(StringComparer.Ordinal))
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(dir), Path.GetFileName(file));
        return data;
    }

    /// Every minimised finding, replayed through its target: it must now give a result or a documented error.
    [Theory]
    [MemberData(nameof(RegressionFiles))]
    public void A_saved_finding_no_longer_breaks_the_oracle(string target, string file)
    {
        var t = Assert.Single(All, x => x.Name == target);
        // the 2 s limit counts CPU time: tests run side by side on a loaded machine, and the first input of a target
        // (cataloger.rpm-db's loads SQLite) can wait longer than that for a core
        using var executor = new Executor(t, new ExecutionLimits { CpuTime = true });
        var outcome = executor.Run(File.ReadAllBytes(Path.Combine(Regressions, target, file)));
        Assert.False(outcome.IsFinding, $"{outcome}\n{outcome.Detail}");
    }

    /// The 10-minute run's finding: a PAX extended header claiming 1,073,741,839 bytes made System.Formats.Tar
    /// allocate that much before anything refused the read. It is now refused from its header block.
    [Fact]
    public void A_pax_header_claiming_a_gigabyte_is_refused_from_its_header_before_any_allocation()
    {
        var t = Assert.Single(All, x => x.Name == "oci.layer");
        using var executor = new Executor(t, new ExecutionLimits { AllocatedBytes = 8L << 20 });
        var outcome = executor.Run(File.ReadAllBytes(Path.Combine(Regressions, "oci.layer", "memory-Allocation-0d774878a981")));
        Assert.Equal(OutcomeKind.Rejected, outcome.Kind);
        Assert.Equal("Bulwark.Core.InputException", outcome.ExceptionType);
        Assert.Matches(
            "^Layer sha256:[0-9a-f]{64} is refused: the tar header at byte 0 is a PAX extended header \\('x'\\) claiming 1073741839 bytes; ",
            outcome.Message);
    }

    [Fact]
    public void Every_regression_directory_names_a_target()
    {
        foreach (var dir in Directory.EnumerateDirectories(Regressions))
            Assert.Contains(All, t => t.Name == Path.GetFileName(dir));
    }
}
