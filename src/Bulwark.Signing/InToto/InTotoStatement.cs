// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Signing.InToto;

/// One subject of a statement: a name and its digests by algorithm ("sha256" → lowercase hex).
public sealed record InTotoSubject(string Name, ImmutableSortedDictionary<string, string> Digests)
{
    public static InTotoSubject Sha256(string name, Digest digest) =>
        new(name, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("sha256", digest.Hex)]));
}

/// An in-toto Statement (https://github.com/in-toto/attestation, spec/v1/statement.md): what is attested (subjects), the
/// predicate type and the predicate. Written as v1; v0.1 statements (which Cosign writes) are read too.
public sealed record InTotoStatement(string Type, ImmutableArray<InTotoSubject> Subjects, string PredicateType)
{
    public const string TypeV1 = "https://in-toto.io/Statement/v1";
    public const string TypeV01 = "https://in-toto.io/Statement/v0.1";

    /// A v1 statement's JSON with <paramref name="predicateJson"/> (a JSON value, checked here) as the predicate.
    public static byte[] Create(IReadOnlyList<InTotoSubject> subjects, string predicateType, ReadOnlySpan<byte> predicateJson, string predicateSource)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        JsonDocument predicate;
        try
        {
            predicate = JsonDocument.Parse(predicateJson.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot use {predicateSource} as a predicate: it is not JSON ({e.Message}). Give the predicate as a JSON file (an SBOM, provenance, VEX document…).", e);
        }
        using (predicate)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance, MaxDepth = 300 }))
            {
                w.WriteStartObject();
                w.WriteString("_type", TypeV1);
                w.WriteStartArray("subject");
                foreach (var s in subjects)
                {
                    w.WriteStartObject();
                    w.WriteString("name", s.Name);
                    w.WriteStartObject("digest");
                    foreach (var (algorithm, hex) in s.Digests) w.WriteString(algorithm, hex);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("predicateType", predicateType);
                w.WritePropertyName("predicate");
                predicate.RootElement.WriteTo(w);
                w.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }

    /// Reads a statement whose signature has been checked; null with a reason when it is not an in-toto statement.
    public static InTotoStatement? TryParse(ReadOnlySpan<byte> json, out string reason)
    {
        reason = "";
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = false });
            var root = doc.RootElement;
            JsonText.RequireReadableStrings(root, "the statement");
            if (root.ValueKind != JsonValueKind.Object) { reason = "it is not a JSON object"; return null; }
            var type = Str(root, "_type");
            if (type is not (TypeV1 or TypeV01)) { reason = $"its _type is '{type}', not {TypeV1}"; return null; }
            var predicateType = Str(root, "predicateType");
            if (string.IsNullOrEmpty(predicateType)) { reason = "it has no predicateType"; return null; }
            if (!root.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array || subjects.GetArrayLength() == 0)
            {
                reason = "it has no subject";
                return null;
            }
            var list = ImmutableArray.CreateBuilder<InTotoSubject>();
            foreach (var s in subjects.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.Object || !s.TryGetProperty("digest", out var d) || d.ValueKind != JsonValueKind.Object)
                {
                    reason = "a subject has no digest object";
                    return null;
                }
                var digests = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
                foreach (var p in d.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) digests[p.Name] = p.Value.GetString()!;
                list.Add(new InTotoSubject(Str(s, "name") ?? "", digests.ToImmutable()));
            }
            return new InTotoStatement(type, list.ToImmutable(), predicateType);
        }
        catch (JsonException e)
        {
            reason = $"it is not JSON ({e.Message})";
            return null;
        }
        catch (InputException e)
        {
            reason = e.Message;   // a string that is not valid Unicode
            return null;
        }
    }

    /// True when a subject's sha256 is <paramref name="digest"/> (hex compared without regard to case, as in-toto allows).
    public bool HasSubject(Digest digest) =>
        Subjects.Any(s => s.Digests.TryGetValue(digest.Prefix, out var hex) && string.Equals(hex, digest.Hex, StringComparison.OrdinalIgnoreCase));

    /// The subjects' digests, for messages.
    public string DescribeSubjects() =>
        string.Join(", ", Subjects.Select(s => $"{(s.Name.Length > 0 ? s.Name + " " : "")}{string.Join(", ", s.Digests.Select(d => d.Key + ":" + d.Value))}"));

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
