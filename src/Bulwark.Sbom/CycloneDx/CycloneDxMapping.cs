// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// How the format-neutral model maps onto CycloneDX: the decisions both writers and both readers share, so that
/// JSON and XML say the same thing and a written document reads back to the same packages.
internal static class CycloneDxMapping
{
    public const string SpecVersion = "1.6";
    public const string XmlNamespace = "http://cyclonedx.org/schema/bom/1.6";
    public const string JsonSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json";

    // Properties the writers add from Package fields that CycloneDX has no place for; readers turn them back into
    // fields and do not keep them as properties. Names repeat (one property per value), as CycloneDX allows.
    public const string FoundByProperty = "bulwark:found-by";
    public const string CpeProperty = "bulwark:cpe";              // every CPE after the first (component.cpe holds one)
    public const string ScopeProperty = "bulwark:scope";          // "dev", see ScopeName
    public const string RootProperty = "bulwark:root";            // "true" for a project's own package (Package.IsRoot)
    public const string ConcludedLicenseProperty = "bulwark:concluded-license";
    public const string SubjectKindProperty = "bulwark:subject-kind";
    // Kept as an ordinary property: the CycloneDX type of a component whose type has no PackageKind.
    public const string TypeProperty = "bulwark:cyclonedx-type";
    // Kept as an ordinary property: the purl text of a component whose purl does not parse.
    public const string InvalidPurlProperty = "bulwark:cyclonedx-purl";

    // Plain sets built from arrays: a FrozenSet built from a collection expression costs its analysis and the JIT of
    // an InlineArray instantiation at every start (0.5 ms of a 40 ms run); these sets are small.
    private static readonly HashSet<string> WriterProperties = new(
        new[] { FoundByProperty, CpeProperty, ScopeProperty, RootProperty, ConcludedLicenseProperty }, StringComparer.Ordinal);

    /// Component types of CycloneDX 1.6 (bom-1.6.schema.json, component.type).
    private static readonly HashSet<string> ComponentTypes = new(new[] {
        "application", "framework", "library", "container", "platform", "operating-system", "device", "device-driver",
        "firmware", "file", "machine-learning-model", "data", "cryptographic-asset" }, StringComparer.Ordinal);

    /// External reference types of CycloneDX 1.6 (externalReference.type); anything else is written as "other".
    private static readonly HashSet<string> ExternalReferenceTypes = new(new[] {
        "vcs", "issue-tracker", "website", "advisories", "bom", "mailing-list", "social", "chat", "documentation",
        "support", "source-distribution", "distribution", "distribution-intake", "license", "build-meta", "build-system",
        "release-notes", "security-contact", "model-card", "log", "configuration", "evidence", "formulation",
        "attestation", "threat-model", "adversary-model", "risk-assessment", "vulnerability-assertion",
        "exploitability-statement", "pentest-report", "static-analysis-report", "dynamic-analysis-report",
        "runtime-analysis-report", "component-analysis-report", "maturity-report", "certification-report",
        "codified-infrastructure", "quality-metrics", "poam", "electronic-signature", "digital-signature", "rfc-9116", "other" }, StringComparer.Ordinal);

    public static string ComponentType(Package p) => p.Kind switch
    {
        PackageKind.Application => "application",
        PackageKind.Framework => "framework",
        PackageKind.OperatingSystem => "operating-system",
        PackageKind.Container => "container",
        PackageKind.File => "file",
        PackageKind.Firmware => "firmware",
        PackageKind.Device => "device",
        PackageKind.Platform => "platform",
        PackageKind.Data => "data",
        // a type read from CycloneDX that the model has no kind for (device-driver, machine-learning-model,
        // cryptographic-asset) travels in a property; without one, "library" is CycloneDX's usual default
        PackageKind.Other when p.Properties.TryGetValue(TypeProperty, out var t) && ComponentTypes.Contains(t) => t,
        _ => "library",
    };

    /// The kind for a CycloneDX component type; Other (and the type kept in <see cref="TypeProperty"/>) when the model has none.
    public static PackageKind KindOf(string? type) => type switch
    {
        null or "" or "library" => PackageKind.Library,
        "application" => PackageKind.Application,
        "framework" => PackageKind.Framework,
        "operating-system" => PackageKind.OperatingSystem,
        "container" => PackageKind.Container,
        "file" => PackageKind.File,
        "firmware" => PackageKind.Firmware,
        "device" => PackageKind.Device,
        "platform" => PackageKind.Platform,
        "data" => PackageKind.Data,
        _ => PackageKind.Other,
    };

