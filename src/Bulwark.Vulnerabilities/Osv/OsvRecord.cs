// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Vulnerabilities.Osv;

/// One OSV record (https://ossf.github.io/osv-schema/); unknown fields are ignored, known ones must have their schema type.
/// Setters are internal, not init: the JSON source generator sets init-only properties that are absent from the JSON to null.
public sealed record OsvRecord
{
    [JsonPropertyName("schema_version"), JsonInclude] public string? SchemaVersion { get; internal set; }
    [JsonPropertyName("id"), JsonInclude, JsonRequired] public string Id { get; internal set; } = "";
    [JsonPropertyName("modified"), JsonInclude, JsonRequired] public DateTimeOffset Modified { get; internal set; }
    [JsonPropertyName("published"), JsonInclude] public DateTimeOffset? Published { get; internal set; }
    [JsonPropertyName("withdrawn"), JsonInclude] public DateTimeOffset? Withdrawn { get; internal set; }
    [JsonPropertyName("aliases"), JsonInclude] public IReadOnlyList<string> Aliases { get; internal set; } = [];
    [JsonPropertyName("related"), JsonInclude] public IReadOnlyList<string> Related { get; internal set; } = [];
    [JsonPropertyName("upstream"), JsonInclude] public IReadOnlyList<string> Upstream { get; internal set; } = [];
    [JsonPropertyName("summary"), JsonInclude] public string? Summary { get; internal set; }
    [JsonPropertyName("details"), JsonInclude] public string? Details { get; internal set; }
    [JsonPropertyName("severity"), JsonInclude] public IReadOnlyList<OsvSeverity> Severity { get; internal set; } = [];
    [JsonPropertyName("affected"), JsonInclude] public IReadOnlyList<OsvAffected> Affected { get; internal set; } = [];
    [JsonPropertyName("references"), JsonInclude] public IReadOnlyList<OsvReference> References { get; internal set; } = [];
    [JsonPropertyName("credits"), JsonInclude] public IReadOnlyList<OsvCredit> Credits { get; internal set; } = [];
    [JsonPropertyName("database_specific"), JsonInclude] public JsonElement? DatabaseSpecific { get; internal set; }

    /// A withdrawn record is kept (to explain why a finding went away) but must not produce findings.
    [JsonIgnore] public bool IsWithdrawn => Withdrawn is not null;
}

/// A severity score: type CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, … and the vector or value.
public sealed record OsvSeverity
{
    [JsonPropertyName("type"), JsonInclude] public string Type { get; internal set; } = "";
    [JsonPropertyName("score"), JsonInclude] public string Score { get; internal set; } = "";
}

/// One affected package with its ranges and explicit versions.
public sealed record OsvAffected
{
    [JsonPropertyName("package"), JsonInclude] public OsvPackage? Package { get; internal set; }
    [JsonPropertyName("severity"), JsonInclude] public IReadOnlyList<OsvSeverity> Severity { get; internal set; } = [];
    [JsonPropertyName("ranges"), JsonInclude] public IReadOnlyList<OsvRange> Ranges { get; internal set; } = [];
    [JsonPropertyName("versions"), JsonInclude] public IReadOnlyList<string> Versions { get; internal set; } = [];
    [JsonPropertyName("ecosystem_specific"), JsonInclude] public JsonElement? EcosystemSpecific { get; internal set; }
    [JsonPropertyName("database_specific"), JsonInclude] public JsonElement? DatabaseSpecific { get; internal set; }
}

/// The package an affected entry names: its OSV ecosystem (possibly with a release suffix), name and optional purl.
public sealed record OsvPackage
{
    [JsonPropertyName("ecosystem"), JsonInclude] public string Ecosystem { get; internal set; } = "";
    [JsonPropertyName("name"), JsonInclude] public string Name { get; internal set; } = "";
    [JsonPropertyName("purl"), JsonInclude] public string? Purl { get; internal set; }
}

/// A range of affected versions: type ECOSYSTEM, SEMVER or GIT, and its events in order.
public sealed record OsvRange
{
    [JsonPropertyName("type"), JsonInclude] public string Type { get; internal set; } = "";
    [JsonPropertyName("repo"), JsonInclude] public string? Repo { get; internal set; }
    [JsonPropertyName("events"), JsonInclude] public IReadOnlyList<OsvEvent> Events { get; internal set; } = [];
    [JsonPropertyName("database_specific"), JsonInclude] public JsonElement? DatabaseSpecific { get; internal set; }
}

/// One range event; exactly one of its four fields is set.
public sealed record OsvEvent
{
    [JsonPropertyName("introduced"), JsonInclude] public string? Introduced { get; internal set; }
    [JsonPropertyName("fixed"), JsonInclude] public string? Fixed { get; internal set; }
    [JsonPropertyName("last_affected"), JsonInclude] public string? LastAffected { get; internal set; }
    [JsonPropertyName("limit"), JsonInclude] public string? Limit { get; internal set; }
}

/// A reference: type (ADVISORY, FIX, WEB, …) and URL.
public sealed record OsvReference
{
    [JsonPropertyName("type"), JsonInclude] public string Type { get; internal set; } = "";
    [JsonPropertyName("url"), JsonInclude] public string Url { get; internal set; } = "";
}

/// A credited person or organisation.
public sealed record OsvCredit
{
    [JsonPropertyName("name"), JsonInclude] public string Name { get; internal set; } = "";
    [JsonPropertyName("contact"), JsonInclude] public IReadOnlyList<string> Contact { get; internal set; } = [];
    [JsonPropertyName("type"), JsonInclude] public string? Type { get; internal set; }
}

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(OsvRecord))]
internal sealed partial class OsvJsonContext : JsonSerializerContext;
