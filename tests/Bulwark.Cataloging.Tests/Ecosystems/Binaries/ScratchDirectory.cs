// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;

namespace Bulwark.Cataloging.Tests.Ecosystems.Binaries;

/// A temporary directory for files a test builds (synthetic executables) or unpacks (gzipped fixtures).
public sealed class ScratchDirectory : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("bulwark-test-").FullName;

    /// Writes a file and returns its full path.
    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// Unpacks a gzipped fixture (a path relative to the test project) under the name it has without ".gz".
    public string Gunzip(string fixture, string? name = null)
    {
        var source = Path.Combine(Bulwark.Testing.TestPaths.Project("Bulwark.Cataloging.Tests"), fixture);
        var path = Path.Combine(Root, name ?? Path.GetFileNameWithoutExtension(source));
        using var input = new GZipStream(File.OpenRead(source), CompressionMode.Decompress);
        using var output = File.Create(path);
        input.CopyTo(output);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
