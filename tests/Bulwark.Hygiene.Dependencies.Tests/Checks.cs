// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Dependencies.Tests;

/// Runs the check on a fixture directory and renders findings compactly: "BW-DEP-002 package.json:6 ms".
internal static class Checks
{
    public static string Fixture(string name) => Path.Combine(TestPaths.Project("Bulwark.Hygiene.Dependencies.Tests"), "testdata", name);

    public static DependencyReport Run(string fixture, params string[] registries) =>
        DependencyCheck.Run(Fixture(fixture), DependencyCheckOptions.Default with { Registries = registries });

    public static string[] Lines(DependencyReport report) =>
        [.. report.Findings.Select(f => $"{f.Rule.Id} {f.Path}:{f.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {f.Package ?? "-"}")];

    public static string[] Lines(string fixture, params string[] registries) => Lines(Run(fixture, registries));
}

/// A temporary directory the test writes a source tree into; removed afterwards.
internal sealed class TempTree : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"bulwark-deps-{Guid.NewGuid():N}");

    public TempTree() => Directory.CreateDirectory(Root);

    /// A tree holding a copy of a fixture directory.
    public static TempTree CopyOf(string fixture)
    {
        var tree = new TempTree();
        var source = Checks.Fixture(fixture);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            tree.Write(Path.GetRelativePath(source, file), File.ReadAllBytes(file));
        return tree;
    }

    public string Write(string relative, string text) => Write(relative, Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Replace(string relative, string from, string to)
    {
        var path = Path.Combine(Root, relative);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    public DependencyReport Check(params string[] registries) =>
        DependencyCheck.Run(Root, DependencyCheckOptions.Default with { Registries = registries });

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
