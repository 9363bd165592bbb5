// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// Writes an <see cref="Sbom"/> as CycloneDX 1.6 JSON, streaming, in a deterministic order (packages as sorted in the model).
public static class CycloneDxJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // the document is a file, not HTML: keep '+', '<', non-ASCII names readable
        Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance,
        SkipValidation = true,
    };

    public static void Write(Sbom sbom, Stream output)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, Options);
        var refs = CycloneDxMapping.PackageRefs(sbom);
        var subjectRef = CycloneDxMapping.SubjectRef(sbom, refs);
        var licenseCache = new Dictionary<string, LicenseText>(StringComparer.Ordinal);

        w.WriteStartObject();
        w.WriteString("$schema", CycloneDxMapping.JsonSchema);
        w.WriteString("bomFormat", "CycloneDX");
        w.WriteString("specVersion", CycloneDxMapping.SpecVersion);
        w.WriteString("serialNumber", CycloneDxMapping.SerialNumber(sbom));
        w.WriteNumber("version", 1);
        WriteMetadata(w, sbom, subjectRef);

        w.WriteStartArray("components");
        var dependencies = new List<(string Ref, List<string> On)>();
        var subjectDeps = CycloneDxMapping.DependencyRefs(sbom.SubjectDependencies, refs, null);
        if (subjectDeps.Count > 0) dependencies.Add((subjectRef, subjectDeps));
        foreach (var p in CycloneDxMapping.PackagesToWrite(sbom.Packages))
        {
            var bomRef = refs[p.Purl];
            WriteComponent(w, p, bomRef, licenseCache);
            if (!p.DependsOn.IsDefaultOrEmpty)
            {
                var on = CycloneDxMapping.DependencyRefs(p.DependsOn, refs, p.Purl);
                if (on.Count > 0) dependencies.Add((bomRef, on));
            }
            if (w.BytesPending > 64 * 1024) w.Flush();
        }
        w.WriteEndArray();

        if (dependencies.Count > 0)
        {
            w.WriteStartArray("dependencies");
            foreach (var (r, on) in dependencies)
            {
                w.WriteStartObject();
                w.WriteString("ref", r);
                w.WriteStartArray("dependsOn");
                foreach (var d in on) w.WriteStringValue(d);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteMetadata(Utf8JsonWriter w, Sbom sbom, string subjectRef)
    {
        w.WriteStartObject("metadata");
        w.WriteString("timestamp", CycloneDxMapping.Timestamp(sbom.Created));
        if (!sbom.Tools.IsDefaultOrEmpty)
        {
            w.WriteStartObject("tools");
            w.WriteStartArray("components");
            foreach (var t in sbom.Tools)
            {
                w.WriteStartObject();
                w.WriteString("type", "application");
                if (!string.IsNullOrEmpty(t.Vendor)) w.WriteString("publisher", t.Vendor);
                w.WriteString("name", t.Name);
                if (!string.IsNullOrEmpty(t.Version)) w.WriteString("version", t.Version);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        var s = sbom.Subject;
        w.WriteStartObject("component");
        w.WriteString("type", CycloneDxMapping.SubjectType(s.Kind));
        w.WriteString("bom-ref", subjectRef);
        w.WriteString("name", s.Name);
        if (!string.IsNullOrEmpty(s.Version)) w.WriteString("version", s.Version);
        WriteHashes(w, s.Hashes);
        if (s.Purl is not null) w.WriteString("purl", s.Purl.ToString());
        var subjectProps = new List<KeyValuePair<string, string>>();
        foreach (var kv in s.Properties)
            if (kv.Key != CycloneDxMapping.SubjectKindProperty) subjectProps.Add(kv);
        if (s.Kind == SubjectKind.Directory) subjectProps.Add(new(CycloneDxMapping.SubjectKindProperty, "directory"));
        subjectProps.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        WriteProperties(w, subjectProps);
        w.WriteEndObject();

        if (!sbom.Properties.IsDefaultOrEmpty) WriteProperties(w, sbom.Properties);
        w.WriteEndObject();
    }

    private static void WriteComponent(Utf8JsonWriter w, Package p, string bomRef, Dictionary<string, LicenseText> licenseCache)
    {
        w.WriteStartObject();
        w.WriteString("type", CycloneDxMapping.ComponentType(p));
        w.WriteString("bom-ref", bomRef);
        if (!string.IsNullOrEmpty(p.Supplier))
        {
            w.WriteStartObject("supplier");
            w.WriteString("name", p.Supplier);
            w.WriteEndObject();
        }
        if (!string.IsNullOrEmpty(p.Author))
        {
            w.WriteStartArray("authors");
            w.WriteStartObject();
            w.WriteString("name", p.Author);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        if (p.Purl.Namespace is { } group) w.WriteString("group", group);
        w.WriteString("name", p.Purl.Name);
        var version = p.Version.Length > 0 ? p.Version : p.Purl.Version;
        if (!string.IsNullOrEmpty(version)) w.WriteString("version", version);
        if (!string.IsNullOrEmpty(p.Description)) w.WriteString("description", p.Description);
        w.WriteString("scope", CycloneDxMapping.ScopeName(p.Scope));
        WriteHashes(w, p.Hashes);

        var licenses = CycloneDxMapping.Licenses(p.Licenses, licenseCache);
        if (licenses.Count > 0)
        {
            w.WriteStartArray("licenses");
            foreach (var l in licenses)
            {
                w.WriteStartObject();
                if (l.Form == LicenseForm.Expression)
                {
                    w.WriteString("expression", l.Text);
                    w.WriteString("acknowledgement", "declared");
                }
                else
                {
                    w.WriteStartObject("license");
                    w.WriteString(l.Form == LicenseForm.Id ? "id" : "name", l.Text);
                    w.WriteString("acknowledgement", "declared");
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (!string.IsNullOrEmpty(p.Copyright)) w.WriteString("copyright", p.Copyright);
        if (!p.Cpes.IsDefaultOrEmpty) w.WriteString("cpe", p.Cpes[0]);
        if (!p.PurlIsSynthetic) w.WriteString("purl", p.Purl.ToString());

        if (!p.ExternalReferences.IsDefaultOrEmpty)
        {
            w.WriteStartArray("externalReferences");
            foreach (var r in p.ExternalReferences)
            {
                w.WriteStartObject();
                w.WriteString("url", r.Url);
                var type = CycloneDxMapping.ExternalReferenceType(r.Type);
                if (type != r.Type) w.WriteString("comment", r.Type);
                w.WriteString("type", type);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        WriteProperties(w, CycloneDxMapping.Properties(p));

        if (!p.Locations.IsDefaultOrEmpty)
        {
            w.WriteStartObject("evidence");
            w.WriteStartArray("occurrences");
            foreach (var l in p.Locations)
            {
                w.WriteStartObject();
                w.WriteString("location", l.Path);
                if (l.Line is { } line and >= 0) w.WriteNumber("line", line);
                if (l.Layer is { } layer) w.WriteString("additionalContext", CycloneDxMapping.LayerContext(layer));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteHashes(Utf8JsonWriter w, ImmutableArray<Digest> hashes)
    {
        if (hashes.IsDefaultOrEmpty) return;
        w.WriteStartArray("hashes");
        foreach (var h in hashes)
        {
            w.WriteStartObject();
            w.WriteString("alg", h.CycloneDxName);
            w.WriteString("content", h.Hex);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // indexed loops, not foreach over an interface: enumerators of key-value pairs are generic instantiations over a
    // value type that ReadyToRun leaves to the JIT at start-up
    private static void WriteProperties(Utf8JsonWriter w, List<KeyValuePair<string, string>> properties)
    {
        if (properties.Count == 0) return;
        w.WriteStartArray("properties");
        for (var i = 0; i < properties.Count; i++) WriteProperty(w, properties[i].Key, properties[i].Value);
        w.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter w, ImmutableArray<KeyValuePair<string, string>> properties)
    {
        if (properties.IsDefaultOrEmpty) return;
        w.WriteStartArray("properties");
        for (var i = 0; i < properties.Length; i++) WriteProperty(w, properties[i].Key, properties[i].Value);
        w.WriteEndArray();
    }

    private static void WriteProperty(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }
}
