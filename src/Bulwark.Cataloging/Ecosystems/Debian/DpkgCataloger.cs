// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Bulwark.Cataloging.Ecosystems.Linux;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Debian;

/// Reads installed Debian packages from dpkg's database: var/lib/dpkg/status, and the one-file-per-package
/// var/lib/dpkg/status.d/ that distroless images use instead. Source package and version (for Debian and Ubuntu
/// advisories), architecture, maintainer, dependency edges, and licenses from usr/share/doc/&lt;package&gt;/copyright.
/// A root filesystem inside the scanned tree (rootfs/var/lib/dpkg/status) is read against its own root.
public sealed class DpkgCataloger : ICataloger, IReadsNeighbours
{
    private const string StatusFile = "var/lib/dpkg/status";
    private const string StatusDirectory = "var/lib/dpkg/status.d";
    private const int MaxCopyrightSize = 4 * 1024 * 1024;

    // status.d is one database split over files: edges cross files, so the whole directory is read once per tree
    private static readonly ConditionalWeakTable<IFileTree, ConcurrentDictionary<string, Lazy<Task<StatusDirectoryIndex>>>> StatusDirectories = new();

    public string Name => "dpkg";

    public bool Wants(FilePath path) =>
        path.Value.EndsWith(StatusFile, StringComparison.Ordinal) && IsAtRootBoundary(path.Value, StatusFile)
        || IsStatusDirectoryEntry(path);

