// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Cataloging.Ecosystems.Linux;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Microsoft.Data.Sqlite;

namespace Bulwark.Cataloging.Ecosystems.Rpm;

/// Reads installed rpm packages from the rpm database: rpmdb.sqlite (rpm 4.16+, Fedora 33+, RHEL 9) and the
/// Berkeley DB Packages file (older RHEL/CentOS, Amazon Linux 2) and the ndb Packages.db (SUSE), in var/lib/rpm or
/// usr/lib/sysimage/rpm. Each
/// record is an rpm header; the package keeps its epoch, source RPM, license, vendor and dependency edges.
public sealed class RpmDbCataloger : ICataloger, IReadsNeighbours
{
    private static readonly string[] Directories = ["var/lib/rpm/", "usr/lib/sysimage/rpm/"];

    public string Name => "rpm-db";

    public bool Wants(FilePath path) =>
        path.FileName is "rpmdb.sqlite" or "Packages" or "Packages.db" && RootOf(path) is not null;

    public bool MayRead(FilePath path) => OsRelease.IsOsReleasePath(path);

    public async Task<IReadOnlyList<Package>> ReadAsync(CatalogInput input, CancellationToken ct)
    {
        var root = RootOf(input.Path)!;
        var os = OsRelease.For(input.Tree, root);
        // the readers need random access and SQLite needs a file: the content is copied into a private temp directory,
        // removed afterwards with anything SQLite put beside it
        var temp = Directory.CreateTempSubdirectory("bulwark-rpmdb-");
        try
        {
            var file = Path.Combine(temp.FullName, input.Path.FileName);
            await using (var copy = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                await input.Content.CopyToAsync(copy, ct).ConfigureAwait(false);
            var headers = input.Path.FileName switch
            {
                "rpmdb.sqlite" => ReadSqlite(file, input.Path.Value),
                "Packages.db" => ReadNdb(file, input.Path.Value),
                _ => ReadBerkeley(file, input.Path.Value),
            };
            return Build(headers, os, input.Location, ct);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static string? RootOf(FilePath path)
    {
        var dir = path.Directory + "/";
        foreach (var d in Directories)
            if (dir.EndsWith(d, StringComparison.Ordinal) && (dir.Length == d.Length || dir[^(d.Length + 1)] == '/'))
                return dir[..^d.Length];
        return null;
    }

    private static List<(long Number, RpmHeader Header)> ReadSqlite(string file, string where)
    {
        var result = new List<(long, RpmHeader)>();
        try
        {
            // immutable=1: the copy never changes, so SQLite takes no locks and makes no -shm/-wal files even for a
            // database rpm left in WAL mode (sqlite.org/uri.html)
            var uri = new Uri(file).AbsoluteUri + "?immutable=1";
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = uri, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // SQLite columns hold whatever was stored: rpm writes an integer and a blob, anything else is damage
                var hnum = reader.GetValue(0);
                if (hnum is not long number)
                    throw new InputException($"Cannot read {where}: a Packages row's hnum is {StorageClass(hnum)}, not an integer. It is not an rpm SQLite database or it is damaged.");
                if (reader.IsDBNull(1)) continue;
                var value = reader.GetValue(1);
                if (value is not byte[] blob)
                    throw new InputException($"Cannot read {where}: package {number}'s header is {StorageClass(value)}, not a blob. It is not an rpm SQLite database or it is damaged.");
                result.Add((number, RpmHeader.Parse(blob, $"{where}, package {number}")));
            }
        }
        catch (SqliteException e)
        {
            throw new InputException($"Cannot read {where}: {e.Message}. It is not an rpm SQLite database or it is damaged.", e);
        }
        return result;
    }

    // the SQLite storage class of a value as Microsoft.Data.Sqlite returns it
    private static string StorageClass(object value) => value switch
    {
        long => "INTEGER",
        double => "REAL",
        string => "TEXT",
        byte[] => "BLOB",
        _ => "NULL",
    };

    private static List<(long Number, RpmHeader Header)> ReadBerkeley(string file, string where)
    {
        var result = new List<(long, RpmHeader)>();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        var database = BerkeleyHashDatabase.Open(stream, where);
        foreach (var (key, value) in database.Entries())
        {
            // keys are 4-byte header instance numbers in the writer's byte order; rpm keeps a counter under key 0
            long number = key.Length != 4 ? -1
                : database.IsBigEndian ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(key)
                : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (number == 0) continue;
            result.Add((number, RpmHeader.Parse(value, $"{where}, package {number}")));
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    private static List<(long Number, RpmHeader Header)> ReadNdb(string file, string where)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        return [.. NdbPackageDatabase.Entries(stream, where)
            .Select(e => ((long)e.Index, RpmHeader.Parse(e.Blob, $"{where}, package {e.Index}")))
            .OrderBy(e => e.Item1)];
    }

    private static List<Package> Build(List<(long Number, RpmHeader Header)> headers, OsRelease? os, FileLocation location, CancellationToken ct)
    {
        // gpg-pubkey "packages" are the signing keys rpm --import stored, not software
        var installed = headers.Where(h => h.Header.String(RpmHeader.Name) is { } n && n != "gpg-pubkey" && h.Header.String(RpmHeader.Version) is not null).ToList();
        var purls = new Dictionary<long, Purl>();
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCapability = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (number, h) in installed)
        {
            purls[number] = PurlFor(h, os);
            byName.TryAdd(h.String(RpmHeader.Name)!, number);
            foreach (var provided in h.Strings(RpmHeader.ProvideName)) byCapability.TryAdd(provided, number);
        }
        // file requirements ("/bin/sh") resolve to the package that owns the file; only the files asked for are indexed
        var wantedFiles = installed.SelectMany(h => h.Header.Strings(RpmHeader.RequireName)).Where(r => r.StartsWith('/')).ToHashSet(StringComparer.Ordinal);
        if (wantedFiles.Count > 0)
            foreach (var (number, h) in installed)
                foreach (var file in Files(h))
                    if (wantedFiles.Contains(file)) byCapability.TryAdd(file, number);

        var result = new List<Package>(installed.Count);
        foreach (var (number, h) in installed)
        {
            ct.ThrowIfCancellationRequested();
            var edges = new SortedSet<Purl>();
            foreach (var required in h.Strings(RpmHeader.RequireName))
            {
                if (required.StartsWith("rpmlib(", StringComparison.Ordinal)) continue; // features of rpm itself
                if ((byName.TryGetValue(required, out var target) || byCapability.TryGetValue(required, out target)) && target != number)
                    edges.Add(purls[target]);
            }
            var epoch = h.Integer(RpmHeader.Epoch);
            var pkg = new Package
            {
                Ecosystem = Ecosystem.Rpm,
                Name = h.String(RpmHeader.Name)!,
                Version = VersionOf(h),
                Purl = purls[number],
                Locations = [location],
                Licenses = h.String(RpmHeader.License) is { } license ? [license] : [],
                Supplier = h.String(RpmHeader.Vendor),
                Description = h.String(RpmHeader.Summary),
                DependsOn = [.. edges],
                ExternalReferences = h.String(RpmHeader.Url) is { } url ? [new ExternalReference("website", url)] : [],
            };
            result.Add(pkg
                .WithProperty("rpm:epoch", epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithProperty("rpm:source-rpm", h.String(RpmHeader.SourceRpm))
                .WithProperty("rpm:architecture", h.String(RpmHeader.Arch))
                .WithProperty("rpm:size", (h.Integer(RpmHeader.LongSize) ?? h.Integer(RpmHeader.Size))?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithProperty("rpm:modularity-label", h.String(RpmHeader.ModularityLabel))
                .WithProperty("rpm:sha256-header", h.String(RpmHeader.Sha256Header))
                .WithProperty("rpm:db-record", number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return result;
    }

    /// The version as rpm prints it without the epoch ("2.0-1.el9"); the epoch is the purl's epoch qualifier.
    private static string VersionOf(RpmHeader h) =>
        h.String(RpmHeader.Release) is { } release ? $"{h.String(RpmHeader.Version)}-{release}" : h.String(RpmHeader.Version)!;

    /// pkg:rpm/&lt;os id or vendor&gt;/&lt;name&gt;@&lt;version&gt;-&lt;release&gt;?arch=…&amp;epoch=…&amp;distro=&lt;id&gt;-&lt;version id&gt;&amp;upstream=&lt;source rpm&gt;.
    private static Purl PurlFor(RpmHeader h, OsRelease? os)
    {
        var q = new List<KeyValuePair<string, string>>();
        if (h.String(RpmHeader.Arch) is { } arch) q.Add(new("arch", arch));
        if (h.Integer(RpmHeader.Epoch) is { } epoch) q.Add(new("epoch", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (os is not null) q.Add(new("distro", os.Distro));
        if (h.String(RpmHeader.SourceRpm) is { } srpm) q.Add(new("upstream", srpm));
        return new Purl("rpm", os?.Id ?? NamespaceFromVendor(h.String(RpmHeader.Vendor)), h.String(RpmHeader.Name)!, VersionOf(h), q);
    }

    private static string? NamespaceFromVendor(string? vendor)
    {
        if (vendor is null) return null;
        var v = vendor.ToLowerInvariant();
        return v.StartsWith("red hat", StringComparison.Ordinal) ? "redhat"
            : v.StartsWith("fedora", StringComparison.Ordinal) ? "fedora"
            : v.StartsWith("centos", StringComparison.Ordinal) ? "centos"
            : v.StartsWith("opensuse", StringComparison.Ordinal) ? "opensuse"
            : v.StartsWith("suse", StringComparison.Ordinal) ? "suse"
            : v.StartsWith("amazon", StringComparison.Ordinal) ? "amazon"
            : v.StartsWith("rocky", StringComparison.Ordinal) ? "rocky"
            : v.StartsWith("almalinux", StringComparison.Ordinal) ? "almalinux"
            : v.StartsWith("oracle", StringComparison.Ordinal) ? "oracle"
            : null;
    }

    private static IEnumerable<string> Files(RpmHeader h)
    {
        var baseNames = h.Strings(RpmHeader.BaseNames);
        if (baseNames.Count == 0) yield break;
        var dirNames = h.Strings(RpmHeader.DirNames);
        var indexes = h.Integers(RpmHeader.DirIndexes);
        for (var i = 0; i < baseNames.Count && i < indexes.Count; i++)
            if (indexes[i] >= 0 && indexes[i] < dirNames.Count) yield return dirNames[(int)indexes[i]] + baseNames[i];
    }
}
