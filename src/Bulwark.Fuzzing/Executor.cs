// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing;

/// Limits for one input.
public sealed record ExecutionLimits
{
    public TimeSpan Time { get; init; } = TimeSpan.FromSeconds(2);

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

    public Outcome Run(byte[] input)
    {
        _worker ??= new Worker();
        var job = new Job(Target, input);
        if (!_worker.Execute(job, _limits.Time))
        {
            _worker = null;   // left running; a new one serves the next input
            Poisoned = true;
            return new Outcome(OutcomeKind.Timeout, "Timeout", null, $"no answer within {_limits.Time.TotalSeconds:0.#} s");
        }
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

    private sealed class Job(FuzzTarget target, byte[] input)
    {
        public Outcome Outcome = Outcome.Accepted;
        public long Allocated;

        public void Run()
        {
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
        }
    }

    private sealed class Worker : IDisposable
    {
        private readonly SemaphoreSlim _start = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private Job? _job;
        private volatile bool _stop;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "fuzz worker" };
            thread.Start();
        }

        public bool Execute(Job job, TimeSpan limit)
        {
            _job = job;
            _start.Release();
            return _done.Wait(limit);
        }

        private void Loop()
        {
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
