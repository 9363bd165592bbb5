// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing;

/// Limits for one input.
public sealed record ExecutionLimits
{
    public TimeSpan Time { get; init; } = TimeSpan.FromSeconds(2);

    /// <see cref="Time"/> counts the worker thread's CPU time rather than the wall clock, so a busy or niced machine
    /// does not turn slow scheduling into timeouts; a run that uses no CPU (blocked, deadlocked) is still a timeout
    /// once <see cref="WallCap"/> has passed.
    public bool CpuTime { get; init; }

    /// With <see cref="CpuTime"/>: the wall-clock time after which a run is a timeout whatever CPU it used.
    public TimeSpan WallCap { get; init; } = TimeSpan.FromSeconds(60);

    /// Bytes allocated by the worker thread while running one input (GC.GetAllocatedBytesForCurrentThread); work the
    /// target moves to other threads is not counted, which the process working-set check below partly covers.
    public long AllocatedBytes { get; init; } = 256L << 20;

    /// The fuzzer process's working set after an input; over it, the input is a memory finding.
    public long WorkingSetBytes { get; init; } = 3L << 30;
}

/// Runs inputs on a dedicated worker thread so that a hang can be detected (a timeout) without stopping the fuzzer.
/// A thread that timed out cannot be stopped (.NET has no thread abort): it is abandoned as a background thread,
/// and the executor is marked <see cref="Poisoned"/> so the campaign stops that target.
public sealed class Executor(FuzzTarget target, ExecutionLimits? limits = null) : IDisposable
{
    private readonly ExecutionLimits _limits = limits ?? new ExecutionLimits();
    private Worker? _worker;

    public FuzzTarget Target { get; } = target;

    /// A worker was abandoned after a timeout and may still be running.
    public bool Poisoned { get; private set; }

    /// CPU time the worker thread used for the last input (the limit, for one that timed out).
    public TimeSpan LastCpu { get; private set; }

    public Outcome Run(byte[] input)
    {
        _worker ??= new Worker();
        var job = new Job(Target, input);
        var answer = _worker.Execute(job, _limits);
        if (answer != Answer.Given)
        {
            LastCpu = _limits.Time;
            _worker = null;   // left running; a new one serves the next input
            Poisoned = true;
            return new Outcome(OutcomeKind.Timeout, "Timeout", null, !_limits.CpuTime
                ? $"no answer within {_limits.Time.TotalSeconds:0.#} s"
                : answer == Answer.PastWallCap
                ? $"no answer within the {_limits.WallCap.TotalSeconds:0.#} s wall-clock cap while using under {_limits.Time.TotalSeconds:0.#} s of CPU time (blocked; or the fuzzer process was stopped that long, e.g. by SIGSTOP)"
                : $"no answer within {_limits.Time.TotalSeconds:0.#} s of CPU time");
        }
        LastCpu = job.Cpu;
        if (job.Allocated > _limits.AllocatedBytes)
            return new Outcome(OutcomeKind.Memory, "Allocation", job.Outcome.TopFrame,
                $"allocated {job.Allocated:N0} bytes, over the {_limits.AllocatedBytes:N0}-byte limit ({job.Outcome})");
        if (Environment.WorkingSet > _limits.WorkingSetBytes)
        {
            GC.Collect();
            if (Environment.WorkingSet > _limits.WorkingSetBytes)
                return new Outcome(OutcomeKind.Memory, "WorkingSet", job.Outcome.TopFrame, $"working set {Environment.WorkingSet:N0} bytes after the input");
        }
        return job.Outcome;
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
    }

    /// How a run ended: answered, or abandoned past the time limit (wall or CPU) or past the wall-clock cap.
    private enum Answer { Given, PastTimeLimit, PastWallCap }

    private sealed class Job(FuzzTarget target, byte[] input)
    {
        public Outcome Outcome = Outcome.Accepted;
        public long Allocated;
        public TimeSpan Cpu;

        public void Run()
        {
            var cpu = ThreadClock.Current();
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(input);
                Outcome = Outcome.Accepted;
            }
            catch (Exception e)   // the fuzzer's oracle: every exception is classified, none is hidden
            {
                Outcome = Oracle.Classify(e, target.IsExpected);
            }
            Allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Cpu = ThreadClock.Current() - cpu;
        }
    }

    private sealed class Worker : IDisposable
    {
        private readonly SemaphoreSlim _start = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private readonly ManualResetEventSlim _ready = new();
        private Job? _job;
        private volatile bool _stop;
        private int _clock;


        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "fuzz worker" };
            thread.Start();
            _ready.Wait();
        }

        public Answer Execute(Job job, ExecutionLimits limits)
        {
            _job = job;
            if (!limits.CpuTime)
            {
                _start.Release();
                return _done.Wait(limits.Time) ? Answer.Given : Answer.PastTimeLimit;
            }
            var cpuBefore = ThreadClock.Of(_clock);
            var wall = System.Diagnostics.Stopwatch.StartNew();
            _start.Release();
            while (true)
            {
                var cpuLeft = limits.Time - (ThreadClock.Of(_clock) - cpuBefore);
                var wallLeft = limits.WallCap - wall.Elapsed;
                if (cpuLeft <= TimeSpan.Zero) return Answer.PastTimeLimit;
                if (wallLeft <= TimeSpan.Zero) return Answer.PastWallCap;
                // CPU time passes no faster than the wall clock: waiting for what is left of the budget cannot overshoot
                if (_done.Wait(cpuLeft < wallLeft ? cpuLeft : wallLeft)) return Answer.Given;
            }
        }

        private void Loop()
        {
            _clock = ThreadClock.CurrentClockId();
            _ready.Set();
            while (true)
            {
                _start.Wait();
                if (_stop) return;
                _job!.Run();
                _done.Release();
            }
        }

        public void Dispose()
        {
            _stop = true;
            _start.Release();
        }
    }
}
