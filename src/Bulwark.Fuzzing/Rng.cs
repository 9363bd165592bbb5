// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Fuzzing;

/// A small deterministic random source (SplitMix64): the same seed gives the same inputs on every machine and
/// .NET version, which System.Random does not promise.
public sealed class Rng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// 0 ≤ result &lt; <paramref name="max"/> (0 when max ≤ 0).
    public int Next(int max) => max <= 0 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// min ≤ result &lt; max.
    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(int oneIn) => Next(oneIn) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// A new independent source derived from this one.
    public Rng Fork() => new(NextUInt64());
}
