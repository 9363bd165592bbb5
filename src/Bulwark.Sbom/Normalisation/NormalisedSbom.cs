// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;

namespace Bulwark.Sbom.Normalisation;

/// What the normaliser did to one package's purl.
public enum PurlChangeKind
{
    /// The document gave no usable purl; one was built from the name, version and an ecosystem hint it did give.
    Repaired,
    /// The document's purl named the package but was spelled differently from the canonical form (case, '_' in a
    /// PyPI name, a Go module path in the name, percent-encoding, a Maven coordinate in the name).
    Respelled,
    /// A Debian/Ubuntu/Alpine/RPM purl without a distro qualifier got the one the SBOM's operating-system component names.
    DistroAdded,
}

/// One change to one package: the purl before (the document's text, or null when it gave none), the package after,
/// and a sentence saying which hint or rule led there.
public sealed record PurlChange(string? Before, Package Package, PurlChangeKind Kind, string Detail);

/// A package left without a real purl, so it cannot be matched against the database, and why ("no package URL; only a CPE").
public sealed record UnmatchableComponent(Package Package, string Reason);

/// An SBOM from another tool with its purls repaired and normalised, and an account of what changed and what stays unmatchable.
public sealed record NormalisedSbom(Sbom Sbom, ImmutableArray<PurlChange> Changes, ImmutableArray<UnmatchableComponent> Unmatchable);
