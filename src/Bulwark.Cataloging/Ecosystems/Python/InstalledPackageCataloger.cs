// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Python;

/// Reads installed Python distributions: *.dist-info/METADATA (wheels), *.egg-info/PKG-INFO and single-file *.egg-info
/// (setuptools). Requires-Dist becomes an edge only when the required distribution is installed beside this one.
public sealed class InstalledPackageCataloger : ICataloger
{
    private static readonly ConditionalWeakTable<IFileTree, SiteIndex> Indexes = [];

    public string Name => "python-installed";

    public bool Wants(FilePath path)
    {
        var name = path.FileName;
        var dir = path.Directory;
        return (name == "METADATA" && dir.EndsWith(".dist-info", StringComparison.Ordinal))
            || (name == "PKG-INFO" && dir.EndsWith(".egg-info", StringComparison.Ordinal))
            || name.EndsWith(".egg-info", StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var headers = await CoreMetadata.ReadAsync(input.Content, ct).ConfigureAwait(false);
        var name = headers.First("Name");
        var version = headers.First("Version");
        if (string.IsNullOrWhiteSpace(name))
            throw new InputException($"{input.Path.FileName} has no Name header; it is not Python core metadata.");
        if (string.IsNullOrWhiteSpace(version))
            throw new InputException($"{input.Path.FileName} of '{name}' has no Version header; it is not complete core metadata.");

        var package = Package.Create(Ecosystem.PyPI, name.Trim(), version.Trim(), input.Location) with
        {
            Licenses = [.. Licenses(headers)],
            Description = headers.First("Summary") is { Length: > 0 } summary ? summary : null,
            Author = headers.First("Author") is { Length: > 0 } author ? author : null,
            ExternalReferences = headers.First("Home-page") is { Length: > 0 } home && home != "UNKNOWN" ? [new("website", home)] : [],
        };

        var requires = headers.All("Requires-Dist");
        if (requires.Count > 0)
        {
            var index = Indexes.GetValue(input.Tree, t => new SiteIndex(t));
            var siteDir = SiteIndex.SiteDirectoryOf(input.Path);
            var edges = new List<Purl>();
            foreach (var spec in requires)
            {
                if (!PythonRequirement.TryParse(spec, out var requirement)) continue;
                if (await index.FindAsync(siteDir, requirement.NormalisedName, ct).ConfigureAwait(false) is { } installed)
                    edges.Add(installed);
            }
            package = package with { DependsOn = [.. edges.Distinct()] };
        }
        return [package];
    }

    /// License-Expression (PEP 639) when present; otherwise the License field and the license classifiers, as written.
    private static IEnumerable<string> Licenses(CoreMetadata headers)
    {
        if (headers.First("License-Expression") is { Length: > 0 } expression) return [expression.Trim()];
        var licenses = new List<string>();
        // the License field sometimes holds the whole license text: only a short one-line value names a license
        if (headers.First("License") is { Length: > 0 and <= 200 } license && !license.Contains('\n', StringComparison.Ordinal)
            && license.Trim() is { Length: > 0 } trimmed && trimmed != "UNKNOWN")
            licenses.Add(trimmed);
        foreach (var classifier in headers.All("Classifier"))
        {
            if (!classifier.StartsWith("License ::", StringComparison.Ordinal)) continue;
            var last = classifier.Split("::", StringSplitOptions.TrimEntries)[^1];
            if (last.Length > 0 && last != "OSI Approved") licenses.Add(last);
        }
        return licenses.Distinct(StringComparer.Ordinal);
    }

    /// The distributions installed in each site directory of a tree, found by one walk of the tree on first use.
    private sealed class SiteIndex(IFileTree tree)
    {
        private readonly Lazy<Dictionary<string, Dictionary<string, FilePath>>> _sites = new(() => Build(tree), LazyThreadSafetyMode.ExecutionAndPublication);
        private readonly ConcurrentDictionary<FilePath, Purl?> _purls = new();

        /// "lib/site-packages" for "lib/site-packages/foo-1.0.dist-info/METADATA" and for "lib/site-packages/foo-1.0.egg-info".
        public static string SiteDirectoryOf(FilePath metadata)
        {
            var dir = metadata.Directory;
            var parent = dir.EndsWith(".dist-info", StringComparison.Ordinal) || dir.EndsWith(".egg-info", StringComparison.Ordinal)
                ? new FilePath(dir).Directory
                : dir;
            return parent;
        }

        public async Task<Purl?> FindAsync(string siteDir, string normalisedName, CancellationToken ct)
        {
            if (!_sites.Value.TryGetValue(siteDir, out var installed) || !installed.TryGetValue(normalisedName, out var path)) return null;
            if (_purls.TryGetValue(path, out var known)) return known;
            Purl? purl = null;
            await using (var stream = tree.TryOpen(path))
            {
                if (stream is not null)
                {
                    var headers = await CoreMetadata.ReadAsync(stream, ct).ConfigureAwait(false);
                    if (headers.First("Name") is { Length: > 0 } n && headers.First("Version") is { Length: > 0 } v)
                        purl = Ecosystem.PyPI.PurlFor(n.Trim(), v.Trim());
                }
            }
            _purls[path] = purl;
            return purl;
        }

        private static Dictionary<string, Dictionary<string, FilePath>> Build(IFileTree tree)
        {
            var sites = new Dictionary<string, Dictionary<string, FilePath>>(StringComparer.Ordinal);
            foreach (var file in tree.Files())
            {
                var path = file.Path;
                string distDir;
                if ((path.FileName == "METADATA" && path.Directory.EndsWith(".dist-info", StringComparison.Ordinal))
                    || (path.FileName == "PKG-INFO" && path.Directory.EndsWith(".egg-info", StringComparison.Ordinal)))
                    distDir = new FilePath(path.Directory).FileName;
                else if (path.FileName.EndsWith(".egg-info", StringComparison.Ordinal)) distDir = path.FileName;
                else continue;
                // "{name}-{version}.dist-info": the name never contains '-' (it is escaped to '_')
                var dash = distDir.IndexOf('-', StringComparison.Ordinal);
                var dot = distDir.LastIndexOf('.');
                var name = PythonNames.Normalise(dash > 0 ? distDir[..dash] : distDir[..dot]);
                var site = SiteDirectoryOf(path);
                if (!sites.TryGetValue(site, out var installed)) sites[site] = installed = new(StringComparer.Ordinal);
                installed.TryAdd(name, path);
            }
            return sites;
        }
    }
}

/// The header block of a core metadata file (METADATA, PKG-INFO): RFC 822 style "Name: value" lines, indented
/// continuation lines, ended by a blank line (the description that may follow is not read).
internal sealed class CoreMetadata
{
    private readonly List<(string Name, string Value)> _headers = [];

