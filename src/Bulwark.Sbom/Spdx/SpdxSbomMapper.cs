// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Globalization;
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// Maps a read SPDX 2.x document to an Sbom, whatever tool wrote it:
/// - A package's identity is its purl (externalRefs PACKAGE-MANAGER/PACKAGE_MANAGER purl); without one it gets a
///   synthetic pkg:generic/name@version with PurlIsSynthetic. SPDX packages with the same purl become one package.
/// - The subject is the one package the document DESCRIBES (relationship, documentDescribes or DESCRIBED_BY); it is
///   not also listed as a package. When the document describes several packages (or none), the subject is the
///   document itself, depending on the described packages, which are marked as roots.
/// - Dependency edges: "A DEPENDS_ON/CONTAINS/STATIC_LINK/DYNAMIC_LINK B" and "B *_DEPENDENCY_OF/CONTAINED_BY A" mean
///   A depends on B. Edges to elements that are not packages (files, NOASSERTION, other documents) are dropped.
/// - Scope: a Bulwark "bulwark:scope" annotation wins; otherwise a package reached only through DEV_/TEST_/BUILD_
///   DEPENDENCY_OF edges is Dev, only through OPTIONAL_DEPENDENCY_OF Optional, anything else Required.
/// - Files are not packages: the files a package CONTAINS (or hasFiles) become its locations, as does a Bulwark
///   sourceInfo "found in: a, b".
internal static class SpdxSbomMapper
{
    private static readonly string[] DependsOn = ["DEPENDS_ON", "CONTAINS", "STATIC_LINK", "DYNAMIC_LINK"];
    private static readonly string[] DependencyOf =
    [
        "DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "TEST_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF",
        "RUNTIME_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "CONTAINED_BY",
    ];

    /// For a package without a parsable purl, each package-manager reference (and any purl reference whose locator did
    /// not parse) is kept as a property "bulwark:spdx-package-manager:&lt;type&gt;" = locator, so that the normaliser can
    /// repair the purl from it (SPDX 2.3 Annex F: maven-central, npm, nuget, bower, purl).
    public const string PackageManagerRefProperty = "bulwark:spdx-package-manager";

    public static Sbom ToSbom(SpdxDocument doc, string readerName)
    {
        if (!doc.SpdxVersion.StartsWith("SPDX-2.", StringComparison.Ordinal))
            throw new InputException($"spdxVersion '{doc.SpdxVersion}' is not SPDX 2.x; Bulwark reads SPDX 2.2 and 2.3. Export the SBOM as SPDX 2.3.");

        var fileNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in doc.Files) fileNames.TryAdd(f.SpdxId, f.FileName);
        var annotations = doc.Annotations.ToLookup(a => a.Element, StringComparer.Ordinal);

        // one Package per SPDX package, keyed by SPDXID
        var byId = new Dictionary<string, Package>(StringComparer.Ordinal);
        foreach (var sp in doc.Packages)
        {
            if (sp.SpdxId.Length == 0)
                throw new InputException($"The package '{sp.Name}' has an empty SPDXID. Give every SPDX package an id such as SPDXRef-Package-1.");
            if (byId.ContainsKey(sp.SpdxId))
                throw new InputException($"The SPDXID {sp.SpdxId} is used by more than one package. Each SPDX element needs its own SPDXID.");
            byId[sp.SpdxId] = ToPackage(sp, readerName, fileNames, annotations[sp.SpdxId]);
        }

        // what the document describes
        var described = new List<string>();
        void Describe(string id) { if (!described.Contains(id)) described.Add(id); }
        foreach (var id in doc.DocumentDescribes) Describe(id);
        foreach (var r in doc.Relationships)
        {
            if (r.Element == doc.SpdxId && r.Type == "DESCRIBES") Describe(r.Related);
            if (r.Related == doc.SpdxId && r.Type == "DESCRIBED_BY") Describe(r.Element);
        }
        var describedPackages = described.Where(byId.ContainsKey).ToList();
        var subjectId = describedPackages.Count == 1 ? describedPackages[0] : null;

