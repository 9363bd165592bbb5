// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Cli.Output;

namespace Bulwark.Cli.Tests.Output;

public sealed class OutputTargetTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-output-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("/dev/null", true)]
    [InlineData("/dev/stdout", true)]
    [InlineData("/proc/self/fd/1", true)]
    [InlineData("/tmp/report.json", false)]
    [InlineData("/home/dev/null", false)]
    public void Devices_and_descriptors_are_written_in_place(string path, bool special) =>
        Assert.Equal(special, OutputTarget.IsSpecialFile(path));

    [Fact]
    public async Task Writing_to_dev_null_leaves_the_device_in_place()
    {
        // the rename that protects real files once replaced /dev/null with a regular file holding the report
        await OutputTarget.WriteAsync("/dev/null", Stream.Null, s => s.WriteAsync(Encoding.UTF8.GetBytes("{\"report\":1}")).AsTask());
        Assert.Empty(File.ReadAllBytes("/dev/null"));
    }

    [Fact]
    public async Task A_regular_file_is_replaced_whole_and_no_temporary_file_is_left()
    {
        var path = Path.Combine(_temp, "out.json");
        File.WriteAllText(path, "old and longer content");
        await OutputTarget.WriteAsync(path, Stream.Null, s => s.WriteAsync("new"u8.ToArray()).AsTask());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["out.json"], Directory.GetFiles(_temp).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_write_keeps_the_previous_file()
    {
        var path = Path.Combine(_temp, "out.json");
        File.WriteAllText(path, "previous");
        await Assert.ThrowsAsync<InvalidDataException>(() => OutputTarget.WriteAsync(path, Stream.Null, async s =>
        {
            await s.WriteAsync("partial"u8.ToArray());
            throw new InvalidDataException("the writer failed");
        }));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["out.json"], Directory.GetFiles(_temp).Select(Path.GetFileName));
    }
}
