// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing.Tests;

public sealed class HarnessTests
{
    /// Throws a NullReferenceException when the input holds "BUG", an InputException when it holds "bad".
    private sealed class Planted : FuzzTarget
    {
        public override string Name => "test.planted";
        public override InputFormat Format => InputFormat.Text;
        public override bool IsSeed(string relativePath) => false;

        public override void Run(byte[] input)
        {
            var text = Encoding.UTF8.GetString(input);
            if (text.Contains("BUG", StringComparison.Ordinal)) Crash(null);
            if (text.Contains("bad", StringComparison.Ordinal)) throw new InputException("bad input");
        }

        // not inlined, so the crash has one top frame whichever tier the JIT compiled Run at
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void Crash(string? s) => _ = s!.Length;
    }

    private sealed class Slow : FuzzTarget
    {
        public override string Name => "test.slow";
        public override bool IsSeed(string relativePath) => false;
        public override void Run(byte[] input) => Thread.Sleep(input.Length > 0 ? 5_000 : 0);
    }

    private sealed class Spinning : FuzzTarget
    {
        public override string Name => "test.spinning";
        public override bool IsSeed(string relativePath) => false;
        public override void Run(byte[] input)
        {
            var until = System.Diagnostics.Stopwatch.StartNew();
            while (until.ElapsedMilliseconds < (input.Length > 0 ? 5_000 : 0)) Thread.SpinWait(1000);
        }
    }

    private sealed class Greedy : FuzzTarget
    {
        public override string Name => "test.greedy";
        public override bool IsSeed(string relativePath) => false;
        public override void Run(byte[] input) => GC.KeepAlive(new byte[input.Length > 0 ? 32 << 20 : 16]);
    }

    [Fact]
    public void A_documented_error_is_a_rejection_and_anything_else_a_crash_at_the_throwing_frame()
    {
        using var executor = new Executor(new Planted());
        Assert.Equal(OutcomeKind.Accepted, executor.Run("fine"u8.ToArray()).Kind);
        var rejected = executor.Run("bad"u8.ToArray());
        Assert.Equal(OutcomeKind.Rejected, rejected.Kind);
        Assert.Equal("Bulwark.Core.InputException", rejected.ExceptionType);
        Assert.False(rejected.IsFinding);
        var crash = executor.Run("a BUG here"u8.ToArray());
        Assert.Equal(OutcomeKind.Crash, crash.Kind);
        Assert.Equal("System.NullReferenceException", crash.ExceptionType);
        Assert.True(crash.IsFinding);
    }

