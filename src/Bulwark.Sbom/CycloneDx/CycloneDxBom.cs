// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// A license as a CycloneDX document states it: license.id, license.name or an expression, and its acknowledgement.
internal sealed record CycloneDxLicense(LicenseForm Form, string Text, string? Acknowledgement);

/// One component as read from a CycloneDX document (JSON or XML), before it becomes a <see cref="Package"/>.
internal sealed class CycloneDxComponent
{
    /// Where the component is in the document, for error messages: a JSON pointer or "line N".
    public required string Where { get; init; }
    public string? Type { get; set; }
    public string? BomRef { get; set; }
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Version { get; set; }
    public string? Purl { get; set; }
    public string? Description { get; set; }
    public string? Scope { get; set; }
    public string? Supplier { get; set; }
    public string? Author { get; set; }
    public string? Publisher { get; set; }
    public string? Copyright { get; set; }
    public string? Cpe { get; set; }
    public List<(string Algorithm, string Content)> Hashes { get; } = [];
    public List<CycloneDxLicense> Licenses { get; } = [];
    public List<ExternalReference> ExternalReferences { get; } = [];
    public List<KeyValuePair<string, string>> Properties { get; } = [];
    public List<FileLocation> Locations { get; } = [];
}

/// A CycloneDX document (1.0 to 1.7, JSON or XML) reduced to what the model holds; <see cref="ToSbom"/> maps it.
internal sealed class CycloneDxBom
{
    public required string Source { get; init; }
    public string? SerialNumber { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public List<SbomTool> Tools { get; } = [];
    public CycloneDxComponent? Subject { get; set; }
    /// Every component, nested ones included (a component's `components` are flattened here).
    public List<CycloneDxComponent> Components { get; } = [];
    public List<(string Ref, List<string> DependsOn)> Dependencies { get; } = [];
    public List<KeyValuePair<string, string>> Properties { get; } = [];

    /// Maps the document onto the model: one package per purl (repeated components merged), synthetic
    /// pkg:generic purls for components without a usable one, edges through bom-refs (dangling ones dropped).
    public Sbom ToSbom(string readerName)
    {
        // each component maps on its own (on all cores for a large document); merging follows document order
        var converted = OrderedParallel.Map(Components, c => ToPackage(c, readerName));
        var byPurl = new Dictionary<Purl, Package>(Components.Count);
        var refToPurl = new Dictionary<string, Purl>(Components.Count, StringComparer.Ordinal);
        for (var i = 0; i < Components.Count; i++)
        {
            var (c, p) = (Components[i], converted[i]);
            byPurl[p.Purl] = byPurl.TryGetValue(p.Purl, out var seen) ? seen.Merge(p) : p;
            if (!string.IsNullOrEmpty(c.BomRef)) refToPurl.TryAdd(c.BomRef, p.Purl);
        }

        var subjectRef = Subject?.BomRef;
        var subjectDeps = new List<Purl>();
        var edges = new Dictionary<Purl, List<Purl>>();
        foreach (var (from, on) in Dependencies)
        {
            var targets = on.Select(r => refToPurl.TryGetValue(r, out var t) ? t : null).OfType<Purl>().ToList();
            if (targets.Count == 0) continue;
            if (from == subjectRef) subjectDeps.AddRange(targets);
            if (refToPurl.TryGetValue(from, out var fromPurl))
            {
                if (!edges.TryGetValue(fromPurl, out var list)) edges[fromPurl] = list = [];
                list.AddRange(targets);
            }
        }

        var packages = OrderedParallel.Map(byPurl.Values.ToArray(),
            p => (edges.TryGetValue(p.Purl, out var e) ? p with { DependsOn = p.DependsOn.AddRange(e) } : p).Normalised());
        Array.Sort(packages, static (a, b) => a.Purl.CompareTo(b.Purl));   // purls are unique here

        return new Sbom
        {
            Subject = ToSubject(Subject, subjectDeps),
            Packages = ImmutableCollectionsMarshal.AsImmutableArray(packages),
            // to the second, as the model keeps times; a document without one gets the Unix epoch (deterministic)
            Created = Timestamp is { } t ? DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds()) : DateTimeOffset.UnixEpoch,
            Tools = [.. Tools],
            SerialNumber = string.IsNullOrWhiteSpace(SerialNumber) ? null : SerialNumber.Trim(),
            Properties = [.. Properties],
        };
    }

    private SbomSubject ToSubject(CycloneDxComponent? c, List<Purl> dependsOn)
    {
        if (c is null)
            return new SbomSubject { Name = Path.GetFileName(Source) is { Length: > 0 } f ? f : "sbom", Kind = SubjectKind.Other, DependsOn = [.. dependsOn.Distinct().Order()] };
        var props = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        string? kind = null;
        foreach (var (k, v) in c.Properties)
        {
            if (k == CycloneDxMapping.SubjectKindProperty) kind ??= v;
            else props.TryAdd(k, v);
        }
        return new SbomSubject
        {
            Name = c.Name ?? (Purl.TryParse(c.Purl ?? "", out var named) ? named.FullName : "sbom"),
            Version = string.IsNullOrEmpty(c.Version) ? null : c.Version,
            Kind = CycloneDxMapping.SubjectKindOf(c.Type, kind),
            Purl = c.Purl is not null && Purl.TryParse(c.Purl, out var purl) ? purl : null,
            DependsOn = [.. dependsOn.Distinct().Order()],
            Hashes = [.. Hashes(c).Order()],
            Properties = props.ToImmutable(),
        };
    }

