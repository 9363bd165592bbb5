// SPDX-License-Identifier: Apache-2.0
using System.Runtime.ExceptionServices;

namespace Bulwark.Core;

/// Work on independent items spread over all cores, with the answer a one-by-one loop would give: results in input
/// order, and when items fail, the failure of the first failing item (in input order) rethrown as itself, not wrapped.
public static class OrderedParallel
{
    /// Below this many items the loop runs on the calling thread: handing a few hundred small items to other threads
    /// costs more than it saves.
    public const int DefaultSequentialBelow = 512;

    /// <paramref name="map"/> of every item, in input order.
    public static TOut[] Map<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> map, int sequentialBelow = DefaultSequentialBelow,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        var results = new TOut[items.Count];
        For(items.Count, i => results[i] = map(items[i]), sequentialBelow, ct);
        return results;
    }

    /// Runs <paramref name="body"/>(0 … count − 1).
    public static void For(int count, Action<int> body, int sequentialBelow = DefaultSequentialBelow, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count < sequentialBelow)
        {
            for (var i = 0; i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                body(i);
            }
            return;
        }
        var failures = new ExceptionDispatchInfo?[count];
        var first = int.MaxValue;   // the lowest failing index so far
        Parallel.For(0, count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            // after a failure, later items are skipped (as a loop would never reach them); earlier ones still run,
            // so the first failure in input order is the one reported
            if (i > Volatile.Read(ref first)) return;
            try
            {
                body(i);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);   // rethrown below, the first in input order
                for (var seen = Volatile.Read(ref first); i < seen; seen = Volatile.Read(ref first))
                    if (Interlocked.CompareExchange(ref first, i, seen) == seen) break;
            }
        });
        foreach (var failure in failures) failure?.Throw();
    }
}
