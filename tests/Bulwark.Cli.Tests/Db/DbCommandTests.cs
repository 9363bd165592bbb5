// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Cli.Db;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Db;

public sealed partial class DbCommandTests : IDisposable
{
    private static readonly string[] Ecosystems = ["GHC", "CRAN", "NuGet"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bulwark-db-" + Guid.NewGuid());

    public DbCommandTests()
    {
        DbCommand.RetryDelaysOverride = [TimeSpan.Zero];
        foreach (var (tree, ecosystems) in new[] { ("osv", Ecosystems), ("malicious", new[] { "NuGet" }) })
        {
            foreach (var eco in ecosystems)
            {
                Directory.CreateDirectory(Path.Combine(_root, tree, eco));
                File.Copy(Path.Combine(TestPaths.Shared, "vulndb", tree, eco, "all.zip"), Path.Combine(_root, tree, eco, "all.zip"));
            }
            File.WriteAllLines(Path.Combine(_root, tree, "ecosystems.txt"), ecosystems);
        }
    }

    private string Db => Path.Combine(_root, "db");

    // the database size depends on SQLite's page allocation, not on what the test checks
    private static string Redact(string text) => SizePattern().Replace(text, "<size>");

    [Theory]
    [InlineData(new[] { "db", "status", "--format", "xml" }, 2)]
    [InlineData(new[] { "db", "update", "--ecosystems", "," }, 2)]
    [InlineData(new[] { "db", "nonsense" }, 2)]
    public async Task Bad_arguments_are_usage_errors(string[] args, int expected)
    {
        var outcome = await CliRun.RunAsync([.. args, "--db", Db], null);
        Assert.Equal(expected, outcome.ExitCode);
    }

    [Fact]
    public async Task Status_without_a_database_is_an_input_error_that_says_what_to_run()
    {
        var outcome = await CliRun.RunAsync("db", "status", "--db", Db);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal($"bulwark: No vulnerability database at {Db}/vulns.db. Run 'bulwark db update' (or pass --db / set BULWARK_DB).\n", outcome.Stderr);
    }

    [Fact]
    public async Task Update_from_a_missing_directory_is_an_input_error()
    {
        var outcome = await CliRun.RunAsync("db", "update", "--source", Path.Combine(_root, "nowhere"), "--db", Db);
        Assert.Equal(3, outcome.ExitCode);
        Assert.StartsWith($"bulwark: Cannot read the OSV source {_root}/nowhere: no such directory.", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_then_status_as_a_table()
    {
        var update = await CliRun.RunAsync("db", "update", "--source", _root, "--db", Db);
        Assert.Equal(0, update.ExitCode);
        Assert.Matches(@"^bulwark: database updated in [0-9.]+ s: 4 zips imported, 0 unchanged, 772 records written, 0 removed \(", update.Stderr);
        var again = await CliRun.RunAsync("db", "update", "--source", _root, "--db", Db);
        Assert.Equal(0, again.ExitCode);
        Assert.Matches(@"^bulwark: database is up to date \(4 zips unchanged, checked in [0-9.]+ s\)\.\n$", again.Stderr);
        var status = await CliRun.RunAsync("db", "status", "--db", Db);
        Assert.Equal(0, status.ExitCode);
        Golden.Assert(Redact(status.Stdout));
    }

    [Fact]
    public async Task Status_as_json_with_the_database_chosen_by_BULWARK_DB()
    {
        var env = new Dictionary<string, string> { ["BULWARK_DB"] = Db };
        Assert.Equal(0, (await CliRun.RunAsync(["db", "update", "--source", Path.Combine(_root, "osv")], env)).ExitCode);
        var status = await CliRun.RunAsync(["db", "status", "--format", "json"], env);
        Assert.Equal(0, status.ExitCode);
        Golden.Assert(Redact(status.Stdout));
    }

    [Fact]
    public async Task A_failed_update_exits_3_and_says_the_previous_database_is_still_usable()
    {
        Assert.Equal(0, (await CliRun.RunAsync("db", "update", "--source", _root, "--db", Db)).ExitCode);
        File.WriteAllText(Path.Combine(_root, "osv", "CRAN", "all.zip"), "not a zip");
        var outcome = await CliRun.RunAsync("db", "update", "--source", _root, "--db", Db);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("osv/CRAN/all.zip is not a readable zip", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains($"The previous database at {Db}/vulns.db (built ", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains(") is unchanged and still usable.", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRun.RunAsync("db", "status", "--db", Db)).ExitCode);
    }

    [GeneratedRegex(@"\(\d+\.\d MiB\)|""sizeBytes"": \d+")]
    private static partial Regex SizePattern();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
