// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Core;

/// Where something was found: a path relative to the scanned root ('/'-separated), optionally a line and an image layer.
public sealed record FileLocation(string Path, int? Line = null, string? Layer = null) : IComparable<FileLocation>
{
    public int CompareTo(FileLocation? other)
    {
        if (other is null) return 1;
        var c = string.CompareOrdinal(Path, other.Path);
        if (c != 0) return c;
        c = Nullable.Compare(Line, other.Line);
        return c != 0 ? c : string.CompareOrdinal(Layer, other.Layer);
    }

    public override string ToString() => Line is null ? Path : $"{Path}:{Line}";
}
