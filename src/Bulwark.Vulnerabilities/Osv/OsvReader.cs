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
        for (var a = 0; a < record.Affected.Count; a++)
        {
            var affected = record.Affected[a];
            RequireObject(affected.EcosystemSpecific, $"affected[{a}].ecosystem_specific", Where);
            RequireObject(affected.DatabaseSpecific, $"affected[{a}].database_specific", Where);
            if (affected.Package is { } package && (package.Ecosystem.Length == 0 || package.Name.Length == 0))
                throw new InvalidOsvRecordException($"Invalid {Where()}: affected[{a}].package needs both 'ecosystem' and 'name'.");
            for (var r = 0; r < affected.Ranges.Count; r++)
            {
                var range = affected.Ranges[r];
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
        catch (JsonException)
        {
            return "(no id)";
        }
    }
}