    public string? First(string name) => _headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public List<string> All(string name) =>
        [.. _headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// Characters read before giving up on finding the blank line that ends the headers (a hostile or binary file).
    private const int MaxHeaderChars = 4 << 20;

    public static async Task<CoreMetadata> ReadAsync(Stream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var text = new System.Text.StringBuilder();
        var buffer = new char[16 * 1024];
        var end = -1;
        while (end < 0)
        {
            var n = await reader.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0) break;
            var from = Math.Max(0, text.Length - 2);
            text.Append(buffer, 0, n);
            end = BlankLine(text, from);
            if (end < 0 && text.Length > MaxHeaderChars)
                throw new InputException($"the metadata headers do not end within {MaxHeaderChars:N0} characters; this is not a core metadata file.");
        }

        var result = new CoreMetadata();
        var lines = (end >= 0 ? text.ToString(0, end) : text.ToString()).Split('\n');
        // a header's continuation lines are joined once, when the next header starts (joining them line by line was
        // quadratic: 540 MB for a 180 KB file of 3,600 continuation lines, found by the fuzzer)
        string? name = null, value = null;
        System.Text.StringBuilder? more = null;
        void Flush()
        {
            if (name is not null) result._headers.Add((name, more is null ? value! : more.ToString()));
            (name, value, more) = (null, null, null);
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line[0] is ' ' or '\t')
            {
                if (name is null) throw new InputException($"line {i + 1}: a continuation line comes before any header.");
                (more ??= new System.Text.StringBuilder(value)).Append('\n').Append(line.AsSpan().Trim());
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new InputException($"line {i + 1}: expected 'Header: value', found '{(line.Length > 40 ? line[..40] + "…" : line)}'.");
            Flush();
            (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        Flush();
        return result;
    }

    /// Where the first blank line starts ("\n\n" or "\n\r\n"), searching from <paramref name="from"/>; -1 when none yet.
    private static int BlankLine(System.Text.StringBuilder text, int from)
    {
        if (from == 0 && text.Length > 0 && text[0] is '\n' or '\r') return 0;
        for (var i = from; i < text.Length - 1; i++)
        {
            if (text[i] != '\n') continue;
            if (text[i + 1] == '\n') return i + 1;
            if (text[i + 1] == '\r' && i + 2 < text.Length && text[i + 2] == '\n') return i + 1;
        }
        return -1;
    }
}