    public bool MayRead(FilePath path) =>
        OsRelease.IsOsReleasePath(path)
        || path.FileName == "copyright" && path.Directory.Contains("usr/share/doc/", StringComparison.Ordinal);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        if (IsStatusDirectoryEntry(input.Path))
        {
            var root = input.Path.Value[..^(StatusDirectory.Length + 1 + input.Path.FileName.Length)];
            var index = await StatusDirectories.GetValue(input.Tree, _ => new(StringComparer.Ordinal))
                // not cancelled by the first caller's token: the result is shared by every file of the directory
                .GetOrAdd(root, r => new Lazy<Task<StatusDirectoryIndex>>(() => StatusDirectoryIndex.ReadAsync(input.Tree, r, CancellationToken.None)))
                .Value.ConfigureAwait(false);
            // this file's own text is what the catalog handed us; the index only resolves edges across files
            var own = Installed(ControlParagraphs.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false), input.Path.Value));
            return await BuildAsync(input.Tree, root, own, index.Entries, input.Location, ct).ConfigureAwait(false);
        }
        var rootOfStatus = input.Path.Value[..^StatusFile.Length];
        var entries = Installed(ControlParagraphs.Parse(await input.ReadTextAsync(ct).ConfigureAwait(false), input.Path.Value));
        return await BuildAsync(input.Tree, rootOfStatus, entries, entries, input.Location, ct).ConfigureAwait(false);
    }

    private static bool IsAtRootBoundary(string path, string suffix) =>
        path.Length == suffix.Length || path[path.Length - suffix.Length - 1] == '/';

    private static bool IsStatusDirectoryEntry(FilePath path) =>
        path.Directory.EndsWith(StatusDirectory, StringComparison.Ordinal) && IsAtRootBoundary(path.Directory, StatusDirectory)
        // distroless writes "<package>.md5sums" beside each entry: file lists, not package records
        && !path.FileName.EndsWith(".md5sums", StringComparison.Ordinal) && !path.FileName.StartsWith('.');

    /// Entries dpkg considers installed: Status "install ok installed" or "hold ok installed"; a status.d entry
    /// without a Status field is installed by construction. config-files, half-installed, unpacked… are not.
    private static List<ControlParagraph> Installed(IReadOnlyList<ControlParagraph> paragraphs) =>
        [.. paragraphs.Where(p => !string.IsNullOrWhiteSpace(p["Package"]) && !string.IsNullOrWhiteSpace(p["Version"]) && IsInstalled(p["Status"]))];

    private static bool IsInstalled(string? status)
    {
        if (status is null) return true;
        var words = status.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[0] is "install" or "hold" && words[1] == "ok" && words[2] == "installed";
    }

    private static async Task<IReadOnlyList<Package>> BuildAsync(IFileTree tree, string root, List<ControlParagraph> own,
        List<ControlParagraph> all, FileLocation location, CancellationToken ct)
    {
        var os = OsRelease.For(tree, root);
        var purls = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var providers = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var p in all)
        {
            var name = p["Package"]!.Trim();
            purls.TryAdd(name, PurlFor(p, os));
            foreach (var provided in Relations(p["Provides"]).SelectMany(a => a))
            {
                if (!providers.TryGetValue(provided, out var set)) providers[provided] = set = new(StringComparer.Ordinal);
                set.Add(name);
            }
        }

        var result = new List<Package>(own.Count);
        foreach (var p in own)
        {
            ct.ThrowIfCancellationRequested();
            var name = p["Package"]!.Trim();
            var version = p["Version"]!.Trim();
            var (sourceName, sourceVersion) = Source(p["Source"], name, version);
            var copyrightPath = new FilePath($"{root}usr/share/doc/{name}/copyright");
            var licenses = await ReadLicensesAsync(tree, copyrightPath, ct).ConfigureAwait(false);

            var edges = new SortedSet<Purl>();
            foreach (var alternatives in Relations(p["Pre-Depends"]).Concat(Relations(p["Depends"])))
                if (Resolve(alternatives, purls, providers) is { } target) edges.Add(target);

            var pkg = new Package
            {
                Ecosystem = Ecosystem.Debian,
                Name = name,
                Version = version,
                Purl = purls.TryGetValue(name, out var purl) ? purl : PurlFor(p, os),
                Locations = licenses is null ? [location with { Line = p.Line }]
                    : [location with { Line = p.Line }, new FileLocation(copyrightPath.Value)],
                Licenses = licenses is null ? [] : [.. licenses],
                Supplier = p.FirstLine("Maintainer"),
                Description = p.FirstLine("Description"),
                DependsOn = [.. edges],
                ExternalReferences = p.FirstLine("Homepage") is { } home ? [new ExternalReference("website", home)] : [],
            };
            result.Add(pkg
                .WithProperty("deb:source", sourceName)
                .WithProperty("deb:source-version", sourceVersion)
                .WithProperty("deb:architecture", p.FirstLine("Architecture"))
                .WithProperty("deb:installed-size", p.FirstLine("Installed-Size"))
                .WithProperty("deb:essential", p.FirstLine("Essential")));
        }
        return result;
    }

    /// pkg:deb/&lt;os id&gt;/&lt;name&gt;@&lt;version&gt;?arch=…&amp;distro=&lt;id&gt;-&lt;version id&gt;&amp;upstream=… (purl-spec deb type;
    /// upstream names the source package, with "@version" when it differs from the binary's, as Syft and Trivy write it).
    internal static Purl PurlFor(ControlParagraph p, OsRelease? os)
    {
        var name = p["Package"]!.Trim();
        var version = p["Version"]!.Trim();
        var (sourceName, sourceVersion) = Source(p["Source"], name, version);
        var upstream = sourceVersion != version ? $"{sourceName}@{sourceVersion}" : sourceName != name ? sourceName : null;
        var qualifiers = new List<KeyValuePair<string, string>>();
        if (p.FirstLine("Architecture") is { } arch) qualifiers.Add(new("arch", arch));
        if (os is not null) qualifiers.Add(new("distro", os.Distro));
        if (upstream is not null) qualifiers.Add(new("upstream", upstream));
        return new Purl("deb", os?.Id ?? "debian", name, version, qualifiers);
    }

    /// "Source: glibc (2.36-9)" → (glibc, 2.36-9); no Source field means the source is named and versioned as the binary.
    internal static (string Name, string Version) Source(string? field, string name, string version)
    {
        var text = field?.Trim() ?? "";
        if (text.Length == 0) return (name, version);
        var open = text.IndexOf('(');
        if (open < 0) return (text, version);
        var close = text.IndexOf(')', open);
        var v = (close < 0 ? text[(open + 1)..] : text[(open + 1)..close]).Trim();
        return (text[..open].Trim(), v.Length == 0 ? version : v);
    }

    /// A Depends-style field as its comma-separated relations, each a list of alternatives ("a | b") reduced to package
    /// names: version constraints "(>= 1)", architecture qualifiers ":any", "[arch]" and "&lt;profile&gt;" restrictions dropped.
    internal static IEnumerable<List<string>> Relations(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) yield break;
        foreach (var relation in field.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var names = new List<string>();
            foreach (var alt in relation.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var end = alt.IndexOfAny([' ', '\t', '\n', '(', '[', '<', ':']);
                var n = end < 0 ? alt : alt[..end];
                if (n.Length > 0) names.Add(n);
            }
            if (names.Count > 0) yield return names;
        }
    }

    private static Purl? Resolve(List<string> alternatives, Dictionary<string, Purl> installed, Dictionary<string, SortedSet<string>> providers)
    {
        // the first alternative that is installed, as dpkg satisfies it; a virtual name resolves to an installed provider
        foreach (var name in alternatives)
            if (installed.TryGetValue(name, out var purl)) return purl;
        foreach (var name in alternatives)
            if (providers.TryGetValue(name, out var set))
                foreach (var provider in set)
                    if (installed.TryGetValue(provider, out var purl)) return purl;
        return null;
    }

    private static async Task<IReadOnlyList<string>?> ReadLicensesAsync(IFileTree tree, FilePath path, CancellationToken ct)
    {
        await using var stream = tree.TryOpen(path);
        if (stream is null) return null;
        // a copyright file over the cap is read up to it: the License: fields in what was read still count
        using var text = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while (text.Length < MaxCopyrightSize && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, MaxCopyrightSize - text.Length)), ct).ConfigureAwait(false)) > 0)
            text.Write(buffer, 0, n);
        return DebianCopyright.Licenses(System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), path.Value);
    }

    /// Every entry of one status.d directory, read once per tree so that edges between packages in different files resolve.
    private sealed class StatusDirectoryIndex(List<ControlParagraph> entries)
    {
        public List<ControlParagraph> Entries { get; } = entries;

        public static async Task<StatusDirectoryIndex> ReadAsync(IFileTree tree, string root, CancellationToken ct)
        {
            var entries = new List<ControlParagraph>();
            var dir = root + StatusDirectory;
            foreach (var file in tree.Files().Where(f => f.Path.Directory == dir && IsStatusDirectoryEntry(f.Path)).OrderBy(f => f.Path))
            {
                await using var s = tree.TryOpen(file.Path);
                if (s is null) continue;
                using var reader = new StreamReader(s);
                var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
                try
                {
                    entries.AddRange(Installed(ControlParagraphs.Parse(text, file.Path.Value)));
                }
                catch (InputException)
                {
                    // that file is reported unreadable when the catalog hands it over; here it only cannot supply edges
                }
            }
            return new StatusDirectoryIndex(entries);
        }
    }
}
