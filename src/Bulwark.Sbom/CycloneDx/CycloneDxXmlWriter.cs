// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// Writes an <see cref="Sbom"/> as CycloneDX 1.6 XML, streaming, with the same content and order as the JSON writer.
/// Elements follow the sequence bom-1.6.xsd prescribes (component: supplier, authors, group, name, version, …).
public static class CycloneDxXmlWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        NewLineHandling = NewLineHandling.Replace,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        // text from lockfiles may hold characters XML 1.0 cannot carry; fail loudly rather than write an unreadable file
        CheckCharacters = true,
    };

    private const string Ns = CycloneDxMapping.XmlNamespace;

    public static void Write(Sbom sbom, Stream output)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        ArgumentNullException.ThrowIfNull(output);
        using var w = XmlWriter.Create(output, Settings);
        var refs = CycloneDxMapping.PackageRefs(sbom);
        var subjectRef = CycloneDxMapping.SubjectRef(sbom, refs);
        var licenseCache = new Dictionary<string, LicenseText>(StringComparer.Ordinal);

        w.WriteStartDocument();
        w.WriteStartElement("bom", Ns);
        Attribute(w, "serialNumber", CycloneDxMapping.SerialNumber(sbom));
        Attribute(w, "version", "1");
        WriteMetadata(w, sbom, subjectRef);

        var dependencies = new List<(string Ref, List<string> On)>();
        var subjectDeps = CycloneDxMapping.DependencyRefs(sbom.SubjectDependencies, refs, null);
        if (subjectDeps.Count > 0) dependencies.Add((subjectRef, subjectDeps));
        w.WriteStartElement("components", Ns);
        foreach (var p in CycloneDxMapping.PackagesToWrite(sbom.Packages))
        {
            var bomRef = refs[p.Purl];
            WriteComponent(w, p, bomRef, licenseCache);
            if (!p.DependsOn.IsDefaultOrEmpty)
            {
                var on = CycloneDxMapping.DependencyRefs(p.DependsOn, refs, p.Purl);
                if (on.Count > 0) dependencies.Add((bomRef, on));
            }
        }
        w.WriteEndElement();

        if (dependencies.Count > 0)
        {
            w.WriteStartElement("dependencies", Ns);
            foreach (var (r, on) in dependencies)
            {
                w.WriteStartElement("dependency", Ns);
                Attribute(w, "ref", r);
                foreach (var d in on)
                {
                    w.WriteStartElement("dependency", Ns);
                    Attribute(w, "ref", d);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteMetadata(XmlWriter w, Sbom sbom, string subjectRef)
    {
        w.WriteStartElement("metadata", Ns);
        Element(w, "timestamp", CycloneDxMapping.Timestamp(sbom.Created));
        if (!sbom.Tools.IsDefaultOrEmpty)
        {
            w.WriteStartElement("tools", Ns);
            w.WriteStartElement("components", Ns);
            foreach (var t in sbom.Tools)
            {
                w.WriteStartElement("component", Ns);
                Attribute(w, "type", "application");
                Element(w, "publisher", t.Vendor);
                w.WriteElementString("name", Ns, Clean(t.Name));
                Element(w, "version", t.Version);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }

        var s = sbom.Subject;
        w.WriteStartElement("component", Ns);
        Attribute(w, "type", CycloneDxMapping.SubjectType(s.Kind));
        Attribute(w, "bom-ref", subjectRef);
        w.WriteElementString("name", Ns, Clean(s.Name));
        Element(w, "version", s.Version);
        WriteHashes(w, s.Hashes);
        Element(w, "purl", s.Purl?.ToString());
        var subjectProps = s.Properties.Where(kv => kv.Key != CycloneDxMapping.SubjectKindProperty).ToList();
        if (s.Kind == SubjectKind.Directory) subjectProps.Add(new(CycloneDxMapping.SubjectKindProperty, "directory"));
        subjectProps.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        WriteProperties(w, subjectProps);
        w.WriteEndElement();

        if (!sbom.Properties.IsDefaultOrEmpty) WriteProperties(w, sbom.Properties);
        w.WriteEndElement();
    }

    private static void WriteComponent(XmlWriter w, Package p, string bomRef, Dictionary<string, LicenseText> licenseCache)
    {
        w.WriteStartElement("component", Ns);
        Attribute(w, "type", CycloneDxMapping.ComponentType(p));
        Attribute(w, "bom-ref", bomRef);
        if (!string.IsNullOrEmpty(p.Supplier))
        {
            w.WriteStartElement("supplier", Ns);
            Element(w, "name", p.Supplier);
            w.WriteEndElement();
        }
        if (!string.IsNullOrEmpty(p.Author))
        {
            w.WriteStartElement("authors", Ns);
            w.WriteStartElement("author", Ns);
            Element(w, "name", p.Author);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        Element(w, "group", p.Purl.Namespace);
        Element(w, "name", p.Purl.Name);
        Element(w, "version", p.Version.Length > 0 ? p.Version : p.Purl.Version);
        Element(w, "description", p.Description);
        Element(w, "scope", CycloneDxMapping.ScopeName(p.Scope));
        WriteHashes(w, p.Hashes);

        var licenses = CycloneDxMapping.Licenses(p.Licenses, licenseCache);
        if (licenses.Count > 0)
        {
            w.WriteStartElement("licenses", Ns);
            foreach (var l in licenses)
            {
                if (l.Form == LicenseForm.Expression)
                {
                    w.WriteStartElement("expression", Ns);
                    Attribute(w, "acknowledgement", "declared");
                    w.WriteString(Clean(l.Text));
                    w.WriteEndElement();
                }
                else
                {
                    w.WriteStartElement("license", Ns);
                    Attribute(w, "acknowledgement", "declared");
                    Element(w, l.Form == LicenseForm.Id ? "id" : "name", l.Text);
                    w.WriteEndElement();
                }
            }
            w.WriteEndElement();
        }
        Element(w, "copyright", p.Copyright);
        if (!p.Cpes.IsDefaultOrEmpty) Element(w, "cpe", p.Cpes[0]);
        if (!p.PurlIsSynthetic) Element(w, "purl", p.Purl.ToString());

        if (!p.ExternalReferences.IsDefaultOrEmpty)
        {
            w.WriteStartElement("externalReferences", Ns);
            foreach (var r in p.ExternalReferences)
            {
                var type = CycloneDxMapping.ExternalReferenceType(r.Type);
                w.WriteStartElement("reference", Ns);
                Attribute(w, "type", type);
                Element(w, "url", r.Url);
                if (type != r.Type) Element(w, "comment", r.Type);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }

        WriteProperties(w, CycloneDxMapping.Properties(p));

        if (!p.Locations.IsDefaultOrEmpty)
        {
            w.WriteStartElement("evidence", Ns);
            w.WriteStartElement("occurrences", Ns);
            foreach (var l in p.Locations)
            {
                w.WriteStartElement("occurrence", Ns);
                Element(w, "location", l.Path);
                if (l.Line is { } line and >= 0) Element(w, "line", line.ToString(CultureInfo.InvariantCulture));
                if (l.Layer is { } layer) Element(w, "additionalContext", CycloneDxMapping.LayerContext(layer));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteHashes(XmlWriter w, ImmutableArray<Digest> hashes)
    {
        if (hashes.IsDefaultOrEmpty) return;
        w.WriteStartElement("hashes", Ns);
        foreach (var h in hashes)
        {
            w.WriteStartElement("hash", Ns);
            Attribute(w, "alg", h.CycloneDxName);
            w.WriteString(h.Hex);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void WriteProperties(XmlWriter w, IReadOnlyList<KeyValuePair<string, string>> properties)
    {
        if (properties.Count == 0) return;
        w.WriteStartElement("properties", Ns);
        foreach (var (name, value) in properties)
        {
            w.WriteStartElement("property", Ns);
            Attribute(w, "name", name);
            w.WriteString(Clean(value));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Element(XmlWriter w, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        w.WriteElementString(name, Ns, Clean(value));
    }

    private static void Attribute(XmlWriter w, string name, string value) => w.WriteAttributeString(name, Clean(value));

    // XML 1.0 cannot carry control characters or lone surrogates, which a lockfile or a read SBOM may hold;
    // they become U+FFFD rather than an exception halfway through the file
    private static string Clean(string s)
    {
        var i = 0;
        while (i < s.Length && IsXmlCharAt(s, i, out var width)) i += width;
        if (i == s.Length) return s;
        var sb = new StringBuilder(s.Length);
        sb.Append(s, 0, i);
        while (i < s.Length)
        {
            if (IsXmlCharAt(s, i, out var width)) sb.Append(s, i, width);
            else sb.Append('\uFFFD');
            i += width;
        }
        return sb.ToString();
    }

    private static bool IsXmlCharAt(string s, int i, out int width)
    {
        width = 1;
        if (XmlConvert.IsXmlChar(s[i])) return true;
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
        {
            width = 2;
            return true;
        }
        return false;
    }
}
