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
            var buffer = new byte[MaxName * 6];   // not stackalloc: a name from it is passed beside the reader, which the compiler cannot tell apart
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = NameOf(ref r, buffer);
                r.Read();
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
                    var memberBuffer = new byte[MaxName * 6];
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = NameOf(ref r, memberBuffer);
                        r.Read();
                        if (member.SequenceEqual("severity"u8) || member.SequenceEqual("ubuntu_priority"u8)) Copy(ref r, w, json, member);
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
        var buffer = new byte[MaxName * 6];   // not stackalloc: a name from it is passed beside the reader, which the compiler cannot tell apart
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = NameOf(ref r, buffer);
            r.Read();
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
                    var memberBuffer = new byte[MaxName * 6];
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var member = NameOf(ref r, memberBuffer);
                        r.Read();
                        if (member.SequenceEqual("type"u8) || member.SequenceEqual("events"u8)) Copy(ref r, w, json, member);
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

    // longer than any member name kept here
    private const int MaxName = 32;

    /// The name of the member the reader is on as the serializer compares it: escapes decoded ("\u0069d" is id), so
    /// an escaped name of a kept field is kept as the serializer read it (it used to be dropped, and the stored record
    /// lost that field: found by the osv.stored fuzz target). Empty for a name no kept field has: longer than any, or
    /// an escape that decodes to no text (an unpaired surrogate).
    private static ReadOnlySpan<byte> NameOf(scoped ref Utf8JsonReader r, Span<byte> buffer)
    {
        if (!r.ValueIsEscaped) return r.ValueSpan;
        // a name of at most MaxName characters is at most six bytes ("\u0061") per character as written
        if (r.ValueSpan.Length > MaxName * 6) return default;
        try
        {
            return buffer[..r.CopyString(buffer)];
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    private static void Copy(ref Utf8JsonReader r, Utf8JsonWriter w, ReadOnlySpan<byte> json, scoped ReadOnlySpan<byte> name)
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
