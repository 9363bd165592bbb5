// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// Reads packages.config (and packages.&lt;project&gt;.config), the pre-PackageReference list of a project's installed
/// packages. It is flat: it lists transitive packages too but records no edges, so the root (the project beside it,
/// else the directory) depends on every listed package. developmentDependency="true" → Dev.
public sealed class PackagesConfigCataloger : ICataloger, IReadsNeighbours
{
    private const string Hint = "Fix the XML or reinstall the packages in Visual Studio to rewrite it.";

    public string Name => "nuget-packages-config";

    /// Reads the project beside packages.config and what it imports.
    public bool MayRead(FilePath path) => DotNetFiles.MayRead(path);

    public bool Wants(FilePath path)
    {
        var name = path.FileName;
        return name.Equals("packages.config", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("packages.", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".config", StringComparison.OrdinalIgnoreCase)
                && name.Length > "packages..config".Length);
    }

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var doc = DotNetFiles.ParseXml(await input.ReadTextAsync(ct).ConfigureAwait(false), Hint);
        if (doc.Root is not { } root || root.Name.LocalName != "packages")
            throw new InputException($"line {(doc.Root is null ? 1 : DotNetFiles.LineOf(doc.Root) ?? 1)}: the root element is <{doc.Root?.Name.LocalName}>, expected <packages>. This is not a NuGet packages.config.");

        var packages = new PackageSightings();
        foreach (var e in DotNetFiles.Children(root, "package"))
        {
            var line = DotNetFiles.LineOf(e) ?? 1;
            var id = e.Attribute("id")?.Value.Trim();
            var version = e.Attribute("version")?.Value.Trim();
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(version))
                throw new InputException($"line {line}: <package> needs both 'id' and 'version' attributes. {Hint}");
            var package = Package.Create(Ecosystem.NuGet, id, NuGetVersion.Normalise(version) ?? version, input.LocationAt(line))
                .WithProperty("nuget:target-framework", e.Attribute("targetFramework")?.Value);
            if (string.Equals(e.Attribute("developmentDependency")?.Value, "true", StringComparison.OrdinalIgnoreCase))
                package = package with { Scope = Scope.Dev };
            packages.Add(package);
        }

        // "packages.Foo.config" belongs to Foo.csproj
        var fileName = input.Path.FileName;
        var preferred = fileName.Equals("packages.config", StringComparison.OrdinalIgnoreCase) ? null : fileName["packages.".Length..^".config".Length];
        var declared = await ProjectDeclarations.SiblingAsync(input, preferred, ct).ConfigureAwait(false);
        var rootName = declared?.Name ?? DotNetFiles.DirectoryName(input.Tree, input.Path.Directory);
        if (rootName.Length == 0) return packages.Merged();
        var rootPackage = Package.Create(Ecosystem.NuGet, rootName, declared?.Version, input.Location) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            DependsOn = [.. packages.Purls],
        };
        return [.. packages.Merged(), rootPackage.WithProperty("bulwark:source", "path")];
    }
}
