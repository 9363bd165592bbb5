// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;

namespace Bulwark.Cli.Scan;

/// BULWARK_DEBUG_PHASES=1: where a scan's time goes, printed on stderr when it ends: one line per phase with its wall
/// time, the CPU time of all threads (on a busy machine the steadier figure) and what it allocated, the time from
/// process start to the first phase, and the total. Off (null) otherwise,
/// so a normal scan pays nothing.
internal sealed class ScanPhases
{
    public const string Variable = "BULWARK_DEBUG_PHASES";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Time, TimeSpan Cpu, long Allocated)> _phases = [];
    private readonly TimeSpan _beforeFirst;
    private readonly TimeSpan _cpuBeforeFirst;
    private TimeSpan _last;
    private TimeSpan _lastCpu;
    private long _allocated = GC.GetTotalAllocatedBytes();

    private ScanPhases()
    {
        // the runtime's start, argument parsing and the JIT of the first call happen before the scan's own clock starts
        using var process = Process.GetCurrentProcess();
        _beforeFirst = DateTime.Now - process.StartTime;
        _cpuBeforeFirst = _lastCpu = process.TotalProcessorTime;
    }

    /// A recorder when the variable is "1", else null.
    public static ScanPhases? From(Func<string, string?> environment) => environment(Variable) == "1" ? new ScanPhases() : null;

    /// Ends the phase running since the previous call (or since the recorder was made).
    public void End(string phase)
    {
        var now = _clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes();
        var cpu = Cpu();
        _phases.Add((phase, now - _last, cpu - _lastCpu, allocated - _allocated));
        _last = now;
        _lastCpu = cpu;
        _allocated = allocated;
    }

    public async Task ReportAsync(TextWriter stderr)
    {
        using var process = Process.GetCurrentProcess();
        var lines = new List<string> { Line("start", _beforeFirst, _cpuBeforeFirst, null) };
        lines.AddRange(_phases.Select(p => Line(p.Name, p.Time, p.Cpu, p.Allocated)));
        lines.Add(Line("total", _beforeFirst + _clock.Elapsed, process.TotalProcessorTime, GC.GetTotalAllocatedBytes()) +
                  string.Create(CultureInfo.InvariantCulture, $"; {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} GCs (gen 0/1/2) pausing {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms; peak RSS {process.PeakWorkingSet64 >> 20} MiB"));
        foreach (var line in lines) await stderr.WriteLineAsync(line).ConfigureAwait(false);
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static string Line(string name, TimeSpan time, TimeSpan cpu, long? allocated) => string.Create(CultureInfo.InvariantCulture,
        $"bulwark: phase {name,-10} {time.TotalMilliseconds,7:F1} ms wall {cpu.TotalMilliseconds,7:F1} ms cpu{(allocated is { } a ? $" {a / (1024.0 * 1024.0),7:F1} MiB allocated" : "")}");
}
