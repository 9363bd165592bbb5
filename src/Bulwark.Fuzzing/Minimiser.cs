// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;

namespace Bulwark.Fuzzing;

/// Delta debugging over bytes: removes chunks (halving their size down to one byte) while the input still produces
/// the same finding (kind, exception type and top frame), within a budget of runs and time.
public static class Minimiser
{
    public static byte[] Minimise(byte[] input, Func<byte[], Outcome> run, string signature, int maxRuns = 4000, TimeSpan? maxTime = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        var budget = maxTime ?? TimeSpan.FromSeconds(30);
        var runs = 0;
        var current = input;
        var chunk = Math.Max(1, current.Length / 2);
        while (chunk >= 1)
        {
            var removedAny = false;
            for (var start = 0; start < current.Length;)
            {
                if (runs >= maxRuns || clock.Elapsed > budget) return current;
                var length = Math.Min(chunk, current.Length - start);
                byte[] candidate = [.. current.AsSpan(0, start), .. current.AsSpan(start + length)];
                runs++;
                var outcome = run(candidate);
                if (outcome.IsFinding && outcome.Signature == signature)
                {
                    current = candidate;   // keep the cut; the next chunk now starts here
                    removedAny = true;
                }
                else start += length;
            }
            if (!removedAny || chunk == 1) chunk /= 2;
            if (chunk == 0 && removedAny) chunk = 1;
            if (current.Length == 0) break;
        }
        return current;
    }
}
