// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Sbom.Normalisation;

/// Repairs and normalises the purls of an SBOM read from another tool, never guessing an ecosystem the document does not state.
public static class SbomNormaliser
{
    public static NormalisedSbom Normalise(Sbom sbom) => throw new NotImplementedException();
}
