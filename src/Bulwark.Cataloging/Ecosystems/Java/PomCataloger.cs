// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Reads a Maven pom.xml: the project as the root package and its declared dependencies (inherited from local
/// parents too), versions from properties and dependency management, local parents and BOMs only. A version that
/// needs a remote parent or BOM stays empty, with the raw text in the `maven:unresolved-version` property.
/// Each module of a multi-module build is its own pom.xml and is read on its own.
public sealed class PomCataloger : ICataloger, IReadsNeighbours
{
    public string Name => "maven-pom";

    /// Reads parent and aggregator poms: pom.xml above, or any *.xml a relativePath or module names.
    public bool MayRead(FilePath path) => path.Extension == ".xml";

    public bool Wants(FilePath path) => path.FileName == "pom.xml";

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var text = await PomDocument.ReadTextAsync(input.Content, ct).ConfigureAwait(false)
            ?? throw new InputException($"the file is over {PomDocument.MaxSize:N0} bytes, too big for a pom; not read.");
        var document = PomDocument.Parse(text);
        var model = await new PomResolver(input.Tree).ResolveAsync(input.Path, document, ct).ConfigureAwait(false);

        var packages = new Dictionary<Purl, Package>();
        var direct = new List<Purl>();
        foreach (var (dependency, declaredIn) in model.Dependencies())
        {
            var location = declaredIn == input.Path
                ? input.LocationAt(dependency.Line)
                : new FileLocation(declaredIn.Value, dependency.Line, input.Location.Layer);
            var package = DependencyPackage(model, dependency, location);
            packages[package.Purl] = packages.TryGetValue(package.Purl, out var seen) ? seen.Merge(package) : package;
            direct.Add(package.Purl);
        }

        var root = RootPackage(model, input) with { DependsOn = [.. direct.Distinct()] };
        packages[root.Purl] = packages.TryGetValue(root.Purl, out var same) ? root.Merge(same) : root;
        return [.. packages.Values];
    }

    private static Package RootPackage(PomModel model, CatalogInput input)
    {
        var document = model.Document;
        var artifactId = model.ArtifactId ?? document.ArtifactId
            ?? throw new InputException("the pom has no <artifactId>. Every Maven project names its artifact.");
        var groupId = model.GroupId ?? document.InheritedGroupId
            ?? throw new InputException("the pom has no <groupId> and no <parent> to inherit one from.");
        var packaging = model.Interpolator.Resolve(document.Packaging) ?? "jar";
        var package = MavenArtifact.Create(groupId, artifactId, model.Version, input.Location, TypeOfPackaging(packaging)) with
        {
            IsRoot = true,
            Kind = PackageKind.Application,
            Licenses = [.. model.Licenses],
        };
        if (model.Version is null)
            package = package.WithProperty("maven:unresolved-version", document.InheritedVersion ?? "(no <version> and no <parent> version)");
        if (model.RemoteParent is { } parent) package = package.WithProperty("maven:parent", parent.ToString());
        if (model.RemoteImports.Count > 0) package = package.WithProperty("maven:remote-boms", string.Join(' ', model.RemoteImports));
        if (model.GroupId is null || model.ArtifactId is null) package = package.WithProperty("maven:unresolved-coordinates", "true");
        return package;
    }

    private static Package DependencyPackage(PomModel model, PomDependency dependency, FileLocation location)
    {
        var interpolator = model.Interpolator;
        if (dependency.GroupId is null || dependency.ArtifactId is null)
            throw new InputException($"{location}: a <dependency> has no <groupId> or <artifactId>. Maven rejects this pom; fix the declaration.");
        var groupId = interpolator.Resolve(dependency.GroupId);
        var artifactId = interpolator.Resolve(dependency.ArtifactId);
        var type = interpolator.Resolve(dependency.Type) ?? dependency.Type;
        var classifier = interpolator.Resolve(dependency.Classifier) ?? dependency.Classifier;
        model.Managed.TryGetValue(PomResolver.ManagementKeyOf(dependency, interpolator), out var managed);

        string? version;
        string? rawVersion;
        if (dependency.Version is not null)
            (version, rawVersion) = (interpolator.Resolve(dependency.Version), dependency.Version);
        else if (managed is not null)
            (version, rawVersion) = (managed.Version, managed.RawVersion);
        else
            (version, rawVersion) = (null, null);
        version = ExactVersion(version);

        var mavenScope = interpolator.Resolve(dependency.Scope) ?? managed?.Scope ?? "compile";
        var optional = (interpolator.Resolve(dependency.Optional) ?? managed?.Optional) == "true";

        var package = MavenArtifact.Create(groupId ?? dependency.GroupId, artifactId ?? dependency.ArtifactId, version, location, type, classifier) with
        {
            Scope = MavenArtifact.ScopeOf(mavenScope, optional),
        };
        package = package.WithProperty("maven:scope", mavenScope);
        if (optional) package = package.WithProperty("maven:optional", "true");
        if (groupId is null || artifactId is null) package = package.WithProperty("maven:unresolved-coordinates", "true");
        if (version is null)
        {
            package = package.WithProperty("maven:unresolved-version", rawVersion ?? (model.RemoteParent is { } parent
                ? $"(managed by {parent}, which is not in the tree)"
                : "(no <version> and no local <dependencyManagement> entry)"));
        }
        return package;
    }

    /// A version usable in a purl: "1.2" and the pinned range "[1.2]" are; other ranges ("[1.0,2.0)") are requirements, not versions.
    private static string? ExactVersion(string? version)
    {
        if (version is null || version.Length == 0) return null;
        if (version[0] is not ('[' or '(')) return version;
        return version.Length > 2 && version[0] == '[' && version[^1] == ']' && !version.Contains(',', StringComparison.Ordinal)
            ? version[1..^1].Trim()
            : null;
    }

    // packagings whose artifact is a .jar; anything else is the artifact type (pom, war, ear, rar, hpi, …)
    private static string? TypeOfPackaging(string packaging) =>
        packaging is "jar" or "bundle" or "maven-plugin" or "ejb" or "maven-archetype" or "takari-jar" ? null : packaging;
}
