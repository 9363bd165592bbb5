// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Reflection;
using Bulwark.Core;

namespace Bulwark.Sbom.Spdx;

/// Maps an Sbom to an SPDX 2.3 document. The choices, with the SPDX 2.3 clauses behind them:
/// - The subject becomes a package the document DESCRIBES (clause 11); it DEPENDS_ON the subject's direct dependencies.
/// - Edges: "A DEPENDS_ON B" for a required dependency B; for a dev-scoped B, "B DEV_DEPENDENCY_OF A" and for an
///   optional one "B OPTIONAL_DEPENDENCY_OF A" (clause 11.1: "SPDXRef-A is a development/optional dependency of SPDXRef-B"),
///   since SPDX 2.3 has no scoped variant of DEPENDS_ON. Edges to packages not in the document are left out.
/// - Scope and package properties are also written as annotations ("bulwark:scope=dev", "name=value") by the Bulwark
///   tool, so a package with no edges keeps its scope; document properties are document annotations.
/// - A license Bulwark cannot name becomes LicenseRef-… with its original text in hasExtractedLicensingInfos (clause 10).
/// - The files a package was found in are its sourceInfo ("found in: a/package-lock.json, …", 7.12).
/// - Packages are not analysed file by file: filesAnalyzed is false, so there are no files and no verification code.
internal static class SpdxDocumentBuilder
{
    public const string ScopeAnnotation = "bulwark:scope";

    public static SpdxDocument Build(Sbom sbom)
    {
        var created = sbom.Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var tool = ToolCreator(sbom);
        var doc = new SpdxDocument
        {
            Name = sbom.Subject.Name,
            Namespace = $"https://spdx.org/spdxdocs/bulwark-{SpdxIds.Sanitise(sbom.Subject.Name)}-{DocumentUuid(sbom)}",
            Created = created,
            LicenseListVersion = SpdxLicenseList.Version,
        };
        doc.Creators.AddRange(Creators(sbom, tool));

        // ids: each package by its purl; the subject by its name (and its purl, when a package does not have it)
        var subjectId = SpdxIds.ForSubject(sbom.Subject);
        var idByPurl = new Dictionary<Purl, string>();
        var used = new HashSet<string>(StringComparer.Ordinal) { doc.SpdxId, subjectId };
        // Sbom.Packages is sorted by purl already; sorting again costs little and makes the output order certain
        var packages = sbom.Packages.OrderBy(p => p.Purl).ToList();
        foreach (var p in packages)
        {
            var id = SpdxIds.ForPackage(p.Purl);
            for (var n = 2; !used.Add(id); n++) id = $"{SpdxIds.ForPackage(p.Purl)}-{n}";
            idByPurl.TryAdd(p.Purl, id);
        }
        if (sbom.Subject.Purl is { } subjectPurl) idByPurl.TryAdd(subjectPurl, subjectId);
        var byPurl = new Dictionary<Purl, Package>();
        foreach (var p in packages) byPurl.TryAdd(p.Purl, p);

        var licenseTexts = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        doc.Packages.Add(SubjectPackage(sbom.Subject, subjectId));
        foreach (var p in packages) doc.Packages.Add(Package(p.Normalised(), idByPurl[p.Purl], sbom, licenseTexts));

        var relationships = new SortedSet<SpdxRelationship>(Comparer<SpdxRelationship>.Create(CompareRelationships))
        {
            new(doc.SpdxId, "DESCRIBES", subjectId),
        };
        void AddEdge(string fromId, Purl to)
        {
            if (!idByPurl.TryGetValue(to, out var toId) || toId == fromId) return;
            var scope = byPurl.TryGetValue(to, out var target) ? target.Scope : Scope.Required;
            relationships.Add(scope switch
            {
                Scope.Dev => new SpdxRelationship(toId, "DEV_DEPENDENCY_OF", fromId),
                Scope.Optional => new SpdxRelationship(toId, "OPTIONAL_DEPENDENCY_OF", fromId),
                _ => new SpdxRelationship(fromId, "DEPENDS_ON", toId),
            });
        }
        foreach (var d in sbom.SubjectDependencies) AddEdge(subjectId, d);
        foreach (var p in packages)
            foreach (var d in p.DependsOn) AddEdge(idByPurl[p.Purl], d);
        doc.Relationships.AddRange(relationships);

        foreach (var (id, texts) in licenseTexts)
            doc.ExtractedLicenses.Add(new SpdxExtractedLicense(id, string.Join("\n\n", texts), texts.Count == 1 && texts.Min!.Length <= 200 ? texts.Min : null));

        foreach (var (name, value) in sbom.Properties)
            doc.Annotations.Add(new SpdxAnnotation(doc.SpdxId, tool, created, "OTHER", $"{name}={value}"));
        foreach (var (name, value) in sbom.Subject.Properties)
            doc.Annotations.Add(new SpdxAnnotation(subjectId, tool, created, "OTHER", $"{name}={value}"));
        foreach (var p in packages)
        {
            var id = idByPurl[p.Purl];
            if (p.Scope != Scope.Required)
                doc.Annotations.Add(new SpdxAnnotation(id, tool, created, "OTHER", $"{ScopeAnnotation}={p.Scope.ToString().ToLowerInvariant()}"));
            foreach (var (name, value) in p.Properties)
                doc.Annotations.Add(new SpdxAnnotation(id, tool, created, "OTHER", $"{name}={value}"));
        }
        return doc;
    }

