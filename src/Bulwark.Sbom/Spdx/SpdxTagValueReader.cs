// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// Reads SPDX 2.2 and 2.3 tag-value documents ("Tag: value" lines, &lt;text&gt;…&lt;/text&gt; for multi-line values,
/// '#' comment lines) into an Sbom. Tags Bulwark does not use are skipped; a line that is not a tag, an unclosed
/// &lt;text&gt; or a relationship without three parts is an error naming the line.
public static class SpdxTagValueReader
{
    public const string Name = "spdx-tag-value";

    public static Sbom Read(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return SpdxSbomMapper.ToSbom(ReadDocument(reader), Name);
    }

    public static Sbom Read(string text)
    {
        using var reader = new StringReader(text);
        return SpdxSbomMapper.ToSbom(ReadDocument(reader), Name);
    }

    private enum Section { Document, Package, File, Snippet, License, Other }

    internal static SpdxDocument ReadDocument(TextReader reader)
    {
        var doc = new SpdxDocument { SpdxVersion = "" };
        var section = Section.Document;
        SpdxPackage? package = null;
        SpdxFile? file = null;
        SpdxPackage? filesOwner = null;   // files listed after a package belong to it (SPDX 2.2 tag-value)
        string? licenseId = null, extractedText = null, licenseName = null;
        (string Annotator, string Date, string Type, string? Element, string Comment)? annotation = null;
        var lineNumber = 0;

        void EndLicense()
        {
            if (licenseId is not null) doc.ExtractedLicenses.Add(new SpdxExtractedLicense(licenseId, extractedText ?? "", licenseName));
            licenseId = extractedText = licenseName = null;
        }
        void EndAnnotation()
        {
            if (annotation is { } a)
            {
                var element = a.Element ?? (section switch { Section.Package => package?.SpdxId, Section.File => file?.SpdxId, _ => null }) ?? doc.SpdxId;
                doc.Annotations.Add(new SpdxAnnotation(element, a.Annotator, a.Date, a.Type, a.Comment));
            }
            annotation = null;
        }

        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var start = lineNumber;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !trimmed[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new InputException($"line {lineNumber}: expected 'Tag: value' but found '{Clip(trimmed)}'. Check that this is an SPDX 2.2 or 2.3 tag-value document; multi-line values must be wrapped in <text>…</text>.");
            var tag = trimmed[..colon];
            var value = trimmed[(colon + 1)..].Trim();
            if (value.StartsWith("<text>", StringComparison.Ordinal))
            {
                var first = value[6..];
                var end = first.IndexOf("</text>", StringComparison.Ordinal);
                if (end >= 0) value = first[..end];
                else
                {
                    var text = new StringBuilder(first);
                    while (true)
                    {
                        var next = reader.ReadLine()
                            ?? throw new InputException($"line {start}: the <text> value of {tag} is never closed with </text>. Add </text> where the value ends.");
                        lineNumber++;
                        text.Append('\n');
                        end = next.IndexOf("</text>", StringComparison.Ordinal);
                        if (end >= 0) { text.Append(next, 0, end); break; }
                        text.Append(next);
                    }
                    value = text.ToString();
                }
            }

            switch (tag)
            {
                case "SPDXVersion": doc.SpdxVersion = value; break;
                case "DataLicense": doc.DataLicense = value; break;
                case "DocumentName": doc.Name = value; break;
                case "DocumentNamespace": doc.Namespace = value; break;
                case "DocumentComment": doc.Comment = value; break;
                case "Creator": doc.Creators.Add(value); break;
                case "Created": doc.Created = value; break;
                case "CreatorComment": doc.CreatorComment = value; break;
                case "LicenseListVersion": doc.LicenseListVersion = value; break;
                case "SPDXID":
                    switch (section)
                    {
                        case Section.Package when package is not null: package.SpdxId = value; break;
                        case Section.File when file is not null: file.SpdxId = value; break;
                        case Section.Document: doc.SpdxId = value; break;
                    }
                    break;

                case "PackageName":
                    EndLicense();
                    section = Section.Package;
                    package = new SpdxPackage { Name = value };
                    filesOwner = package;
                    doc.Packages.Add(package);
                    break;
                case "PackageVersion" when package is not null: package.VersionInfo = value; break;
                case "PackageFileName" when package is not null: package.PackageFileName = value; break;
                case "PackageSupplier" when package is not null: package.Supplier = value; break;
                case "PackageOriginator" when package is not null: package.Originator = value; break;
                case "PackageDownloadLocation" when package is not null: package.DownloadLocation = value; break;
                case "FilesAnalyzed" when package is not null:
                    package.FilesAnalyzed = bool.TryParse(value, out var fa) ? fa
                        : throw new InputException($"line {start}: FilesAnalyzed must be true or false, not '{Clip(value)}'.");
                    break;
                case "PackageChecksum" when package is not null: package.Checksums.Add(Checksum(value, start)); break;
                case "PackageHomePage" when package is not null: package.Homepage = value; break;
                case "PackageSourceInfo" when package is not null: package.SourceInfo = value; break;
                case "PackageLicenseConcluded" when package is not null: package.LicenseConcluded = value; break;
                case "PackageLicenseDeclared" when package is not null: package.LicenseDeclared = value; break;
                case "PackageCopyrightText" when package is not null: package.CopyrightText = value; break;
                case "PackageSummary" when package is not null: package.Summary = value; break;
                case "PackageDescription" when package is not null: package.Description = value; break;
                case "PackageComment" when package is not null: package.Comment = value; break;
                case "PrimaryPackagePurpose" when package is not null: package.PrimaryPackagePurpose = value.Replace('_', '-'); break;
                case "ExternalRef" when package is not null:
                {
                    var parts = value.Split((char[])[' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (parts.Length != 3)
                        throw new InputException($"line {start}: ExternalRef must be 'CATEGORY TYPE LOCATOR', not '{Clip(value)}'.");
                    package.ExternalRefs.Add(new SpdxExternalRef(parts[0], parts[1], parts[2]));
                    break;
                }
                case "ExternalRefComment" when package is not null && package.ExternalRefs.Count > 0:
                    package.ExternalRefs[^1] = package.ExternalRefs[^1] with { Comment = value };
                    break;

                case "FileName":
                    EndLicense();
                    section = Section.File;
                    file = new SpdxFile { FileName = value };
                    doc.Files.Add(file);
                    break;
                case "SnippetSPDXID":
                    EndLicense();
                    section = Section.Snippet;
                    break;
                case "LicenseID":
                    EndLicense();
                    section = Section.License;
                    licenseId = value;
                    break;
                case "ExtractedText" when section == Section.License: extractedText = value; break;
                case "LicenseName" when section == Section.License: licenseName = value; break;

                case "Relationship":
                {
                    var parts = value.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 3)
                        throw new InputException($"line {start}: a Relationship must be 'ELEMENT TYPE RELATED-ELEMENT', not '{Clip(value)}'.");
                    doc.Relationships.Add(new SpdxRelationship(parts[0], parts[1], parts[2]));
                    break;
                }
                case "RelationshipComment" when doc.Relationships.Count > 0:
                    doc.Relationships[^1] = doc.Relationships[^1] with { Comment = value };
                    break;

                case "Annotator" or "Reviewer":
                    EndAnnotation();
                    annotation = (value, "", tag == "Reviewer" ? "REVIEW" : "", null, "");
                    break;
                case "AnnotationDate" or "ReviewDate" when annotation is not null: annotation = annotation.Value with { Date = value }; break;
                case "AnnotationType" when annotation is not null: annotation = annotation.Value with { Type = value }; break;
                case "SPDXREF" when annotation is not null: annotation = annotation.Value with { Element = value }; break;
                case "AnnotationComment" or "ReviewComment" when annotation is not null:
                    annotation = annotation.Value with { Comment = value };
                    EndAnnotation();
                    break;
            }

            // a file's SPDXID comes after its FileName: record it with the package it follows
            if (tag == "SPDXID" && section == Section.File && file is not null && filesOwner is not null && filesOwner.FilesAnalyzed != false)
                filesOwner.HasFiles.Add(value);
        }
        EndLicense();
        EndAnnotation();
        if (doc.SpdxVersion.Length == 0)
            throw new InputException("line 1: there is no SPDXVersion tag, so this is not an SPDX tag-value document. Check the file is SPDX 2.2 or 2.3 tag-value.");
        if (doc.Packages.FirstOrDefault(p => p.SpdxId.Length == 0) is { } unnamed)
            throw new InputException($"the package '{Clip(unnamed.Name)}' has no SPDXID line after its PackageName. Add 'SPDXID: SPDXRef-…'.");
        return doc;
    }

    /// "SHA256: hex".
    private static SpdxChecksum Checksum(string value, int line)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new InputException($"line {line}: a checksum must be 'ALGORITHM: value', not '{Clip(value)}'.");
        return new SpdxChecksum(value[..colon].Trim(), value[(colon + 1)..].Trim());
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
