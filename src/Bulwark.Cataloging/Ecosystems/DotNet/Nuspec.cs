// SPDX-License-Identifier: Apache-2.0
using System.Xml.Linq;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.DotNet;

/// A package's manifest (.nuspec), inside a .nupkg or loose (the global packages folder keeps one beside each
/// package). https://learn.microsoft.com/nuget/reference/nuspec
internal static class Nuspec
{
    // licenseUrl that nuget pack writes when the license is an expression or file: not information
    private const string DeprecatedLicenseUrl = "https://aka.ms/deprecateLicenseUrl";

    /// The package the manifest describes, plus the dependencies it pins to one exact version ("[1.2.3]").
    /// A dependency given as a range ("1.2.3" means 1.2.3 or later) names no single package, so it gets no edge;
    /// it is kept as text in the property nuget:dependency-ranges.
    public static List<Package> Read(string text, FileLocation location, Func<int, FileLocation> at)
    {
        const string Hint = "Repack the package or fix the manifest's XML.";
        var doc = DotNetFiles.ParseXml(text, Hint);
        if (doc.Root is not { } root || root.Name.LocalName != "package")
            throw new InputException($"line {(doc.Root is null ? 1 : DotNetFiles.LineOf(doc.Root) ?? 1)}: the root element is <{doc.Root?.Name.LocalName}>, expected <package>. This is not a .nuspec manifest.");
        var metadata = DotNetFiles.Child(root, "metadata")
            ?? throw new InputException($"line {DotNetFiles.LineOf(root) ?? 1}: <package> has no <metadata>. {Hint}");
        string? Text(string name) => DotNetFiles.Child(metadata, name)?.Value.Trim() is { Length: > 0 } v ? v : null;

        var id = Text("id") ?? throw new InputException($"line {DotNetFiles.LineOf(metadata) ?? 1}: <metadata> has no <id>. {Hint}");
        var rawVersion = Text("version") ?? throw new InputException($"line {DotNetFiles.LineOf(metadata) ?? 1}: <metadata> has no <version>. {Hint}");
        var version = NuGetVersion.Normalise(rawVersion) ?? rawVersion;

        var package = Package.Create(Ecosystem.NuGet, id, version, location) with
        {
            Description = Text("description") ?? Text("summary"),
            Author = Text("authors"),
            Copyright = Text("copyright"),
        };
        if (DotNetFiles.Child(metadata, "license") is { } license && license.Value.Trim() is { Length: > 0 } licenseText)
        {
            var type = license.Attribute("type")?.Value;
            package = string.Equals(type, "expression", StringComparison.OrdinalIgnoreCase)
                ? package with { Licenses = [licenseText] }
                : package.WithProperty("nuget:license-file", licenseText);
        }
        if (Text("licenseUrl") is { } licenseUrl && !licenseUrl.Equals(DeprecatedLicenseUrl, StringComparison.OrdinalIgnoreCase))
            package = package.WithProperty("nuget:license-url", licenseUrl);
        var references = new List<ExternalReference>();
        if (DotNetFiles.Child(metadata, "repository")?.Attribute("url")?.Value is { Length: > 0 } repo) references.Add(new("vcs", repo));
        if (Text("projectUrl") is { } website) references.Add(new("website", website));
        if (string.Equals(Text("developmentDependency"), "true", StringComparison.OrdinalIgnoreCase))
            package = package.WithProperty("nuget:development-dependency", "true");
        if (DotNetFiles.Child(metadata, "repository")?.Attribute("commit")?.Value is { Length: > 0 } commit)
            package = package.WithProperty("nuget:repository-commit", commit);

        var result = new List<Package>();
        var edges = new List<Purl>();
        var ranges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (dependency, framework) in Dependencies(metadata))
        {
            var depId = dependency.Attribute("id")?.Value.Trim();
            if (string.IsNullOrEmpty(depId))
                throw new InputException($"line {DotNetFiles.LineOf(dependency) ?? 1}: <dependency> has no 'id'. {Hint}");
            var range = dependency.Attribute("version")?.Value.Trim() ?? "";
            if (NuGetVersion.Exact(range) is { } exact)
            {
                var dep = Package.Create(Ecosystem.NuGet, depId, exact, at(DotNetFiles.LineOf(dependency) ?? 1));
                result.Add(dep);
                edges.Add(dep.Purl);
            }
            else
            {
                ranges.Add(framework is null ? $"{depId} {range}".Trim() : $"{framework}: {depId} {range}".Trim());
            }
        }
        package = package with { DependsOn = [.. edges.Distinct()], ExternalReferences = [.. references] };
        result.Insert(0, package.WithProperty("nuget:dependency-ranges", ranges.Count == 0 ? null : string.Join("; ", ranges)));
        return result;
    }

    /// dependency elements, grouped by target framework (nuspec 2.x+) or flat (older manifests).
    private static IEnumerable<(XElement Dependency, string? Framework)> Dependencies(XElement metadata)
    {
        if (DotNetFiles.Child(metadata, "dependencies") is not { } dependencies) yield break;
        foreach (var d in DotNetFiles.Children(dependencies, "dependency")) yield return (d, null);
        foreach (var g in DotNetFiles.Children(dependencies, "group"))
        {
            var framework = g.Attribute("targetFramework")?.Value;
            foreach (var d in DotNetFiles.Children(g, "dependency")) yield return (d, framework);
        }
    }
}