        // edges, and what kind of edge reached each package
        var edges = new Dictionary<string, SortedSet<Purl>>(StringComparer.Ordinal);
        var reachedAs = new Dictionary<string, Scope>(StringComparer.Ordinal);
        var extraLocations = new Dictionary<string, List<FileLocation>>(StringComparer.Ordinal);
        foreach (var r in doc.Relationships)
        {
            string from, to;
            var hint = Scope.Required;
            if (DependsOn.Contains(r.Type)) (from, to) = (r.Element, r.Related);
            else if (DependencyOf.Contains(r.Type))
            {
                (from, to) = (r.Related, r.Element);
                hint = r.Type switch
                {
                    "DEV_DEPENDENCY_OF" or "TEST_DEPENDENCY_OF" or "BUILD_DEPENDENCY_OF" => Scope.Dev,
                    "OPTIONAL_DEPENDENCY_OF" => Scope.Optional,
                    _ => Scope.Required,
                };
            }
            else continue;
            if (!byId.TryGetValue(from, out _)) continue;
            if (!byId.TryGetValue(to, out var target))
            {
                // a package containing a file: the file is where the package was found
                if (fileNames.TryGetValue(to, out var fileName) && r.Type is "CONTAINS" or "CONTAINED_BY")
                    AddTo(extraLocations, from, Location(fileName));
                continue;
            }
            // an edge to a described package without a purl has nothing to point at once that package is the subject
            if (from == to || (to == subjectId && target.PurlIsSynthetic)) continue;
            if (!edges.TryGetValue(from, out var set)) edges[from] = set = [];
            set.Add(target.Purl);
            reachedAs[to] = reachedAs.TryGetValue(to, out var prior) ? (Scope)Math.Min((int)prior, (int)hint) : hint;
        }

        // merge SPDX packages into one Package per purl
        var merged = new Dictionary<Purl, Package>();
        foreach (var (id, p0) in byId)
        {
            if (id == subjectId) continue;
            var p = p0;
            if (edges.TryGetValue(id, out var deps)) p = p with { DependsOn = [.. deps] };
            if (extraLocations.TryGetValue(id, out var locs)) p = p with { Locations = [.. p.Locations, .. locs] };
            if (!HasScopeAnnotation(annotations[id]) && reachedAs.TryGetValue(id, out var scope)) p = p with { Scope = scope };
            // the project's own packages: what the document describes (when it is not one package), or an application
            // the described package depends on directly (as Bulwark writes a project's roots)
            if (subjectId is null ? describedPackages.Contains(id)
                : p.Kind == PackageKind.Application && edges.TryGetValue(subjectId, out var subjectDeps) && subjectDeps.Contains(p.Purl))
                p = p with { IsRoot = true };
            merged[p.Purl] = merged.TryGetValue(p.Purl, out var seen) ? seen.Merge(p) : p;
        }

        SbomSubject subject;
        if (subjectId is not null)
        {
            var sp = doc.Packages.First(p => p.SpdxId == subjectId);
            var pkg = byId[subjectId];
            subject = new SbomSubject
            {
                Name = sp.Name,
                Version = string.IsNullOrEmpty(sp.VersionInfo) ? null : sp.VersionInfo,
                Kind = sp.PrimaryPackagePurpose switch
                {
                    "SOURCE" => SubjectKind.Directory,
                    "FILE" or "ARCHIVE" => SubjectKind.File,
                    "CONTAINER" => SubjectKind.Image,
                    _ => SubjectKind.Other,
                },
                Purl = pkg.PurlIsSynthetic ? null : pkg.Purl,
                Hashes = pkg.Hashes,
                DependsOn = edges.TryGetValue(subjectId, out var deps) ? [.. deps.Where(d => !d.Equals(pkg.Purl))] : [],
                Properties = pkg.Properties,
            };
        }
        else
        {
            subject = new SbomSubject
            {
                Name = doc.Name,
                Kind = SubjectKind.Other,
                DependsOn = [.. describedPackages.Select(id => byId[id].Purl).Distinct().Order()],
            };
        }

