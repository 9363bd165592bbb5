// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// Reads SPDX 2.2 and 2.3 JSON documents from any generator into an Sbom (see <see cref="SpdxSbomMapper"/>).
public static class SpdxJsonReader
{
    public const string Name = "spdx-json";

    public static Sbom Read(Stream input)
    {
        using var json = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 64 });
        JsonText.RequireReadableStrings(json.RootElement, "the SPDX document");
        return SpdxSbomMapper.ToSbom(ReadDocument(json.RootElement), Name);
    }

    public static Sbom Read(string text)
    {
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        JsonText.RequireReadableStrings(json.RootElement, "the SPDX document");
        return SpdxSbomMapper.ToSbom(ReadDocument(json.RootElement), Name);
    }

    internal static SpdxDocument ReadDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputException($"An SPDX JSON document is an object, but this is {Kind(root)}. Check that the file is an SPDX 2.2 or 2.3 JSON document.");
        if (root.TryGetProperty("@context", out _) || root.TryGetProperty("@graph", out _))
            throw new InputException("This is an SPDX 3 (JSON-LD) document; Bulwark reads SPDX 2.2 and 2.3. Export the SBOM as SPDX 2.3 JSON.");
        var doc = new SpdxDocument
        {
            SpdxVersion = Str(root, "spdxVersion", "$")
                ?? throw new InputException("$.spdxVersion is missing, so this is not an SPDX 2 JSON document. Check the file is SPDX 2.2 or 2.3 JSON."),
            DataLicense = Str(root, "dataLicense", "$") ?? "",
            SpdxId = Str(root, "SPDXID", "$") ?? "SPDXRef-DOCUMENT",
            Name = Str(root, "name", "$") ?? "",
            Namespace = Str(root, "documentNamespace", "$") ?? "",
            Comment = Str(root, "comment", "$"),
        };
        if (Obj(root, "creationInfo", "$") is { } ci)
        {
            doc.Created = Str(ci, "created", "$.creationInfo");
            doc.CreatorComment = Str(ci, "comment", "$.creationInfo");
            doc.LicenseListVersion = Str(ci, "licenseListVersion", "$.creationInfo");
            doc.Creators.AddRange(Strings(ci, "creators", "$.creationInfo"));
        }
        doc.DocumentDescribes.AddRange(Strings(root, "documentDescribes", "$"));
        AddAnnotations(doc, root, doc.SpdxId, "$");

        var i = 0;
        foreach (var p in Objects(root, "packages", "$"))
        {
            var path = $"$.packages[{i++}]";
            var pkg = new SpdxPackage
            {
                SpdxId = Str(p, "SPDXID", path) ?? throw new InputException($"{path}.SPDXID is missing. Every SPDX package needs an SPDXID."),
                Name = Str(p, "name", path) ?? "",
                VersionInfo = Str(p, "versionInfo", path),
                PackageFileName = Str(p, "packageFileName", path),
                Supplier = Str(p, "supplier", path),
                Originator = Str(p, "originator", path),
                DownloadLocation = Str(p, "downloadLocation", path) ?? "NOASSERTION",
                FilesAnalyzed = Bool(p, "filesAnalyzed", path),
                Homepage = Str(p, "homepage", path),
                SourceInfo = Str(p, "sourceInfo", path),
                LicenseConcluded = Str(p, "licenseConcluded", path),
                LicenseDeclared = Str(p, "licenseDeclared", path),
                CopyrightText = Str(p, "copyrightText", path),
                Summary = Str(p, "summary", path),
                Description = Str(p, "description", path),
                Comment = Str(p, "comment", path),
                PrimaryPackagePurpose = Str(p, "primaryPackagePurpose", path)?.Replace('_', '-'),
            };
            var j = 0;
            foreach (var c in Objects(p, "checksums", path))
            {
                var cp = $"{path}.checksums[{j++}]";
                pkg.Checksums.Add(new SpdxChecksum(Str(c, "algorithm", cp) ?? "", Str(c, "checksumValue", cp) ?? ""));
            }
            j = 0;
            foreach (var r in Objects(p, "externalRefs", path))
            {
                var rp = $"{path}.externalRefs[{j++}]";
                pkg.ExternalRefs.Add(new SpdxExternalRef(Str(r, "referenceCategory", rp) ?? "", Str(r, "referenceType", rp) ?? "",
                    Str(r, "referenceLocator", rp) ?? "", Str(r, "comment", rp)));
            }
            pkg.HasFiles.AddRange(Strings(p, "hasFiles", path));
            AddAnnotations(doc, p, pkg.SpdxId, path);
            doc.Packages.Add(pkg);
        }

        i = 0;
        foreach (var f in Objects(root, "files", "$"))
        {
            var path = $"$.files[{i++}]";
            var id = Str(f, "SPDXID", path) ?? throw new InputException($"{path}.SPDXID is missing. Every SPDX file needs an SPDXID.");
            doc.Files.Add(new SpdxFile { SpdxId = id, FileName = Str(f, "fileName", path) ?? "" });
            AddAnnotations(doc, f, id, path);
        }

        i = 0;
        foreach (var r in Objects(root, "relationships", "$"))
        {
            var path = $"$.relationships[{i++}]";
            doc.Relationships.Add(new SpdxRelationship(
                Str(r, "spdxElementId", path) ?? throw new InputException($"{path}.spdxElementId is missing. A relationship needs both ends."),
                Str(r, "relationshipType", path) ?? throw new InputException($"{path}.relationshipType is missing. A relationship needs a type."),
                Str(r, "relatedSpdxElement", path) ?? throw new InputException($"{path}.relatedSpdxElement is missing. A relationship needs both ends."),
                Str(r, "comment", path)));
        }

        i = 0;
        foreach (var e in Objects(root, "hasExtractedLicensingInfos", "$"))
        {
            var path = $"$.hasExtractedLicensingInfos[{i++}]";
            var id = Str(e, "licenseId", path);
            if (id is not null) doc.ExtractedLicenses.Add(new SpdxExtractedLicense(id, Str(e, "extractedText", path) ?? "", Str(e, "name", path)));
        }
        return doc;
    }

    private static void AddAnnotations(SpdxDocument doc, JsonElement owner, string element, string path)
    {
        var i = 0;
        foreach (var a in Objects(owner, "annotations", path))
        {
            var ap = $"{path}.annotations[{i++}]";
            doc.Annotations.Add(new SpdxAnnotation(element, Str(a, "annotator", ap) ?? "", Str(a, "annotationDate", ap) ?? "",
                Str(a, "annotationType", ap) ?? "", Str(a, "comment", ap) ?? ""));
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string? Str(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : throw new InputException($"{path}.{name} must be a string but is {Kind(v)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
    }

    private static bool? Bool(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // some generators quote it
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => throw new InputException($"{path}.{name} must be true or false but is {Kind(v)}. Fix the SPDX document (SPDX 2.3 JSON schema)."),
        };
    }

    private static JsonElement? Obj(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Object
            ? v
            : throw new InputException($"{path}.{name} must be an object but is {Kind(v)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
    }

    private static IEnumerable<JsonElement> Objects(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) yield break;
        if (v.ValueKind != JsonValueKind.Array)
            throw new InputException($"{path}.{name} must be an array but is {Kind(v)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw new InputException($"{path}.{name}[{i}] must be an object but is {Kind(item)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
            i++;
            yield return item;
        }
    }

    private static IEnumerable<string> Strings(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) yield break;
        if (v.ValueKind != JsonValueKind.Array)
            throw new InputException($"{path}.{name} must be an array of strings but is {Kind(v)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new InputException($"{path}.{name}[{i}] must be a string but is {Kind(item)}. Fix the SPDX document (SPDX 2.3 JSON schema).");
            i++;
            yield return item.GetString()!;
        }
    }
}