    // CycloneDX scope is required | optional | excluded. A dev dependency is written as "optional" plus
    // bulwark:scope=dev, not "excluded": "excluded" tells consumers the component is not part of the product, and
    // vulnerability and policy tools commonly skip excluded components. Dev dependencies still run on developer
    // machines and in CI (install scripts, build plugins), so a security reviewer wants them analysed, just marked.
    // Readers map "excluded" back to Dev.
    public static string ScopeName(Scope scope) => scope == Scope.Required ? "required" : "optional";

    /// The subject's component type: an image is a container, a file a file, a directory or anything else an application.
    public static string SubjectType(SubjectKind kind) => kind switch
    {
        SubjectKind.Image => "container",
        SubjectKind.File => "file",
        _ => "application",
    };

    public static SubjectKind SubjectKindOf(string? type, string? kindProperty) => kindProperty switch
    {
        "directory" => SubjectKind.Directory,
        "file" => SubjectKind.File,
        "image" => SubjectKind.Image,
        _ => type switch
        {
            "container" => SubjectKind.Image,
            "file" => SubjectKind.File,
            _ => SubjectKind.Other,
        },
    };

    /// "urn:uuid:…" from the SBOM's own serial (a UUID, with or without the urn prefix) or, failing that, its content.
    public static string SerialNumber(Sbom sbom)
    {
        if (sbom.SerialNumber is { } serial)
        {
            var text = serial.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? serial[9..] : serial;
            // a serial that is not a UUID (an SPDX namespace, say) still gives a stable UUID: a hash of it
            var id = Guid.TryParse(text, out var g) ? g : HashGuid(serial);
            return "urn:uuid:" + id.ToString("D", CultureInfo.InvariantCulture);
        }
        return "urn:uuid:" + sbom.ContentId().ToString("D", CultureInfo.InvariantCulture);
    }

