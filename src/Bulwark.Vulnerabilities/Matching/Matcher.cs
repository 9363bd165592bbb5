// SPDX-License-Identifier: Apache-2.0
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Vulnerabilities.Matching;

/// Matches an SBOM's packages against the vulnerability database.
public sealed class Matcher(VulnerabilityDatabase database)
{
    private readonly VulnerabilityDatabase _database = database;

    /// Every finding, unmatchable package and record problem for the SBOM, sorted and deterministic.
    public MatchResult Match(Bulwark.Sbom.Sbom sbom, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sbom);
        _ = _database;
        throw new NotImplementedException();
    }
}
