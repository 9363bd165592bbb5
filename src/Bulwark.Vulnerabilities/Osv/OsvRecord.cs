// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Vulnerabilities.Osv;

/// One OSV record (https://ossf.github.io/osv-schema/); unknown fields are ignored, known ones must have their schema type.
public sealed record OsvRecord
{
    [JsonPropertyName("schema_version")] public string? SchemaVersion { get; init; }
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("modified")] public DateTimeOffset Modified { get; init; }
    [JsonPropertyName("published")] public DateTimeOffset? Published { get; init; }
    [JsonPropertyName("withdrawn")] public DateTimeOffset? Withdrawn { get; init; }
    [JsonPropertyName("aliases")] public IReadOnlyList<string> Aliases { get; init; } = [];
    [JsonPropertyName("related")] public IReadOnlyList<string> Related { get; init; } = [];
    [JsonPropertyName("upstream")] public IReadOnlyList<string> Upstream { get; init; } = [];
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("details")] public string? Details { get; init; }
    [JsonPropertyName("severity")] public IReadOnlyList<OsvSeverity> Severity { get; init; } = [];
    [JsonPropertyName("affected")] public IReadOnlyList<OsvAffected> Affected { get; init; } = [];
    [JsonPropertyName("references")] public IReadOnlyList<OsvReference> References { get; init; } = [];
    [JsonPropertyName("credits")] public IReadOnlyList<OsvCredit> Credits { get; init; } = [];
    [JsonPropertyName("database_specific")] public JsonElement? DatabaseSpecific { get; init; }

    /// A withdrawn record is kept (to explain why a finding went away) but must not produce findings.
    [JsonIgnore] public bool IsWithdrawn => Withdrawn is not null;
}

/// A severity score: type CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu, … and the vector or value.
public sealed record OsvSeverity
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("score")] public string Score { get; init; } = "";
}

/// One affected package with its ranges and explicit versions.
public sealed record OsvAffected
{
    [JsonPropertyName("package")] public OsvPackage? Package { get; init; }
    [JsonPropertyName("severity")] public IReadOnlyList<OsvSeverity> Severity { get; init; } = [];
    [JsonPropertyName("ranges")] public IReadOnlyList<OsvRange> Ranges { get; init; } = [];
    [JsonPropertyName("versions")] public IReadOnlyList<string> Versions { get; init; } = [];
    [JsonPropertyName("ecosystem_specific")] public JsonElement? EcosystemSpecific { get; init; }
    [JsonPropertyName("database_specific")] public JsonElement? DatabaseSpecific { get; init; }
}

/// The package an affected entry names: its OSV ecosystem (possibly with a release suffix), name and optional purl.
public sealed record OsvPackage
{
    [JsonPropertyName("ecosystem")] public string Ecosystem { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("purl")] public string? Purl { get; init; }
}

/// A range of affected versions: type ECOSYSTEM, SEMVER or GIT, and its events in order.
public sealed record OsvRange
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("repo")] public string? Repo { get; init; }
    [JsonPropertyName("events")] public IReadOnlyList<OsvEvent> Events { get; init; } = [];
    [JsonPropertyName("database_specific")] public JsonElement? DatabaseSpecific { get; init; }
}

/// One range event; exactly one of its four fields is set.
public sealed record OsvEvent
{
    [JsonPropertyName("introduced")] public string? Introduced { get; init; }
    [JsonPropertyName("fixed")] public string? Fixed { get; init; }
    [JsonPropertyName("last_affected")] public string? LastAffected { get; init; }
    [JsonPropertyName("limit")] public string? Limit { get; init; }
}

/// A reference: type (ADVISORY, FIX, WEB, …) and URL.
public sealed record OsvReference
{
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("url")] public string Url { get; init; } = "";
}

/// A credited person or organisation.
public sealed record OsvCredit
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("contact")] public IReadOnlyList<string> Contact { get; init; } = [];
    [JsonPropertyName("type")] public string? Type { get; init; }
}

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(OsvRecord))]
internal sealed partial class OsvJsonContext : JsonSerializerContext;
