// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing;

/// A finding: the minimised input and what it did.
public sealed record Finding(string Target, Outcome Outcome, byte[] Input, string? SavedAs);

/// What one target's run did.
public sealed record CampaignResult(string Target, long Executions, TimeSpan Elapsed, int Seeds, int CorpusSize, int OutcomeClasses, IReadOnlyList<Finding> Findings)
{
    public double ExecutionsPerSecond => Elapsed.TotalSeconds > 0 ? Executions / Elapsed.TotalSeconds : 0;

    /// The seeds and the inputs kept for producing a new outcome class, in the order they were found.
    public IReadOnlyList<byte[]> Corpus { get; init; } = [];
}

/// Runs one target for a while: every seed first, then mutations of the corpus. An input that produced an outcome
/// class not seen before (an exception type and message shape) joins the corpus, which stands in for coverage.
/// Findings are minimised and written to <c>findingsDir/target/</c>; a timeout ends the target's run, since the
/// hung worker cannot be stopped.
public sealed class Campaign(FuzzTarget target, List<byte[]> seeds, ulong seed, ExecutionLimits? limits = null, string? findingsDir = null)
{
    private const int MaxCorpus = 4000;
    // the harness's own memory stays small next to the per-process working-set limit, which is shared by the targets
    // running side by side: a 10-minute run of a target with large seeds (package-lock.json) kept 4,000 inputs of up
    // to 256 KiB and 600,000 outcome-class strings, and the working-set check then blamed whichever target ran next
    private const long MaxCorpusBytes = 64L << 20;
    private const int MaxClasses = 100_000;

    /// Runs until <paramref name="duration"/> has passed (or <paramref name="maxExecutions"/> inputs have run): wall
    /// time, or with <see cref="ExecutionLimits.CpuTime"/> the CPU time of this thread (mutating, bookkeeping) plus
    /// the worker's (running the target).
    public CampaignResult Run(TimeSpan duration, CancellationToken ct = default, long maxExecutions = long.MaxValue)
    {
        var rng = new Rng(seed ^ StableHash(target.Name));
        var ctx = new MutationContext(seeds, target.Dictionary, target.MaxInputSize);
        var corpus = new List<byte[]>(seeds);
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var corpusBytes = seeds.Sum(s => (long)s.Length);
        var findings = new List<Finding>();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        long executions = 0;
        var cpuTime = limits?.CpuTime == true;
        var wall = Stopwatch.StartNew();
        var ownCpuStart = ThreadClock.Current();
        var workerCpu = TimeSpan.Zero;
        using var executor = new Executor(target, limits);

        TimeSpan Elapsed() => cpuTime ? ThreadClock.Current() - ownCpuStart + workerCpu : wall.Elapsed;

        bool Try(byte[] input)
        {
            var outcome = executor.Run(input);
            workerCpu += executor.LastCpu;
            executions++;
            if (outcome.IsFinding)
            {
                if (signatures.Add(outcome.Signature)) findings.Add(Record(input, outcome, executor));
                return !executor.Poisoned;
            }
            if (classes.Count < MaxClasses && classes.Add(outcome.Class) && corpus.Count < MaxCorpus && corpusBytes + input.Length <= MaxCorpusBytes)
            {
                corpus.Add(input);
                corpusBytes += input.Length;
            }
            return true;
        }

        foreach (var s in seeds)
            if (Elapsed() > duration || ct.IsCancellationRequested || !Try(s)) return Result();
        while (Elapsed() < duration && !ct.IsCancellationRequested && executions < maxExecutions)
        {
            // newer corpus entries (new outcome classes) are picked more often than the original seeds
            var parent = corpus.Count > seeds.Count && rng.Chance(2) ? corpus[rng.Next(seeds.Count, corpus.Count)] : rng.Pick(corpus);
            if (!Try(Mutator.Mutate(parent, target.Format, rng, ctx))) break;
        }
        return Result();

        CampaignResult Result() => new(target.Name, executions, Elapsed(), seeds.Count, corpus.Count, classes.Count, findings) { Corpus = corpus };
    }

    private Finding Record(byte[] input, Outcome outcome, Executor executor)
    {
        var minimal = input;
        // a hang or a memory blow-up takes seconds per run: kept as found
        if (outcome.Kind == OutcomeKind.Crash && !executor.Poisoned)
            minimal = Minimiser.Minimise(input, executor.Run, outcome.Signature, maxRuns: 3000, maxTime: TimeSpan.FromSeconds(20));
        var final = outcome.Kind == OutcomeKind.Crash ? executor.Run(minimal) : outcome;
        if (!final.IsFinding) (minimal, final) = (input, outcome);
        string? saved = null;
        if (findingsDir is not null)
        {
            var dir = Path.Combine(findingsDir, target.Name);
            Directory.CreateDirectory(dir);
            var name = $"{final.Kind.ToString().ToLowerInvariant()}-{ShortType(final.ExceptionType)}-{Convert.ToHexStringLower(SHA256.HashData(minimal))[..12]}";
            saved = Path.Combine(dir, name);
            File.WriteAllBytes(saved, minimal);
            File.WriteAllText(saved + ".txt", $"target: {target.Name}\nsignature: {final.Signature}\n\n{final.Detail ?? final.Message}\n");
        }
        return new Finding(target.Name, final, minimal, saved);
    }

    private static string ShortType(string? type) => type is null ? "unknown" : type[(type.LastIndexOf('.') + 1)..];

    private static ulong StableHash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text)) h = (h ^ b) * 1099511628211UL;
        return h;
    }
}
