// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Linux;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Alpine;

/// Reads installed Alpine packages from apk's database, lib/apk/db/installed: one record per package, "X:value" lines
/// (P name, V version, A arch, o origin, L license, m maintainer, C checksum, D depends, p provides, t build time,
/// c commit; F/R/M/a/Z list files and are skipped), records separated by blank lines (apk-tools' installed-database format).
public sealed class ApkInstalledCataloger : ICataloger, IReadsNeighbours
{
    private const string DatabaseFile = "lib/apk/db/installed";

    public string Name => "apk-installed";

    public bool Wants(FilePath path) =>
        path.Value.EndsWith(DatabaseFile, StringComparison.Ordinal)
        && (path.Value.Length == DatabaseFile.Length || path.Value[^(DatabaseFile.Length + 1)] == '/');

    public bool MayRead(FilePath path) => OsRelease.IsOsReleasePath(path);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var root = input.Path.Value[..^DatabaseFile.Length];
        var os = OsRelease.For(input.Tree, root);
        var records = Parse(await input.ReadTextAsync(ct).ConfigureAwait(false), input.Path.Value);

        var byName = new Dictionary<string, Purl>(StringComparer.Ordinal);
        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            byName.TryAdd(r.Name, PurlFor(r, os));
            foreach (var provided in r.Provides) providers.TryAdd(provided, r.Name);
        }

        var result = new List<Package>(records.Count);
        foreach (var r in records)
        {
            var edges = new SortedSet<Purl>();
            foreach (var dep in r.Depends)
            {
                var target = byName.ContainsKey(dep) ? dep : providers.GetValueOrDefault(dep);
                if (target is not null && target != r.Name) edges.Add(byName[target]);
            }
            var pkg = new Package
            {
                Ecosystem = Ecosystem.Alpine,
                Name = r.Name,
                Version = r.Version,
                Purl = PurlFor(r, os),
                Locations = [input.LocationAt(r.Line)],
                Licenses = [.. LicensesOf(r.Field('L'))],
                Supplier = r.Field('m'),
                Description = r.Field('T'),
                Hashes = Checksum(r.Field('C')) is { } d ? [d] : [],
                DependsOn = [.. edges],
                ExternalReferences = r.Field('U') is { } url ? [new ExternalReference("website", url)] : [],
            };
            result.Add(pkg
                .WithProperty("apk:origin", r.Field('o') ?? r.Name)
                .WithProperty("apk:architecture", r.Field('A'))
                .WithProperty("apk:build-time", r.Field('t'))
                .WithProperty("apk:commit", r.Field('c'))
                .WithProperty("apk:installed-size", r.Field('I')));
        }
        return result;
    }

    /// pkg:apk/&lt;os id&gt;/&lt;name&gt;@&lt;version&gt;?arch=…&amp;distro=alpine-3.19.1&amp;upstream=&lt;origin&gt; (upstream only when the
    /// origin differs from the name); no os-release means namespace "alpine" and no distro.
    private static Purl PurlFor(ApkRecord r, OsRelease? os)
    {
        var q = new List<KeyValuePair<string, string>>();
        if (r.Field('A') is { } arch) q.Add(new("arch", arch));
        if (os is not null) q.Add(new("distro", os.Distro));
        if (r.Field('o') is { } origin && origin != r.Name) q.Add(new("upstream", origin));
        return new Purl("apk", os?.Id ?? "alpine", r.Name, r.Version, q);
    }

    /// "L:" is an SPDX expression in current aports ("MIT AND BSD-2-Clause") and a space-separated list in older ones
    /// ("MIT BSD GPL2+"): an expression is kept whole, a list is split into names.
    private static IEnumerable<string> LicensesOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        if (Licenses.Normalise(text) is { IsSpdx: true }) return [text];
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// "C:Q1&lt;base64&gt;" is a SHA-1 of the package's control section (apk-tools "Q1" prefix); a bare 32-digit hex is MD5.
    private static Digest? Checksum(string? text)
    {
        if (text is null) return null;
        if (text.StartsWith("Q1", StringComparison.Ordinal))
        {
            var bytes = new byte[20];
            return Convert.TryFromBase64String(text[2..], bytes, out var n) && n == 20
                ? new Digest(HashAlgorithm.Sha1, Convert.ToHexStringLower(bytes)) : null;
        }
        return Digest.TryCreate("md5", text, out var md5) ? md5 : null;
    }

    private sealed class ApkRecord(int line)
    {
        public int Line { get; } = line;
        public Dictionary<char, string> Fields { get; } = [];
        public List<string> Depends { get; } = [];
        public List<string> Provides { get; } = [];
        public string Name => Fields['P'];
        public string Version => Fields['V'];
        public string? Field(char key) => Fields.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
    }

    private static List<ApkRecord> Parse(string text, string path)
    {
        var records = new List<ApkRecord>();
        ApkRecord? current = null;
        var lineNo = 0;
        var sawField = false;
        var sawText = false;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                Finish(current, records);
                current = null;
                continue;
            }
            sawText = true;
            if (line.Length < 2 || line[1] != ':') continue; // not "X:value": skipped, as apk skips unknown lines
            sawField = true;
            current ??= new ApkRecord(lineNo);
            var key = line[0];
            var value = line[2..].Trim();
            switch (key)
            {
                case 'D':
                    foreach (var d in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (d[0] != '!') current.Depends.Add(DependencyName(d)); // "!name" is a conflict, not a need
                    break;
                case 'p':
                    foreach (var d in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        current.Provides.Add(DependencyName(d));
                    break;
                default:
                    current.Fields.TryAdd(key, value); // F:/R: repeat per file; the first P:/V: wins
                    break;
            }
        }
        Finish(current, records);
        if (sawText && !sawField)
            throw new InputException($"Cannot read {path}: it has no 'X:value' lines, so it is not an apk installed database. Check that the file is not damaged.");
        return records;
    }

    private static void Finish(ApkRecord? r, List<ApkRecord> records)
    {
        // a record without a name or version (a damaged entry) is skipped rather than losing the whole database
        if (r is not null && r.Field('P') is not null && r.Field('V') is not null) records.Add(r);
    }

    // "so:libc.musl-x86_64.so.1", "busybox>=1.36", "cmd:sh=1.36.1-r5", "pc:zlib~1.3": the name before any operator
    private static string DependencyName(string d)
    {
        var end = d.IndexOfAny(['<', '>', '=', '~']);
        return end < 0 ? d : d[..end];
    }
}
