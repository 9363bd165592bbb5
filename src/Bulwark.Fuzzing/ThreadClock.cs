// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;

namespace Bulwark.Fuzzing;

/// CPU time of threads (Linux, glibc): what a long fuzz run counts when it shares the machine with other work, so
/// that "ten minutes per target" means ten minutes of the target running, however busy or niced the machine is.
internal static partial class ThreadClock
{
    private const int ThreadCpuTimeClock = 3;   // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// CPU time the calling thread has used.
    public static TimeSpan Current() => Read(ThreadCpuTimeClock);

    /// A handle with which another thread can read the calling thread's CPU time (<see cref="Of"/>).
    public static int CurrentClockId()
    {
        var err = GetCpuClockId(PthreadSelf(), out var clock);
        return err == 0 ? clock : throw new InvalidOperationException($"pthread_getcpuclockid failed with error {err}");
    }

    /// CPU time used so far by the thread whose clock <paramref name="clockId"/> is (from <see cref="CurrentClockId"/>).
    public static TimeSpan Of(int clockId) => Read(clockId);

    private static TimeSpan Read(int clock)
    {
        if (ClockGetTime(clock, out var t) != 0)
            throw new InvalidOperationException($"clock_gettime({clock}) failed with errno {Marshal.GetLastPInvokeError()}");
        return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nuint PthreadSelf();

    [LibraryImport("libc", EntryPoint = "pthread_getcpuclockid")]
    private static partial int GetCpuClockId(nuint thread, out int clock);
}
