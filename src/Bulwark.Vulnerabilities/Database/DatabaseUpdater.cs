// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Osv;
using Microsoft.Data.Sqlite;

namespace Bulwark.Vulnerabilities.Database;

/// What to update from and where to.
public sealed record UpdateOptions
{
    public const string DefaultSource = "https://osv-vulnerabilities.storage.googleapis.com";

    /// The database directory (holds vulns.db).
    public required string Directory { get; init; }
    /// A directory or http(s) URL laid out as `ecosystems.txt` + `<Ecosystem>/all.zip`.
    public string Source { get; init; } = DefaultSource;
    /// The malicious-package tree (same layout); null = the `malicious` folder beside a source named `osv`, when it exists; "none" = skip.
    public string? Malicious { get; init; }
    /// Only these ecosystems (folder names); null = the source's ecosystems.txt, else the built-in list.
    public IReadOnlyList<string>? Ecosystems { get; init; }
    /// Waits between download attempts; one attempt more than entries.
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)];
    /// Largest database the update may write (tests simulate a full disk with it); null = no limit.
    public long? MaxDatabaseBytes { get; init; }
}

/// What an update did.
public sealed record UpdateResult(bool Changed, int ZipsImported, int ZipsUnchanged, int RecordsWritten, int RecordsDeleted, TimeSpan Elapsed);

/// Compiles OSV zips into the local database: builds beside the old one, then swaps it in with one rename.
public sealed class DatabaseUpdater(HttpClient http)
{
    /// osv.dev's ecosystem folders, used when a source has no ecosystems.txt.
    public static IReadOnlyList<string> BuiltInEcosystems { get; } =
    [
        "AlmaLinux", "Alpine", "Bitnami", "CRAN", "Debian", "GHC", "GitHub Actions", "Go", "Hackage", "Hex", "Julia", "Maven", "NuGet",
        "OSS-Fuzz", "Packagist", "Pub", "PyPI", "Rocky Linux", "RubyGems", "SwiftURL", "Ubuntu", "crates.io", "npm", "opam",
    ];

    private sealed record Work(RecordKind Kind, ISourceTree Tree, string Ecosystem);

