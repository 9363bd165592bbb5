// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Vex;

/// A VEX status (OpenVEX names; CycloneDX analysis states map onto them).
public enum VexStatus { NotAffected, Affected, Fixed, UnderInvestigation }

/// One VEX statement: a vulnerability, the products (purls) it speaks about, and the status with its reasons.
/// <param name="Source">Where it came from: "file.openvex.json#statements[3]", for telling users which statement applied.</param>
public sealed record VexStatement(
    string VulnerabilityId,
    ImmutableArray<string> VulnerabilityAliases,
    ImmutableArray<Purl> Products,
    VexStatus Status,
    string? Justification,
    string? ImpactStatement,
    string? ActionStatement,
    DateTimeOffset? Timestamp,
    string Source)
{
    /// How the status was determined (OpenVEX status_notes), when the document says.
    public string? StatusNotes { get; init; }
}

/// A finding that a VEX statement took out of the gate, and the statement that did.
public sealed record SuppressedFinding(Finding Finding, VexStatement Statement);