    /// ISO 8601 in UTC to the second, as CycloneDX's date-time and the golden files expect.
    public static string Timestamp(DateTimeOffset time)
    {
        // the fields one by one, not a custom date format: that formatter's code is left to the JIT at start-up
        var t = time.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture, $"{t.Year:D4}-{t.Month:D2}-{t.Day:D2}T{t.Hour:D2}:{t.Minute:D2}:{t.Second:D2}Z");
    }

    /// The bom-ref of a package: its canonical purl, or for a made-up purl a ref derived from it (so it stays stable
    /// while the synthetic purl, which writers omit, never leaks out as if it were real).
    public static string BomRef(Package p) =>
        p.PurlIsSynthetic ? "bulwark:component/" + Convert.ToHexStringLower(ContentHash.Sha256(p.Purl.ToString()).AsSpan(0, 12)) : p.Purl.ToString();

    /// The subject's bom-ref: its purl unless a package already uses that ref (bom-refs must be unique in a BOM).
    public static string SubjectRef(Sbom sbom, IReadOnlyDictionary<Purl, string> packageRefs) =>
        sbom.Subject.Purl is { } purl && !packageRefs.ContainsKey(purl) ? purl.ToString() : "bulwark:subject";

    /// The bom-ref of each package, by purl.
    public static Dictionary<Purl, string> PackageRefs(Sbom sbom)
    {
        var refs = new Dictionary<Purl, string>(sbom.Packages.Length);
        foreach (var p in sbom.Packages) refs.TryAdd(p.Purl, BomRef(p));
        return refs;
    }

    /// A component's properties: its own plus the writer's (found-by, extra CPEs, dev scope, root, concluded
    /// license), sorted by name then value so the output is deterministic.
    public static List<KeyValuePair<string, string>> Properties(Package p)
    {
        var list = new List<KeyValuePair<string, string>>(p.Properties.Count + p.FoundBy.Length + 2);
        foreach (var kv in p.Properties)
            if (!WriterProperties.Contains(kv.Key)) list.Add(kv);
        foreach (var f in p.FoundBy) list.Add(new(FoundByProperty, f));
        for (var i = 1; i < p.Cpes.Length; i++) list.Add(new(CpeProperty, p.Cpes[i]));
        if (p.Scope == Scope.Dev) list.Add(new(ScopeProperty, "dev"));
        if (p.IsRoot) list.Add(new(RootProperty, "true"));
        if (!string.IsNullOrEmpty(p.ConcludedLicense)) list.Add(new(ConcludedLicenseProperty, p.ConcludedLicense));
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var c and not 0 ? c : string.CompareOrdinal(a.Value, b.Value));
        return list;
    }

    // One SPDX expression alone becomes CycloneDX's single `expression`; otherwise every license is a `license`
    // object (an id when listed, else a name, an expression among several included as its text). CycloneDX forbids
    // mixing the two forms, and joining several declared licenses with AND or OR would invent a meaning the
    // source did not state.
    public static List<LicenseText> Licenses(IReadOnlyList<string> declared, Dictionary<string, LicenseText> cache)
    {
        var result = new List<LicenseText>(declared.Count);
        foreach (var text in declared)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!cache.TryGetValue(text, out var l)) cache[text] = l = SpdxLicenses.Classify(text);
            result.Add(l);
        }
        if (result.Count > 1)
            for (var i = 0; i < result.Count; i++)
                if (result[i].Form == LicenseForm.Expression) result[i] = new(LicenseForm.Name, result[i].Text);
        return result;
    }

    // An image layer has no field of its own in an occurrence; it goes into additionalContext as "layer <digest>".
    private const string LayerPrefix = "layer ";

    public static string LayerContext(string layer) => LayerPrefix + layer;

    public static string? LayerOf(string? additionalContext) =>
        additionalContext is not null && additionalContext.StartsWith(LayerPrefix, StringComparison.Ordinal) && additionalContext.Length > LayerPrefix.Length
            ? additionalContext[LayerPrefix.Length..]
            : null;

    /// The external reference type to write: the package's own when CycloneDX knows it, else "other".
    public static string ExternalReferenceType(string type) => ExternalReferenceTypes.Contains(type) ? type : "other";

    /// Packages that a package depends on, as bom-refs of packages in the document (dangling edges dropped).
    public static List<string> DependencyRefs(IEnumerable<Purl> dependsOn, IReadOnlyDictionary<Purl, string> refs, Purl? self)
    {
        var list = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in dependsOn)
            if (d != self && refs.TryGetValue(d, out var r) && seen.Add(r)) list.Add(r);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// The packages to write, normalised, one per purl: the model promises that already, and since bom-refs must be
    /// unique in a BOM the writers make sure (repeats next to each other are merged, a later stray repeat is skipped).
    public static IEnumerable<Package> PackagesToWrite(System.Collections.Immutable.ImmutableArray<Package> packages)
    {
        var written = new HashSet<Purl>();
        for (var i = 0; i < packages.Length; i++)
        {
            var p = packages[i];
            while (i + 1 < packages.Length && packages[i + 1].Purl.Equals(p.Purl)) p = p.Merge(packages[++i]);
            if (written.Add(p.Purl)) yield return Normalised(p);
        }
    }

    /// Lists sorted and de-duplicated as writers expect, without copying a package whose lists already are.
    private static Package Normalised(Package p) =>
        IsSorted(p.Hashes, DigestOrder.Instance) && IsSorted(p.Locations) && IsSorted(p.ExternalReferences)
        && IsSorted(p.Licenses, StringComparer.Ordinal) && IsSorted(p.Cpes, StringComparer.Ordinal) && IsSorted(p.FoundBy, StringComparer.Ordinal)
            ? p
            : p.Normalised();

    private static bool IsSorted<T>(System.Collections.Immutable.ImmutableArray<T> items, IComparer<T>? comparer = null)
    {
        if (items.IsDefaultOrEmpty) return true;
        comparer ??= Comparer<T>.Default;
        for (var i = 1; i < items.Length; i++)
            if (comparer.Compare(items[i - 1], items[i]) >= 0) return false;
        return true;
    }

    public static Guid HashGuid(string text)
    {
        var hash = ContentHash.Sha256(text);
        // an RFC 9562 version 8 (custom) UUID, as Sbom.ContentId makes
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
