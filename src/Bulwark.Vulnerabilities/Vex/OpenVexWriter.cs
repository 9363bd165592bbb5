// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Vex;

/// The document-level fields of an OpenVEX document.
/// <param name="Author">Who makes the statements: an individual or organisation, ideally an email address or IRI.</param>
/// <param name="Role">The author's role ("Document Creator", "Project Release Bot"); optional.</param>
/// <param name="Id">The document's @id; null derives one from the content (https://openvex.dev/docs/public/vex-&lt;sha256&gt;).</param>
/// <param name="Timestamp">When the document was issued (SOURCE_DATE_EPOCH when set); statements without their own inherit it.</param>
/// <param name="Version">The document version, from 1, incremented whenever its content changes.</param>
/// <param name="Tooling">How the document was made ("bulwark 1.2.0"); optional.</param>
public sealed record OpenVexDocumentInfo(
    string Author,
    string? Role,
    string? Id,
    DateTimeOffset Timestamp,
    int Version,
    string? Tooling);

/// Writes OpenVEX 0.2.0 documents (valid against openvex/spec's openvex_json_schema.json).
/// <remarks>
/// The schema's rules are kept for every statement written: a justification that is not an OpenVEX label (a CycloneDX
/// one such as code_not_reachable) moves into the impact statement; a not_affected statement with neither gets an
/// impact statement naming where it came from; an affected one without an action statement gets one saying none was
/// given. The @id, when not given, is the SHA-256 of the document written without it, so equal content gives an equal id.
/// </remarks>
public static class OpenVexWriter
{
    public const string Context = "https://openvex.dev/ns/v0.2.0";
    public const string PublicIdPrefix = "https://openvex.dev/docs/public/vex-";

