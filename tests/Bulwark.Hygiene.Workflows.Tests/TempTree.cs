// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Hygiene.Workflows.Tests;

/// A temporary directory the test writes a repository tree into; removed afterwards.
internal sealed class TempTree : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"bulwark-ci-{Guid.NewGuid():N}");

    public TempTree() => Directory.CreateDirectory(Root);

    public string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
