// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// A file that a cataloger wanted but could not read: recorded, reported, and the run goes on.
public sealed record UnreadableFile(FileLocation Location, string Cataloger, string Reason) : IComparable<UnreadableFile>
{
    public int CompareTo(UnreadableFile? other) =>
        other is null ? 1
        : Location.CompareTo(other.Location) is var c and not 0 ? c
        : string.CompareOrdinal(Cataloger, other.Cataloger);
}
