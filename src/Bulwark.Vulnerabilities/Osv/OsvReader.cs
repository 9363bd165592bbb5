// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Vulnerabilities.Osv;

/// An OSV record that cannot be used; the message names the record id (when known) and where it came from.
public sealed class InvalidOsvRecordException(string message, Exception? inner = null) : Exception(message, inner);

/// Reads and validates OSV JSON records.
public static class OsvReader
{
    /// Parses one record; <paramref name="origin"/> (e.g. "osv/PyPI/all.zip!PYSEC-2021-1.json") is named in errors.
    public static OsvRecord Parse(ReadOnlySpan<byte> utf8Json, string origin) => Parse(utf8Json, origin, storedId: null);

    /// Parses one record read from the database, named in errors as "the database (record ID)": the name is built
    /// only when there is an error (a scan parses tens of thousands of records).
    internal static OsvRecord ParseStored(ReadOnlySpan<byte> utf8Json, string id)
    {
        // the direct reader takes what it is sure of; anything else is read (or refused) by the serializer as always
        if (!OsvFastReader.TryRead(utf8Json, out var record)) return Parse(utf8Json, origin: null, storedId: id);
        Validate(record, origin: null, storedId: id);
        return record;
    }

    private static string Origin(string? origin, string? storedId) => origin ?? $"the database (record {storedId})";

    private static OsvRecord Parse(ReadOnlySpan<byte> utf8Json, string? origin, string? storedId)
    {
        OsvRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(utf8Json, OsvJsonContext.Default.OsvRecord);
        }
        catch (JsonException e)
        {
            throw new InvalidOsvRecordException($"Invalid OSV record {IdOf(utf8Json)} in {Origin(origin, storedId)}: {e.Message}", e);
        }
        if (record is null) throw new InvalidOsvRecordException($"Invalid OSV record in {Origin(origin, storedId)}: the JSON is null, not an object.");
        Validate(record, origin, storedId);
        return record;
    }

    /// The checks a valid record passes without allocating: field names and messages are built only for an error.
    private static void Validate(OsvRecord record, string? origin, string? storedId)
    {
        if (string.IsNullOrWhiteSpace(record.Id)) throw new InvalidOsvRecordException($"Invalid OSV record in {Origin(origin, storedId)}: 'id' is missing or empty.");
        var where = new Where(record, origin, storedId);
        // 'modified' is required (JsonRequired); 0001-01-01 occurs upstream (PYSEC-2024-55) and is valid if meaningless
        RequireObject(record.DatabaseSpecific, new Field("database_specific"), where);
        // JSON null where the schema has an array or a string: a null array is read as absent, a null item or string refused
        record.Aliases = NoNulls(record.Aliases, new Field("aliases"), where);
        record.Related = NoNulls(record.Related, new Field("related"), where);
        record.Upstream = NoNulls(record.Upstream, new Field("upstream"), where);
        record.Severity = NoNulls(record.Severity, new Field("severity"), where);
        record.Affected = NoNulls(record.Affected, new Field("affected"), where);
        record.References = NoNulls(record.References, new Field("references"), where);
        record.Credits = NoNulls(record.Credits, new Field("credits"), where);
        for (var i = 0; i < record.Severity.Count; i++)
            if (record.Severity[i] is { Type: null } or { Score: null }) throw where.Invalid("a severity needs 'type' and 'score'.");
        for (var i = 0; i < record.References.Count; i++)
            if (record.References[i] is { Type: null } or { Url: null }) throw where.Invalid("a reference needs 'type' and 'url'.");
        for (var i = 0; i < record.Credits.Count; i++)
            if (record.Credits[i].Name is null) throw where.Invalid("a credit needs a 'name'.");
        for (var i = 0; i < record.Credits.Count; i++)
            record.Credits[i].Contact = NoNulls(record.Credits[i].Contact, new Field("credits[].contact"), where);
        for (var a = 0; a < record.Affected.Count; a++)
        {
            var affected = record.Affected[a];
            affected.Severity = NoNulls(affected.Severity, new Field("severity", a), where);
            affected.Ranges = NoNulls(affected.Ranges, new Field("ranges", a), where);
            affected.Versions = NoNulls(affected.Versions, new Field("versions", a), where);
            for (var i = 0; i < affected.Severity.Count; i++)
                if (affected.Severity[i] is { Type: null } or { Score: null }) throw where.Invalid($"affected[{a}]: a severity needs 'type' and 'score'.");
            RequireObject(affected.EcosystemSpecific, new Field("ecosystem_specific", a), where);
            RequireObject(affected.DatabaseSpecific, new Field("database_specific", a), where);
            if (affected.Package is { } package && (string.IsNullOrEmpty(package.Ecosystem) || string.IsNullOrEmpty(package.Name)))
                throw where.Invalid($"affected[{a}].package needs both 'ecosystem' and 'name'.");
            for (var r = 0; r < affected.Ranges.Count; r++)
            {
                var range = affected.Ranges[r];
                range.Events = NoNulls(range.Events, new Field("events", a, r), where);
                RequireObject(range.DatabaseSpecific, new Field("database_specific", a, r), where);
                if (range.Type is not ("ECOSYSTEM" or "SEMVER" or "GIT"))
                    throw where.Invalid($"affected[{a}].ranges[{r}].type is '{range.Type}', expected ECOSYSTEM, SEMVER or GIT.");
                if (range.Events.Count == 0)
                    throw where.Invalid($"affected[{a}].ranges[{r}] has no events.");
                for (var e = 0; e < range.Events.Count; e++)
                {
                    var ev = range.Events[e];
                    var set = (ev.Introduced is null ? 0 : 1) + (ev.Fixed is null ? 0 : 1) + (ev.LastAffected is null ? 0 : 1) + (ev.Limit is null ? 0 : 1);
                    if (set != 1)
                        throw where.Invalid($"affected[{a}].ranges[{r}].events[{e}] must have exactly one of introduced, fixed, last_affected, limit.");
                }
            }
        }
    }

    /// The record an error is about, named only when one is thrown.
    private readonly record struct Where(OsvRecord Record, string? Origin, string? StoredId)
    {
        public InvalidOsvRecordException Invalid(string problem) =>
            new($"Invalid OSV record '{Record.Id}' in {OsvReader.Origin(Origin, StoredId)}: {problem}");
    }

    /// A field's path in the record ("aliases", "affected[2].versions", "affected[0].ranges[1].events"), spelled out only for an error.
    private readonly record struct Field(string Name, int Affected = -1, int Range = -1)
    {
        public override string ToString() =>
            Affected < 0 ? Name : Range < 0 ? $"affected[{Affected}].{Name}" : $"affected[{Affected}].ranges[{Range}].{Name}";
    }

    private static IReadOnlyList<T> NoNulls<T>(IReadOnlyList<T>? list, Field field, Where where) where T : class
    {
        if (list is null) return [];
        for (var i = 0; i < list.Count; i++)
            if (list[i] is null) throw where.Invalid($"{field} holds a null item.");
        return list;
    }

    // the schema types the *_specific fields as objects; JsonElement alone would accept any JSON value
    private static void RequireObject(JsonElement? element, Field field, Where where)
    {
        if (element is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null } e)
            throw where.Invalid($"{field} must be an object, not {e.ValueKind.ToString().ToLowerInvariant()}.");
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
