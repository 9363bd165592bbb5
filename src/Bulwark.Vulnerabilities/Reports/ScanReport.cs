// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Reports;

/// Everything one `bulwark scan` produced, as every report format consumes it.
public sealed record ScanReport
{
    /// The SBOM that was matched (the scanned target's, or the one read from a file): subject, packages, graph.
    public required Bulwark.Sbom.Sbom Sbom { get; init; }
    /// What the user asked to scan, as typed ("./app", "registry:…", "bom.json").
    public required string Target { get; init; }
    /// Findings still standing after VEX, sorted by <see cref="Finding.Compare"/>.
    public required ImmutableArray<Finding> Findings { get; init; }
    /// Findings a VEX statement suppressed (not_affected or fixed), sorted like findings.
    public ImmutableArray<SuppressedFinding> Suppressed { get; init; } = [];
    /// VEX statements that were affected/under_investigation and matched a finding: shown beside it, not suppressing it.
    public ImmutableArray<SuppressedFinding> Annotated { get; init; } = [];
    public ImmutableArray<UnmatchablePackage> Unmatchable { get; init; } = [];
    public ImmutableArray<MatchProblem> Problems { get; init; } = [];
    /// What the user must know to trust the result (e.g. no advisory data covers the image's distribution release).
    public ImmutableArray<string> Warnings { get; init; } = [];
    /// The database the scan used.
    public required DatabaseStatus Database { get; init; }
    /// When the report was made: SOURCE_DATE_EPOCH when set.
    public required DateTimeOffset Created { get; init; }
    /// Bulwark's version, for tool fields.
    public required string ToolVersion { get; init; }
}
