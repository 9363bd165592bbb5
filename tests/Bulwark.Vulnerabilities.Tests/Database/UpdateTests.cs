// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Security.Cryptography;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Vulnerabilities.Tests.Database;

public sealed class UpdateTests : IDisposable
{
    private static readonly string[] Osv = ["GHC", "CRAN", "NuGet", "Go"];
    private static readonly string[] Malicious = ["Go", "Maven"];
    private readonly Mirror _mirror = new(Osv, Malicious);
    private readonly HttpClient _http = new();

    private UpdateOptions Options(string? source = null) => new()
    {
        Directory = _mirror.DbDirectory,
        Source = source ?? _mirror.Osv,
        RetryDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(10)],
    };

    private Task<UpdateResult> UpdateAsync(UpdateOptions options) => new DatabaseUpdater(_http).UpdateAsync(options);

    private static Dictionary<string, int> Expected => new()
    {
        ["osv/GHC"] = 3, ["osv/CRAN"] = 14, ["osv/NuGet"] = 9, ["osv/Go"] = 4306, ["malicious/Go"] = 8, ["malicious/Maven"] = 1,
    };

    private Dictionary<string, int> Counts()
    {
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        return FullImport.Counts(db.Status());
    }

    private string DbHash() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(_mirror.DbFile)));

    [Fact]
    public void The_expected_counts_of_this_subset_are_the_manifest_counts()
    {
        var manifest = FullImport.ManifestCounts();
        Assert.All(Expected, e => Assert.Equal(manifest[e.Key], e.Value));
    }

    [Fact]
    public async Task A_directory_source_imports_the_osv_tree_and_the_malicious_tree_beside_it()
    {
        var result = await UpdateAsync(Options());
        Assert.True(result.Changed);
        Assert.Equal(6, result.ZipsImported);
        Assert.Equal(Expected.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task An_http_source_imports_the_same_records_as_the_directory()
    {
        using var server = new MirrorServer(_mirror.Root);
        var result = await UpdateAsync(Options(server.Url + "/osv"));
        Assert.Equal(6, result.ZipsImported);
        Assert.Equal(Expected.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Equal(server.Url + "/osv", db.Status().Source);
        Assert.Equal(server.Url + "/malicious", db.Status().MaliciousSource);
    }

    [Fact]
    public async Task The_whole_shared_mirror_imports_over_http_with_the_manifest_counts()
    {
        using var server = new MirrorServer(Mirror.Shared);
        await UpdateAsync(Options(server.Url + "/osv"));
        Assert.Equal(FullImport.ManifestCounts().OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task A_no_change_update_from_a_directory_is_fast_and_writes_nothing()
    {
        await UpdateAsync(Options());
        var before = DbHash();
        var written = File.GetLastWriteTimeUtc(_mirror.DbFile);
        var stopwatch = Stopwatch.StartNew();
        var result = await UpdateAsync(Options());
        Assert.False(result.Changed);
        Assert.Equal(6, result.ZipsUnchanged);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"no-change update took {stopwatch.Elapsed}");
        Assert.Equal(before, DbHash());
        Assert.Equal(written, File.GetLastWriteTimeUtc(_mirror.DbFile));
    }

    [Fact]
    public async Task A_no_change_update_renews_the_checked_time_but_not_the_built_time()
    {
        await UpdateAsync(Options());
        DatabaseStatus first;
        using (var db = VulnerabilityDatabase.Open(_mirror.DbDirectory)) first = db.Status();
        await Task.Delay(20);
        await UpdateAsync(Options());
        using var again = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Equal(first.Built, again.Status().Built);
        Assert.True(again.Status().Checked > first.Checked);
    }

    [Fact]
    public async Task A_no_change_update_over_http_gets_304s_and_writes_nothing()
    {
        using var server = new MirrorServer(_mirror.Root);
        await UpdateAsync(Options(server.Url + "/osv"));
        var before = DbHash();
        var result = await UpdateAsync(Options(server.Url + "/osv"));
        Assert.False(result.Changed);
        Assert.Equal(6, result.ZipsUnchanged);
        Assert.Equal(before, DbHash());
    }

    [Fact]
    public async Task A_zip_touched_but_unchanged_is_recognised_by_its_digest()
    {
        await UpdateAsync(Options());
        File.SetLastWriteTimeUtc(_mirror.Zip("osv", "Go"), DateTime.UtcNow.AddMinutes(5));
        var result = await UpdateAsync(Options());
        Assert.False(result.Changed);
    }

    [Fact]
    public async Task Only_a_record_whose_modified_changed_is_reimported()
    {
        await UpdateAsync(Options());
        _mirror.EditRecord("osv", "Go", "GO-2022-0969", r =>
        {
            r["modified"] = "2030-01-01T00:00:00Z";
            r["summary"] = "Edited by the test";
        });
        var result = await UpdateAsync(Options());
        Assert.True(result.Changed);
        Assert.Equal(1, result.ZipsImported);
        Assert.Equal(1, result.RecordsWritten);
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        var record = Assert.Single(db.Get("GO-2022-0969"));
        Assert.Equal("Edited by the test", record.Record.Summary);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), record.Record.Modified);
        Assert.Contains(db.Lookup("Go", "stdlib"), r => r.Id == "GO-2022-0969");
        Assert.Equal(Expected.OrderBy(p => p.Key), FullImport.Counts(db.Status()).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task A_reimported_record_is_indexed_under_its_new_package_name_only()
    {
        await UpdateAsync(Options());
        _mirror.EditRecord("osv", "CRAN", "RSEC-2023-1", r =>
        {
            r["modified"] = "2030-01-01T00:00:00Z";
            r["affected"]![0]!["package"]!["name"] = "renamedpkg";
        });
        await UpdateAsync(Options());
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Equal(["RSEC-2023-1"], db.Lookup("CRAN", "renamedpkg").Select(r => r.Id));
        Assert.DoesNotContain(db.Lookup("CRAN", "readxl"), r => r.Id == "RSEC-2023-1");
    }

    [Fact]
    public async Task Many_small_updates_keep_the_database_size_bounded()
    {
        await UpdateAsync(Options());
        var size = new FileInfo(_mirror.DbFile).Length;
        for (var i = 0; i < 12; i++)
        {
            var round = i;
            _mirror.EditRecord("osv", "Go", "GO-2022-0969", r => r["modified"] = $"2030-01-{round + 1:00}T00:00:00Z");
            foreach (var id in new[] { "GO-2020-0001", "GO-2020-0003", "GO-2020-0004" })
                _mirror.EditRecord("osv", "Go", id, r => r["modified"] = $"2030-02-{round + 1:00}T00:00:00Z");
            var result = await UpdateAsync(Options());
            Assert.Equal(4, result.RecordsWritten);
        }
        Assert.True(new FileInfo(_mirror.DbFile).Length < size * 1.5, $"{new FileInfo(_mirror.DbFile).Length} bytes after 12 updates, {size} before");
        Assert.Equal(Expected.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Equal(new DateTimeOffset(2030, 1, 12, 0, 0, 0, TimeSpan.Zero), Assert.Single(db.Get("GO-2022-0969")).Record.Modified);
    }

    [Fact]
    public async Task A_record_edited_without_a_new_modified_time_is_not_reimported()
    {
        await UpdateAsync(Options());
        _mirror.EditRecord("osv", "Go", "GO-2022-0969", r => r["summary"] = "Edited without touching modified");
        var result = await UpdateAsync(Options());
        Assert.Equal(0, result.RecordsWritten);
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.NotEqual("Edited without touching modified", Assert.Single(db.Get("GO-2022-0969")).Record.Summary);
    }

    [Fact]
    public async Task A_record_removed_from_its_zip_is_removed_from_the_database()
    {
        await UpdateAsync(Options());
        using (var zip = System.IO.Compression.ZipFile.Open(_mirror.Zip("osv", "CRAN"), System.IO.Compression.ZipArchiveMode.Update))
            zip.Entries.First().Delete();
        var result = await UpdateAsync(Options());
        Assert.Equal(1, result.RecordsDeleted);
        Assert.Equal(13, Counts()["osv/CRAN"]);
    }

    private async Task AssertFailsLeavingThePreviousDatabaseAsync(UpdateOptions options, string expectedInMessage)
    {
        var before = DbHash();
        var error = await Assert.ThrowsAsync<InputException>(() => UpdateAsync(options));
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains("previous database", error.Message, StringComparison.Ordinal);
        Assert.Contains("unchanged and still usable", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, DbHash());
        Assert.Equal(["checked", "vulns.db"], Directory.EnumerateFileSystemEntries(_mirror.DbDirectory).Select(Path.GetFileName).Order());
        Assert.Equal(Expected.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Contains(db.Lookup("Go", "stdlib"), r => r.Id == "GO-2022-0969");
    }

    [Fact]
    public async Task A_corrupt_zip_leaves_the_previous_database_usable()
    {
        await UpdateAsync(Options());
        var zip = File.ReadAllBytes(_mirror.Zip("osv", "Go"));
        Array.Fill(zip, (byte)0x5a, zip.Length / 3, 4096);   // damage the middle, keep the central directory
        File.WriteAllBytes(_mirror.Zip("osv", "Go"), zip);
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(), "osv/Go/all.zip");
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_leaves_the_previous_database_usable()
    {
        await UpdateAsync(Options());
        File.WriteAllText(_mirror.Zip("osv", "CRAN"), "<html>not a zip</html>");
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(), "osv/CRAN/all.zip is not a readable zip");
    }

    [Fact]
    public async Task A_bad_record_is_named_by_id_and_zip_entry_and_leaves_the_previous_database_usable()
    {
        await UpdateAsync(Options());
        _mirror.AddEntry("osv", "GHC", "HSEC-9999-0001.json", """{"id": "HSEC-9999-0001", "modified": "2030-01-01T00:00:00Z", "aliases": 5}""");
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(), "Invalid OSV record 'HSEC-9999-0001' in " + _mirror.Osv + "/GHC/all.zip!HSEC-9999-0001.json");
    }

    [Fact]
    public async Task A_server_error_names_the_url_and_leaves_the_previous_database_usable()
    {
        using var server = new MirrorServer(_mirror.Root);
        await UpdateAsync(Options(server.Url + "/osv"));
        File.SetLastWriteTimeUtc(_mirror.Zip("osv", "NuGet"), DateTime.UtcNow.AddMinutes(5));   // a new ETag, so it is fetched
        server.Fail("/osv/NuGet/all.zip", ServedFailure.ServerError);
        var requests = server.Requests;
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(server.Url + "/osv"), $"Cannot download {server.Url}/osv/NuGet/all.zip: HTTP 500");
        Assert.True(server.Requests - requests >= 3 + 3, "each failing download is tried 3 times");
    }

    [Fact]
    public async Task A_truncated_download_leaves_the_previous_database_usable()
    {
        using var server = new MirrorServer(_mirror.Root);
        await UpdateAsync(Options(server.Url + "/osv"));
        File.SetLastWriteTimeUtc(_mirror.Zip("osv", "Go"), DateTime.UtcNow.AddMinutes(5));
        server.Fail("/osv/Go/all.zip", ServedFailure.Truncated);
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(server.Url + "/osv"), $"{server.Url}/osv/Go/all.zip");
    }

    [Fact]
    public async Task An_update_interrupted_mid_download_leaves_the_previous_database_and_no_leftovers()
    {
        using var server = new MirrorServer(_mirror.Root);
        await UpdateAsync(Options(server.Url + "/osv"));
        var before = DbHash();
        File.SetLastWriteTimeUtc(_mirror.Zip("osv", "Go"), DateTime.UtcNow.AddMinutes(5));
        server.Fail("/osv/Go/all.zip", ServedFailure.Stall);
        using var cts = new CancellationTokenSource();
        var update = new DatabaseUpdater(_http).UpdateAsync(Options(server.Url + "/osv"), cts.Token);
        await server.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();   // what Ctrl-C does in the CLI
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => update);
        Assert.Equal(before, DbHash());
        Assert.Equal(["checked", "vulns.db"], Directory.EnumerateFileSystemEntries(_mirror.DbDirectory).Select(Path.GetFileName).Order());
        Assert.Equal(Expected.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task An_unreachable_server_is_an_input_error_naming_the_url()
    {
        using var server = new MirrorServer(_mirror.Root);
        var url = server.Url;
        server.Dispose();
        var error = await Assert.ThrowsAsync<InputException>(() => UpdateAsync(Options(url + "/osv")));
        Assert.StartsWith($"Cannot download {url}/osv/ecosystems.txt:", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_mirror.DbFile));
    }

    [Fact]
    public async Task A_full_disk_leaves_the_previous_database_usable()
    {
        await UpdateAsync(Options());
        // a changed record larger than the room left: a 256 KiB summary (kept in the stored form, unlike most fields)
        _mirror.EditRecord("osv", "Go", "GO-2022-0969", r =>
        {
            r["modified"] = "2030-01-01T00:00:00Z";
            r["summary"] = string.Concat(Enumerable.Range(0, 32 << 10).Select(i => i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
        });
        var options = Options() with { MaxDatabaseBytes = 64 << 10 };
        await AssertFailsLeavingThePreviousDatabaseAsync(options, "the disk is full");
    }

    [Fact]
    public async Task A_first_update_that_fails_writes_no_database()
    {
        File.WriteAllText(_mirror.Zip("osv", "CRAN"), "not a zip");
        var error = await Assert.ThrowsAsync<InputException>(() => UpdateAsync(Options()));
        Assert.EndsWith("No database was written.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_mirror.DbFile));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_mirror.DbDirectory));
    }

    [Fact]
    public async Task Ecosystems_can_be_limited_and_the_others_are_dropped()
    {
        await UpdateAsync(Options());
        await UpdateAsync(Options() with { Ecosystems = ["go"] });
        Assert.Equal(new Dictionary<string, int> { ["osv/Go"] = 4306, ["malicious/Go"] = 8 }.OrderBy(p => p.Key), Counts().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task An_unknown_ecosystem_is_a_usage_error_listing_the_known_ones()
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => UpdateAsync(Options() with { Ecosystems = ["Go", "PyPj"] }));
        Assert.Equal($"--ecosystems: 'PyPj' is not an ecosystem of {_mirror.Osv} (it has: Go).", error.Message);
    }

    [Fact]
    public async Task A_source_without_any_zip_is_an_input_error()
    {
        using var server = new MirrorServer(_mirror.Root);
        var error = await Assert.ThrowsAsync<InputException>(() => UpdateAsync(Options(server.Url)));   // the root, not /osv
        Assert.StartsWith($"Vulnerability database update failed: {server.Url} has no <Ecosystem>/all.zip for any of AlmaLinux, Alpine, ", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_mirror.DbFile));
    }

    [Fact]
    public async Task A_download_that_does_not_match_its_advertised_digest_leaves_the_previous_database_usable()
    {
        using var server = new MirrorServer(_mirror.Root);
        await UpdateAsync(Options(server.Url + "/osv"));
        File.SetLastWriteTimeUtc(_mirror.Zip("osv", "CRAN"), DateTime.UtcNow.AddMinutes(5));
        server.Fail("/osv/CRAN/all.zip", ServedFailure.WrongDigest);
        await AssertFailsLeavingThePreviousDatabaseAsync(Options(server.Url + "/osv"), $"Download of {server.Url}/osv/CRAN/all.zip does not match its advertised MD5");
    }

    [Fact]
    public async Task Malicious_records_can_be_skipped()
    {
        await UpdateAsync(Options() with { Malicious = "none" });
        Assert.DoesNotContain(Counts().Keys, k => k.StartsWith("malicious/", StringComparison.Ordinal));
        using var db = VulnerabilityDatabase.Open(_mirror.DbDirectory);
        Assert.Null(db.Status().MaliciousSource);
    }

    [Fact]
    public void The_default_directory_follows_BULWARK_DB_then_XDG_CACHE_HOME_then_HOME()
    {
        Assert.Equal("/data/vulns", VulnerabilityDatabase.DefaultDirectory(n => n == "BULWARK_DB" ? "/data/vulns" : null));
        Assert.Equal("/xdg/bulwark/db", VulnerabilityDatabase.DefaultDirectory(n => n switch { "XDG_CACHE_HOME" => "/xdg", "HOME" => "/home/u", _ => null }));
        Assert.Equal("/home/u/.cache/bulwark/db", VulnerabilityDatabase.DefaultDirectory(n => n == "HOME" ? "/home/u" : null));
    }

    [Fact]
    public void Opening_a_missing_database_says_how_to_build_one()
    {
        var error = Assert.Throws<InputException>(() => VulnerabilityDatabase.Open(_mirror.DbDirectory));
        Assert.Equal($"No vulnerability database at {_mirror.DbFile}. Run 'bulwark db update' (or pass --db / set BULWARK_DB).", error.Message);
    }

    public void Dispose()
    {
        _http.Dispose();
        _mirror.Dispose();
    }
}
