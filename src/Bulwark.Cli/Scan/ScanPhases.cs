// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;

namespace Bulwark.Cli.Scan;

/// BULWARK_DEBUG_PHASES=1: where a scan's time goes, printed on stderr when it ends: one line per phase with its wall
/// time and what it allocated, the time from process start to the first phase, and the total. Off (null) otherwise,
/// so a normal scan pays nothing.
internal sealed class ScanPhases
{
    public const string Variable = "BULWARK_DEBUG_PHASES";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, TimeSpan Time, long Allocated)> _phases = [];
    private readonly TimeSpan _beforeFirst;
    private TimeSpan _last;
    private long _allocated = GC.GetTotalAllocatedBytes();

    private ScanPhases()
    {
        // the runtime's start, argument parsing and the JIT of the first call happen before the scan's own clock starts
        _beforeFirst = DateTime.Now - Process.GetCurrentProcess().StartTime;
    }

    /// A recorder when the variable is "1", else null.
    public static ScanPhases? From(Func<string, string?> environment) => environment(Variable) == "1" ? new ScanPhases() : null;

    /// Ends the phase running since the previous call (or since the recorder was made).
    public void End(string phase)
    {
        var now = _clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes();
        _phases.Add((phase, now - _last, allocated - _allocated));
        _last = now;
        _allocated = allocated;
    }

    public async Task ReportAsync(TextWriter stderr)
    {
        var lines = new List<string> { Line("start", _beforeFirst, null) };
        lines.AddRange(_phases.Select(p => Line(p.Name, p.Time, p.Allocated)));
        lines.Add(Line("total", _beforeFirst + _clock.Elapsed, null) +
                   string.Create(CultureInfo.InvariantCulture, $"; {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} GCs (gen 0/1/2); peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
        foreach (var line in lines) await stderr.WriteLineAsync(line).ConfigureAwait(false);
    }

    private static string Line(string name, TimeSpan time, long? allocated) => string.Create(CultureInfo.InvariantCulture,
        $"bulwark: phase {name,-12} {time.TotalMilliseconds,7:F1} ms{(allocated is { } a ? $" {a / (1024.0 * 1024.0),8:F1} MiB allocated" : "")}");
}
