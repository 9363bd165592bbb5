// SPDX-License-Identifier: Apache-2.0
using NuGet.Versioning;

namespace Bulwark.Versions.NuGet;

/// A NuGet package version, parsed and ordered by NuGet.Versioning itself: SemVer 2.0 plus legacy 4-part versions,
/// prerelease labels compared case-insensitively, build metadata ignored; ToString is the normalised form.
public readonly record struct NuGetPackageVersion : IComparable<NuGetPackageVersion>, IComparable
{
    private readonly NuGetVersion? _version;

    private NuGetPackageVersion(NuGetVersion version) => _version = version;

    /// The wrapped NuGet.Versioning value (default(NuGetPackageVersion) reads as 0.0.0).
    public NuGetVersion Version => _version ?? new NuGetVersion(0, 0, 0);

    public static NuGetPackageVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new InvalidVersionException("NuGet", text,
            "expected Major.Minor[.Patch[.Revision]][-prerelease][+metadata]");

    public static bool TryParse(string text, out NuGetPackageVersion version)
    {
        if (text is not null && NuGetVersion.TryParse(text, out var v))
        {
            version = new NuGetPackageVersion(v);
            return true;
        }
        version = default;
        return false;
    }

    public int CompareTo(NuGetPackageVersion other) => VersionComparer.Default.Compare(Version, other.Version);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        NuGetPackageVersion v => CompareTo(v),
        _ => throw new ArgumentException($"Cannot compare a NuGet version with {obj.GetType().Name}.", nameof(obj)),
    };

    public bool Equals(NuGetPackageVersion other) => VersionComparer.Default.Equals(Version, other.Version);
    public override int GetHashCode() => VersionComparer.Default.GetHashCode(Version);

    /// The normalised form ("1.0.0-beta", "1.2.3.4"), without metadata.
    public override string ToString() => Version.ToNormalizedString();

    public static bool operator <(NuGetPackageVersion a, NuGetPackageVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(NuGetPackageVersion a, NuGetPackageVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(NuGetPackageVersion a, NuGetPackageVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(NuGetPackageVersion a, NuGetPackageVersion b) => a.CompareTo(b) >= 0;
}
