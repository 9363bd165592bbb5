// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Sbom.Spdx;

/// Writes an Sbom as an SPDX 2.3 tag-value document (SPDX 2.3 annex: tag-value format), sections in spec order.
public static class SpdxTagValueWriter
{
    public static string Write(Sbom sbom)
    {
        var doc = SpdxDocumentBuilder.Build(sbom);
        var sb = new StringBuilder();
        void Tag(string tag, string? value, bool freeText = false)
        {
            if (value is null) return;
            sb.Append(tag).Append(": ");
            // free-form text (as the spec's examples do, except NOASSERTION) and any value that spans lines or could be
            // mistaken for markup is wrapped in <text>…</text>
            if ((freeText && value is not ("NOASSERTION" or "NONE")) || value.Contains('\n', StringComparison.Ordinal)
                || value.Contains('\r', StringComparison.Ordinal) || value.StartsWith('<'))
                sb.Append("<text>").Append(Unclosing(value)).Append("</text>");
            else sb.Append(value);
            sb.Append('\n');
        }

        sb.Append("## Document Information\n");
        Tag("SPDXVersion", doc.SpdxVersion);
        Tag("DataLicense", doc.DataLicense);
        Tag("SPDXID", doc.SpdxId);
        Tag("DocumentName", doc.Name);
        Tag("DocumentNamespace", doc.Namespace);
        Tag("DocumentComment", doc.Comment, freeText: true);
        sb.Append("\n## Creation Information\n");
        Tag("LicenseListVersion", doc.LicenseListVersion);
        foreach (var c in doc.Creators) Tag("Creator", c);
        Tag("Created", doc.Created);

        foreach (var p in doc.Packages)
        {
            sb.Append("\n## Package Information\n");
            Tag("PackageName", p.Name);
            Tag("SPDXID", p.SpdxId);
            Tag("PackageVersion", p.VersionInfo);
            Tag("PackageSupplier", p.Supplier);
            Tag("PackageOriginator", p.Originator);
            Tag("PackageDownloadLocation", p.DownloadLocation);
            if (p.FilesAnalyzed is { } fa) Tag("FilesAnalyzed", fa ? "true" : "false");
            foreach (var c in p.Checksums) Tag("PackageChecksum", $"{c.Algorithm}: {c.Value}");
            Tag("PackageHomePage", p.Homepage);
            Tag("PackageSourceInfo", p.SourceInfo, freeText: true);
            Tag("PackageLicenseConcluded", p.LicenseConcluded);
            Tag("PackageLicenseDeclared", p.LicenseDeclared);
            Tag("PackageCopyrightText", p.CopyrightText, freeText: true);
            Tag("PackageSummary", p.Summary, freeText: true);
            Tag("PackageDescription", p.Description, freeText: true);
            Tag("PackageComment", p.Comment, freeText: true);
            foreach (var r in p.ExternalRefs)
            {
                Tag("ExternalRef", $"{r.Category} {r.Type} {r.Locator}");
                Tag("ExternalRefComment", r.Comment, freeText: true);
            }
            Tag("PrimaryPackagePurpose", p.PrimaryPackagePurpose);
        }

        if (doc.ExtractedLicenses.Count > 0) sb.Append("\n## Other Licensing Information Detected\n");
        foreach (var e in doc.ExtractedLicenses)
        {
            if (e != doc.ExtractedLicenses[0]) sb.Append('\n');
            Tag("LicenseID", e.LicenseId);
            // ExtractedText is always <text>-wrapped, as the spec's examples do
            sb.Append("ExtractedText: <text>").Append(Unclosing(e.ExtractedText)).Append("</text>\n");
            Tag("LicenseName", e.Name);
        }

        sb.Append("\n## Relationships\n");
        foreach (var r in doc.Relationships)
        {
            Tag("Relationship", $"{r.Element} {r.Type} {r.Related}");
            Tag("RelationshipComment", r.Comment, freeText: true);
        }

        if (doc.Annotations.Count > 0) sb.Append("\n## Annotations\n");
        foreach (var a in doc.Annotations)
        {
            if (a != doc.Annotations[0]) sb.Append('\n');
            Tag("Annotator", a.Annotator);
            Tag("AnnotationDate", a.Date);
            Tag("AnnotationType", a.Type);
            Tag("SPDXREF", a.Element);
            sb.Append("AnnotationComment: <text>").Append(Unclosing(a.Comment)).Append("</text>\n");
        }
        return sb.ToString();
    }

    public static void Write(Sbom sbom, Stream output)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Write(sbom));
        output.Write(bytes);
    }

    // tag-value has no escape for "</text>" inside a <text> value: it would end the value early and leave the rest as
    // a line no reader can parse (found by the sbom.write fuzz target), so it is written with a space
    private static string Unclosing(string value) =>
        value.Contains("</text>", StringComparison.Ordinal) ? value.Replace("</text>", "</ text>", StringComparison.Ordinal) : value;
}