    private Package ToPackage(CycloneDxComponent c, string readerName)
    {
        var props = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var foundBy = new List<string>();
        var cpes = new List<string>();
        if (!string.IsNullOrWhiteSpace(c.Cpe)) cpes.Add(c.Cpe.Trim());
        var dev = string.Equals(c.Scope, "excluded", StringComparison.OrdinalIgnoreCase);
        var root = false;
        string? concludedProperty = null;
        foreach (var (k, v) in c.Properties)
        {
            switch (k)
            {
                case CycloneDxMapping.FoundByProperty: foundBy.Add(v); break;
                case CycloneDxMapping.CpeProperty: cpes.Add(v); break;
                case CycloneDxMapping.ScopeProperty: dev |= v == "dev"; break;
                case "cdx:npm:package:development":
                    // cyclonedx-npm marks dev dependencies this way (CycloneDX property taxonomy, cdx:npm)
                    dev |= v == "true";
                    props.TryAdd(k, v);
                    break;
                case CycloneDxMapping.RootProperty: root |= v == "true"; break;
                case CycloneDxMapping.ConcludedLicenseProperty: concludedProperty ??= v; break;
                default:
                    // CycloneDX lets a name repeat; the model keeps one value per name, the first
                    props.TryAdd(k, v);
                    if (IsSyftLocation(k) && v.Length > 0) c.Locations.Add(new FileLocation(v));
                    break;
            }
        }

        Purl purl;
        var synthetic = false;
        if (!string.IsNullOrWhiteSpace(c.Purl) && Purl.TryParse(c.Purl, out var parsed))
        {
            purl = parsed;
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(c.Purl)) props.TryAdd(CycloneDxMapping.InvalidPurlProperty, c.Purl);
            if (string.IsNullOrWhiteSpace(c.Name))
                throw new InputException($"Cannot read {Source}: {c.Where}: a component has neither a name nor a valid purl. Every CycloneDX component needs a name; fix or regenerate the SBOM.");
            synthetic = true;
            purl = new Purl("generic", string.IsNullOrWhiteSpace(c.Group) ? null : c.Group, c.Name, string.IsNullOrWhiteSpace(c.Version) ? null : c.Version);
        }

        var kind = CycloneDxMapping.KindOf(c.Type);
        if (kind == PackageKind.Other && !string.IsNullOrEmpty(c.Type)) props.TryAdd(CycloneDxMapping.TypeProperty, c.Type);
        if (!string.IsNullOrEmpty(c.Publisher)) props.TryAdd("bulwark:publisher", c.Publisher);

        var declared = new List<string>();
        var concluded = new List<string>();
        foreach (var l in c.Licenses)
        {
            var text = l.Form switch
            {
                LicenseForm.Id => SpdxLicenses.CanonicalId(l.Text) ?? l.Text.Trim(),
                LicenseForm.Expression => SpdxLicenses.TryNormaliseExpression(l.Text, out var e) ? e : l.Text.Trim(),
                // a name that is really an SPDX expression is read as one; other names are one line of text
                // (XML generators wrap long ones)
                _ => SpdxLicenses.TryNormaliseExpression(l.Text, out var n) ? n
                    : string.Join(' ', l.Text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)),
            };
            if (text.Length == 0) continue;
            (string.Equals(l.Acknowledgement, "concluded", StringComparison.OrdinalIgnoreCase) ? concluded : declared).Add(text);
        }

        var ecosystem = synthetic ? Ecosystem.Generic : Ecosystem.FromPurlType(purl.Type) ?? Ecosystem.Generic;
        var scope = dev ? Scope.Dev
            : string.Equals(c.Scope, "optional", StringComparison.OrdinalIgnoreCase) ? Scope.Optional
            : Scope.Required;
        return new Package
        {
            Ecosystem = ecosystem,
            Name = synthetic && purl.Namespace is { } ns ? $"{ns}/{purl.Name}" : purl.FullName,
            Version = !string.IsNullOrEmpty(c.Version) ? c.Version : purl.Version ?? "",
            Purl = purl,
            PurlIsSynthetic = synthetic,
            Kind = kind,
            Scope = scope,
            IsRoot = root,
            Hashes = [.. Hashes(c)],
            Licenses = [.. declared],
            ConcludedLicense = concluded.Count switch
            {
                0 => concludedProperty,
                1 => concluded[0],
                _ => string.Join(" AND ", concluded.Select(x => x.Contains(' ', StringComparison.Ordinal) ? $"({x})" : x)),
            },
            Locations = [.. c.Locations],
            ExternalReferences = [.. c.ExternalReferences],
            Cpes = [.. cpes],
            FoundBy = foundBy.Count > 0 ? [.. foundBy] : [readerName],
            Description = Blank(c.Description),
            Supplier = Blank(c.Supplier),
            Author = Blank(c.Author),
            Copyright = Blank(c.Copyright),
            Properties = props.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    // a hash whose algorithm the model does not know (SHA3-384, BLAKE2b-512) or whose value is malformed is left out
    private static IEnumerable<Digest> Hashes(CycloneDxComponent c) =>
        c.Hashes.Select(h => Digest.TryCreate(h.Algorithm, h.Content, out var d) ? d : (Digest?)null).OfType<Digest>().Distinct();

    // syft writes each location as a property "syft:location:N:path"
    private static bool IsSyftLocation(string name) =>
        name.StartsWith("syft:location:", StringComparison.Ordinal) && name.EndsWith(":path", StringComparison.Ordinal);

    // surrounding whitespace is not content (and XML readers and writers treat it differently)
    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