    public async Task<UpdateResult> UpdateAsync(UpdateOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        System.IO.Directory.CreateDirectory(options.Directory);
        var dbPath = Path.Combine(options.Directory, VulnerabilityDatabase.FileName);
        var (source, maliciousLocation) = ResolveTrees(options);
        var tree = SourceTrees.Open(source, http, options.RetryDelays);
        var maliciousTree = maliciousLocation is null ? null : SourceTrees.Open(maliciousLocation, http, options.RetryDelays);

        var work = new List<Work>();
        var ecosystems = await EcosystemsAsync(tree, options.Ecosystems, ct).ConfigureAwait(false);
        if (options.Ecosystems?.FirstOrDefault(e => !ecosystems.Contains(e, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            throw new UsageException($"--ecosystems: '{unknown}' is not an ecosystem of {tree.Location} (it has: {string.Join(", ", ecosystems.Count > 0 ? ecosystems : await EcosystemsAsync(tree, null, ct).ConfigureAwait(false))}).");
        foreach (var eco in ecosystems) work.Add(new Work(RecordKind.Vulnerability, tree, eco));
        if (maliciousTree is not null)
            foreach (var eco in await EcosystemsAsync(maliciousTree, options.Ecosystems, ct).ConfigureAwait(false)) work.Add(new Work(RecordKind.Malicious, maliciousTree, eco));

        var previous = File.Exists(dbPath) ? ReadPrevious(dbPath) : null;
        var sameSources = previous is not null && previous.Source == tree.Location && previous.Malicious == (maliciousTree?.Location ?? "");
        var downloads = Path.Combine(options.Directory, $"download-{Environment.ProcessId}");
        // per process: two updates at once each build their own file and the last rename wins, both complete
        var temp = dbPath + $".new-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        var swapped = false;
        try
        {
            var fetched = new List<(Work Work, FetchResult Result)>();
            foreach (var item in work)
            {
                var before = sameSources ? previous!.Fingerprints.GetValueOrDefault((item.Kind, item.Ecosystem)) : null;
                // one folder per tree: osv/Go and malicious/Go must not download to the same file
                var folder = Path.Combine(downloads, item.Kind.ToString());
                fetched.Add((item, await item.Tree.FetchAsync(item.Ecosystem, before, folder, ct).ConfigureAwait(false)));
            }
            if (!fetched.Any(f => f.Work.Kind == RecordKind.Vulnerability && f.Result is not FetchResult.NotFound))
                throw new InputException($"{tree.Location} has no <Ecosystem>/all.zip for any of {string.Join(", ", work.Where(w => w.Kind == RecordKind.Vulnerability).Select(w => w.Ecosystem))}. Check --source: it must hold ecosystems.txt and <Ecosystem>/all.zip.");
            var wanted = fetched.Where(f => f.Result is not FetchResult.NotFound).Select(f => (f.Work.Kind, f.Work.Ecosystem)).ToHashSet();
            var dropped = previous is null ? [] : previous.Fingerprints.Keys.Where(k => !wanted.Contains(k)).ToList();
            if (sameSources && dropped.Count == 0 && fetched.All(f => f.Result is not FetchResult.Changed))
            {
                VulnerabilityDatabase.WriteChecked(options.Directory, DateTimeOffset.UtcNow);
                return new UpdateResult(false, 0, fetched.Count(f => f.Result is FetchResult.Unchanged), 0, 0, stopwatch.Elapsed);
            }

            File.Delete(temp);
            if (previous is not null && sameSources) File.Copy(dbPath, temp);
            int written = 0, deleted = 0, imported = 0;
            using (var connection = new SqliteConnection(VulnerabilityDatabase.ConnectionString(temp, readOnly: false)))
            {
                connection.Open();
                // a temporary file until the rename: a crash just leaves it to be deleted, so no journal is needed
                Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;");
                Execute(connection, Schema);
                if (options.MaxDatabaseBytes is { } max) Execute(connection, $"PRAGMA max_page_count = {Math.Max(1, max / 4096)};");
                using var transaction = connection.BeginTransaction();
                foreach (var (kind, eco) in dropped) deleted += DeleteFolder(connection, kind, eco);
                foreach (var (item, result) in fetched)
                {
                    if (result is FetchResult.NotFound) continue;
                    if (result is FetchResult.Changed changed)
                    {
                        var (w, d) = ImportZip(connection, item, changed.ZipPath, ct);
                        if (IsFragmented(connection, item))
                        {
                            // changed records went to new blocks and left dead copies in old ones: repack the folder from the zip
                            DeleteFolder(connection, item.Kind, item.Ecosystem);
                            ImportZip(connection, item, changed.ZipPath, ct);
                        }
                        written += w;
                        deleted += d;
                        imported++;
                        SetSource(connection, item, changed.Fingerprint);
                    }
                }
                // blocks whose records were all replaced or removed; blocks with some live records stay until a rebuild
                Execute(connection, "DELETE FROM blocks WHERE bid NOT IN (SELECT DISTINCT block FROM records);");
                SetMeta(connection, "format", VulnerabilityDatabase.Format);
                SetMeta(connection, "source", tree.Location);
                SetMeta(connection, "malicious_source", maliciousTree?.Location ?? "");
                SetMeta(connection, "built", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                transaction.Commit();
                // a fresh build is compacted once; an incremental one when a quarter of the file has become free pages
                var free = long.Parse(VulnerabilityDatabase.Scalar(connection, "SELECT CAST(freelist_count AS TEXT) FROM pragma_freelist_count") ?? "0", CultureInfo.InvariantCulture);
                var pages = long.Parse(VulnerabilityDatabase.Scalar(connection, "SELECT CAST(page_count AS TEXT) FROM pragma_page_count") ?? "1", CultureInfo.InvariantCulture);
                if (previous is null || !sameSources || free * 4 > pages) Execute(connection, "VACUUM;");
            }
            File.Move(temp, dbPath, overwrite: true);
            swapped = true;
            VulnerabilityDatabase.WriteChecked(options.Directory, DateTimeOffset.UtcNow);
            return new UpdateResult(true, imported, fetched.Count(f => f.Result is FetchResult.Unchanged), written, deleted, stopwatch.Elapsed);
        }
        catch (Exception e) when (e is InvalidOsvRecordException or InvalidDataException or IOException or SqliteException or InputException or UnauthorizedAccessException)
        {
            var state = previous is null
                ? "No database was written."
                : $"The previous database at {dbPath} (built {previous.Built}) is unchanged and still usable.";
            var reason = e is SqliteException { SqliteErrorCode: 13 } ? "the disk is full (or the size limit was reached)" : e.Message;
            throw new InputException($"Vulnerability database update failed: {reason} {state}", e);
        }
        finally
        {
            if (!swapped && File.Exists(temp)) File.Delete(temp);
            if (System.IO.Directory.Exists(downloads)) System.IO.Directory.Delete(downloads, recursive: true);
        }
    }

    /// `--source DIR` may name the root of a mirror holding `osv/` (and `malicious/`); the malicious tree defaults to the sibling `malicious`.
    private static (string Source, string? Malicious) ResolveTrees(UpdateOptions options)
    {
        var source = options.Source.TrimEnd('/');
        if (!SourceTrees.IsHttp(source) && System.IO.Directory.Exists(Path.Combine(source, "osv")) && !File.Exists(Path.Combine(source, "ecosystems.txt")))
            source = Path.Combine(source, "osv");
        if (string.Equals(options.Malicious, "none", StringComparison.OrdinalIgnoreCase)) return (source, null);
        if (options.Malicious is not null) return (source, options.Malicious);
        if (SourceTrees.IsHttp(source))
            return (source, source.EndsWith("/osv", StringComparison.Ordinal) ? source[..^4] + "/malicious" : null);
        var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source)) ?? source, "malicious");
        return (source, Path.GetFileName(Path.GetFullPath(source)) == "osv" && System.IO.Directory.Exists(sibling) ? sibling : null);
    }

    private static async Task<IReadOnlyList<string>> EcosystemsAsync(ISourceTree tree, IReadOnlyList<string>? only, CancellationToken ct)
    {
        var listed = await tree.ReadEcosystemsAsync(ct).ConfigureAwait(false) ?? BuiltInEcosystems;
        if (only is null) return listed;
        // asking for an ecosystem this tree lacks is fine: a malicious tree has fewer folders than the advisory tree
        return listed.Where(e => only.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    private sealed record Previous(string Source, string Malicious, string Built, Dictionary<(RecordKind, string), ZipFingerprint> Fingerprints);

    private static Previous? ReadPrevious(string dbPath)
    {
        try
        {
            using var connection = new SqliteConnection(VulnerabilityDatabase.ConnectionString(dbPath, readOnly: true));
            connection.Open();
            if (VulnerabilityDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = 'format'") != VulnerabilityDatabase.Format) return null;
            var fingerprints = new Dictionary<(RecordKind, string), ZipFingerprint>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT kind, ecosystem, fingerprint, sha256 FROM sources";
            using (var reader = command.ExecuteReader())
                while (reader.Read()) fingerprints[((RecordKind)reader.GetInt32(0), reader.GetString(1))] = new ZipFingerprint(reader.GetString(2), reader.GetString(3));
            return new Previous(
                VulnerabilityDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = 'source'") ?? "",
                VulnerabilityDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = 'malicious_source'") ?? "",
                VulnerabilityDatabase.Scalar(connection, "SELECT value FROM meta WHERE key = 'built'") ?? "?",
                fingerprints);
        }
        catch (SqliteException)
        {
            // an unreadable old database is rebuilt from scratch; the new one replaces it only if the build succeeds
            return null;
        }
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sources(kind INTEGER NOT NULL, ecosystem TEXT NOT NULL, fingerprint TEXT NOT NULL, sha256 TEXT NOT NULL,
            PRIMARY KEY(kind, ecosystem)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS records(rid INTEGER PRIMARY KEY, kind INTEGER NOT NULL, folder TEXT NOT NULL, id TEXT NOT NULL,
            modified TEXT NOT NULL, withdrawn INTEGER NOT NULL, block INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
            UNIQUE(kind, folder, id));
        CREATE TABLE IF NOT EXISTS blocks(bid INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS records_id ON records(id);
        CREATE TABLE IF NOT EXISTS packages(ecosystem TEXT NOT NULL, name TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(ecosystem, name, rid)) WITHOUT ROWID;
        """;

    private static (int Written, int Deleted) ImportZip(SqliteConnection connection, Work item, string zipPath, CancellationToken ct)
    {
        var origin = $"{item.Tree.Location}/{item.Ecosystem}/all.zip";
        var existing = new Dictionary<string, (long Rid, string Modified)>(StringComparer.Ordinal);
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, rid, modified FROM records WHERE kind = $k AND folder = $f";
            select.Parameters.AddWithValue("$k", (int)item.Kind);
            select.Parameters.AddWithValue("$f", item.Ecosystem);
            using var reader = select.ExecuteReader();
            while (reader.Read()) existing[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }

        var pending = new BlockWriter(connection, item);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int written = 0, deleted = 0;
        using (var zip = OpenZip(zipPath, origin))
        {
            foreach (var entry in zip.Entries)
            {
                ct.ThrowIfCancellationRequested();
                if (!entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue;
                var where = $"{origin}!{entry.FullName}";
                if (entry.Length > 32 << 20) throw new InvalidOsvRecordException($"Zip entry {where} is {entry.Length} bytes; no OSV record is that large.");
                var bytes = ReadEntry(entry, where);
                var record = OsvReader.Parse(bytes, where);
                if (!seen.Add(record.Id)) throw new InvalidOsvRecordException($"OSV record '{record.Id}' appears twice in {origin} (second time as {entry.FullName}).");
                var modified = record.Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                if (existing.TryGetValue(record.Id, out var old))
                {
                    if (old.Modified == modified) continue;   // incremental: a record is re-imported only when its `modified` changed
                    DeletePackages(connection, old.Rid);
                }
                pending.Add(record, modified, StoredJson.Compact(bytes, record), IndexKeys(record, item.Ecosystem));
                written++;
            }
            pending.Flush();
        }
        foreach (var (id, old) in existing)
        {
            if (seen.Contains(id)) continue;
            DeletePackages(connection, old.Rid);
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM records WHERE rid = $r";
            delete.Parameters.AddWithValue("$r", old.Rid);
            delete.ExecuteNonQuery();
            deleted++;
        }
        return (written, deleted);
    }

    /// Packs consecutive records into ~64 KiB blocks, compresses each block once, and writes the records' rows and index entries.
    private sealed class BlockWriter(SqliteConnection connection, Work item)
    {
        private const int BlockBytes = 64 << 10;
        private readonly MemoryStream _buffer = new();
        private readonly List<(OsvRecord Record, string Modified, int Offset, int Length, HashSet<string> Keys)> _records = [];

        public void Add(OsvRecord record, string modified, byte[] json, HashSet<string> keys)
        {
            _records.Add((record, modified, (int)_buffer.Length, json.Length, keys));
            _buffer.Write(json);
            if (_buffer.Length >= BlockBytes) Flush();
        }

        public void Flush()
        {
            if (_records.Count == 0) return;
            long block;
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO blocks(data) VALUES($d) RETURNING bid";
                insert.Parameters.AddWithValue("$d", VulnerabilityDatabase.Compress(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length)));
                block = (long)insert.ExecuteScalar()!;
            }
            using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO records(kind, folder, id, modified, withdrawn, block, offset, length) VALUES($k, $f, $id, $m, $w, $b, $o, $l)
                ON CONFLICT(kind, folder, id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn,
                    block = excluded.block, offset = excluded.offset, length = excluded.length
                RETURNING rid
                """;
            upsert.Parameters.AddWithValue("$k", (int)item.Kind);
            upsert.Parameters.AddWithValue("$f", item.Ecosystem);
            upsert.Parameters.AddWithValue("$b", block);
            var pid = upsert.Parameters.Add("$id", SqliteType.Text);
            var pm = upsert.Parameters.Add("$m", SqliteType.Text);
            var pw = upsert.Parameters.Add("$w", SqliteType.Integer);
            var po = upsert.Parameters.Add("$o", SqliteType.Integer);
            var pl = upsert.Parameters.Add("$l", SqliteType.Integer);
            using var addPackage = connection.CreateCommand();
            addPackage.CommandText = "INSERT OR IGNORE INTO packages(ecosystem, name, rid) VALUES($e, $n, $r)";
            addPackage.Parameters.AddWithValue("$e", item.Ecosystem);
            var pn = addPackage.Parameters.Add("$n", SqliteType.Text);
            var pr = addPackage.Parameters.Add("$r", SqliteType.Integer);
            foreach (var (record, modified, offset, length, keys) in _records)
            {
                pid.Value = record.Id;
                pm.Value = modified;
                pw.Value = record.IsWithdrawn ? 1 : 0;
                po.Value = offset;
                pl.Value = length;
                pr.Value = (long)upsert.ExecuteScalar()!;
                foreach (var key in keys)
                {
                    pn.Value = key;
                    addPackage.ExecuteNonQuery();
                }
            }
            _records.Clear();
            _buffer.SetLength(0);
        }
    }

    /// More than twice the blocks the folder's live records need (64 KiB each), plus slack for small updates.
    private static bool IsFragmented(SqliteConnection connection, Work item)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(DISTINCT block), COALESCE(SUM(length), 0) FROM records WHERE kind = $k AND folder = $f";
        command.Parameters.AddWithValue("$k", (int)item.Kind);
        command.Parameters.AddWithValue("$f", item.Ecosystem);
        using var reader = command.ExecuteReader();
        reader.Read();
        var blocks = reader.GetInt64(0);
        var needed = (reader.GetInt64(1) >> 16) + 1;
        return blocks > 2 * needed + 2;
    }

    private static ZipArchive OpenZip(string zipPath, string origin)
    {
        try
        {
            return ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{origin} is not a readable zip: {e.Message}", e);
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string where)
    {
        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"Cannot read zip entry {where}: {e.Message}", e);
        }
    }

    /// The normalised names a record is indexed under in this folder: only packages of the folder's own ecosystem,
    /// so a record stored in several folders is found once per ecosystem.
    private static HashSet<string> IndexKeys(OsvRecord record, string folder)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var affected in record.Affected)
        {
            if (affected.Package is not { } package) continue;
            if (PackageNames.BaseEcosystem(package.Ecosystem) != folder) continue;
            keys.Add(PackageNames.Normalise(package.Ecosystem, package.Name));
        }
        return keys;
    }

    private static void DeletePackages(SqliteConnection connection, long rid)
    {
        string folder;
        string id;
        long block;
        int offset, length;
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT folder, id, block, offset, length FROM records WHERE rid = $r";
            select.Parameters.AddWithValue("$r", rid);
            using var reader = select.ExecuteReader();
            if (!reader.Read()) return;
            folder = reader.GetString(0);
            id = reader.GetString(1);
            block = reader.GetInt64(2);
            offset = reader.GetInt32(3);
            length = reader.GetInt32(4);
        }
        var json = VulnerabilityDatabase.Slice(VulnerabilityDatabase.ReadBlock(connection, block), offset, length, id);
        var old = JsonSerializer.Deserialize(json, OsvJsonContext.Default.OsvRecord)!;
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM packages WHERE ecosystem = $e AND name = $n AND rid = $r";
        var pn = delete.Parameters.Add("$n", SqliteType.Text);
        delete.Parameters.AddWithValue("$e", folder);
        delete.Parameters.AddWithValue("$r", rid);
        foreach (var key in IndexKeys(old, folder))
        {
            pn.Value = key;
            delete.ExecuteNonQuery();
        }
    }

    private static int DeleteFolder(SqliteConnection connection, RecordKind kind, string folder)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM packages WHERE rid IN (SELECT rid FROM records WHERE kind = $k AND folder = $f);
            DELETE FROM sources WHERE kind = $k AND ecosystem = $f;
            DELETE FROM records WHERE kind = $k AND folder = $f;
            """;
        command.Parameters.AddWithValue("$k", (int)kind);
        command.Parameters.AddWithValue("$f", folder);
        return command.ExecuteNonQuery();
    }

    private static void SetSource(SqliteConnection connection, Work item, ZipFingerprint fingerprint)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO sources(kind, ecosystem, fingerprint, sha256) VALUES($k, $e, $f, $s)";
        command.Parameters.AddWithValue("$k", (int)item.Kind);
        command.Parameters.AddWithValue("$e", item.Ecosystem);
        command.Parameters.AddWithValue("$f", fingerprint.Fingerprint);
        command.Parameters.AddWithValue("$s", fingerprint.Sha256);
        command.ExecuteNonQuery();
    }

    private static void SetMeta(SqliteConnection connection, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
