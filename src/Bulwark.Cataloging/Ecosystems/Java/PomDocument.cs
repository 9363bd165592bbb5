// SPDX-License-Identifier: Apache-2.0
using System.Xml;
using System.Xml.Linq;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// A &lt;dependency&gt; as written (texts are raw: properties not yet interpolated).
internal sealed record PomDependency(string? GroupId, string? ArtifactId, string? Version, string? Type,
    string? Classifier, string? Scope, string? Optional, int Line);

/// The &lt;parent&gt; element. RelativePath is null when absent (Maven's default ../pom.xml) and "" when empty (no local parent).
internal sealed record PomParent(string? GroupId, string? ArtifactId, string? Version, string? RelativePath)
{
    public override string ToString() => $"{GroupId}:{ArtifactId}:{Version}";
}

/// One pom.xml as written: the parts the catalogers use, nothing inherited or interpolated
/// (POM reference: https://maven.apache.org/pom.html).
internal sealed class PomDocument
{
    /// Poms are small; a bigger file is not a pom we should hold in memory.
    public const long MaxSize = 16L << 20;

    public string? GroupId { get; private init; }
    public string? ArtifactId { get; private init; }
    public string? Version { get; private init; }
    public string? Packaging { get; private init; }
    public PomParent? Parent { get; private init; }
    public IReadOnlyDictionary<string, string> Properties { get; private init; } = new Dictionary<string, string>();
    public IReadOnlyList<PomDependency> Dependencies { get; private init; } = [];
    public IReadOnlyList<PomDependency> ManagedDependencies { get; private init; } = [];
    public IReadOnlyList<string> Modules { get; private init; } = [];
    public IReadOnlyList<string> Licenses { get; private init; } = [];

    /// The groupId, or the parent's when the pom inherits it.
    public string? InheritedGroupId => GroupId ?? Parent?.GroupId;
    /// The version, or the parent's when the pom inherits it.
    public string? InheritedVersion => Version ?? Parent?.Version;

    /// Reads a pom's text, or null when it is over <see cref="MaxSize"/>.
    public static async Task<string?> ReadTextAsync(Stream stream, CancellationToken ct)
    {
        if (stream.CanSeek && stream.Length > MaxSize) return null;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var text = new System.Text.StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxSize) return null;
        }
        return text.ToString();
    }

    /// Parses pom XML. Throws XmlException for malformed XML and InputException when the root is not a &lt;project&gt;.
    public static PomDocument Parse(string text)
    {
        var settings = new XmlReaderSettings
        {
            // no DTDs, no external entities (XXE), no entity expansion
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        var doc = BoundedXml.Load(text, settings);
        var project = doc.Root ?? throw new InputException("the file has no root element. A pom.xml starts with <project>.");
        if (project.Name.LocalName != "project")
            throw new InputException($"line {Line(project)}: the root element is <{project.Name.LocalName}>, not <project>; this is not a Maven pom.");

        var parentElement = Child(project, "parent");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(project, "properties") is { } props)
        {
            foreach (var p in props.Elements()) properties[p.Name.LocalName] = p.Value.Trim();
        }

        return new PomDocument
        {
            GroupId = Text(project, "groupId"),
            ArtifactId = Text(project, "artifactId"),
            Version = Text(project, "version"),
            Packaging = Text(project, "packaging"),
            Parent = parentElement is null ? null : new PomParent(
                Text(parentElement, "groupId"), Text(parentElement, "artifactId"), Text(parentElement, "version"),
                Child(parentElement, "relativePath")?.Value.Trim()),
            Properties = properties,
            Dependencies = DependenciesIn(Child(project, "dependencies")),
            ManagedDependencies = DependenciesIn(Child(Child(project, "dependencyManagement"), "dependencies")),
            Modules = [.. Children(Child(project, "modules"), "module").Select(m => m.Value.Trim()).Where(m => m.Length > 0)],
            Licenses = [.. Children(Child(project, "licenses"), "license")
                .Select(l => Text(l, "name")).OfType<string>()],
        };
    }

    private static List<PomDependency> DependenciesIn(XElement? dependencies) =>
        [.. Children(dependencies, "dependency").Select(d => new PomDependency(
            Text(d, "groupId"), Text(d, "artifactId"), Text(d, "version"), Text(d, "type"),
            Text(d, "classifier"), Text(d, "scope"), Text(d, "optional"), Line(d)))];

    // poms are namespace-qualified (http://maven.apache.org/POM/4.0.0) or not at all: match on local names
    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == name);

    private static string? Text(XElement parent, string name) =>
        Child(parent, name)?.Value.Trim() is { Length: > 0 } s ? s : null;

    private static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;
}
