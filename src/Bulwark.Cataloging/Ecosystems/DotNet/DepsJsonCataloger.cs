// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads *.deps.json, the runtime dependency manifest the SDK writes next to a built or published application:
/// what the app actually loads. Every target's libraries are read ("Name/Version" with exact dependency versions);
/// `libraries` gives each one's type and SHA-512.
///
/// Library types: "project" entries are local projects (roots, bulwark:source=path), the one named like the file
/// ("MyApp.deps.json" → "MyApp") being the application itself. "package" entries are NuGet packages.
/// "runtimepack" entries ("runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0" in self-contained apps) are
/// kept: they are real shipped code and real NuGet packages, named without the "runtimepack." prefix
/// (nuget:library-type=runtimepack). "reference" entries (assemblies referenced by path) have no NuGet identity:
/// they get a synthetic pkg:generic purl (nuget:library-type=reference), so the shipped file is still listed.
/// Everything is Required (the app loads it) except "compileOnly" entries, kept only for runtime compilation: Dev.
public sealed class DepsJsonCataloger : ICataloger
{
    private const string Rebuild = "Rebuild or republish the application to regenerate it.";
    private const string RuntimePackPrefix = "runtimepack.";

    public string Name => "dotnet-deps-json";

    public bool Wants(FilePath path) => path.FileName.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && path.FileName.Length > ".deps.json".Length;

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        using var doc = await DotNetFiles.ParseJsonAsync(input, Rebuild, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            throw new InputException($"the top level is {root.ValueKind}, expected an object. {Rebuild}");

        var libraries = new Dictionary<string, (string Type, string? Sha512, string? Path)>(StringComparer.OrdinalIgnoreCase);
        foreach (var lib in DotNetFiles.Members(root, "libraries", "deps.json"))
        {
            var where = $"libraries[\"{lib.Name}\"]";
            var value = DotNetFiles.Object(lib, "libraries");
            libraries[lib.Name] = (DotNetFiles.String(value, "type", where) ?? "package", DotNetFiles.String(value, "sha512", where), DotNetFiles.String(value, "path", where));
        }

        var packages = new PackageSightings();
        void Add(Package p) => packages.Add(p);

        foreach (var target in DotNetFiles.Members(root, "targets", "deps.json"))
        {
            var where = $"targets[\"{target.Name}\"]";
            var entries = new List<(string Key, string Name, string Version, List<(string Name, string Version)> Deps, bool CompileOnly)>();
            foreach (var e in DotNetFiles.Object(target, "targets").EnumerateObject())
            {
                var value = DotNetFiles.Object(e, where);
                var (name, version) = DotNetFiles.SplitLibraryKey(e.Name, where);
                var deps = DotNetFiles.Members(value, "dependencies", $"{where}[\"{e.Name}\"]")
                    .Select(d => (d.Name, DotNetFiles.StringValue(d, $"{where}[\"{e.Name}\"].dependencies")))
                    .ToList();
                // compileOnly: kept for compilation at run time (PreserveCompilationContext), not loaded by the app
                var compileOnly = DotNetFiles.String(value, "compileOnly", $"{where}[\"{e.Name}\"]") == "true";
                entries.Add((e.Name, name, version, deps, compileOnly));
            }
            var byName = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

            Purl PurlOf(string key, string name, string version) => Identify(libraries.GetValueOrDefault(key).Type ?? "package", name, version).Purl;

            foreach (var (key, name, version, deps, compileOnly) in entries)
            {
                var library = libraries.GetValueOrDefault(key);
                var type = library.Type ?? "package";
                var package = Identify(type, name, version, input.Location);
                var dependsOn = deps.Select(d => byName.TryGetValue(d.Name, out var t) ? PurlOf(t.Key, t.Name, t.Version)
                        : libraries.ContainsKey($"{d.Name}/{d.Version}") ? PurlOf($"{d.Name}/{d.Version}", d.Name, d.Version) : null)
                    .OfType<Purl>().Distinct();
                package = package with { DependsOn = [.. dependsOn], Hashes = [.. DotNetFiles.Sha512(library.Sha512)] };
                if (compileOnly) package = (package with { Scope = Scope.Dev }).WithProperty("nuget:compile-only", "true");
                if (type == "project")
                {
                    package = (package with { IsRoot = true, Kind = PackageKind.Application }).WithProperty("bulwark:source", "path");
                }
                Add(package.WithProperty("nuget:path", library.Path));
            }
        }
        return [.. packages.Merged()];
    }

    private static Package Identify(string type, string name, string version, FileLocation? location = null) => type switch
    {
        "package" or "project" => Package.Create(Ecosystem.NuGet, name, version, location),
        "runtimepack" => Package.Create(Ecosystem.NuGet, name.StartsWith(RuntimePackPrefix, StringComparison.OrdinalIgnoreCase) ? name[RuntimePackPrefix.Length..] : name, version, location)
            .WithProperty("nuget:library-type", "runtimepack"),
        _ => (Package.Create(Ecosystem.Generic, name, version, location) with { PurlIsSynthetic = true })
            .WithProperty("nuget:library-type", type)
            .WithProperty("bulwark:source", "path"),
    };
}
