// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Testing;

namespace Bulwark.Vulnerabilities.Tests.Database;

/// A scratch copy of part of ../shared/vulndb (osv/ and malicious/) that a test may change, deleted afterwards.
public sealed class Mirror : IDisposable
{
    public static string Shared => Path.Combine(TestPaths.Shared, "vulndb");

    public Mirror(string[] osv, string[] malicious)
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-vulndb-" + Guid.NewGuid().ToString("N"));
        Copy("osv", osv);
        Copy("malicious", malicious);
        DbDirectory = Path.Combine(Root, "db");
    }

    public string Root { get; }
    public string Osv => Path.Combine(Root, "osv");
    public string DbDirectory { get; }
    public string DbFile => Path.Combine(DbDirectory, "vulns.db");

    public string Zip(string tree, string ecosystem) => Path.Combine(Root, tree, ecosystem, "all.zip");

    private void Copy(string tree, string[] ecosystems)
    {
        foreach (var eco in ecosystems)
        {
            Directory.CreateDirectory(Path.Combine(Root, tree, eco));
            File.Copy(Path.Combine(Shared, tree, eco, "all.zip"), Zip(tree, eco));
            File.SetAttributes(Zip(tree, eco), FileAttributes.Normal);
        }
        File.WriteAllLines(Path.Combine(Root, tree, "ecosystems.txt"), ecosystems);
    }

    /// Rewrites one record of a zip through a JSON edit (the zip gets new bytes and a new mtime).
    public void EditRecord(string tree, string ecosystem, string id, Action<JsonObject> edit)
    {
        using var zip = ZipFile.Open(Zip(tree, ecosystem), ZipArchiveMode.Update);
        var entry = zip.GetEntry(id + ".json") ?? throw new InvalidOperationException(id + " not in zip");
        JsonObject record;
        using (var stream = entry.Open()) record = JsonNode.Parse(stream)!.AsObject();
        edit(record);
        entry.Delete();
        using var writer = zip.CreateEntry(id + ".json").Open();
        JsonSerializer.Serialize(writer, record);
    }

    /// Adds a raw entry to a zip.
    public void AddEntry(string tree, string ecosystem, string name, string content)
    {
        using var zip = ZipFile.Open(Zip(tree, ecosystem), ZipArchiveMode.Update);
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(content);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