    /// The status justification labels OpenVEX defines (VEX Working Group, Status Justifications, 2022).
    public static ImmutableArray<string> Justifications { get; } =
    [
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist",
    ];

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // the document is a file, not HTML: keep '+', '<', '&' in purls and text readable
        Encoder = Bulwark.Core.RelaxedJsonEncoder.Instance,
    };

    /// Writes one OpenVEX 0.2.0 document holding <paramref name="statements"/> to <paramref name="output"/>.
    public static void Write(OpenVexDocumentInfo info, IEnumerable<VexStatement> statements, Stream output)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(output);
        if (info.Version < 1) throw new ArgumentException("An OpenVEX document version starts at 1.", nameof(info));
        var list = new JsonArray();
        // Add((JsonNode)…): JsonArray.Add<T> would take a JsonObject as an arbitrary value, which trimming cannot keep
        foreach (var s in statements) list.Add((JsonNode)Statement(s, inheritedTime: info.Timestamp));
        var doc = new JsonObject { ["@context"] = Context };
        doc["author"] = info.Author;
        if (info.Role is not null) doc["role"] = info.Role;
        doc["timestamp"] = Time(info.Timestamp);
        doc["version"] = info.Version;
        if (info.Tooling is not null) doc["tooling"] = info.Tooling;
        doc["statements"] = list;
        Finish(doc, info.Id, output);
    }

    /// Writes the OpenVEX document at <paramref name="existingPath"/> with <paramref name="added"/> appended: its version
    /// incremented, its timestamp set to <paramref name="timestamp"/>, a new @id derived from the content, and every
    /// existing statement kept as it was, those that inherited the old document timestamp now stating it (OpenVEX,
    /// "Updating Statements with Inherited Data"). <paramref name="author"/> and <paramref name="tooling"/> replace the
    /// document's when given. Throws <see cref="InputException"/> when the file is not an OpenVEX 0.2.0 document.
    public static void Append(string existingPath, IEnumerable<VexStatement> added, DateTimeOffset timestamp, string? author, string? tooling, Stream output)
    {
        ArgumentNullException.ThrowIfNull(existingPath);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(output);
        var bytes = VexDocuments.ReadBytes(existingPath);
        var parsed = VexDocuments.Parse(bytes, existingPath);
        if (parsed.Format != VexFormat.OpenVex)
            throw new InputException($"Cannot append to {existingPath}: it is a CycloneDX document; --append takes an OpenVEX document. Write a new document instead (leave out --append).");
        var json = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes;
        var old = JsonNode.Parse(json, documentOptions: VexDocuments.JsonOptions)!.AsObject();
        if (old.ContainsKey("predicateType"))
            throw new InputException($"Cannot append to {existingPath}: it is an in-toto attestation; append to the OpenVEX document it was made from, then attest that again.");
        var oldStatements = old["statements"]!.AsArray();
        for (var i = 0; i < oldStatements.Count; i++)
        {
            if (oldStatements[i]!["vulnerability"] is JsonValue || oldStatements[i]!["products"] is JsonArray products && products.Any(p => p is JsonValue))
                throw new InputException($"Cannot append to {existingPath}: statements[{i}] uses the OpenVEX 0.0.x shape (vulnerability or products as strings). Recreate the document with 'bulwark vex create' in the OpenVEX 0.2.0 shape.");
        }

        var oldTime = Text(old["timestamp"]);
        var statements = new JsonArray();
        foreach (var s in oldStatements)
        {
            var copy = s!.DeepClone().AsObject();
            if (!copy.ContainsKey("timestamp") && oldTime is not null) copy.Insert(Math.Min(1, copy.Count), "timestamp", oldTime);
            statements.Add((JsonNode)copy);
        }
        foreach (var s in added) statements.Add((JsonNode)Statement(s, inheritedTime: timestamp));

        var doc = new JsonObject { ["@context"] = Context };
        doc["author"] = author ?? Text(old["author"]) ?? "Unknown Author";
        if (Text(old["role"]) is { } role) doc["role"] = role;
        doc["timestamp"] = Time(timestamp);
        doc["version"] = OldVersion(old["version"]) + 1;
        if ((tooling ?? Text(old["tooling"])) is { } tool) doc["tooling"] = tool;
        doc["statements"] = statements;
        Finish(doc, id: null, output);
    }

    // the reader checked what it uses; author, role and tooling it does not use, so they may be anything
    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int OldVersion(JsonNode? version) => version switch
    {
        JsonValue v when v.TryGetValue<int>(out var n) && n >= 1 => n,
        // OpenVEX 0.0.x examples wrote the version as a string
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => n,
        _ => 1,
    };

    internal static JsonObject Statement(VexStatement s, DateTimeOffset? inheritedTime)
    {
        var vulnerability = new JsonObject { ["name"] = s.VulnerabilityId };
        var aliases = s.VulnerabilityAliases.Where(a => a != s.VulnerabilityId).Distinct(StringComparer.Ordinal).ToList();
        if (aliases.Count > 0) vulnerability["aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode)a)]);
        var o = new JsonObject { ["vulnerability"] = vulnerability };
        // a statement states its time unless it is the document's (OpenVEX "Data Economy")
        if (s.Timestamp is { } t && t != inheritedTime) o["timestamp"] = Time(t);
        if (s.Products.Length > 0)
            o["products"] = new JsonArray([.. s.Products.Distinct().Select(p => (JsonNode)new JsonObject { ["@id"] = p.ToString() })]);
        o["status"] = Status(s.Status);
        if (s.StatusNotes is not null) o["status_notes"] = s.StatusNotes;

        var impact = s.ImpactStatement;
        if (s.Justification is { } j)
        {
            if (Justifications.Contains(j)) o["justification"] = j;
            else impact = impact is null ? $"Justification: {j}." : $"{impact} (justification: {j})";
        }
        if (s.Status == VexStatus.NotAffected && !o.ContainsKey("justification") && impact is null)
            impact = $"Not affected according to {s.Source}, which gives no justification.";
        if (impact is not null) o["impact_statement"] = impact;
        var action = s.ActionStatement;
        if (s.Status == VexStatus.Affected && action is null) action = $"No action statement was given in {s.Source}.";
        if (action is not null) o["action_statement"] = action;
        return o;
    }

    /// The OpenVEX status label.
    public static string Status(VexStatus status) => status switch
    {
        VexStatus.NotAffected => "not_affected",
        VexStatus.Affected => "affected",
        VexStatus.Fixed => "fixed",
        VexStatus.UnderInvestigation => "under_investigation",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a VEX status"),
    };

    internal static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Finish(JsonObject doc, string? id, Stream output)
    {
        if (id is null)
        {
            using var hash = new MemoryStream();
            Serialize(doc, hash);
            id = PublicIdPrefix + Convert.ToHexStringLower(SHA256.HashData(hash.ToArray()));
        }
        doc.Insert(1, "@id", id);
        Serialize(doc, output);
    }

    private static void Serialize(JsonObject doc, Stream output)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            doc.WriteTo(w);
        }
        output.WriteByte((byte)'\n');
    }
}