        var texts = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var e in doc.ExtractedLicenses) texts.TryAdd(e.LicenseId, e.ExtractedText);

        var properties = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var a in annotations[doc.SpdxId])
            if (BulwarkProperty(a) is { } kv) properties.Add(kv);

        return new Sbom
        {
            Subject = subject,
            Packages = [.. merged.Values.Select(p => p.Normalised()).OrderBy(p => p.Purl)],
            Created = ParseCreated(doc.Created),
            Tools = [.. doc.Creators.Select(ParseTool).OfType<SbomTool>()],
            SerialNumber = string.IsNullOrEmpty(doc.Namespace) ? null : doc.Namespace,
            Properties = properties.ToImmutable(),
            LicenseTexts = texts.ToImmutable(),
        };
    }

    private static Package ToPackage(SpdxPackage sp, string readerName, Dictionary<string, string> fileNames, IEnumerable<SpdxAnnotation> annotations)
    {
        Purl? purl = null;
        foreach (var r in sp.ExternalRefs)
        {
            if (r.Category is "PACKAGE-MANAGER" or "PACKAGE_MANAGER" && r.Type == "purl" && Purl.TryParse(r.Locator, out var parsed))
            {
                purl = parsed;
                break;
            }
        }
        var version = string.IsNullOrEmpty(sp.VersionInfo) || sp.VersionInfo is "NOASSERTION" ? null : sp.VersionInfo;
        var synthetic = purl is null;
        purl ??= new Purl("generic", null, sp.Name.Length > 0 ? sp.Name : sp.SpdxId, version);
        var ecosystem = Ecosystem.FromPurlType(purl.Type) ?? Ecosystem.Generic;

        var hashes = new List<Digest>();
        foreach (var c in sp.Checksums)
            if (Digest.TryCreate(c.Algorithm, c.Value, out var d)) hashes.Add(d);   // algorithms Bulwark does not model (SHA224, MD2…) are dropped

        var refs = new List<ExternalReference>();
        if (IsValue(sp.DownloadLocation))
        {
            var vcs = sp.DownloadLocation.StartsWith("git+", StringComparison.Ordinal) || sp.DownloadLocation.StartsWith("hg+", StringComparison.Ordinal)
                || sp.DownloadLocation.StartsWith("svn+", StringComparison.Ordinal) || sp.DownloadLocation.StartsWith("bzr+", StringComparison.Ordinal);
            refs.Add(new ExternalReference(vcs ? "vcs" : "distribution", sp.DownloadLocation));
        }
        if (IsValue(sp.Homepage)) refs.Add(new ExternalReference("website", sp.Homepage!));

        var locations = new List<FileLocation>();
        if (sp.SourceInfo is { } si && si.StartsWith("found in: ", StringComparison.Ordinal))
            locations.AddRange(si["found in: ".Length..].Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Location));
        foreach (var f in sp.HasFiles)
            if (fileNames.TryGetValue(f, out var name)) locations.Add(Location(name));

        var package = new Package
        {
            Ecosystem = ecosystem,
            Name = synthetic ? sp.Name : purl.FullName,
            Version = version ?? purl.Version ?? "",
            Purl = purl,
            PurlIsSynthetic = synthetic,
            Kind = sp.PrimaryPackagePurpose switch
            {
                "APPLICATION" => PackageKind.Application,
                "FRAMEWORK" => PackageKind.Framework,
                "LIBRARY" => PackageKind.Library,
                "OPERATING-SYSTEM" => PackageKind.OperatingSystem,
                "CONTAINER" => PackageKind.Container,
                "FILE" or "ARCHIVE" => PackageKind.File,
                "FIRMWARE" => PackageKind.Firmware,
                "DEVICE" => PackageKind.Device,
                null => PackageKind.Library,
                _ => PackageKind.Other,
            },
            Hashes = [.. hashes],
            Licenses = IsValue(sp.LicenseDeclared) ? [CanonicalLicense(sp.LicenseDeclared!)] : [],
            ConcludedLicense = IsValue(sp.LicenseConcluded) ? CanonicalLicense(sp.LicenseConcluded!) : null,
            Locations = [.. locations],
            ExternalReferences = [.. refs],
            Cpes = [.. sp.ExternalRefs.Where(r => r.Category == "SECURITY" && r.Type is "cpe23Type" or "cpe22Type").Select(r => r.Locator)],
            FoundBy = [readerName],
            Description = sp.Description ?? sp.Summary,
            Supplier = Agent(sp.Supplier),
            Author = Agent(sp.Originator),
            Copyright = IsValue(sp.CopyrightText) ? sp.CopyrightText : null,
        };
        if (synthetic)
            foreach (var r in sp.ExternalRefs)
                if (r.Category.ToUpperInvariant() is "PACKAGE-MANAGER" or "PACKAGE_MANAGER" || r.Type.Equals("purl", StringComparison.OrdinalIgnoreCase))
                {
                    var key = $"{PackageManagerRefProperty}:{r.Type.ToLowerInvariant()}";
                    if (!package.Properties.ContainsKey(key)) package = package.WithProperty(key, r.Locator);
                }
        foreach (var a in annotations)
        {
            if (BulwarkProperty(a) is not { } kv) continue;
            if (kv.Key == SpdxDocumentBuilder.ScopeAnnotation)
            {
                if (Enum.TryParse<Scope>(kv.Value, ignoreCase: true, out var scope)) package = package with { Scope = scope };
            }
            else package = package.WithProperty(kv.Key, kv.Value);
        }
        return package;
    }

    private static bool HasScopeAnnotation(IEnumerable<SpdxAnnotation> annotations) =>
        annotations.Any(a => BulwarkProperty(a) is { Key: SpdxDocumentBuilder.ScopeAnnotation });

    /// A "name=value" annotation written by Bulwark (annotator "Tool: bulwark-…").
    private static KeyValuePair<string, string>? BulwarkProperty(SpdxAnnotation a)
    {
        if (!a.Annotator.StartsWith("Tool: bulwark", StringComparison.Ordinal)) return null;
        var eq = a.Comment.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? new(a.Comment[..eq], a.Comment[(eq + 1)..]) : null;
    }

    /// The expression in canonical form when it parses; otherwise the text as written (writers normalise it later).
    private static string CanonicalLicense(string text) =>
        LicenseExpression.TryParse(text, out var e) ? e.ToString() : text.Trim();

    private static bool IsValue(string? s) => !string.IsNullOrWhiteSpace(s) && s.Trim() is not ("NOASSERTION" or "NONE");

    /// "Organization: ACME (ops@acme.example)" → "ACME (ops@acme.example)".
    private static string? Agent(string? s)
    {
        if (!IsValue(s)) return null;
        var t = s!.Trim();
        foreach (var prefix in (string[])["Organization:", "Person:", "Tool:"])
            if (t.StartsWith(prefix, StringComparison.Ordinal)) return t[prefix.Length..].Trim();
        return t;
    }

    private static FileLocation Location(string fileName) =>
        new(fileName.StartsWith("./", StringComparison.Ordinal) ? fileName[2..] : fileName);

    /// "Tool: name-1.2.3" → (name, 1.2.3): the version is what follows the last '-' that is followed by a digit.
    private static SbomTool? ParseTool(string creator)
    {
        if (!creator.StartsWith("Tool:", StringComparison.Ordinal)) return null;
        var t = creator[5..].Trim();
        for (var i = t.Length - 2; i > 0; i--)
            if (t[i] == '-' && char.IsAsciiDigit(t[i + 1])) return new SbomTool("", t[..i], t[(i + 1)..]);
        return new SbomTool("", t, "");
    }

    private static DateTimeOffset ParseCreated(string? created)
    {
        if (string.IsNullOrWhiteSpace(created)) return DateTimeOffset.UnixEpoch;
        return DateTimeOffset.TryParse(created.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d
            : throw new InputException($"creationInfo.created '{created}' is not a date. SPDX wants UTC ISO 8601, e.g. 2024-01-31T12:00:00Z.");
    }

    private static void AddTo(Dictionary<string, List<FileLocation>> map, string key, FileLocation value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
