// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Vulnerabilities.Tests.Database;

/// One full import of ../shared/vulndb from the directory, shared by the lookup tests.
public sealed class FullImport : IDisposable
{
    public FullImport()
    {
        Directory = Path.Combine(Path.GetTempPath(), "bulwark-vulndb-full-" + Guid.NewGuid().ToString("N"));
        using var http = new HttpClient();
        Result = new DatabaseUpdater(http).UpdateAsync(new UpdateOptions { Directory = Directory, Source = Mirror.Shared }).GetAwaiter().GetResult();
        Database = VulnerabilityDatabase.Open(Directory);
    }

    public string Directory { get; }
    public UpdateResult Result { get; }
    public VulnerabilityDatabase Database { get; }

    /// manifest.json's record count per (tree, ecosystem).
    public static Dictionary<string, int> ManifestCounts()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Mirror.Shared, "manifest.json")));
        return manifest.RootElement.GetProperty("folders").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetProperty("records").GetInt32());
    }

    /// The database's counts in the manifest's terms ("osv/Go", "malicious/npm").
    public static Dictionary<string, int> Counts(DatabaseStatus status)
    {
        var counts = new Dictionary<string, int>();
        foreach (var e in status.Ecosystems)
        {
            if (e.Vulnerabilities > 0) counts["osv/" + e.Ecosystem] = e.Vulnerabilities;
            if (e.Malicious > 0) counts["malicious/" + e.Ecosystem] = e.Malicious;
        }
        return counts;
    }

    public void Dispose()
    {
        Database.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

public sealed class FullImportTests(FullImport import) : IClassFixture<FullImport>
{
    [Fact]
    public void Every_record_of_the_shared_mirror_is_imported_with_the_manifest_counts_per_ecosystem()
    {
        var status = import.Database.Status();
        Assert.Equal(FullImport.ManifestCounts().OrderBy(p => p.Key), FullImport.Counts(status).OrderBy(p => p.Key));
        Assert.Equal(93152, status.Ecosystems.Sum(e => e.Vulnerabilities + e.Malicious));
        Assert.Equal(Path.GetFullPath(Path.Combine(Mirror.Shared, "osv")), status.Source);
        Assert.Equal(Path.GetFullPath(Path.Combine(Mirror.Shared, "malicious")), status.MaliciousSource);
        Assert.Equal(26, import.Result.ZipsImported);
    }

    [Fact]
    public void The_database_is_smaller_than_the_zips_it_was_built_from()
    {
        var zips = System.IO.Directory.EnumerateFiles(Mirror.Shared, "all.zip", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(import.Database.Status().SizeBytes < zips, $"database {import.Database.Status().SizeBytes} bytes, zips {zips} bytes");
    }

    [Fact]
    public void Log4j_core_finds_log4shell()
    {
        var ids = import.Database.Lookup("Maven", "org.apache.logging.log4j:log4j-core").Select(r => r.Id).ToList();
        Assert.Equal(["GHSA-7rjr-3q55-vv33", "GHSA-jfh8-c2jp-5v3q", "GHSA-p6xc-xr62-6r2g", "GHSA-vc5p-v9hr-52mj"], ids);
        var log4shell = import.Database.Lookup("Maven", "org.apache.logging.log4j:log4j-core").Single(r => r.Id == "GHSA-jfh8-c2jp-5v3q");
        Assert.Equal(["CVE-2021-44228"], log4shell.Record.Aliases);
        Assert.Equal(RecordKind.Vulnerability, log4shell.Kind);
    }

    [Fact]
    public void A_Maven_name_spelled_as_a_purl_path_finds_the_same_records() =>
        Assert.Equal(4, import.Database.Lookup("Maven", "org.apache.logging.log4j/log4j-core").Count);

    [Fact]
    public void Lodash_finds_the_GHSA_and_nodejs_security_wg_records()
    {
        var ids = import.Database.Lookup("npm", "LoDash").Where(r => r.Kind == RecordKind.Vulnerability).Select(r => r.Id);
        Assert.Equal(["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw", "GHSA-xxjr-mmjv-4gpg", "x_NSWG-ECO-368", "x_NSWG-ECO-493", "x_NSWG-ECO-516"], ids);
    }

    [Fact]
    public void A_PyPI_name_is_looked_up_after_PEP_503_normalisation()
    {
        var ids = import.Database.Lookup("PyPI", "Flask_Cors").Select(r => r.Id);
        Assert.Equal(["GHSA-84pr-m4jr-85g5", "PYSEC-2020-43", "PYSEC-2024-71"], ids);
    }

    [Fact]
    public void A_withdrawn_record_is_kept_and_flagged()
    {
        var record = Assert.Single(import.Database.Get("GO-2022-0617"));
        Assert.True(record.Withdrawn);
        Assert.True(record.Record.IsWithdrawn);
        Assert.Equal(17, import.Database.Status().Ecosystems.Single(e => e.Ecosystem == "Go").Withdrawn);
    }

    [Fact]
    public void A_record_stored_in_several_ecosystem_folders_is_found_once_per_ecosystem()
    {
        Assert.Equal(4, import.Database.Get("GHSA-gxr4-xjj5-5px2").Count);   // npm, NuGet, RubyGems and Maven zips
        Assert.Single(import.Database.Lookup("npm", "jquery"), r => r.Id == "GHSA-gxr4-xjj5-5px2");
    }

    [Fact]
    public void Malicious_package_reports_are_marked_as_such()
    {
        var records = import.Database.Lookup("PyPI", "-");
        Assert.Empty(records);
        var npmMalicious = import.Database.Status().Ecosystems.Single(e => e.Ecosystem == "npm").Malicious;
        Assert.Equal(25231, npmMalicious);
    }

    [Fact]
    public void Debian_release_suffixes_look_in_the_Debian_data()
    {
        var openssl = import.Database.Lookup("Debian:11", "openssl");
        Assert.NotEmpty(openssl);
        Assert.All(openssl, r => Assert.Equal("Debian", r.Ecosystem));
        Assert.Contains(openssl, r => r.Record.Affected.Any(a => a.Package!.Ecosystem == "Debian:11" && a.Package.Name == "openssl"));
    }

    [Fact]
    public void An_unknown_package_has_no_records() => Assert.Empty(import.Database.Lookup("npm", "no-such-package-anywhere"));
}