    [Fact]
    public void An_exception_from_a_fuzz_target_is_located_at_its_first_product_frame()
    {
        try
        {
            _ = Bulwark.Core.Purl.Parse("not a purl");
        }
        catch (InvalidPurlException e)
        {
            Assert.StartsWith("Bulwark.Core.Purl.", Oracle.TopFrame(e), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_run_over_the_time_limit_is_a_timeout_finding()
    {
        using var executor = new Executor(new Slow(), new ExecutionLimits { Time = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(OutcomeKind.Accepted, executor.Run([]).Kind);
        var outcome = executor.Run([1]);
        Assert.Equal(OutcomeKind.Timeout, outcome.Kind);
        Assert.True(executor.Poisoned);
    }

    [Fact]
    public void With_cpu_time_limits_a_run_that_burns_cpu_past_the_limit_is_a_timeout_finding()
    {
        var limits = new ExecutionLimits { Time = TimeSpan.FromMilliseconds(200), CpuTime = true };
        using var executor = new Executor(new Spinning(), limits);
        Assert.Equal(OutcomeKind.Accepted, executor.Run([]).Kind);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = executor.Run([1]);
        Assert.Equal(OutcomeKind.Timeout, outcome.Kind);
        Assert.Contains("of CPU time", outcome.Message + outcome.Detail, StringComparison.Ordinal);
        Assert.InRange(clock.ElapsedMilliseconds, 150, 4_000);
    }

    [Fact]
    public void With_cpu_time_limits_a_run_blocked_without_using_cpu_is_a_timeout_at_the_wall_cap()
    {
        var limits = new ExecutionLimits { Time = TimeSpan.FromMilliseconds(100), CpuTime = true, WallCap = TimeSpan.FromMilliseconds(400) };
        using var executor = new Executor(new Slow(), limits);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = executor.Run([1]);
        Assert.Equal(OutcomeKind.Timeout, outcome.Kind);
        Assert.Contains("wall-clock cap", outcome.Message + outcome.Detail, StringComparison.Ordinal);
        Assert.InRange(clock.ElapsedMilliseconds, 350, 4_000);
    }

    [Fact]
    public void With_cpu_time_limits_a_short_run_is_not_a_timeout_and_its_cpu_time_is_measured()
    {
        using var executor = new Executor(new Planted(), new ExecutionLimits { CpuTime = true });
        Assert.Equal(OutcomeKind.Accepted, executor.Run("fine"u8.ToArray()).Kind);
        Assert.InRange(executor.LastCpu, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_campaign_on_a_cpu_time_budget_stops_when_the_cpu_time_is_spent()
    {
        var campaign = new Campaign(new Planted(), ["fine"u8.ToArray()], seed: 1, new ExecutionLimits { CpuTime = true });
        var result = campaign.Run(TimeSpan.FromSeconds(1));
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.True(result.Executions > 100);
    }

    [Fact]
    public void Allocation_over_the_limit_is_a_memory_finding()
    {
        using var executor = new Executor(new Greedy(), new ExecutionLimits { AllocatedBytes = 8 << 20 });
        Assert.Equal(OutcomeKind.Accepted, executor.Run([]).Kind);
        Assert.Equal(OutcomeKind.Memory, executor.Run([1]).Kind);
    }

    [Fact]
    public void The_minimiser_cuts_an_input_down_to_what_reproduces_the_same_crash()
    {
        using var executor = new Executor(new Planted());
        var input = Encoding.UTF8.GetBytes(new string('x', 500) + "BUG" + new string('y', 700));
        var signature = executor.Run(input).Signature;
        var minimal = Minimiser.Minimise(input, executor.Run, signature);
        Assert.Equal("BUG", Encoding.UTF8.GetString(minimal));
    }

    [Fact]
    public void The_minimiser_does_not_trade_one_bug_for_another()
    {
        // cutting "BUG" would leave "bad", a rejection: the crash must stay
        using var executor = new Executor(new Planted());
        var input = "badBUG"u8.ToArray();
        var minimal = Minimiser.Minimise(input, executor.Run, executor.Run(input).Signature);
        Assert.Equal("BUG", Encoding.UTF8.GetString(minimal));
    }

    [Fact]
    public void A_campaign_finds_minimises_and_saves_a_planted_bug()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-fuzz-");
        try
        {
            var campaign = new Campaign(new Planted(), ["BUx"u8.ToArray(), "xUG"u8.ToArray(), "B"u8.ToArray()], seed: 1, findingsDir: dir.FullName);
            var result = campaign.Run(TimeSpan.FromSeconds(10));
            var finding = Assert.Single(result.Findings);
            Assert.Equal("System.NullReferenceException", finding.Outcome.ExceptionType);
            Assert.Equal("BUG", Encoding.UTF8.GetString(finding.Input));
            Assert.True(File.Exists(finding.SavedAs));
            Assert.Equal("BUG", File.ReadAllText(finding.SavedAs!));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Several_targets_run_each_in_a_fuzzer_process_of_its_own_and_report_as_one()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-fuzz-");
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { typeof(Campaign).Assembly.Location, "--repo", Bulwark.Testing.TestPaths.RepositoryRoot, "versions.go", "versions.pep440",
                         "--seconds", "1", "--jobs", "2", "--findings", dir.FullName })
                start.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.StartsWith("fuzz: 2 target(s), 1 s each", output[0], StringComparison.Ordinal);
            var rows = output.Where(l => l.StartsWith("versions.", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.Equal(["versions.go", "versions.pep440"], rows.Select(r => r[0]).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal("0", r[^1]));
            Assert.Equal($"fuzz: {rows.Sum(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture))} executions, 0 finding(s)", output[^1]);
            Assert.DoesNotContain(output, l => l.StartsWith(ChildRun.Trailer, StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_child_fuzzer_process_that_dies_is_a_finding_with_its_last_words_saved()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-fuzz-");
        try
        {
            // what a stack overflow looks like from outside: a report line or none, the runtime's message, exit 134
            var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo 'Stack overflow.' >&2; echo '   at Bulwark.Somewhere.Recurse()' >&2; exit 134");
            var run = ChildRun.Run(start, "test.dies", seed: 7, dir.FullName);
            Assert.Equal(1, run.Findings);
            Assert.Equal(0, run.Executions);
            var saved = Path.Combine(dir.FullName, "test.dies", "died-exit134.txt");
            Assert.Equal($"  FINDING died: the fuzzer process ended with exit code 134 -> {saved}", run.Lines[^1]);
            var text = File.ReadAllText(saved);
            Assert.Contains("./fuzz.sh test.dies --seed 7", text, StringComparison.Ordinal);
            Assert.Contains("Stack overflow.\n   at Bulwark.Somewhere.Recurse()", text, StringComparison.Ordinal);

            // a child that reports is taken at its word
            start.ArgumentList[1] = "echo 'test.ok 5 5 1 1 0'; echo '#child 5 0'";
            var ok = ChildRun.Run(start, "test.ok", seed: 7, dir.FullName);
            Assert.Equal(["test.ok 5 5 1 1 0"], ok.Lines);
            Assert.Equal((5L, 0), (ok.Executions, ok.Findings));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_campaign_with_the_same_seed_runs_the_same_inputs()
    {
        static List<string> Corpus(ulong seed)
        {
            var campaign = new Campaign(new Planted(), ["seed text"u8.ToArray(), "bad"u8.ToArray()], seed);
            var result = campaign.Run(TimeSpan.FromMinutes(1), maxExecutions: 2000);
            Assert.Equal(2000, result.Executions);
            return [.. result.Corpus.Select(Convert.ToHexString)];
        }
        Assert.Equal(Corpus(5), Corpus(5));
    }

    [Fact]
    public void Json_strings_that_are_not_text_are_input_errors()
    {
        using var invalid = System.Text.Json.JsonDocument.Parse((byte[])[.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8]);
        Assert.Throws<InputException>(() => JsonText.RequireReadableStrings(invalid.RootElement, "x.json"));
        using var surrogate = System.Text.Json.JsonDocument.Parse("{\"a\":[\"\\ud800\"]}");
        Assert.Throws<InputException>(() => JsonText.RequireReadableStrings(surrogate.RootElement, "x.json"));
        using var fine = System.Text.Json.JsonDocument.Parse("{\"\\u00e9\":[\"\\ud83d\\ude00\", 1, null]}");
        JsonText.RequireReadableStrings(fine.RootElement, "x.json");
    }
}
