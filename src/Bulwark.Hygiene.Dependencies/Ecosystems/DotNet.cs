// SPDX-License-Identifier: Apache-2.0
using System.Xml;
using System.Xml.Linq;
using NuGet.Versioning;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// .NET: PackageReference items (versions from the project or, with central package management, from
/// Directory.Packages.props) against packages.lock.json, and package sources in nuget.config.
/// <remarks>
/// NuGet lockfiles are opt-in: a project needs one only when it (or a Directory.Build.props above it) sets
/// RestorePackagesWithLockFile to true. Without the opt-in a missing packages.lock.json is not a finding; NuGet resolves
/// the lowest version a range allows, so only floating versions ("1.*", "*") move between restores and are reported.
/// </remarks>
internal static class DotNet
{
    public const string Ecosystem = "NuGet";

    private sealed record Reference(string Name, string? Version, int? Line);

    public static void CheckProject(DependencyTree tree, string path)
    {
        if (tree.Parse(path, ParseXml) is not { } project) return;
        var dir = DependencyTree.DirectoryOf(path);
        var central = CentralVersions(tree, dir);
        var refs = new List<Reference>();
        foreach (var item in Elements(project, "PackageReference"))
        {
            var name = (string?)item.Attribute("Include");
            if (string.IsNullOrWhiteSpace(name)) continue; // Update= items change references made elsewhere
            var version = Value(item, "VersionOverride") ?? Value(item, "Version");
            if (version is null && central.TryGetValue(name, out var c)) version = c;
            refs.Add(new Reference(name.Trim(), version, Line(item)));
        }
        if (refs.Count == 0) return;

        var lockPath = Property(project, "NuGetLockFilePath") is { } custom && !custom.Contains("$(", StringComparison.Ordinal)
            ? new Cataloging.FileSources.FilePath(path).Resolve(custom)?.Value
            : DependencyTree.Sibling(path, "packages.lock.json");
        var hasLock = lockPath is not null && tree.ExistsOnDisk(lockPath);
        if (!hasLock)
        {
            if (OptedIn(tree, project, dir))
                tree.Report(DependencyRules.MissingLockfile, path, Line(project.Root!), Ecosystem, null,
                    $"the project sets RestorePackagesWithLockFile and references {Npm.Plural(refs.Count, "package", "packages")}, but there is no {lockPath ?? "packages.lock.json"}.");
            foreach (var r in refs)
            {
                if (r.Version is { } v && v.Contains('*', StringComparison.Ordinal))
                    tree.Report(DependencyRules.FloatingVersion, path, r.Line, Ecosystem, r.Name, $"{r.Name} \"{v}\" floats to the newest matching version on every restore, and no packages.lock.json fixes it.");
            }
            return;
        }
        if (tree.Parse(lockPath!, JsonFile.Parse) is not { } lockFile) return;
        if (JsonFile.Obj(lockFile.Root, "dependencies") is not { } frameworks) return;
        foreach (var framework in frameworks.EnumerateObject())
        {
            // "net8.0/linux-x64" sections hold only the runtime-specific packages of a RuntimeIdentifier
            if (framework.Value.ValueKind != System.Text.Json.JsonValueKind.Object || framework.Name.Contains('/', StringComparison.Ordinal)) continue;
            // of names given twice (or differing only in case, as NuGet's ids compare) the last, as JsonElement's
            // TryGetProperty and NuGet's own reader take it
            var entries = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in framework.Value.EnumerateObject()) entries[p.Name] = p.Value;
            foreach (var r in refs)
            {
                if (!entries.TryGetValue(r.Name, out var entry) || JsonFile.Str(entry, "type") is not ("Direct" or "CentralTransitive" or null))
                {
                    tree.Report(DependencyRules.LockfileOutOfSync, path, r.Line, Ecosystem, r.Name,
                        $"{r.Name} is referenced but packages.lock.json has no direct entry for it under {framework.Name}; run 'dotnet restore --force-evaluate'.");
                    continue;
                }
                if (r.Version is not { } v || v.Contains("$(", StringComparison.Ordinal) || !VersionRange.TryParse(v, out var declared)) continue;
                var requested = JsonFile.Str(entry, "requested");
                if (requested is not null && VersionRange.TryParse(requested, out var locked)
                    && declared.ToNormalizedString() != locked.ToNormalizedString())
                {
                    tree.Report(DependencyRules.LockfileOutOfSync, path, r.Line, Ecosystem, r.Name,
                        $"{r.Name} \"{v}\" is referenced but packages.lock.json was made for \"{requested}\" under {framework.Name}.");
                    continue;
                }
                if (JsonFile.Str(entry, "resolved") is { } resolved && NuGetVersion.TryParse(resolved, out var rv) && !declared.IsFloating && !declared.Satisfies(rv))
                    tree.Report(DependencyRules.LockfileOutOfSync, path, r.Line, Ecosystem, r.Name,
                        $"{r.Name} \"{v}\": packages.lock.json resolves {resolved} under {framework.Name}, which the range does not allow.");
            }
        }
    }

    /// nuget.config: package sources other than nuget.org and those allowed.
    public static void CheckNuGetConfig(DependencyTree tree, string path)
    {
        if (tree.Parse(path, ParseXml) is not { } config) return;
        var sources = config.Root?.Elements().FirstOrDefault(e => e.Name.LocalName.Equals("packageSources", StringComparison.OrdinalIgnoreCase));
        if (sources is null) return;
        foreach (var add in sources.Elements().Where(e => e.Name.LocalName == "add"))
        {
            var key = (string?)add.Attribute("key") ?? "?";
            var value = ((string?)add.Attribute("value"))?.Trim();
            if (string.IsNullOrEmpty(value)) continue;
            if (Registries.Parse(value) is not null)
            {
                if (!tree.Registries.IsAllowed(Ecosystem, value))
                    tree.Report(DependencyRules.UnapprovedRegistry, path, Line(add), Ecosystem, null, $"package source '{key}' ({value}) is not an allowed NuGet registry.");
            }
            else if (!value.Contains("%", StringComparison.Ordinal) && !DependencyTree.StaysInside(path, value))
                tree.Report(DependencyRules.LocalPathDependency, path, Line(add), Ecosystem, null, $"package source '{key}' is the folder \"{value}\", outside the repository.");
        }
    }

    /// RestorePackagesWithLockFile=true in the project or in a Directory.Build.props in its directory or above.
    private static bool OptedIn(DependencyTree tree, XDocument project, string dir)
    {
        if (IsTrue(Property(project, "RestorePackagesWithLockFile"))) return true;
        var props = tree.FindUp(dir, "Directory.Build.props");
        while (props is not null)
        {
            if (tree.Parse(props, ParseXml) is { } doc && IsTrue(Property(doc, "RestorePackagesWithLockFile"))) return true;
            var parent = DependencyTree.DirectoryOf(props);
            if (parent.Length == 0) return false;
            var up = parent.LastIndexOf('/');
            props = tree.FindUp(up < 0 ? "" : parent[..up], "Directory.Build.props");
        }
        return false;
    }

    // Directory.Packages.props nearest above the project: <PackageVersion Include="x" Version="1.0" />
    private static Dictionary<string, string> CentralVersions(DependencyTree tree, string dir)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (tree.FindUp(dir, "Directory.Packages.props") is not { } props || tree.Parse(props, ParseXml) is not { } doc) return result;
        foreach (var item in Elements(doc, "PackageVersion"))
        {
            if ((string?)item.Attribute("Include") is { } name && Value(item, "Version") is { } version) result[name.Trim()] = version;
        }
        return result;
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Property(XDocument doc, string name) =>
        doc.Root?.Elements().Where(e => e.Name.LocalName == "PropertyGroup").SelectMany(g => g.Elements())
            .LastOrDefault(e => e.Name.LocalName == name)?.Value;

    private static IEnumerable<XElement> Elements(XDocument doc, string name) =>
        doc.Root?.Elements().Where(e => e.Name.LocalName == "ItemGroup").SelectMany(g => g.Elements()).Where(e => e.Name.LocalName == name) ?? [];

    private static string? Value(XElement item, string name) =>
        ((string?)item.Attribute(name) ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value)?.Trim() is { Length: > 0 } v ? v : null;

    private static int? Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// XML without DTDs (no entity expansion) and with line numbers.
    public static XDocument ParseXml(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = DependencyTree.MaxFileSize });
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }
}
