// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Vex;

/// Reads OpenVEX documents: v0.2.0 (vulnerability and products are structs) and the earlier 0.0.x shape
/// (vulnerability is a string, products and statement-level subcomponents are lists of identifier strings).
/// When a product lists subcomponents, the statement speaks about those packages inside the product
/// (OpenVEX "Subcomponent": where the vulnerability originates), so the subcomponents become the statement's products.
internal static class OpenVexReader
{
    public static VexDocument Read(JsonElement root, string source, string basePath)
    {
        var f = new JsonFields(source);
        var warnings = ImmutableArray.CreateBuilder<string>();
        // "A timestamp in a statement entry overrides a timestamp defined at the document level" (Inheritance Flow)
        var documentTime = f.Timestamp(root, "timestamp", basePath);
        if (!root.TryGetProperty("statements", out var statementsElement) || statementsElement.ValueKind == JsonValueKind.Null)
            throw f.Error(JsonFields.Join(basePath, "statements"), "an OpenVEX document needs a statements array, and this one has none.");

        var statements = ImmutableArray.CreateBuilder<VexStatement>();
        foreach (var (s, path) in f.Array(root, "statements", basePath))
        {
            if (s.ValueKind != JsonValueKind.Object) throw f.Error(path, $"a statement must be an object, found a JSON {JsonFields.Kind(s)}.");
            var (id, aliases) = Vulnerability(f, s, path);
            var status = Status(f, s, path);
            var warned = warnings.Count;
            var products = Products(f, s, path, warnings);
            if (products.Length == 0 && warnings.Count == warned)
                warnings.Add($"{source}#{path}: names no product, so it applies to no package.");
            statements.Add(new VexStatement(
                id,
                aliases,
                products,
                status,
                f.String(s, "justification", path),
                f.String(s, "impact_statement", path),
                f.String(s, "action_statement", path),
                // a statement updated later is the newer knowledge when statements compete (VexApplier)
                f.Timestamp(s, "last_updated", path) ?? f.Timestamp(s, "timestamp", path) ?? documentTime,
                $"{source}#{path}")
            {
                StatusNotes = f.String(s, "status_notes", path),
            });
        }
        return new VexDocument(source, VexFormat.OpenVex, statements.ToImmutable(), warnings.ToImmutable());
    }

    private static (string Id, ImmutableArray<string> Aliases) Vulnerability(JsonFields f, JsonElement s, string path)
    {
        var at = JsonFields.Join(path, "vulnerability");
        if (!s.TryGetProperty("vulnerability", out var v) || v.ValueKind == JsonValueKind.Null)
            throw f.Error(at, "the statement names no vulnerability.");
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                // 0.0.x: the vulnerability is its identifier
                var text = v.GetString()!.Trim();
                if (text.Length == 0) throw f.Error(at, "the vulnerability is empty.");
                return (text, []);
            case JsonValueKind.Object:
                var name = f.RequiredString(v, "name", at, "the vulnerability name");
                var aliases = f.Strings(v, "aliases", at).Where(a => a != name).Distinct(StringComparer.Ordinal).ToImmutableArray();
                return (name, aliases);
            default:
                throw f.Error(at, $"expected an object with a name (or, in OpenVEX 0.0.x, a string), found a JSON {JsonFields.Kind(v)}.");
        }
    }

    private static VexStatus Status(JsonFields f, JsonElement s, string path)
    {
        var text = f.RequiredString(s, "status", path, "the status");
        return Parse(text) ?? throw f.Error(JsonFields.Join(path, "status"),
            $"'{text}' is not an OpenVEX status; expected not_affected, affected, fixed or under_investigation.");
    }

    /// The OpenVEX status label, or null when it is not one.
    public static VexStatus? Parse(string status) => status switch
    {
        "not_affected" => VexStatus.NotAffected,
        "affected" => VexStatus.Affected,
        "fixed" => VexStatus.Fixed,
        "under_investigation" => VexStatus.UnderInvestigation,
        _ => null,
    };

    private static ImmutableArray<Purl> Products(JsonFields f, JsonElement s, string path, ImmutableArray<string>.Builder warnings)
    {
        var purls = new List<Purl>();
        // 0.0.x: statement-level subcomponents (identifier strings) are what the statement is about
        var legacySubcomponents = f.Array(s, "subcomponents", path).ToList();
        if (legacySubcomponents.Count > 0)
        {
            foreach (var (sub, at) in legacySubcomponents) AddComponent(f, sub, at, purls, warnings);
            return Distinct(purls);
        }
        foreach (var (product, at) in f.Array(s, "products", path))
        {
            var subcomponents = product.ValueKind == JsonValueKind.Object ? f.Array(product, "subcomponents", at).ToList() : [];
            if (subcomponents.Count > 0)
            {
                foreach (var (sub, subAt) in subcomponents) AddComponent(f, sub, subAt, purls, warnings);
            }
            else
            {
                AddComponent(f, product, at, purls, warnings);
            }
        }
        return Distinct(purls);
    }

    private static void AddComponent(JsonFields f, JsonElement component, string at, List<Purl> purls, ImmutableArray<string>.Builder warnings)
    {
        var before = purls.Count;
        string? shown;
        switch (component.ValueKind)
        {
            case JsonValueKind.String:
                shown = component.GetString()!.Trim();
                AddIfPurl(f, shown, at, purls);
                break;
            case JsonValueKind.Object:
                var id = f.String(component, "@id", at);
                var identifiers = f.Object(component, "identifiers", at);
                var purl = identifiers is { } ids ? f.String(ids, "purl", JsonFields.Join(at, "identifiers")) : null;
                if (purl is not null) AddIfPurl(f, purl, JsonFields.Join(at, "identifiers.purl"), purls);
                if (id is not null) AddIfPurl(f, id, JsonFields.Join(at, "@id"), purls);
                shown = purl ?? id ?? (identifiers is { } i2 ? f.String(i2, "cpe23", at) ?? f.String(i2, "cpe22", at) : null);
                break;
            default:
                throw f.Error(at, $"a product or subcomponent must be an object (or, in OpenVEX 0.0.x, a string), found a JSON {JsonFields.Kind(component)}.");
        }
        if (purls.Count == before)
            warnings.Add($"{f.Source}#{at}: '{shown ?? "(no identifier)"}' is not a package URL, so it cannot be matched to packages; give the product a purl (@id or identifiers.purl).");
    }

    private static void AddIfPurl(JsonFields f, string text, string at, List<Purl> purls)
    {
        if (!text.StartsWith("pkg:", StringComparison.OrdinalIgnoreCase)) return;
        if (!Purl.TryParse(text, out var purl, out var error))
            throw f.Error(at, $"'{text}' is not a valid package URL: {error}.");
        purls.Add(purl);
    }

    private static ImmutableArray<Purl> Distinct(List<Purl> purls) => [.. purls.Distinct()];
}
