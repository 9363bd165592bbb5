// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// Reads CycloneDX XML (1.0 to 1.6, from any generator) into an <see cref="Sbom"/>. Elements are matched by local
/// name, so every version's namespace (and 1.1's dependency-graph extension) reads the same way. DTDs are refused
/// (no entity expansion, no external fetches). Malformed XML throws <see cref="InputException"/> with the line.
public static class CycloneDxXmlReader
{
    public const string Name = "cyclonedx-xml";

    // Real BOMs nest a few dozen elements deep. XML sets no limit, and deep nesting costs XDocument quadratic time
    // and the recursive component reading stack space, so a first streaming pass refuses anything deeper.
    private const int MaxDepth = 256;

    private const string NamespacePrefix = "http://cyclonedx.org/schema/bom/";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 1024,
    };

    /// Reads a document; <paramref name="source"/> names it in error messages.
    public static Sbom Read(Stream input, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(input);
        var stream = input.CanSeek ? input : Buffer(input);
        var start = stream.Position;
        XDocument doc;
        try
        {
            using (var scan = XmlReader.Create(stream, Settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                        throw new InputException($"Cannot read {source}: line {((IXmlLineInfo)scan).LineNumber}: elements are nested more than {MaxDepth} deep, which no CycloneDX document needs. Check where the file came from.");
                }
            }
            stream.Position = start;
            using var reader = XmlReader.Create(stream, Settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            var line = e.LineNumber > 0 ? $"line {e.LineNumber}: " : "";
            throw new InputException($"Cannot read {source}: {line}not well-formed XML, or it declares a DTD, which Bulwark refuses ({e.Message}). Check that the file is a complete CycloneDX XML document, or regenerate it.", e);
        }
        return new Parser(source).Parse(doc).ToSbom(Name);
    }

    private static MemoryStream Buffer(Stream input)
    {
        var copy = new MemoryStream();
        input.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    private sealed class Parser(string source)
    {
        public CycloneDxBom Parse(XDocument doc)
        {
            var root = doc.Root!;
            if (root.Name.LocalName != "bom" || !root.Name.NamespaceName.StartsWith(NamespacePrefix, StringComparison.Ordinal))
                throw new InputException($"Cannot read {source}: it is not a CycloneDX XML document (the root element is {{{root.Name.NamespaceName}}}{root.Name.LocalName}, expected 'bom' in the {NamespacePrefix}1.x namespace). Pass a CycloneDX XML SBOM, or use the reader for its format.");
            var bom = new CycloneDxBom { Source = source, SerialNumber = Attr(root, "serialNumber") };
            if (Child(root, "metadata") is { } metadata) ReadMetadata(metadata, bom);
            foreach (var c in Children(Child(root, "components"), "component")) ReadComponent(c, bom.Components);
            // 1.2+: <dependencies>; 1.1 writes the same shape in the dependency-graph extension namespace
            foreach (var d in Children(Child(root, "dependencies"), "dependency"))
            {
                var from = Attr(d, "ref") ?? throw Error(d, "a <dependency> has no 'ref' attribute");
                bom.Dependencies.Add((from, [.. Children(d, "dependency").Select(x => Attr(x, "ref")).OfType<string>()]));
            }
            foreach (var p in Children(Child(root, "properties"), "property")) bom.Properties.AddRange(Property(p));
            return bom;
        }

        private void ReadMetadata(XElement m, CycloneDxBom bom)
        {
            // a malformed timestamp is ignored rather than failing the whole document: it only dates the SBOM
            if (Text(m, "timestamp") is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                bom.Timestamp = time;
            if (Child(m, "tools") is { } tools)
            {
                // 1.2 to 1.4: <tool>; 1.5+: <components><component>, <services><service>
                foreach (var t in Children(tools, "tool"))
                    bom.Tools.Add(new SbomTool(Text(t, "vendor") ?? "", Text(t, "name") ?? "", Text(t, "version") ?? ""));
                foreach (var t in Children(Child(tools, "components"), "component"))
                    bom.Tools.Add(new SbomTool(ToolVendor(t), Text(t, "name") ?? "", Text(t, "version") ?? ""));
                foreach (var t in Children(Child(tools, "services"), "service"))
                    bom.Tools.Add(new SbomTool(Text(Child(t, "provider"), "name") ?? "", Text(t, "name") ?? "", Text(t, "version") ?? ""));
            }
            if (Child(m, "component") is { } subject)
            {
                var nested = new List<CycloneDxComponent>();
                ReadComponent(subject, nested);
                bom.Subject = nested[0];
                bom.Components.AddRange(nested.Skip(1));
            }
            foreach (var p in Children(Child(m, "properties"), "property")) bom.Properties.AddRange(Property(p));
        }

        private static string ToolVendor(XElement t) =>
            Text(Child(t, "manufacturer"), "name") ?? Text(t, "publisher") ?? Text(Child(t, "supplier"), "name") ?? Text(t, "author") ?? Text(t, "group") ?? "";

        private void ReadComponent(XElement e, List<CycloneDxComponent> into)
        {
            var c = new CycloneDxComponent
            {
                Where = $"line {Line(e)}",
                Type = Attr(e, "type"),
                BomRef = Attr(e, "bom-ref"),
                Name = Text(e, "name"),
                Group = Text(e, "group"),
                Version = Text(e, "version"),
                Purl = Text(e, "purl"),
                Description = Text(e, "description"),
                Scope = Text(e, "scope"),
                Supplier = Text(Child(e, "supplier"), "name"),
                Author = Text(e, "author"),
                Publisher = Text(e, "publisher"),
                Copyright = Text(e, "copyright"),
                Cpe = Text(e, "cpe"),
            };
            if (c.Author is null)
            {
                var authors = Children(Child(e, "authors"), "author").Select(a => Text(a, "name")).OfType<string>().ToList();
                if (authors.Count > 0) c.Author = string.Join(", ", authors);
            }
            foreach (var h in Children(Child(e, "hashes"), "hash"))
            {
                if (Attr(h, "alg") is { } alg) c.Hashes.Add((alg, h.Value.Trim()));
            }
            foreach (var l in Child(e, "licenses")?.Elements() ?? [])
            {
                var ack = Attr(l, "acknowledgement");
                switch (l.Name.LocalName)
                {
                    case "expression" when l.Value.Trim().Length > 0:
                        c.Licenses.Add(new(LicenseForm.Expression, l.Value, ack));
                        break;
                    case "license":
                        if (Text(l, "id") is { } id) c.Licenses.Add(new(LicenseForm.Id, id, ack));
                        else if (Text(l, "name") is { } name) c.Licenses.Add(new(LicenseForm.Name, name, ack));
                        break;
                }
            }
            foreach (var r in Children(Child(e, "externalReferences"), "reference"))
            {
                if (Text(r, "url") is { } url) c.ExternalReferences.Add(new ExternalReference(Attr(r, "type") ?? "other", url));
            }
            foreach (var p in Children(Child(e, "properties"), "property")) c.Properties.AddRange(Property(p));
            if (Child(e, "evidence") is { } evidence) ReadEvidence(evidence, c);
            into.Add(c);
            foreach (var child in Children(Child(e, "components"), "component")) ReadComponent(child, into);
        }

        private void ReadEvidence(XElement e, CycloneDxComponent c)
        {
            foreach (var o in Children(Child(e, "occurrences"), "occurrence"))
            {
                if (Text(o, "location") is not { } location) continue;
                int? line = Text(o, "line") is { } l && int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
                c.Locations.Add(new FileLocation(location, line, CycloneDxMapping.LayerOf(Text(o, "additionalContext"))));
            }
            // a manifest-analysis identity method names the manifest the component was read from
            foreach (var m in Children(e, "identity").SelectMany(i => Children(Child(i, "methods"), "method")))
            {
                if (Text(m, "technique") == "manifest-analysis" && Text(m, "value") is { } path) c.Locations.Add(new FileLocation(path));
            }
        }

        // a property without a name says nothing and is dropped, as the JSON reader drops one (it used to fail the
        // document, so the XML written from a JSON document with a blank property name could not be read back)
        private static IEnumerable<KeyValuePair<string, string>> Property(XElement p)
        {
            if (Attr(p, "name") is { } name) yield return new(name, p.Value);
        }

        private static XElement? Child(XElement? e, string localName)
        {
            if (e is null) return null;
            foreach (var c in e.Elements())
                if (c.Name.LocalName == localName) return c;
            return null;
        }

        private static IEnumerable<XElement> Children(XElement? e, string localName) =>
            e is null ? [] : e.Elements().Where(c => c.Name.LocalName == localName);

        private static string? Text(XElement? e, string localName) =>
            Child(e, localName) is { } c && c.Value.Trim() is { Length: > 0 } v ? v : null;

        private static string? Attr(XElement e, string name) =>
            e.Attribute(name)?.Value is { } v && v.Trim() is { Length: > 0 } t ? t : null;

        private static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;

        private InputException Error(XElement e, string what) =>
            new($"Cannot read {source}: line {Line(e)}: {what}. The file does not follow the CycloneDX XML schema; regenerate it or fix that element.");
    }
}
