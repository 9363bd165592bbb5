// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Vex;

/// Reads the VEX in a CycloneDX document (1.4 to 1.6, JSON or XML): each vulnerability with an analysis is a statement.
/// Analysis states map onto OpenVEX statuses: not_affected and false_positive → NotAffected, resolved and
/// resolved_with_pedigree → Fixed, exploitable → Affected, in_triage → UnderInvestigation. The justification is kept
/// as CycloneDX spells it (code_not_reachable, …). affects[].ref is resolved to a purl when it is a bom-ref of a
/// component in the same document, a purl, or a BOM-Link (urn:cdx:serial/version#bom-ref) into this document or
/// whose fragment is a purl; any other ref is reported as a warning.
internal static class CycloneDxVexReader
{
    private const string NamespacePrefix = "http://cyclonedx.org/schema/bom/";
    private const int MaxXmlDepth = 128;

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 1024,
    };

    /// One vulnerability as both encodings give it, before refs are resolved.
    private sealed record Entry(
        string Location,
        int? Line,
        string? Id,
        ImmutableArray<string> References,
        string? State,
        string? Justification,
        ImmutableArray<string> Responses,
        string? Detail,
        string? Recommendation,
        DateTimeOffset? Time,
        ImmutableArray<string> Refs);

    private sealed record Bom(string? Serial, DateTimeOffset? Time, Dictionary<string, string?> Components, List<Entry> Entries);

    public static VexDocument ReadJson(JsonElement root, string source)
    {
        var f = new JsonFields(source);
        var components = new Dictionary<string, string?>(StringComparer.Ordinal);
        DateTimeOffset? time = null;
        if (f.Object(root, "metadata", "") is { } metadata)
        {
            time = f.Timestamp(metadata, "timestamp", "metadata");
            if (f.Object(metadata, "component", "metadata") is { } subject) JsonComponent(f, subject, "metadata.component", components);
        }
        foreach (var (c, at) in f.Array(root, "components", "")) JsonComponent(f, c, at, components);

        var entries = new List<Entry>();
        foreach (var (v, at) in f.Array(root, "vulnerabilities", ""))
        {
            if (v.ValueKind != JsonValueKind.Object) throw f.Error(at, $"a vulnerability must be an object, found a JSON {JsonFields.Kind(v)}.");
            var references = f.Array(v, "references", at)
                .Select(r => r.Item.ValueKind == JsonValueKind.Object ? f.String(r.Item, "id", r.Path) : throw f.Error(r.Path, "a reference must be an object."))
                .OfType<string>().ToImmutableArray();
            var analysis = f.Object(v, "analysis", at);
            var analysisAt = JsonFields.Join(at, "analysis");
            var refs = f.Array(v, "affects", at)
                .Select(a => a.Item.ValueKind == JsonValueKind.Object ? f.RequiredString(a.Item, "ref", a.Path, "the affects ref") : throw f.Error(a.Path, "an affects entry must be an object."))
                .ToImmutableArray();
            entries.Add(new Entry(
                at,
                null,
                f.String(v, "id", at),
                references,
                analysis is { } a1 ? f.String(a1, "state", analysisAt) : null,
                analysis is { } a2 ? f.String(a2, "justification", analysisAt) : null,
                analysis is { } a3 ? [.. f.Strings(a3, "response", analysisAt)] : [],
                analysis is { } a4 ? f.String(a4, "detail", analysisAt) : null,
                f.String(v, "recommendation", at),
                analysis is { } a5 ? f.Timestamp(a5, "lastUpdated", analysisAt) ?? f.Timestamp(a5, "firstIssued", analysisAt) : null,
                refs));
        }
        return Resolve(new Bom(f.String(root, "serialNumber", ""), time, components, entries), source, VexFormat.CycloneDxJson);
    }

    private static void JsonComponent(JsonFields f, JsonElement c, string at, Dictionary<string, string?> components)
    {
        if (c.ValueKind != JsonValueKind.Object) throw f.Error(at, $"a component must be an object, found a JSON {JsonFields.Kind(c)}.");
        if (f.String(c, "bom-ref", at) is { } bomRef) components.TryAdd(bomRef, f.String(c, "purl", at));
        foreach (var (nested, nestedAt) in f.Array(c, "components", at)) JsonComponent(f, nested, nestedAt, components);
    }

    public static VexDocument ReadXml(ReadOnlyMemory<byte> content, string source)
    {
        XDocument doc;
        try
        {
            using (var scan = XmlReader.Create(new MemoryStream(content.ToArray(), writable: false), XmlSettings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxXmlDepth)
                        throw new InputException($"Cannot read {source}: line {((IXmlLineInfo)scan).LineNumber}: elements are nested more than {MaxXmlDepth} deep, which no CycloneDX VEX document needs. Check where the file came from.");
                }
            }
            using var reader = XmlReader.Create(new MemoryStream(content.ToArray(), writable: false), XmlSettings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            var line = e.LineNumber > 0 ? $"line {e.LineNumber}: " : "";
            throw new InputException($"Cannot read {source}: {line}not well-formed XML, or it declares a DTD, which Bulwark refuses ({e.Message}). Check that the file is a complete CycloneDX XML document.", e);
        }
        var root = doc.Root!;
        if (root.Name.LocalName != "bom" || !root.Name.NamespaceName.StartsWith(NamespacePrefix, StringComparison.Ordinal))
            throw new InputException($"Cannot read {source}: it is XML but not CycloneDX (the root element is {{{root.Name.NamespaceName}}}{root.Name.LocalName}, expected 'bom' in the {NamespacePrefix}1.x namespace). Give an OpenVEX or CycloneDX VEX document.");

        var components = new Dictionary<string, string?>(StringComparer.Ordinal);
        DateTimeOffset? time = null;
        if (Child(root, "metadata") is { } metadata)
        {
            time = XmlTime(Child(metadata, "timestamp"), source);
            if (Child(metadata, "component") is { } subject) XmlComponent(subject, components);
        }
        foreach (var c in Children(Child(root, "components"), "component")) XmlComponent(c, components);

        var entries = new List<Entry>();
        var index = 0;
        foreach (var v in Children(Child(root, "vulnerabilities"), "vulnerability"))
        {
            var analysis = Child(v, "analysis");
            var refs = ImmutableArray.CreateBuilder<string>();
            foreach (var target in Children(Child(v, "affects"), "target"))
            {
                var r = Text(Child(target, "ref"))
                    ?? throw new InputException($"Cannot read {source}: line {Line(target)}: an affects target has no ref. Name the affected component by its bom-ref.");
                refs.Add(r);
            }
            entries.Add(new Entry(
                $"vulnerabilities[{index++}]",
                Line(v),
                Text(Child(v, "id")),
                [.. Children(Child(v, "references"), "reference").Select(r => Text(Child(r, "id"))).OfType<string>()],
                Text(Child(analysis, "state")),
                Text(Child(analysis, "justification")),
                [.. Children(Child(analysis, "responses"), "response").Select(Text).OfType<string>()],
                Text(Child(analysis, "detail")),
                Text(Child(v, "recommendation")),
                XmlTime(Child(analysis, "lastUpdated"), source) ?? XmlTime(Child(analysis, "firstIssued"), source),
                refs.ToImmutable()));
        }
        return Resolve(new Bom(root.Attribute("serialNumber")?.Value, time, components, entries), source, VexFormat.CycloneDxXml);
    }

    private static void XmlComponent(XElement c, Dictionary<string, string?> components)
    {
        if (c.Attribute("bom-ref")?.Value is { Length: > 0 } bomRef) components.TryAdd(bomRef, Text(Child(c, "purl")));
        foreach (var nested in Children(Child(c, "components"), "component")) XmlComponent(nested, components);
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent?.Elements().Where(e => e.Name.LocalName == name) ?? [];

    private static string? Text(XElement? e) => e?.Value.Trim() is { Length: > 0 } t ? t : null;

    private static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;

    private static DateTimeOffset? XmlTime(XElement? e, string source)
    {
        if (Text(e) is not { } text) return null;
        return JsonFields.ParseTimestamp(text)
            ?? throw new InputException($"Cannot read {source}: line {Line(e!)}: <{e!.Name.LocalName}> '{text}' is not an xs:dateTime (e.g. 2024-05-01T12:00:00Z).");
    }

    private static VexDocument Resolve(Bom bom, string source, VexFormat format)
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        var statements = ImmutableArray.CreateBuilder<VexStatement>();
        foreach (var e in bom.Entries)
        {
            var where = e.Line is { } line ? $"{source}#{e.Location} (line {line})" : $"{source}#{e.Location}";
            string Fail(string problem) => e.Line is { } l ? $"Cannot read {source}: line {l}: {problem}" : $"Cannot read {source}: {e.Location}.{problem}";
            if (e.Id is null) throw new InputException(Fail("id: the vulnerability has no id. Give it the advisory id (CVE-…, GHSA-…)."));
            if (e.State is null)
            {
                warnings.Add($"{where}: {e.Id} has no analysis state, so it says nothing about exploitability and is not used as VEX.");
                continue;
            }
            var status = e.State switch
            {
                "not_affected" or "false_positive" => VexStatus.NotAffected,
                "resolved" or "resolved_with_pedigree" => VexStatus.Fixed,
                "exploitable" => VexStatus.Affected,
                "in_triage" => VexStatus.UnderInvestigation,
                _ => throw new InputException(Fail($"analysis.state: '{e.State}' is not a CycloneDX analysis state; expected resolved, resolved_with_pedigree, exploitable, in_triage, false_positive or not_affected.")),
            };
            var products = new List<Purl>();
            foreach (var r in e.Refs)
            {
                if (ResolveRef(bom, r, out var problem) is { } purl) products.Add(purl);
                else warnings.Add($"{where}: affects ref '{r}' {problem}, so {e.Id} cannot be applied to it.");
            }
            if (e.Refs.Length == 0) warnings.Add($"{where}: {e.Id} affects no component, so it applies to no package.");
            statements.Add(new VexStatement(
                e.Id,
                [.. e.References.Where(a => a != e.Id).Distinct(StringComparer.Ordinal)],
                [.. products.Distinct()],
                status,
                e.Justification,
                e.Detail,
                Action(e),
                e.Time ?? bom.Time,
                $"{source}#{e.Location}"));
        }
        return new VexDocument(source, format, statements.ToImmutable(), warnings.ToImmutable());
    }

    private static string? Action(Entry e)
    {
        var response = e.Responses.Length > 0 ? $"response: {string.Join(", ", e.Responses)}" : null;
        return (e.Recommendation, response) switch
        {
            (null, null) => null,
            ({ } r, null) => r,
            (null, { } s) => s,
            ({ } r, { } s) => $"{r} ({s})",
        };
    }

    private static Purl? ResolveRef(Bom bom, string r, out string problem)
    {
        problem = "";
        var target = r;
        if (r.StartsWith("urn:cdx:", StringComparison.OrdinalIgnoreCase))
        {
            // BOM-Link: urn:cdx:<serial uuid>/<version>#<url-encoded bom-ref>
            var hash = r.IndexOf('#', StringComparison.Ordinal);
            var slash = r.IndexOf('/', StringComparison.Ordinal);
            if (hash < 0 || slash < 0 || slash > hash)
            {
                problem = "is a BOM-Link without a #bom-ref fragment";
                return null;
            }
            var serial = r["urn:cdx:".Length..slash];
            target = Uri.UnescapeDataString(r[(hash + 1)..]);
            var sameBom = bom.Serial is { } s && s.EndsWith(serial, StringComparison.OrdinalIgnoreCase);
            if (!sameBom && !target.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
            {
                problem = $"links to component '{target}' in another BOM (urn:uuid:{serial}), which is not loaded";
                return null;
            }
        }
        if (bom.Components.TryGetValue(target, out var componentPurl))
        {
            if (componentPurl is null)
            {
                problem = $"names component '{target}', which has no purl";
                return null;
            }
            if (Purl.TryParse(componentPurl, out var p, out var error)) return p;
            problem = $"names component '{target}', whose purl '{componentPurl}' is not valid ({error})";
            return null;
        }
        if (target.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase))
        {
            if (Purl.TryParse(target, out var p, out var error)) return p;
            problem = $"is not a valid package URL ({error})";
            return null;
        }
        problem = "names no component in this document and is not a package URL";
        return null;
    }
}
