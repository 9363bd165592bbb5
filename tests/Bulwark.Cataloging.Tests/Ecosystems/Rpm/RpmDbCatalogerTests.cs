// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using Bulwark.Cataloging.Ecosystems.Rpm;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Rpm;

/// Fixtures come from testdata/make-fixtures.sh: three tiny packages built with rpmbuild and installed with
/// `rpm --justdb` into a fresh SQLite rpmdb, whose header blobs db5.3_load then wrote into Berkeley DB hash files.
public class RpmDbCatalogerTests
{
    private const string Dir = "Ecosystems/Rpm/testdata";
    private static readonly RpmDbCataloger Cataloger = new();
    private static string Testdata(string relative) => Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), Dir, relative);

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public void Wants_the_rpm_databases_in_both_locations()
    {
        Assert.True(Cataloger.Wants("var/lib/rpm/rpmdb.sqlite"));
        Assert.True(Cataloger.Wants("usr/lib/sysimage/rpm/rpmdb.sqlite"));
        Assert.True(Cataloger.Wants("var/lib/rpm/Packages"));
        Assert.True(Cataloger.Wants("rootfs/var/lib/rpm/Packages"));
        Assert.True(Cataloger.Wants("usr/lib/sysimage/rpm/Packages.db"));
        Assert.False(Cataloger.Wants("var/lib/rpm/Name"));
        Assert.False(Cataloger.Wants("src/Packages"));
        Assert.False(Cataloger.Wants("myvar/lib/rpm/Packages"));
    }

    [Fact]
    public async Task Reads_the_SQLite_rpmdb_with_epoch_source_rpm_license_and_edges()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/sqlite");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:rpm/rocky/base-lib@1.2.3-4.el9?arch=noarch&distro=rocky-9.3&upstream=base-lib-1.2.3-4.el9.src.rpm",
            "pkg:rpm/rocky/extra@0.9-7.el9?arch=noarch&distro=rocky-9.3&upstream=extra-0.9-7.el9.src.rpm",
            "pkg:rpm/rocky/tool@2.0-1.el9?arch=noarch&distro=rocky-9.3&epoch=1&upstream=tool-2.0-1.el9.src.rpm",
        ], Purls(result.Packages.Select(p => p.Purl)));
        var tool = result.Single("pkg:rpm/rocky/tool@2.0-1.el9?arch=noarch&distro=rocky-9.3&epoch=1&upstream=tool-2.0-1.el9.src.rpm");
        Assert.Equal("2.0-1.el9", tool.Version);
        Assert.Equal("1", tool.Properties["rpm:epoch"]);
        Assert.Equal("tool-2.0-1.el9.src.rpm", tool.Properties["rpm:source-rpm"]);
        Assert.Equal(["GPL-2.0-or-later AND BSD-3-Clause"], tool.Licenses.ToArray());
        Assert.Equal("Bulwark Test", tool.Supplier);
        Assert.Equal("Bulwark test package tool", tool.Description);
        Assert.Equal([new FileLocation("var/lib/rpm/rpmdb.sqlite")], tool.Locations.ToArray());
        // "Requires: libbase.so.1()(64bit)" is provided by base-lib; /bin/sh is owned by nothing installed
        Assert.Equal(["pkg:rpm/rocky/base-lib@1.2.3-4.el9?arch=noarch&distro=rocky-9.3&upstream=base-lib-1.2.3-4.el9.src.rpm"], Purls(tool.DependsOn));
        var extra = result.Single("pkg:rpm/rocky/extra@0.9-7.el9?arch=noarch&distro=rocky-9.3&upstream=extra-0.9-7.el9.src.rpm");
        Assert.Equal(["pkg:rpm/rocky/tool@2.0-1.el9?arch=noarch&distro=rocky-9.3&epoch=1&upstream=tool-2.0-1.el9.src.rpm"], Purls(extra.DependsOn));
        Assert.Equal(["Apache-2.0"], extra.Licenses.ToArray()); // "ASL 2.0", named by the catalog's license normalisation
    }

    [Fact]
    public async Task Reads_a_SQLite_rpmdb_left_in_WAL_mode_as_rpm_leaves_it()
    {
        var bytes = File.ReadAllBytes(Testdata("sqlite/var/lib/rpm/rpmdb.sqlite"));
        bytes[18] = bytes[19] = 2; // file format read/write versions 2 = WAL (sqlite.org/fileformat.html §1.3)
        var result = await RunOnAsync("var/lib/rpm/rpmdb.sqlite", bytes);
        Assert.Empty(result.Unreadable);
        Assert.Equal(3, result.Packages.Count);
    }

    [Theory]
    [InlineData("bdb")]          // 512-byte pages: every header is on overflow pages
    [InlineData("bdb-inline")]   // 4 KiB pages: headers sit on the bucket pages
    public async Task Reads_the_Berkeley_DB_Packages_file_to_the_same_packages(string fixture)
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/{fixture}");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:rpm/base-lib@1.2.3-4.el9?arch=noarch&upstream=base-lib-1.2.3-4.el9.src.rpm",
            "pkg:rpm/extra@0.9-7.el9?arch=noarch&upstream=extra-0.9-7.el9.src.rpm",
            "pkg:rpm/tool@2.0-1.el9?arch=noarch&epoch=1&upstream=tool-2.0-1.el9.src.rpm",
        ], Purls(result.Packages.Select(p => p.Purl)));
        Assert.Equal(["pkg:rpm/base-lib@1.2.3-4.el9?arch=noarch&upstream=base-lib-1.2.3-4.el9.src.rpm"],
            Purls(result.Single("pkg:rpm/tool@2.0-1.el9?arch=noarch&epoch=1&upstream=tool-2.0-1.el9.src.rpm").DependsOn));
    }

    [Fact]
    public async Task Reads_the_ndb_Packages_db_of_SUSE()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/ndb");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:rpm/base-lib@1.2.3-4.el9?arch=noarch&upstream=base-lib-1.2.3-4.el9.src.rpm",
            "pkg:rpm/extra@0.9-7.el9?arch=noarch&upstream=extra-0.9-7.el9.src.rpm",
            "pkg:rpm/tool@2.0-1.el9?arch=noarch&epoch=1&upstream=tool-2.0-1.el9.src.rpm",
        ], Purls(result.Packages.Select(p => p.Purl)));
        Assert.Equal([new FileLocation("usr/lib/sysimage/rpm/Packages.db")], result.Packages[0].Locations.ToArray());
    }

    [Fact]
    public async Task A_damaged_ndb_blob_fails_its_checksum()
    {
        var bytes = File.ReadAllBytes(Testdata("ndb/usr/lib/sysimage/rpm/Packages.db"));
        bytes[4096 + 100] ^= 0xff; // inside the first blob
        var result = await RunOnAsync("usr/lib/sysimage/rpm/Packages.db", bytes);
        Assert.Contains("checksum", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task An_ndb_slot_pointing_past_the_end_is_an_error()
    {
        var bytes = File.ReadAllBytes(Testdata("ndb/usr/lib/sysimage/rpm/Packages.db"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(32 + 12), 0x7fffffff); // first slot's block count
        var result = await RunOnAsync("usr/lib/sysimage/rpm/Packages.db", bytes);
        Assert.Contains("outside the data area", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public void Reads_every_record_of_a_hash_table_split_into_many_buckets_with_chains_and_overflow_pages()
    {
        using var file = File.OpenRead(Testdata("many-buckets.db"));
        var entries = BerkeleyHashDatabase.Open(file, "many-buckets.db").Entries()
            .ToDictionary(e => BinaryPrimitives.ReadUInt32LittleEndian(e.Key), e => System.Text.Encoding.ASCII.GetString(e.Value));
        Assert.Equal(600, entries.Count);
        Assert.Equal(Enumerable.Range(1, 600).Select(n => (uint)n), entries.Keys.Order());
        Assert.Equal("value-1" + new string('.', 2), entries[1]);
        Assert.Equal(("value-299").PadRight(307, '.'), entries[299]);
    }

    [Fact]
    public void Parses_a_header_blob()
    {
        var h = RpmHeader.Parse(File.ReadAllBytes(Testdata("tool.header")), "tool.header");
        Assert.Equal("tool", h.String(RpmHeader.Name));
        Assert.Equal(1, h.Integer(RpmHeader.Epoch));
        Assert.Contains("libbase.so.1()(64bit)", h.Strings(RpmHeader.RequireName));
    }

    [Fact]
    public void Rejects_a_truncated_header()
    {
        var blob = File.ReadAllBytes(Testdata("tool.header"));
        var e = Assert.Throws<InputException>(() => RpmHeader.Parse(blob.AsSpan(0, blob.Length - 10), "t"));
        Assert.Contains("truncated", e.Message);
        Assert.Throws<InputException>(() => RpmHeader.Parse(blob.AsSpan(0, 5), "t"));
    }

    [Fact]
    public void Rejects_index_counts_and_offsets_beyond_the_data()
    {
        var blob = File.ReadAllBytes(Testdata("tool.header"));
        var huge = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt32BigEndian(huge, 0x7fffffff);
        Assert.Contains("index entries", Assert.Throws<InputException>(() => RpmHeader.Parse(huge, "t")).Message);

        var outside = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt32BigEndian(outside.AsSpan(8 + 16 + 8), 0x01000000); // entry 1's offset
        Assert.Contains("outside", Assert.Throws<InputException>(() => RpmHeader.Parse(outside, "t")).Message);

        var count = (byte[])blob.Clone();
        BinaryPrimitives.WriteInt32BigEndian(count.AsSpan(8 + 16 + 12), 0x00ffffff); // entry 1's count
        Assert.Throws<InputException>(() => RpmHeader.Parse(count, "t"));
    }

    [Fact]
    public void A_string_without_its_NUL_is_rejected_when_read()
    {
        var blob = File.ReadAllBytes(Testdata("tool.header"));
        var il = BinaryPrimitives.ReadInt32BigEndian(blob);
        // zero the data store's NULs: every string now runs off the end
        for (var i = 8 + 16 * il; i < blob.Length; i++) if (blob[i] == 0) blob[i] = (byte)'x';
        var h = RpmHeader.Parse(blob, "t");
        Assert.Contains("NUL", Assert.Throws<InputException>(() => h.String(RpmHeader.Name)).Message);
    }

    [Fact]
    public async Task A_cycle_in_Berkeley_DB_overflow_pages_is_an_error_not_a_hang()
    {
        var bytes = File.ReadAllBytes(Testdata("bdb/var/lib/rpm/Packages"));
        const int pageSize = 512;
        var page = Enumerable.Range(1, bytes.Length / pageSize - 1)
            .First(p => bytes[p * pageSize + 25] == 7 && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(p * pageSize + 16)) != 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(page * pageSize + 16), (uint)page);
        var result = await RunOnAsync("var/lib/rpm/Packages", bytes);
        Assert.Contains("reached twice", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task A_truncated_Berkeley_DB_file_is_an_error()
    {
        var bytes = File.ReadAllBytes(Testdata("bdb/var/lib/rpm/Packages"));
        var result = await RunOnAsync("var/lib/rpm/Packages", bytes[..(bytes.Length - 700)]);
        Assert.Contains("truncated", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task A_bucket_link_outside_the_file_is_an_error()
    {
        var bytes = File.ReadAllBytes(Testdata("bdb-inline/var/lib/rpm/Packages"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4096 + 16), 999); // bucket 0's next page
        var result = await RunOnAsync("var/lib/rpm/Packages", bytes);
        Assert.Contains("outside pages", Assert.Single(result.Unreadable).Reason);
    }

    [Theory]
    [InlineData("var/lib/rpm/Packages", "no Berkeley DB hash magic")]
    [InlineData("var/lib/rpm/rpmdb.sqlite", "not an rpm SQLite database")]
    public async Task A_file_of_the_wrong_kind_is_recorded_unreadable(string path, string reason)
    {
        var result = await RunOnAsync(path, System.Text.Encoding.ASCII.GetBytes(new string('x', 4096)));
        Assert.Contains(reason, Assert.Single(result.Unreadable).Reason);
    }

    [Theory]
    // rpm's own schema, where only the blob column can hold another type; then a table without column types
    [InlineData("hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL", "1, 'text, not a header'", "package 1's header is TEXT, not a blob")]
    [InlineData("hnum, blob", "'one', x'00'", "hnum is TEXT, not an integer")]
    [InlineData("hnum, blob", "1.5, x'00'", "hnum is REAL, not an integer")]
    public async Task A_SQLite_rpmdb_row_of_the_wrong_types_is_recorded_unreadable(string columns, string values, string reason)
    {
        // found by the fuzzer (cataloger.rpm-db): SQLite keeps whatever type was stored, whatever the column says
        var dir = Directory.CreateTempSubdirectory("bulwark-rpm-sqlite-").FullName;
        var file = Path.Combine(dir, "rpmdb.sqlite");
        try
        {
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"CREATE TABLE Packages ({columns}); INSERT INTO Packages VALUES ({values});";
                command.ExecuteNonQuery();
            }
            var result = await RunOnAsync("var/lib/rpm/rpmdb.sqlite", await File.ReadAllBytesAsync(file));
            Assert.Contains(reason, Assert.Single(result.Unreadable).Reason);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static async Task<CatalogResult> RunOnAsync(string path, byte[] content)
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-rpm-").FullName;
        try
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
            return await Catalog.RunAsync(new DirectoryFileTree(dir), [Cataloger]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
