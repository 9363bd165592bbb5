// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;

namespace Bulwark.Core;

/// Sorted string maps with ordinal keys, the kind packages, purls and SBOMs keep properties in.
public static class OrdinalMap
{
    /// The empty map, made once: WithComparers builds a new map and copies the old one into it on every call (each
    /// package used to make its own).
    public static ImmutableSortedDictionary<string, string> Empty { get; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
}
