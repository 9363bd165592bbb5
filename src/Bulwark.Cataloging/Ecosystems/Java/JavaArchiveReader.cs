// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Java;

/// Bounds on what one archive may make us unpack. Nested archives are copied into memory, so
/// <see cref="MaxTotalBytes"/> is also the most memory one archive can take.
internal sealed record JavaArchiveLimits
{
    /// An input that cannot seek is buffered in memory up to this size, in a self-deleting temporary file above it.
    public long MaxInMemoryInput { get; init; } = 64L << 20;
    /// Entries one archive may announce; ZipArchive holds its whole central directory in memory.
    public int MaxEntries { get; init; } = 500_000;
    /// How deep archives may nest (an EAR holding a WAR holding a jar is depth 2).
    public int MaxDepth { get; init; } = 8;
    /// Uncompressed bytes copied out of one top-level archive, all nesting levels together.
    public long MaxTotalBytes { get; init; } = 1L << 30;
    /// Uncompressed size of one nested archive.
    public long MaxNestedBytes { get; init; } = 256L << 20;
    /// Uncompressed size of one MANIFEST.MF or pom.properties.
    public long MaxMetadataBytes { get; init; } = 1L << 20;
    /// Uncompressed-to-compressed ratio above which an entry is taken for a zip bomb (real jars stay far below 20).
    public int MaxCompressionRatio { get; init; } = 100;
    /// Entries smaller than this are not checked for their ratio (a tiny file of zeros compresses very well, harmlessly).
    public long RatioCheckThreshold { get; init; } = 1L << 20;
}

/// Reads the packages of one Java archive (jar, war, ear, …) and of the archives nested in it: one package per
/// META-INF/maven/&lt;group&gt;/&lt;artifact&gt;/pom.properties, the archive itself named by its pom.properties, its
/// manifest or its file name, and a SHA-1 of each archive's bytes (the identity Maven Central publishes).
internal sealed partial class JavaArchiveReader(JavaArchiveLimits limits, string? layer)
{
    /// File extensions of Java archives: jar, web and enterprise archives, Jenkins plugins (hpi, jpi), JBoss (sar),
    /// NiFi (nar), Karaf (kar) and Java EE resource (par) archives.
    public static readonly IReadOnlyList<string> Extensions = [".jar", ".war", ".ear", ".jpi", ".hpi", ".par", ".sar", ".nar", ".kar"];

    private long _unpacked;