    private static int CompareRelationships(SpdxRelationship? a, SpdxRelationship? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        var c = string.CompareOrdinal(a.Element, b.Element);
        if (c == 0) c = string.CompareOrdinal(a.Type, b.Type);
        return c != 0 ? c : string.CompareOrdinal(a.Related, b.Related);
    }

    /// The UUID in the namespace: the SBOM's own serial number when it is one, otherwise derived from the content.
    private static Guid DocumentUuid(Sbom sbom)
    {
        var serial = sbom.SerialNumber ?? "";
        if (serial.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase)) serial = serial[9..];
        return Guid.TryParseExact(serial, "D", out var g) ? g : sbom.ContentId();
    }

    private static List<string> Creators(Sbom sbom, string bulwarkTool)
    {
        var creators = new List<string>();
        foreach (var t in sbom.Tools)
        {
            var creator = string.IsNullOrEmpty(t.Version) ? $"Tool: {t.Name}" : $"Tool: {t.Name}-{t.Version}";
            if (!creators.Contains(creator)) creators.Add(creator);
        }
        if (!creators.Contains(bulwarkTool)) creators.Insert(0, bulwarkTool);
        return creators;
    }

    /// "Tool: bulwark-1.2.3": the Bulwark entry of Sbom.Tools, or this assembly's version.
    private static string ToolCreator(Sbom sbom)
    {
        var bulwark = sbom.Tools.FirstOrDefault(t => t.Name.Equals("bulwark", StringComparison.OrdinalIgnoreCase));
        if (bulwark is not null) return string.IsNullOrEmpty(bulwark.Version) ? $"Tool: {bulwark.Name}" : $"Tool: {bulwark.Name}-{bulwark.Version}";
        var version = typeof(SpdxDocumentBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"Tool: bulwark-{(plus >= 0 ? version[..plus] : version)}";
    }

    private static SpdxPackage SubjectPackage(SbomSubject subject, string id)
    {
        var p = new SpdxPackage
        {
            SpdxId = id,
            Name = subject.Name,
            VersionInfo = string.IsNullOrEmpty(subject.Version) ? null : subject.Version,
            FilesAnalyzed = false,
            LicenseConcluded = "NOASSERTION",
            LicenseDeclared = "NOASSERTION",
            CopyrightText = "NOASSERTION",
            Supplier = "NOASSERTION",
            PrimaryPackagePurpose = subject.Kind switch
            {
                SubjectKind.Directory => "SOURCE",
                SubjectKind.File => "FILE",
                SubjectKind.Image => "CONTAINER",
                _ => "OTHER",
            },
        };
        foreach (var h in subject.Hashes)
            if (h.SpdxName is { } alg) p.Checksums.Add(new SpdxChecksum(alg, h.Hex));
        if (subject.Purl is { } purl) p.ExternalRefs.Add(new SpdxExternalRef("PACKAGE-MANAGER", "purl", purl.ToString()));
        return p;
    }

    private static SpdxPackage Package(Package pkg, string id, Sbom sbom, SortedDictionary<string, SortedSet<string>> licenseTexts)
    {
        var p = new SpdxPackage
        {
            SpdxId = id,
            Name = pkg.Name,
            VersionInfo = string.IsNullOrEmpty(pkg.Version) ? null : pkg.Version,
            DownloadLocation = DownloadLocation(pkg),
            FilesAnalyzed = false,
            Homepage = pkg.ExternalReferences.FirstOrDefault(r => r.Type == "website")?.Url,
            LicenseDeclared = LicenseField(pkg.Licenses, sbom, licenseTexts),
            LicenseConcluded = pkg.ConcludedLicense is null ? "NOASSERTION" : LicenseField([pkg.ConcludedLicense], sbom, licenseTexts),
            CopyrightText = string.IsNullOrWhiteSpace(pkg.Copyright) ? "NOASSERTION" : pkg.Copyright,
            Supplier = Agent(pkg.Supplier, "Organization") ?? "NOASSERTION",
            Originator = Agent(pkg.Author, "Person"),
            Description = pkg.Description,
            PrimaryPackagePurpose = pkg.IsRoot ? "APPLICATION" : Purpose(pkg.Kind),
        };
        foreach (var h in pkg.Hashes)
            if (h.SpdxName is { } alg) p.Checksums.Add(new SpdxChecksum(alg, h.Hex));   // SPDX 2.3 has every algorithm Digest knows; keep the guard
        if (!pkg.PurlIsSynthetic) p.ExternalRefs.Add(new SpdxExternalRef("PACKAGE-MANAGER", "purl", pkg.Purl.ToString()));
        foreach (var cpe in pkg.Cpes)
            p.ExternalRefs.Add(new SpdxExternalRef("SECURITY", cpe.StartsWith("cpe:2.3:", StringComparison.Ordinal) ? "cpe23Type" : "cpe22Type", cpe));
        var paths = pkg.Locations.Select(l => l.Path).Distinct(StringComparer.Ordinal).ToList();
        if (paths.Count > 0) p.SourceInfo = "found in: " + string.Join(", ", paths);
        return p;
    }

    private static string DownloadLocation(Package pkg)
    {
        if (pkg.ExternalReferences.FirstOrDefault(r => r.Type == "distribution") is { } dist && IsLocator(dist.Url)) return dist.Url;
        if (pkg.ExternalReferences.FirstOrDefault(r => r.Type == "vcs") is { } vcs)
        {
            // 7.7: a VCS location is "<vcs_tool>+<transport>://host/path[@revision][#sub_path]"
            if (vcs.Url.StartsWith("git+", StringComparison.Ordinal) || vcs.Url.StartsWith("hg+", StringComparison.Ordinal)
                || vcs.Url.StartsWith("svn+", StringComparison.Ordinal) || vcs.Url.StartsWith("bzr+", StringComparison.Ordinal)) return vcs.Url;
            if (vcs.Url.StartsWith("https://", StringComparison.Ordinal) || vcs.Url.StartsWith("http://", StringComparison.Ordinal)
                || vcs.Url.StartsWith("ssh://", StringComparison.Ordinal)) return "git+" + vcs.Url;
        }
        return "NOASSERTION";
    }

    private static bool IsLocator(string url) => Uri.TryCreate(url, UriKind.Absolute, out _) && !url.Any(char.IsWhiteSpace);

    /// "Organization: x" / "Person: x" as SPDX writes a supplier or originator; kept as given when already prefixed.
    private static string? Agent(string? name, string kind)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = name.Trim();
        return name.StartsWith("Organization:", StringComparison.Ordinal) || name.StartsWith("Person:", StringComparison.Ordinal) || name == "NOASSERTION"
            ? name
            : $"{kind}: {name}";
    }

    private static string Purpose(PackageKind kind) => kind switch
    {
        PackageKind.Application => "APPLICATION",
        PackageKind.Framework => "FRAMEWORK",
        PackageKind.Library => "LIBRARY",
        PackageKind.OperatingSystem => "OPERATING-SYSTEM",
        PackageKind.Container => "CONTAINER",
        PackageKind.File => "FILE",
        PackageKind.Firmware => "FIRMWARE",
        PackageKind.Device => "DEVICE",
        _ => "OTHER",
    };

    /// A license field: the normalised expression, with the text of every LicenseRef it uses recorded for clause 10.
    private static string LicenseField(IEnumerable<string> declared, Sbom sbom, SortedDictionary<string, SortedSet<string>> licenseTexts)
    {
        var normalised = Licenses.NormaliseAll(declared);
        if (normalised is null) return "NOASSERTION";
        var extracted = normalised.Extracted.ToDictionary(e => e.LicenseRef, e => e.Text, StringComparer.Ordinal);
        // a DocumentRef points into another document this one does not reference: keep it as a LicenseRef of its own
        var expression = normalised.Expression.MapLeaves(leaf =>
        {
            if (leaf is not LicenseRef { DocumentRef: not null } r) return leaf;
            var local = Licenses.RefFor(r.ToString());
            extracted.TryAdd(local, $"{r} (defined in another SPDX document)");
            return new LicenseRef(local);
        });
        foreach (var r in expression.LicenseRefs())
        {
            var text = extracted.TryGetValue(r.Ref, out var t) ? t
                : sbom.LicenseTexts.TryGetValue(r.Ref, out t) ? t
                : $"The source declared the license {r.Ref} without its text.";
            if (!licenseTexts.TryGetValue(r.Ref, out var set)) licenseTexts[r.Ref] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(text);
        }
        return expression.ToString();
    }
}
