// SPDX-License-Identifier: Apache-2.0
using System.Formats.Tar;
using Bulwark.Core;
using Bulwark.Oci.Layers;
using static Bulwark.Oci.Tests.Layers.TestLayers;

namespace Bulwark.Oci.Tests.Layers;

public sealed class CorruptLayerTests
{
    /// Random bytes changed and random cuts, in plain, gzip and zstd layers (fixed seed): every failure is an
    /// InputException naming the layer, never another exception type or a hang.
    [Fact]
    public async Task Randomly_damaged_layers_fail_only_as_input_errors()
    {
        var pax = Tar(File("a/b/c.txt", "hello world"), Symlink("l", "a/b/c.txt"), HardLink("h", "a/b/c.txt"), File(new string('x', 150) + "/y", "z"), Dir("d"));
        var gnu = Tar(TarEntryFormat.Gnu, File(new string('q', 150) + "/y", "z", TarEntryFormat.Gnu), File("b", "bb", TarEntryFormat.Gnu));
        var rng = new Random(42);
        var escaped = new List<string>();
        foreach (var (blob, mediaType) in new[] { (Gzip(pax), MediaTypes.OciLayerGzip), (Zstd(pax), MediaTypes.OciLayerZstd), (Zstd(gnu), MediaTypes.OciLayerTar), (pax, MediaTypes.OciLayerTar), (gnu, MediaTypes.OciLayerTar) })
        {
            for (var i = 0; i < 1500; i++)
            {
                var damaged = (byte[])blob.Clone();
                var flips = rng.Next(1, 6);
                for (var f = 0; f < flips; f++) damaged[rng.Next(damaged.Length)] = (byte)rng.Next(256);
                if (rng.Next(4) == 0) damaged = damaged[..rng.Next(damaged.Length)];
                var layer = Layer(damaged, mediaType);
                try
                {
                    var read = ImageFileSystem.ReadAsync([layer], _ => true);
                    if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))) != read)
                    {
                        escaped.Add($"hang in case {i} of {mediaType}");
                        continue;
                    }
                    (await read).Dispose();
                }
                catch (InputException e)
                {
                    if (!e.Message.Contains(layer.Digest.ToString(), StringComparison.Ordinal)) escaped.Add($"unnamed layer: {e.Message}");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    escaped.Add($"{e.GetType().Name}: {e.Message} {e.StackTrace}");
                }
            }
        }
        Assert.True(escaped.Count == 0, string.Join("\n", escaped));
    }
}
