// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// Reads CycloneDX JSON (1.2 to 1.6, from any generator) into an <see cref="Sbom"/>.
/// Fields the model has no place for (services, vulnerabilities, formulation, …) are skipped, so VEX, CBOM or
/// SaaSBOM documents read as zero or more packages. A document that is not CycloneDX JSON, or whose fields have
/// the wrong JSON type, throws <see cref="InputException"/> naming the file and the place.
public static class CycloneDxJsonReader
{
    public const string Name = "cyclonedx-json";

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    /// Reads a document; <paramref name="source"/> names it in error messages.
    public static Sbom Read(Stream input, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(input);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(input, Options);
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read {source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message}). Check that the file is a complete CycloneDX JSON document, or regenerate it.", e);
        }
        using (doc)
        {
            // property names are looked up (TryGetProperty) before any value is read: a name that is not text would
            // throw there; values the parser reports itself, with their place
            JsonText.RequireReadableStrings(doc.RootElement, source, propertyNamesOnly: true);
            return new Parser(source).Parse(doc.RootElement).ToSbom(Name);
        }
    }

    private sealed class Parser(string source)
    {
        public CycloneDxBom Parse(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Error("", $"the document is a JSON {Kind(root)}, not an object");
            var format = Str(root, "bomFormat", "");
            if (!string.Equals(format, "CycloneDX", StringComparison.OrdinalIgnoreCase))
                throw new InputException($"Cannot read {source}: it is not a CycloneDX document (bomFormat is {(format is null ? "missing" : $"'{format}'")}, expected 'CycloneDX'). Pass a CycloneDX JSON SBOM, or use the reader for its format.");
            var spec = Str(root, "specVersion", "");
            if (spec is null || !spec.StartsWith("1.", StringComparison.Ordinal))
                throw Error("/specVersion", $"CycloneDX version {(spec is null ? "is missing" : $"'{spec}' is not supported")}; Bulwark reads 1.x");

            var bom = new CycloneDxBom { Source = source, SerialNumber = Str(root, "serialNumber", "") };
            if (Obj(root, "metadata", "") is { } metadata) ReadMetadata(metadata, bom);
            ReadAll(Arr(root, "components", ""), bom.Components, ReadComponent);
            ReadAll(Arr(root, "dependencies", ""), bom.Dependencies, (d, at, into) => into.Add(ReadDependency(d, at)));
            foreach (var (p, at) in Arr(root, "properties", "")) bom.Properties.AddRange(Property(p, at));
            return bom;
        }

        private void ReadMetadata(JsonElement m, CycloneDxBom bom)
        {
            const string at = "/metadata";
            // a malformed timestamp is ignored rather than failing the whole document: it only dates the SBOM
            if (Str(m, "timestamp", at) is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                bom.Timestamp = time;
            if (m.TryGetProperty("tools", out var tools))
            {
                if (tools.ValueKind == JsonValueKind.Array)
                {
                    // 1.2 to 1.4 (deprecated since 1.5): [{vendor, name, version}]
                    foreach (var (t, tat) in Arr(m, "tools", at))
                        bom.Tools.Add(new SbomTool(Str(t, "vendor", tat) ?? "", Str(t, "name", tat) ?? "", Str(t, "version", tat) ?? ""));
                }
                else if (tools.ValueKind == JsonValueKind.Object)
                {
                    // 1.5+: {components: [component], services: [service]}
                    foreach (var (t, tat) in Arr(tools, "components", at + "/tools"))
                        bom.Tools.Add(new SbomTool(ToolVendor(t, tat), Str(t, "name", tat) ?? "", Str(t, "version", tat) ?? ""));
                    foreach (var (t, tat) in Arr(tools, "services", at + "/tools"))
                        bom.Tools.Add(new SbomTool(Obj(t, "provider", tat) is { } p ? Str(p, "name", tat) ?? "" : "", Str(t, "name", tat) ?? "", Str(t, "version", tat) ?? ""));
                }
                else if (tools.ValueKind != JsonValueKind.Null)
                {
                    throw Error(at + "/tools", $"expected an array or an object, found a {Kind(tools)}");
                }
            }
            if (Obj(m, "component", at) is { } subject)
            {
                var nested = new List<CycloneDxComponent>();
                ReadComponent(subject, at + "/component", nested);
                bom.Subject = nested[0];
                // components nested in the subject are part of what it is made of
                bom.Components.AddRange(nested.Skip(1));
            }
            foreach (var (p, pat) in Arr(m, "properties", at)) bom.Properties.AddRange(Property(p, pat));
        }

        private string ToolVendor(JsonElement t, string at) =>
            Obj(t, "manufacturer", at) is { } mf && Str(mf, "name", at) is { } m ? m
            : Str(t, "publisher", at) is { } p ? p
            : Obj(t, "supplier", at) is { } sp && Str(sp, "name", at) is { } s ? s
            : Str(t, "author", at) ?? Str(t, "group", at) ?? "";

        private void ReadComponent(JsonElement e, string at, List<CycloneDxComponent> into)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(at, $"expected a component object, found a {Kind(e)}");
            var c = new CycloneDxComponent
            {
                Where = at,
                Type = Str(e, "type", at),
                BomRef = Str(e, "bom-ref", at),
                Name = Str(e, "name", at),
                Group = Str(e, "group", at),
                Version = Str(e, "version", at),
                Purl = Str(e, "purl", at),
                Description = Str(e, "description", at),
                Scope = Str(e, "scope", at),
                Author = Str(e, "author", at),
                Publisher = Str(e, "publisher", at),
                Copyright = Str(e, "copyright", at),
                Cpe = Str(e, "cpe", at),
            };
            if (Obj(e, "supplier", at) is { } supplier) c.Supplier = Str(supplier, "name", at + "/supplier");
            if (c.Author is null)
            {
                var authors = Arr(e, "authors", at).Select(a => a.Item1.ValueKind == JsonValueKind.Object ? Str(a.Item1, "name", a.Item2) : null).OfType<string>().ToList();
                if (authors.Count > 0) c.Author = string.Join(", ", authors);
            }
            foreach (var (h, hat) in Arr(e, "hashes", at))
            {
                if (Str(h, "alg", hat) is { } alg && Str(h, "content", hat) is { } content) c.Hashes.Add((alg, content));
            }
            foreach (var (l, lat) in Arr(e, "licenses", at)) ReadLicense(l, lat, c);
            foreach (var (r, rat) in Arr(e, "externalReferences", at))
            {
                if (Str(r, "url", rat) is { Length: > 0 } url) c.ExternalReferences.Add(new ExternalReference(Str(r, "type", rat) ?? "other", url));
            }
            foreach (var (p, pat) in Arr(e, "properties", at)) c.Properties.AddRange(Property(p, pat));
            if (Obj(e, "evidence", at) is { } evidence) ReadEvidence(evidence, at + "/evidence", c);
            into.Add(c);
            foreach (var (child, cat) in Arr(e, "components", at)) ReadComponent(child, cat, into);
        }

        private void ReadLicense(JsonElement l, string at, CycloneDxComponent c)
        {
            if (l.ValueKind != JsonValueKind.Object) throw Error(at, $"expected a license choice object, found a {Kind(l)}");
            if (Str(l, "expression", at) is { } expression)
            {
                c.Licenses.Add(new(LicenseForm.Expression, expression, Str(l, "acknowledgement", at)));
            }
            else if (Obj(l, "license", at) is { } license)
            {
                var ack = Str(license, "acknowledgement", at + "/license");
                if (Str(license, "id", at + "/license") is { } id) c.Licenses.Add(new(LicenseForm.Id, id, ack));
                else if (Str(license, "name", at + "/license") is { } name) c.Licenses.Add(new(LicenseForm.Name, name, ack));
            }
        }

        private void ReadEvidence(JsonElement e, string at, CycloneDxComponent c)
        {
            foreach (var (o, oat) in Arr(e, "occurrences", at))
            {
                if (Str(o, "location", oat) is not { Length: > 0 } location) continue;
                int? line = o.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) ? n : null;
                c.Locations.Add(new FileLocation(location, line, CycloneDxMapping.LayerOf(Str(o, "additionalContext", oat))));
            }
            // 1.5 has one identity object, 1.6 an array; a manifest-analysis method names the manifest it read
            if (!e.TryGetProperty("identity", out var identity)) return;
            var identities = identity.ValueKind == JsonValueKind.Array ? identity.EnumerateArray().ToList() : [identity];
            foreach (var id in identities)
            {
                if (id.ValueKind != JsonValueKind.Object) continue;
                foreach (var (m, mat) in Arr(id, "methods", at + "/identity"))
                {
                    if (Str(m, "technique", mat) == "manifest-analysis" && Str(m, "value", mat) is { Length: > 0 } path)
                        c.Locations.Add(new FileLocation(path));
                }
            }
        }

        private (string Ref, List<string> DependsOn) ReadDependency(JsonElement d, string at)
        {
            if (d.ValueKind != JsonValueKind.Object) throw Error(at, $"expected a dependency object, found a {Kind(d)}");
            if (Str(d, "ref", at) is not { } from) throw Error(at, "a dependency has no 'ref'");
            var on = new List<string>();
            if (d.TryGetProperty("dependsOn", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                // a subject's list can name every component: no place string per ref unless one is wrong
                var i = 0;
                foreach (var x in list.EnumerateArray())
                {
                    // 1.2 to 1.6 list refs as strings; tolerate {ref} objects as some generators wrote them
                    if (x.ValueKind == JsonValueKind.String) on.Add(GetString(x, at, "dependsOn", i));
                    else if (x.ValueKind == JsonValueKind.Object && Str(x, "ref", $"{at}/dependsOn/{i}") is { } r) on.Add(r);
                    i++;
                }
            }
            else
            {
                _ = Arr(d, "dependsOn", at);   // null or absent: nothing; any other type: the usual error
            }
            return (from, on);
        }

        /// Reads every item of an array into <paramref name="into"/>, in document order; large arrays on all cores (items
        /// are independent and the document is read-only), failing as a one-by-one read would.
        private static void ReadAll<T>(IReadOnlyList<(JsonElement, string)> items, List<T> into, Action<JsonElement, string, List<T>> read)
        {
            if (items.Count < OrderedParallel.DefaultSequentialBelow)
            {
                foreach (var (e, at) in items) read(e, at, into);
                return;
            }
            foreach (var part in OrderedParallel.Map(items, item =>
            {
                var part = new List<T>(1);
                read(item.Item1, item.Item2, part);
                return part;
            }))
            {
                into.AddRange(part);
            }
        }

        private IEnumerable<KeyValuePair<string, string>> Property(JsonElement p, string at)
        {
            if (p.ValueKind != JsonValueKind.Object) throw Error(at, $"expected a property object, found a {Kind(p)}");
            // a blank name (empty or white space) says nothing: dropped, as the XML reader drops one
            if (Str(p, "name", at) is { } name && !string.IsNullOrWhiteSpace(name)) yield return new(name, Str(p, "value", at) ?? "");
        }

        private string? Str(JsonElement obj, string name, string at)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
            return v.ValueKind switch
            {
                JsonValueKind.String => GetString(v, at, name),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw Error($"{at}/{name}", $"expected a string, found a {Kind(v)}"),
            };
        }

        // the place is built only for the error: a string per field read would cost more than reading it
        private string GetString(JsonElement v, string at, string? name = null, int index = -1)
        {
            try
            {
                return v.GetString() ?? "";
            }
            catch (InvalidOperationException e)
            {
                // an escaped lone surrogate ("\ud800") is valid JSON syntax but not text
                throw new InputException($"Cannot read {source}: at {at}{(name is null ? "" : $"/{name}")}{(index < 0 ? "" : $"/{index}")}: the string is not valid Unicode ({e.Message}). Regenerate the SBOM.", e);
            }
        }

        private JsonElement? Obj(JsonElement obj, string name, string at)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.Object ? v : throw Error($"{at}/{name}", $"expected an object, found a {Kind(v)}");
        }

        private IReadOnlyList<(JsonElement, string)> Arr(JsonElement obj, string name, string at)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
            if (v.ValueKind != JsonValueKind.Array) throw Error($"{at}/{name}", $"expected an array, found a {Kind(v)}");
            var items = new List<(JsonElement, string)>(v.GetArrayLength());
            var i = 0;
            foreach (var e in v.EnumerateArray()) items.Add((e, $"{at}/{name}/{i++}"));
            return items;
        }

        private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

        private InputException Error(string pointer, string what) =>
            new($"Cannot read {source}: at {(pointer.Length == 0 ? "/" : pointer)}: {what}. The file does not follow the CycloneDX JSON schema; regenerate it or fix that field.");
    }
}
