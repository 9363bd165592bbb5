// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text;

namespace Bulwark.Cataloging.Tests.Ecosystems.Java;

/// Builds Java archives for tests, in memory, with the entries real build tools write: Maven's
/// META-INF/maven/&lt;g&gt;/&lt;a&gt;/pom.properties, a MANIFEST.MF, and nested archives stored uncompressed as
/// Spring Boot's repackager stores BOOT-INF/lib. No downloaded jars: every fixture is made here.
internal sealed class JarBuilder
{
    private readonly List<(string Name, byte[] Data, CompressionLevel Level)> _entries = [];

    public JarBuilder PomProperties(string groupId, string artifactId, string version) =>
        Text($"META-INF/maven/{groupId}/{artifactId}/pom.properties",
            $"#Created by Apache Maven 3.8.1\nversion={version}\ngroupId={groupId}\nartifactId={artifactId}\n");

    public JarBuilder Manifest(params (string Name, string Value)[] attributes) =>
        Text("META-INF/MANIFEST.MF",
            "Manifest-Version: 1.0\r\n" + string.Concat(attributes.Select(a => $"{a.Name}: {a.Value}\r\n")) + "\r\n");

    public JarBuilder Text(string name, string text) => Bytes(name, Encoding.UTF8.GetBytes(text));

    public JarBuilder Bytes(string name, byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        _entries.Add((name, data, level));
        return this;
    }

    public JarBuilder Nested(string name, JarBuilder archive) => Bytes(name, archive.Build(), CompressionLevel.NoCompression);

    public JarBuilder Class(string name) => Bytes(name, [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52]);

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data, level) in _entries)
            {
                var entry = zip.CreateEntry(name, level);
                entry.LastWriteTime = new DateTimeOffset(2021, 12, 10, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(data);
            }
        }
        return buffer.ToArray();
    }
}

/// A temporary directory for generated archives, deleted afterwards.
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bulwark-java-").FullName;

    internal string Write(string name, JarBuilder archive) => Write(name, archive.Build());

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
