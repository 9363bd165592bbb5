// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;

namespace Bulwark.Vulnerabilities.Osv;

/// Reads a well-formed OSV record straight off a <see cref="Utf8JsonReader"/>, for the database's stored records: a
/// scan reads tens of thousands of them, and the general serializer spends as long on its own bookkeeping as on the
/// bytes. It gives the values the serializer would (<see cref="OsvJsonContext"/>: the same property names, case and
/// all; unknown members skipped; JSON null read as null; the last of duplicate members winning) and says false at
/// anything else, so the caller falls back to <see cref="OsvReader.Parse"/>, which gives the same record or the error.
/// It does not validate: the caller runs the same checks on its result as on the serializer's.
internal static class OsvFastReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, out OsvRecord record)
    {
        record = null!;
        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            if (ReadRecord(ref r) is not { } read) return false;
            // the serializer refuses trailing content
            if (r.Read()) return false;
            record = read;
            return true;
        }
        catch (JsonException)
        {
            return false;   // malformed: the serializer says what is wrong
        }
        catch (InvalidOperationException)
        {
            return false;   // a string that is not valid UTF-8: the serializer says so
        }
        catch (FormatException)
        {
            return false;   // a date that does not parse: the serializer's error
        }
    }

    private static OsvRecord? ReadRecord(ref Utf8JsonReader r)
    {
        var record = new OsvRecord();
        bool hasId = false, hasModified = false;
        Member m;
        while ((m = Next(ref r, out var name)) == Member.Value)
        {
            if (name.SequenceEqual("id"u8)) { if (r.TokenType != JsonTokenType.String) return null; record.Id = r.GetString()!; hasId = true; }
            else if (name.SequenceEqual("modified"u8)) { if (r.TokenType != JsonTokenType.String) return null; record.Modified = r.GetDateTimeOffset(); hasModified = true; }
            else if (name.SequenceEqual("published"u8)) { if (!Date(ref r, out var d)) return null; record.Published = d; }
            else if (name.SequenceEqual("withdrawn"u8)) { if (!Date(ref r, out var d)) return null; record.Withdrawn = d; }
            else if (name.SequenceEqual("schema_version"u8)) { if (!String(ref r, out var s)) return null; record.SchemaVersion = s; }
            else if (name.SequenceEqual("summary"u8)) { if (!String(ref r, out var s)) return null; record.Summary = s; }
            else if (name.SequenceEqual("details"u8)) { if (!String(ref r, out var s)) return null; record.Details = s; }
            else if (name.SequenceEqual("aliases"u8)) { if (!Strings(ref r, out var l)) return null; record.Aliases = l!; }
            else if (name.SequenceEqual("related"u8)) { if (!Strings(ref r, out var l)) return null; record.Related = l!; }
            else if (name.SequenceEqual("upstream"u8)) { if (!Strings(ref r, out var l)) return null; record.Upstream = l!; }
            else if (name.SequenceEqual("severity"u8)) { if (!Objects<OsvSeverity>(ref r, Severity, out var l)) return null; record.Severity = l!; }
            else if (name.SequenceEqual("references"u8)) { if (!Objects<OsvReference>(ref r, Reference, out var l)) return null; record.References = l!; }
            else if (name.SequenceEqual("credits"u8)) { if (!Objects<OsvCredit>(ref r, Credit, out var l)) return null; record.Credits = l!; }
            else if (name.SequenceEqual("affected"u8)) { if (!Objects<OsvAffected>(ref r, AffectedEntry, out var l)) return null; record.Affected = l!; }
            else if (name.SequenceEqual("database_specific"u8)) record.DatabaseSpecific = Element(ref r);
            else r.Skip();
        }
        return m == Member.End && hasId && hasModified ? record : null;
    }

    private static bool Date(ref Utf8JsonReader r, out DateTimeOffset? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.String) return false;
        value = r.GetDateTimeOffset();
        return true;
    }

    private static bool String(ref Utf8JsonReader r, out string? value)
    {
        value = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.String) return false;
        value = r.GetString();
        return true;
    }

    // JSON null is no element, as the serializer reads a JsonElement? member
    private static JsonElement? Element(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref r);

    private static bool Strings(ref Utf8JsonReader r, out List<string>? list)
    {
        list = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartArray) return false;
        list = [];
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (!String(ref r, out var s)) return false;
            list.Add(s!);
        }
        return true;
    }

    /// Reads one member's value into <paramref name="target"/> (or skips it); false where the serializer would differ.
    private delegate bool MemberReader<in T>(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, T target);

    /// An object's members, each given to <paramref name="member"/>; the reader ends past the object.
    private static bool Members<T>(ref Utf8JsonReader r, T target, MemberReader<T> member)
    {
        Member m;
        while ((m = Next(ref r, out var name)) == Member.Value)
            if (!member(ref r, name, target)) return false;
        return m == Member.End;
    }

    private static bool Objects<T>(ref Utf8JsonReader r, MemberReader<T> member, out List<T>? list) where T : class, new()
    {
        list = null;
        if (r.TokenType == JsonTokenType.Null) return true;
        if (r.TokenType != JsonTokenType.StartArray) return false;
        list = [];
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.Null) { list.Add(null!); continue; }   // refused by the validation, as from the serializer
            var item = new T();
            if (r.TokenType != JsonTokenType.StartObject || !Members(ref r, item, member)) return false;
            list.Add(item);
        }
        return true;
    }

    private enum Member { Value, End, Invalid }

    /// To the next member's value (its name in <paramref name="name"/>), or past the object's end.
    private static Member Next(ref Utf8JsonReader r, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!r.Read()) return Member.Invalid;
        if (r.TokenType == JsonTokenType.EndObject) return Member.End;
        // an escaped name is unescaped by the serializer before matching: left to it
        if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped) return Member.Invalid;
        name = r.ValueSpan;
        return r.Read() ? Member.Value : Member.Invalid;
    }

    private static bool Severity(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvSeverity s)
    {
        if (name.SequenceEqual("type"u8)) { if (!String(ref r, out var v)) return false; s.Type = v!; }
        else if (name.SequenceEqual("score"u8)) { if (!String(ref r, out var v)) return false; s.Score = v!; }
        else r.Skip();
        return true;
    }

    private static bool Reference(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvReference reference)
    {
        if (name.SequenceEqual("type"u8)) { if (!String(ref r, out var v)) return false; reference.Type = v!; }
        else if (name.SequenceEqual("url"u8)) { if (!String(ref r, out var v)) return false; reference.Url = v!; }
        else r.Skip();
        return true;
    }

    private static bool Credit(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvCredit credit)
    {
        if (name.SequenceEqual("name"u8)) { if (!String(ref r, out var v)) return false; credit.Name = v!; }
        else if (name.SequenceEqual("contact"u8)) { if (!Strings(ref r, out var l)) return false; credit.Contact = l!; }
        else if (name.SequenceEqual("type"u8)) { if (!String(ref r, out var v)) return false; credit.Type = v; }
        else r.Skip();
        return true;
    }

    private static bool AffectedEntry(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvAffected entry)
    {
        if (name.SequenceEqual("package"u8))
        {
            if (r.TokenType == JsonTokenType.Null) entry.Package = null;
            else
            {
                var package = new OsvPackage();
                if (r.TokenType != JsonTokenType.StartObject || !Members(ref r, package, Package)) return false;
                entry.Package = package;
            }
        }
        else if (name.SequenceEqual("severity"u8)) { if (!Objects<OsvSeverity>(ref r, Severity, out var l)) return false; entry.Severity = l!; }
        else if (name.SequenceEqual("ranges"u8)) { if (!Objects<OsvRange>(ref r, Range, out var l)) return false; entry.Ranges = l!; }
        else if (name.SequenceEqual("versions"u8)) { if (!Strings(ref r, out var l)) return false; entry.Versions = l!; }
        else if (name.SequenceEqual("ecosystem_specific"u8)) entry.EcosystemSpecific = Element(ref r);
        else if (name.SequenceEqual("database_specific"u8)) entry.DatabaseSpecific = Element(ref r);
        else r.Skip();
        return true;
    }

    private static bool Package(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvPackage package)
    {
        if (name.SequenceEqual("ecosystem"u8)) { if (!String(ref r, out var v)) return false; package.Ecosystem = v!; }
        else if (name.SequenceEqual("name"u8)) { if (!String(ref r, out var v)) return false; package.Name = v!; }
        else if (name.SequenceEqual("purl"u8)) { if (!String(ref r, out var v)) return false; package.Purl = v; }
        else r.Skip();
        return true;
    }

    private static bool Range(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvRange range)
    {
        if (name.SequenceEqual("type"u8)) { if (!String(ref r, out var v)) return false; range.Type = v!; }
        else if (name.SequenceEqual("repo"u8)) { if (!String(ref r, out var v)) return false; range.Repo = v; }
        else if (name.SequenceEqual("events"u8)) { if (!Objects<OsvEvent>(ref r, Event, out var l)) return false; range.Events = l!; }
        else if (name.SequenceEqual("database_specific"u8)) range.DatabaseSpecific = Element(ref r);
        else r.Skip();
        return true;
    }

    private static bool Event(ref Utf8JsonReader r, scoped ReadOnlySpan<byte> name, OsvEvent e)
    {
        if (name.SequenceEqual("introduced"u8)) { if (!String(ref r, out var v)) return false; e.Introduced = v; }
        else if (name.SequenceEqual("fixed"u8)) { if (!String(ref r, out var v)) return false; e.Fixed = v; }
        else if (name.SequenceEqual("last_affected"u8)) { if (!String(ref r, out var v)) return false; e.LastAffected = v; }
        else if (name.SequenceEqual("limit"u8)) { if (!String(ref r, out var v)) return false; e.Limit = v; }
        else r.Skip();
        return true;
    }
}
