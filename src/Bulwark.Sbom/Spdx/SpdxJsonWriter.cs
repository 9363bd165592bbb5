// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Sbom.Spdx;

/// Writes an Sbom as an SPDX 2.3 JSON document (spdx-schema.json of SPDX 2.3.1), fields in a fixed order.
public static class SpdxJsonWriter
{
    public static string Write(Sbom sbom)
    {
        using var stream = new MemoryStream();
        Write(sbom, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Sbom sbom, Stream output)
    {
        var doc = SpdxDocumentBuilder.Build(sbom);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance });
        w.WriteStartObject();
        w.WriteString("spdxVersion", doc.SpdxVersion);
        w.WriteString("dataLicense", doc.DataLicense);
        w.WriteString("SPDXID", doc.SpdxId);
        w.WriteString("name", doc.Name);
        w.WriteString("documentNamespace", doc.Namespace);
        w.WriteStartObject("creationInfo");
        if (doc.LicenseListVersion is not null) w.WriteString("licenseListVersion", doc.LicenseListVersion);
        w.WriteStartArray("creators");
        foreach (var c in doc.Creators) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteString("created", doc.Created);
        w.WriteEndObject();
        if (doc.Comment is not null) w.WriteString("comment", doc.Comment);
        var annotations = doc.Annotations.ToLookup(a => a.Element, StringComparer.Ordinal);
        WriteAnnotations(w, annotations[doc.SpdxId]);

        w.WriteStartArray("packages");
        foreach (var p in doc.Packages) WritePackage(w, p, annotations[p.SpdxId]);
        w.WriteEndArray();

        if (doc.ExtractedLicenses.Count > 0)
        {
            w.WriteStartArray("hasExtractedLicensingInfos");
            foreach (var e in doc.ExtractedLicenses)
            {
                w.WriteStartObject();
                w.WriteString("licenseId", e.LicenseId);
                w.WriteString("extractedText", e.ExtractedText);
                if (e.Name is not null) w.WriteString("name", e.Name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        w.WriteStartArray("relationships");
        foreach (var r in doc.Relationships)
        {
            w.WriteStartObject();
            w.WriteString("spdxElementId", r.Element);
            w.WriteString("relationshipType", r.Type);
            w.WriteString("relatedSpdxElement", r.Related);
            if (r.Comment is not null) w.WriteString("comment", r.Comment);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WritePackage(Utf8JsonWriter w, SpdxPackage p, IEnumerable<SpdxAnnotation> annotations)
    {
        w.WriteStartObject();
        w.WriteString("SPDXID", p.SpdxId);
        w.WriteString("name", p.Name);
        if (p.VersionInfo is not null) w.WriteString("versionInfo", p.VersionInfo);
        if (p.Supplier is not null) w.WriteString("supplier", p.Supplier);
        if (p.Originator is not null) w.WriteString("originator", p.Originator);
        w.WriteString("downloadLocation", p.DownloadLocation);
        if (p.FilesAnalyzed is { } fa) w.WriteBoolean("filesAnalyzed", fa);
        if (p.Checksums.Count > 0)
        {
            w.WriteStartArray("checksums");
            foreach (var c in p.Checksums)
            {
                w.WriteStartObject();
                w.WriteString("algorithm", c.Algorithm);
                w.WriteString("checksumValue", c.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (p.Homepage is not null) w.WriteString("homepage", p.Homepage);
        if (p.SourceInfo is not null) w.WriteString("sourceInfo", p.SourceInfo);
        if (p.LicenseConcluded is not null) w.WriteString("licenseConcluded", p.LicenseConcluded);
        if (p.LicenseDeclared is not null) w.WriteString("licenseDeclared", p.LicenseDeclared);
        if (p.CopyrightText is not null) w.WriteString("copyrightText", p.CopyrightText);
        if (p.Summary is not null) w.WriteString("summary", p.Summary);
        if (p.Description is not null) w.WriteString("description", p.Description);
        if (p.Comment is not null) w.WriteString("comment", p.Comment);
        if (p.ExternalRefs.Count > 0)
        {
            w.WriteStartArray("externalRefs");
            foreach (var r in p.ExternalRefs)
            {
                w.WriteStartObject();
                w.WriteString("referenceCategory", r.Category);
                w.WriteString("referenceType", r.Type);
                w.WriteString("referenceLocator", r.Locator);
                if (r.Comment is not null) w.WriteString("comment", r.Comment);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        // JSON spells the purposes with '_' (OPERATING_SYSTEM), tag-value with '-'
        if (p.PrimaryPackagePurpose is not null) w.WriteString("primaryPackagePurpose", p.PrimaryPackagePurpose.Replace('-', '_'));
        WriteAnnotations(w, annotations);
        w.WriteEndObject();
    }

    private static void WriteAnnotations(Utf8JsonWriter w, IEnumerable<SpdxAnnotation> annotations)
    {
        if (!annotations.Any()) return;
        w.WriteStartArray("annotations");
        foreach (var a in annotations)
        {
            w.WriteStartObject();
            w.WriteString("annotationDate", a.Date);
            w.WriteString("annotationType", a.Type);
            w.WriteString("annotator", a.Annotator);
            w.WriteString("comment", a.Comment);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
