// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Sbom;

/// What an SBOM describes: the scanned directory or file, an image, or the subject a read SBOM names.
public enum SubjectKind { Directory, File, Image, Other }

/// The thing the SBOM is about (CycloneDX metadata.component; the package an SPDX document DESCRIBES).
public sealed record SbomSubject
{
    public required string Name { get; init; }
    public string? Version { get; init; }
    public SubjectKind Kind { get; init; } = SubjectKind.Directory;
    public Purl? Purl { get; init; }
    /// Packages the subject depends on directly; when empty, writers use the packages marked <see cref="Package.IsRoot"/>.
    public ImmutableArray<Purl> DependsOn { get; init; } = [];
    public ImmutableArray<Digest> Hashes { get; init; } = [];
    public ImmutableSortedDictionary<string, string> Properties { get; init; } = OrdinalMap.Empty;
}

/// A tool that produced (part of) the SBOM.
public sealed record SbomTool(string Vendor, string Name, string Version);

/// The format-neutral SBOM every reader produces and every writer consumes (DESIGN.md).
public sealed record Sbom
{
    public required SbomSubject Subject { get; init; }
    /// Packages, sorted by purl, one per purl.
    public required ImmutableArray<Package> Packages { get; init; }
    public required DateTimeOffset Created { get; init; }
    public ImmutableArray<SbomTool> Tools { get; init; } = [];
    /// A serial number / document identity read from a source document; writers derive one from content when null.
    public string? SerialNumber { get; init; }
    /// Document-level facts as ordered name/value pairs; a name may repeat ("bulwark:unreadable" for each unreadable file).
    public ImmutableArray<KeyValuePair<string, string>> Properties { get; init; } = [];
    /// The text behind LicenseRef-… ids that packages' licenses use, when a read document gave it (SPDX extracted licensing info).
    public ImmutableSortedDictionary<string, string> LicenseTexts { get; init; } = OrdinalMap.Empty;

    /// The packages the subject depends on directly: explicit edges, or else the project roots.
    public IReadOnlyList<Purl> SubjectDependencies =>
        !Subject.DependsOn.IsDefaultOrEmpty ? Subject.DependsOn : [.. Packages.Where(p => p.IsRoot).Select(p => p.Purl)];

    /// A stable identity derived from the content (subject and packages), for serial numbers and namespaces.
    public Guid ContentId()
    {
        var sb = new StringBuilder();
        sb.Append(Subject.Name).Append('\n').Append(Subject.Version).Append('\n');
        foreach (var p in Packages)
        {
            sb.Append(p.Purl).Append('\n');
            foreach (var d in p.DependsOn) sb.Append(" ->").Append(d).Append('\n');
        }
        var hash = ContentHash.Sha256(sb.ToString());
        // shape it as an RFC 9562 version 8 (custom) UUID
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// The creation time to write: SOURCE_DATE_EPOCH when set (reproducible builds), otherwise now, to the second.
    public static DateTimeOffset CreationTime(Func<string, string?>? environment = null)
    {
        var env = (environment ?? Environment.GetEnvironmentVariable)("SOURCE_DATE_EPOCH");
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (!long.TryParse(env.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                throw new UsageException($"SOURCE_DATE_EPOCH='{env}' is not a whole number of seconds since 1970. Set it to e.g. $(git log -1 --format=%ct).");
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
    }
}

/// The SBOM formats Bulwark reads and writes.
public enum SbomFormat { CycloneDxJson, CycloneDxXml, SpdxJson, SpdxTagValue }

public static class SbomFormats
{
    // a plain array, searched with a loop: cheaper at start-up than LINQ over the list (a generic instantiation
    // over a value type that ReadyToRun leaves to the JIT)
    private static readonly (string Name, SbomFormat Format)[] All =
    [
        ("cyclonedx-json", SbomFormat.CycloneDxJson),
        ("cyclonedx-xml", SbomFormat.CycloneDxXml),
        ("spdx-json", SbomFormat.SpdxJson),
        ("spdx-tag-value", SbomFormat.SpdxTagValue),
    ];

    public static IReadOnlyList<(string Name, SbomFormat Format)> Names => All;

    public static SbomFormat Parse(string name)
    {
        foreach (var (known, format) in All)
            if (known.Equals(name, StringComparison.OrdinalIgnoreCase)) return format;
        throw new UsageException($"Unknown SBOM format '{name}'. Use one of: {string.Join(", ", Names.Select(n => n.Name))}.");
    }
}
