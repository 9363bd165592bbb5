// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public sealed class OrderedParallelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10_000)]
    public void Results_keep_the_input_order(int count)
    {
        var items = Enumerable.Range(0, count).ToArray();
        Assert.Equal(items.Select(i => i * 3L), OrderedParallel.Map(items, i => i * 3L));
    }

    [Fact]
    public void Large_inputs_are_spread_over_threads()
    {
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        OrderedParallel.For(20_000, _ =>
        {
            threads.TryAdd(Environment.CurrentManagedThreadId, true);
            Thread.SpinWait(2_000);
        });
        Assert.True(Environment.ProcessorCount == 1 || threads.Count > 1);
    }

    [Theory]
    [InlineData(100)]      // the calling thread alone
    [InlineData(50_000)]   // all cores
    public void The_first_failure_in_input_order_is_rethrown_unwrapped(int count)
    {
        // items 7 and every 1,000th from 5,000 fail; whichever thread reaches a failure first, item 7's is the answer
        var e = Assert.Throws<InvalidDataException>(() => OrderedParallel.For(count, i =>
        {
            if (i == 7 || (i >= 5_000 && i % 1_000 == 0)) throw new InvalidDataException($"item {i}");
        }));
        Assert.Equal("item 7", e.Message);
        Assert.Contains(nameof(The_first_failure_in_input_order_is_rethrown_unwrapped), e.StackTrace);
    }

    [Fact]
    public void Cancellation_stops_the_loop()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => OrderedParallel.For(10_000, _ => { }, ct: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => OrderedParallel.For(10, _ => { }, ct: cts.Token));
    }
}
