// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Text.Json;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Database;

/// The form a record is stored in: its JSON without whitespace and without the fields no match or report reads, so a
/// scan decompresses and parses about half the bytes (database format 3).
/// <remarks>
/// Kept, each value copied byte for byte: id, modified, published, withdrawn, aliases, summary, severity, references;
/// details only when the summary is missing or blank (a finding then shows the details' opening words);
/// database_specific reduced to its `severity` and `ubuntu_priority` members (the severity words a record may carry);
/// per affected entry: package, severity, versions and ranges, each range reduced to its type and events.
/// Dropped: credits, related, upstream, schema_version, every other *_specific member and ranges' repo.
/// The input must already have been validated (<see cref="OsvReader.Parse"/>); the result parses to the same values for
/// every kept field.
/// </remarks>
internal static class StoredJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static byte[] Compact(ReadOnlySpan<byte> json, OsvRecord record)
    {
        var keepDetails = string.IsNullOrWhiteSpace(record.Summary);
        var output = new ArrayBufferWriter<byte>(json.Length);
        using (var w = new Utf8JsonWriter(output, WriterOptions))
        {
            var r = new Utf8JsonReader(json);
            r.Read();   // the record's StartObject
            w.WriteStartObject();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.ValueSpan;
                var escaped = r.ValueIsEscaped;
                r.Read();
                if (escaped) { r.Skip(); continue; }   // OSV field names are plain ASCII; an escaped one is no field we read
                if (name.SequenceEqual("id"u8) || name.SequenceEqual("modified"u8) || name.SequenceEqual("published"u8)
                    || name.SequenceEqual("withdrawn"u8) || name.SequenceEqual("aliases"u8) || name.SequenceEqual("summary"u8)
                    || name.SequenceEqual("severity"u8) || name.SequenceEqual("references"u8)
                    || (keepDetails && name.SequenceEqual("details"u8)))
                {
                    Copy(ref r, w, json, name);
                }
                else if (name.SequenceEqual("database_specific"u8) && r.TokenType == JsonTokenType.StartObject)
                {
                    w.WriteStartObject(name);
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = r.ValueSpan;
                        var memberEscaped = r.ValueIsEscaped;
                        r.Read();
                        if (!memberEscaped && (member.SequenceEqual("severity"u8) || member.SequenceEqual("ubuntu_priority"u8))) Copy(ref r, w, json, member);
                        else r.Skip();
                    }
                    w.WriteEndObject();
                }
                else if (name.SequenceEqual("affected"u8) && r.TokenType == JsonTokenType.StartArray)
                {
                    w.WriteStartArray(name);
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (r.TokenType != JsonTokenType.StartObject) { w.WriteRawValue(Raw(ref r, json), skipInputValidation: true); continue; }
                        WriteAffected(ref r, w, json);
                    }
                    w.WriteEndArray();
                }
                else
                {
                    r.Skip();
                }
            }
            w.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static void WriteAffected(ref Utf8JsonReader r, Utf8JsonWriter w, ReadOnlySpan<byte> json)
    {
        w.WriteStartObject();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.ValueSpan;
            var escaped = r.ValueIsEscaped;
            r.Read();
            if (escaped) { r.Skip(); continue; }
            if (name.SequenceEqual("package"u8) || name.SequenceEqual("severity"u8) || name.SequenceEqual("versions"u8))
            {
                Copy(ref r, w, json, name);
            }
            else if (name.SequenceEqual("ranges"u8) && r.TokenType == JsonTokenType.StartArray)
            {
                w.WriteStartArray(name);
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    if (r.TokenType != JsonTokenType.StartObject) { w.WriteRawValue(Raw(ref r, json), skipInputValidation: true); continue; }
                    w.WriteStartObject();
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = r.ValueSpan;
                        var memberEscaped = r.ValueIsEscaped;
                        r.Read();
                        if (!memberEscaped && (member.SequenceEqual("type"u8) || member.SequenceEqual("events"u8))) Copy(ref r, w, json, member);
                        else r.Skip();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            else
            {
                r.Skip();
            }
        }
        w.WriteEndObject();
    }

    private static void Copy(ref Utf8JsonReader r, Utf8JsonWriter w, ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(Raw(ref r, json), skipInputValidation: true);
    }

    /// The value the reader is on, as it stands in the input (strings with their quotes and escapes).
    private static ReadOnlySpan<byte> Raw(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
    {
        var start = (int)r.TokenStartIndex;
        r.Skip();   // to the end of an object or array; a no-op on a scalar
        return json[start..(int)r.BytesConsumed];
    }
}
