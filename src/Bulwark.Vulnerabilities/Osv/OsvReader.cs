// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Vulnerabilities.Osv;

/// An OSV record that cannot be used; the message names the record id (when known) and where it came from.
public sealed class InvalidOsvRecordException(string message, Exception? inner = null) : Exception(message, inner);

/// Reads and validates OSV JSON records.
public static class OsvReader
{
    private static readonly HashSet<string> RangeTypes = ["ECOSYSTEM", "SEMVER", "GIT"];

    /// Parses one record; <paramref name="origin"/> (e.g. "osv/PyPI/all.zip!PYSEC-2021-1.json") is named in errors.
    public static OsvRecord Parse(ReadOnlySpan<byte> utf8Json, string origin)
    {
        OsvRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(utf8Json, OsvJsonContext.Default.OsvRecord);
        }
        catch (JsonException e)
        {
            throw new InvalidOsvRecordException($"Invalid OSV record {IdOf(utf8Json)} in {origin}: {e.Message}", e);
        }
        if (record is null) throw new InvalidOsvRecordException($"Invalid OSV record in {origin}: the JSON is null, not an object.");
        Validate(record, origin);
        return record;
    }

    private static void Validate(OsvRecord record, string origin)
    {
        string Where() => $"OSV record '{record.Id}' in {origin}";
        if (string.IsNullOrWhiteSpace(record.Id)) throw new InvalidOsvRecordException($"Invalid OSV record in {origin}: 'id' is missing or empty.");
        // 'modified' is required (JsonRequired); 0001-01-01 occurs upstream (PYSEC-2024-55) and is valid if meaningless
        RequireObject(record.DatabaseSpecific, "database_specific", Where);
        // JSON null where the schema has an array or a string: a null array is read as absent, a null item or string refused
        record.Aliases = NoNulls(record.Aliases, "aliases", Where);
        record.Related = NoNulls(record.Related, "related", Where);
        record.Upstream = NoNulls(record.Upstream, "upstream", Where);
        record.Severity = NoNulls(record.Severity, "severity", Where);
        record.Affected = NoNulls(record.Affected, "affected", Where);
        record.References = NoNulls(record.References, "references", Where);
        record.Credits = NoNulls(record.Credits, "credits", Where);
        foreach (var s in record.Severity) if (s.Type is null || s.Score is null) throw new InvalidOsvRecordException($"Invalid {Where()}: a severity needs 'type' and 'score'.");
        foreach (var r in record.References) if (r.Type is null || r.Url is null) throw new InvalidOsvRecordException($"Invalid {Where()}: a reference needs 'type' and 'url'.");
        foreach (var c in record.Credits) if (c.Name is null) throw new InvalidOsvRecordException($"Invalid {Where()}: a credit needs a 'name'.");
        foreach (var c in record.Credits) c.Contact = NoNulls(c.Contact, "credits[].contact", Where);
        for (var a = 0; a < record.Affected.Count; a++)
        {
            var affected = record.Affected[a];
            affected.Severity = NoNulls(affected.Severity, $"affected[{a}].severity", Where);
            affected.Ranges = NoNulls(affected.Ranges, $"affected[{a}].ranges", Where);
            affected.Versions = NoNulls(affected.Versions, $"affected[{a}].versions", Where);
            foreach (var s in affected.Severity) if (s.Type is null || s.Score is null) throw new InvalidOsvRecordException($"Invalid {Where()}: affected[{a}]: a severity needs 'type' and 'score'.");
            RequireObject(affected.EcosystemSpecific, $"affected[{a}].ecosystem_specific", Where);
            RequireObject(affected.DatabaseSpecific, $"affected[{a}].database_specific", Where);
            if (affected.Package is { } package && (string.IsNullOrEmpty(package.Ecosystem) || string.IsNullOrEmpty(package.Name)))
                throw new InvalidOsvRecordException($"Invalid {Where()}: affected[{a}].package needs both 'ecosystem' and 'name'.");
            for (var r = 0; r < affected.Ranges.Count; r++)
            {
                var range = affected.Ranges[r];
                range.Events = NoNulls(range.Events, $"affected[{a}].ranges[{r}].events", Where);
                RequireObject(range.DatabaseSpecific, $"affected[{a}].ranges[{r}].database_specific", Where);
                if (!RangeTypes.Contains(range.Type))
                    throw new InvalidOsvRecordException($"Invalid {Where()}: affected[{a}].ranges[{r}].type is '{range.Type}', expected ECOSYSTEM, SEMVER or GIT.");
                if (range.Events.Count == 0)
                    throw new InvalidOsvRecordException($"Invalid {Where()}: affected[{a}].ranges[{r}] has no events.");
                for (var e = 0; e < range.Events.Count; e++)
                {
                    var ev = range.Events[e];
                    var set = (ev.Introduced is null ? 0 : 1) + (ev.Fixed is null ? 0 : 1) + (ev.LastAffected is null ? 0 : 1) + (ev.Limit is null ? 0 : 1);
                    if (set != 1)
                        throw new InvalidOsvRecordException(
                            $"Invalid {Where()}: affected[{a}].ranges[{r}].events[{e}] must have exactly one of introduced, fixed, last_affected, limit.");
                }
            }
        }
    }

    private static IReadOnlyList<T> NoNulls<T>(IReadOnlyList<T>? list, string field, Func<string> where) where T : class =>
        list is null ? []
        : list.Any(item => item is null) ? throw new InvalidOsvRecordException($"Invalid {where()}: {field} holds a null item.")
        : list;

    // the schema types the *_specific fields as objects; JsonElement alone would accept any JSON value
    private static void RequireObject(JsonElement? element, string field, Func<string> where)
    {
        if (element is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } e)
            throw new InvalidOsvRecordException($"Invalid {where()}: {field} must be an object, not {e.ValueKind.ToString().ToLowerInvariant()}.");
    }

    // best effort, for the error message only: the record is already known to be malformed
    private static string IdOf(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "(no id)";
            while (reader.Read() && reader.CurrentDepth >= 1)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("id"u8))
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : "(no id)";
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
            return "(no id)";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)   // invalid UTF-8 in the id string
        {
            return "(no id)";
        }
    }
}
