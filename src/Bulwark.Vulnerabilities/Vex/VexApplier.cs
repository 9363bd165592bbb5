// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Vex;

/// What applying VEX statements to findings produced: findings still standing, suppressed ones, and annotated ones.
public sealed record VexOutcome(ImmutableArray<Finding> Kept, ImmutableArray<SuppressedFinding> Suppressed, ImmutableArray<SuppressedFinding> Annotated);

/// Applies VEX statements to findings by vulnerability id (or alias) and normalised product purl.
public static class VexApplier
{
    /// Applies <paramref name="statements"/> to <paramref name="findings"/>; the newest applicable statement decides.
    public static VexOutcome Apply(IEnumerable<Finding> findings, IEnumerable<VexStatement> statements) => throw new NotImplementedException();
}