    public static bool IsArchiveName(string name)
    {
        foreach (var ext in Extensions)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && name.Length > ext.Length && name[^(ext.Length + 1)] != '/') return true;
        }
        return false;
    }

    /// Reads a seekable archive found at <paramref name="path"/>; every package found is added to <paramref name="found"/>
    /// and the archive's own package is returned.
    public Package Read(Stream archive, Digest sha1, string path, int depth, Dictionary<Purl, Package> found, CancellationToken ct)
    {
        if (!ZipDirectory.HasEndRecord(archive))
            throw new InvalidDataException("not a zip archive: no end of central directory record in its last 64 KiB.");
        if (ZipDirectory.EntryCount(archive) is { } count && count > limits.MaxEntries)
        {
            throw new InputException($"{path}: the archive announces {count:N0} entries, over the {limits.MaxEntries:N0} allowed; " +
                "likely hostile, not read.");
        }
        using var zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        var location = new FileLocation(path, null, layer);
        var poms = new List<IReadOnlyDictionary<string, string>>();
        var embeddedPoms = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> manifest = new Dictionary<string, string>();
        var nested = new List<ZipArchiveEntry>();
        foreach (var entry in zip.Entries)
        {
            ct.ThrowIfCancellationRequested();
            var name = entry.FullName;
            if (name.EndsWith('/')) continue;
            if (PomPropertiesPath().IsMatch(name))
                poms.Add(JavaProperties.Parse(ReadMetadata(entry, path, Encoding.Latin1)));
            else if (PomXmlPath().Match(name) is { Success: true } pomXml)
                embeddedPoms[$"{pomXml.Groups[1].Value}:{pomXml.Groups[2].Value}"] = entry;
            else if (name.Equals("META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase))
                manifest = JarManifest.ParseMainSection(ReadMetadata(entry, path, Encoding.UTF8));
            else if (IsArchiveName(name))
                nested.Add(entry);
        }

        var fileName = path[(path.LastIndexOfAny(['/', '!']) + 1)..];
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var type = extension is ".jar" or "" ? null : extension[1..];
        var (fileStem, fileVersion) = SplitFileName(fileName[..^extension.Length]);

        var contained = poms
            .Where(p => !string.IsNullOrEmpty(Value(p, "groupId")) && !string.IsNullOrEmpty(Value(p, "artifactId")))
            .ToList();
        var ownPom = contained.Count == 1 ? contained[0] : contained.FirstOrDefault(p => NamesThisArchive(p, fileStem, manifest));
        Package main;
        if (ownPom is not null)
        {
            main = WithEmbeddedPom(FromPomProperties(ownPom, location, type), embeddedPoms, path);
            contained.Remove(ownPom);
        }
        else
        {
            main = FromManifestOrFileName(manifest, fileStem, fileVersion, location, type);
        }
        main = main with
        {
            Hashes = [sha1],
            Kind = type is "war" or "ear" ? PackageKind.Application : PackageKind.Library,
        };
        if (main.Licenses.IsEmpty && Value(manifest, "Bundle-License") is { } license) main = main with { Licenses = [license] };

        var dependsOn = new List<Purl>();
        foreach (var pom in contained)
        {
            // a shaded (or uber) jar carries the pom.properties of every artifact copied into it
            var package = WithEmbeddedPom(FromPomProperties(pom, location, null), embeddedPoms, path);
            Add(found, package);
            dependsOn.Add(package.Purl);
        }

        var unreadable = new List<string>();
        var tooDeep = new List<string>();
        var tooLarge = new List<string>();
        foreach (var entry in nested)
        {
            ct.ThrowIfCancellationRequested();
            var nestedPath = $"{path}!/{entry.FullName}";
            if (depth + 1 > limits.MaxDepth)
            {
                tooDeep.Add(entry.FullName);
                continue;
            }
            CheckRatio(entry, nestedPath);
            if (entry.Length > limits.MaxNestedBytes)
            {
                // big but not a bomb: a legitimate archive we will not hold in memory; the rest is still read
                tooLarge.Add(entry.FullName);
                continue;
            }
            using var copy = CopyNested(entry, nestedPath, out var nestedSha1);
            try
            {
                dependsOn.Add(Read(copy, nestedSha1, nestedPath, depth + 1, found, ct).Purl);
            }
            catch (InvalidDataException e)
            {
                // one corrupt library inside a good archive: the archive is still read, and says which entry failed
                unreadable.Add($"{entry.FullName} ({e.Message})");
            }
        }
        main = main with { DependsOn = [.. dependsOn] };
        if (unreadable.Count > 0) main = main.WithProperty("java:unreadable-nested", string.Join("; ", unreadable));
        if (tooDeep.Count > 0) main = main.WithProperty("java:nested-too-deep", string.Join(' ', tooDeep));
        if (tooLarge.Count > 0) main = main.WithProperty("java:nested-too-large", string.Join(' ', tooLarge));
        return Add(found, main);
    }

    private static Package FromPomProperties(IReadOnlyDictionary<string, string> pom, FileLocation location, string? type)
    {
        var version = Value(pom, "version");
        // a pom.properties written by a misconfigured build can hold "${project.version}": that is no version
        var unresolved = version is not null && version.Contains("${", StringComparison.Ordinal);
        return MavenArtifact.Create(Value(pom, "groupId")!, Value(pom, "artifactId")!, unresolved ? null : version, location, type)
            .WithProperty("java:name-source", "pom.properties")
            .WithProperty("maven:unresolved-version", unresolved ? version : null);
    }

    /// Licenses from the pom.xml Maven stores beside pom.properties, when it declares them itself (not through a parent).
    private Package WithEmbeddedPom(Package package, Dictionary<string, ZipArchiveEntry> embeddedPoms, string archivePath)
    {
        if (!embeddedPoms.TryGetValue(package.Name, out var entry)) return package;
        var text = ReadMetadata(entry, archivePath, Encoding.UTF8); // over the limits: the archive is hostile, not read
        try
        {
            return package with { Licenses = [.. PomDocument.Parse(text).Licenses] };
        }
        catch (Exception e) when (e is System.Xml.XmlException or InputException)
        {
            // the jar is fine, only its copy of the pom is not: keep the package, say why it has no licenses
            return package.WithProperty("java:unreadable-pom", $"{entry.FullName}: {e.Message}");
        }
    }

    private static Package Add(Dictionary<Purl, Package> found, Package package)
    {
        var merged = found.TryGetValue(package.Purl, out var seen) ? seen.Merge(package) : package;
        found[package.Purl] = merged;
        return merged;
    }

    /// Names the archive when it has no pom.properties of its own. A file name written the Maven way
    /// (artifact-1.2.3.jar) names the artifact better than a manifest title or OSGi symbolic name
    /// ("io.netty.common" for netty-common); the manifest's Implementation-Version or Bundle-Version is the better
    /// version. Maven coordinates need a group the manifest rarely states (Implementation-Vendor-Id); without one the
    /// artifact name stands in for it, as other SBOM tools do. `java:name-source` says which evidence was used.
    private static Package FromManifestOrFileName(IReadOnlyDictionary<string, string> manifest, string fileStem, string? fileVersion,
        FileLocation location, string? type)
    {
        var manifestName = Identifier(Value(manifest, "Implementation-Title"))
            ?? Identifier(Value(manifest, "Bundle-SymbolicName")?.Split(';')[0])
            ?? Identifier(Value(manifest, "Specification-Title"));
        var manifestVersion = Value(manifest, "Implementation-Version") ?? Value(manifest, "Bundle-Version") ?? Value(manifest, "Specification-Version");
        var nameFromManifest = manifestName is not null && (fileVersion is null || fileStem.Length == 0);
        var versionFromManifest = manifestVersion is not null;
        var name = nameFromManifest ? manifestName! : fileStem;
        var version = versionFromManifest ? manifestVersion : fileVersion;
        var source = nameFromManifest == versionFromManifest || version is null
            ? (nameFromManifest ? "manifest" : "file-name")
            : "manifest+file-name";
        var group = Identifier(Value(manifest, "Implementation-Vendor-Id")) ?? name;
        return MavenArtifact.Create(group, name, version, location, type).WithProperty("java:name-source", source);
    }

    // a pom.properties names the archive when its artifactId is the file's name or the manifest's
    private static bool NamesThisArchive(IReadOnlyDictionary<string, string> pom, string fileStem, IReadOnlyDictionary<string, string> manifest)
    {
        var artifactId = Value(pom, "artifactId");
        return artifactId == fileStem
            || artifactId == Value(manifest, "Implementation-Title")
            || artifactId == Value(manifest, "Bundle-SymbolicName")?.Split(';')[0].Trim()
            || artifactId == Value(manifest, "Automatic-Module-Name");
    }

    /// "log4j-core-2.14.1" → ("log4j-core", "2.14.1"): the version starts at the first '-' followed by a digit.
    internal static (string Name, string? Version) SplitFileName(string stem)
    {
        for (var i = 1; i + 1 < stem.Length; i++)
        {
            if (stem[i] == '-' && char.IsAsciiDigit(stem[i + 1])) return (stem[..i], stem[(i + 1)..]);
        }
        return (stem, null);
    }

    private static string? Value(IReadOnlyDictionary<string, string> map, string key) =>
        map.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v.Trim() : null;

    // a manifest title is a name only when it looks like one ("log4j-core", not "Apache Log4j Core")
    private static string? Identifier(string? text) =>
        text is { Length: > 0 and <= 200 } t && !t.Any(c => char.IsWhiteSpace(c) || c is ':' or '/' or '\\') ? t : null;

    private string ReadMetadata(ZipArchiveEntry entry, string archivePath, Encoding encoding)
    {
        var entryPath = $"{archivePath}!/{entry.FullName}";
        if (entry.Length > limits.MaxMetadataBytes)
            throw new InputException($"{entryPath}: {entry.Length:N0} bytes, over the {limits.MaxMetadataBytes:N0}-byte limit for metadata; not read. The archive is malformed or hostile.");
        using var buffer = CopyEntry(entry, entryPath, limits.MaxMetadataBytes, null);
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private MemoryStream CopyNested(ZipArchiveEntry entry, string entryPath, out Digest sha1)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var copy = CopyEntry(entry, entryPath, limits.MaxNestedBytes, hash);
        sha1 = new Digest(Core.HashAlgorithm.Sha1, Convert.ToHexStringLower(hash.GetHashAndReset()));
        return copy;
    }

    /// Copies an entry into memory, checking its compression ratio first and counting what it really expands to
    /// (the sizes in a zip's headers may lie) against the entry's and the whole archive's limits.
    private MemoryStream CopyEntry(ZipArchiveEntry entry, string entryPath, long maxBytes, IncrementalHash? hash)
    {
        var declared = entry.Length;
        CheckRatio(entry, entryPath);
        Reserve(declared, entryPath);
        var copy = new MemoryStream((int)Math.Min(declared, maxBytes));
        using (var source = entry.Open())
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > declared)
                {
                    throw new InputException($"{entryPath}: expands past the {declared:N0} bytes its header states; " +
                        "a malformed or hostile archive, not read.");
                }
                copy.Write(buffer, 0, read);
                hash?.AppendData(buffer, 0, read);
            }
        }
        copy.Position = 0;
        return copy;
    }

    private void CheckRatio(ZipArchiveEntry entry, string entryPath)
    {
        var declared = entry.Length;
        if (declared >= limits.RatioCheckThreshold
            && (entry.CompressedLength == 0 || declared / entry.CompressedLength > limits.MaxCompressionRatio))
        {
            throw new InputException($"{entryPath}: expands from {entry.CompressedLength:N0} to {declared:N0} bytes, over the " +
                $"{limits.MaxCompressionRatio}:1 compression ratio allowed; likely a zip bomb, not read.");
        }
    }

    private void Reserve(long bytes, string entryPath)
    {
        _unpacked += bytes;
        if (_unpacked > limits.MaxTotalBytes)
        {
            throw new InputException($"{entryPath}: unpacking it would take the archive's nested content past " +
                $"{limits.MaxTotalBytes:N0} bytes; likely a zip bomb, not read.");
        }
    }

    [GeneratedRegex(@"^META-INF/maven/[^/]+/[^/]+/pom\.properties$", RegexOptions.CultureInvariant)]
    private static partial Regex PomPropertiesPath();

    [GeneratedRegex(@"^META-INF/maven/([^/]+)/([^/]+)/pom\.xml$", RegexOptions.CultureInvariant)]
    private static partial Regex PomXmlPath();
}
