// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Sbom.Spdx;

// The SPDX 2.x document as both serialisations (JSON and tag-value) hold it: the readers fill it, the writers print it,
// and SpdxMapping is the one place that maps it to and from the format-neutral Sbom. Only the parts Bulwark uses
// are kept; files and snippets are reduced to what locating a package needs.

internal sealed class SpdxDocument
{
    public string SpdxVersion { get; set; } = "SPDX-2.3";
    public string DataLicense { get; set; } = "CC0-1.0";
    public string SpdxId { get; set; } = "SPDXRef-DOCUMENT";
    public string Name { get; set; } = "";
    public string Namespace { get; set; } = "";
    public string? Comment { get; set; }
    public List<string> Creators { get; } = [];
    public string? Created { get; set; }
    public string? CreatorComment { get; set; }
    public string? LicenseListVersion { get; set; }
    /// documentDescribes (JSON only; tag-value and newer JSON say DESCRIBES with a relationship).
    public List<string> DocumentDescribes { get; } = [];
    public List<SpdxPackage> Packages { get; } = [];
    public List<SpdxFile> Files { get; } = [];
    public List<SpdxRelationship> Relationships { get; } = [];
    public List<SpdxExtractedLicense> ExtractedLicenses { get; } = [];
    /// Every annotation in the document, each naming the element it is about.
    public List<SpdxAnnotation> Annotations { get; } = [];
}

internal sealed class SpdxPackage
{
    public string SpdxId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? VersionInfo { get; set; }
    public string? PackageFileName { get; set; }
    public string? Supplier { get; set; }
    public string? Originator { get; set; }
    public string DownloadLocation { get; set; } = "NOASSERTION";
    public bool? FilesAnalyzed { get; set; }
    public string? Homepage { get; set; }
    public string? SourceInfo { get; set; }
    public string? LicenseConcluded { get; set; }
    public string? LicenseDeclared { get; set; }
    public string? CopyrightText { get; set; }
    public string? Summary { get; set; }
    public string? Description { get; set; }
    public string? Comment { get; set; }
    public string? PrimaryPackagePurpose { get; set; }
    public List<SpdxChecksum> Checksums { get; } = [];
    public List<SpdxExternalRef> ExternalRefs { get; } = [];
    public List<string> HasFiles { get; } = [];
}

internal sealed class SpdxFile
{
    public string SpdxId { get; set; } = "";
    public string FileName { get; set; } = "";
}

internal sealed record SpdxChecksum(string Algorithm, string Value);

internal sealed record SpdxExternalRef(string Category, string Type, string Locator, string? Comment = null);

internal sealed record SpdxRelationship(string Element, string Type, string Related, string? Comment = null);

internal sealed record SpdxExtractedLicense(string LicenseId, string ExtractedText, string? Name = null);

internal sealed record SpdxAnnotation(string Element, string Annotator, string Date, string Type, string Comment);
