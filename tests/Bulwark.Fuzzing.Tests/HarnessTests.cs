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
