// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Vulnerabilities.Database;

namespace Bulwark.Cli.Db;

/// `bulwark db update|status`: build and inspect the local vulnerability database.
/// <remarks>
/// Sources. `--source` is a tree laid out like osv.dev's bucket (`ecosystems.txt`, `&lt;Ecosystem&gt;/all.zip`), a directory or
/// an http(s) URL; a directory holding `osv/` and `malicious/` (like ../shared/vulndb) stands for both. Malicious-package
/// reports come from `--malicious URL|DIR`, by default the `malicious` tree beside a source whose last segment is `osv`
/// (directory or URL); the default osv.dev source has none beside it because osv.dev's own zips already carry the MAL-*
/// records of ossf/malicious-packages. `--malicious none` skips them.
/// Exit codes: 0 updated or already current; 2 bad arguments (unknown --ecosystems name, bad --format); 3 the source is
/// unreachable or broken (every failure says whether the previous database is still usable), or no database yet for `status`.
/// </remarks>
internal static class DbCommand
{
    /// Tests shorten the waits between download attempts.
    internal static IReadOnlyList<TimeSpan>? RetryDelaysOverride { get; set; }

    public static Command Create(CliContext context) => new("db", "Build and inspect the local vulnerability database (OSV).")
    {
        UpdateCommand(context),
        StatusCommand(context),
    };

    internal static Option<string?> DbOption() => new("--db")
    {
        Description = "The database directory (default: $BULWARK_DB, else $XDG_CACHE_HOME/bulwark/db or ~/.cache/bulwark/db).",
    };

    private static Command UpdateCommand(CliContext context)
    {
        var source = new Option<string?>("--source")
        {
            Description = $"A mirror laid out as ecosystems.txt + <Ecosystem>/all.zip: a directory or http(s) URL (default: {UpdateOptions.DefaultSource}). " +
                          "A directory holding osv/ and malicious/ is read as both.",
        };
        var malicious = new Option<string?>("--malicious")
        {
            Description = "The malicious-package tree (same layout), a directory or URL; 'none' to skip. Default: the 'malicious' folder beside a source named 'osv'.",
        };
        var ecosystems = new Option<string?>("--ecosystems") { Description = "Only these ecosystems, comma-separated OSV names (e.g. npm,PyPI,Debian)." };
        var db = DbOption();
        var command = new Command("update", "Download OSV zips and compile them into the local database (incremental; swapped in atomically).")
        {
            source, malicious, ecosystems, db,
        };
        command.SetAction(async (parse, ct) =>
        {
            var list = parse.GetValue(ecosystems)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list is { Length: 0 }) throw new UsageException("--ecosystems needs at least one name, e.g. --ecosystems npm,PyPI.");
            var directory = Directory(context, parse.GetValue(db));
            var options = new UpdateOptions
            {
                Directory = directory,
                Source = parse.GetValue(source) ?? UpdateOptions.DefaultSource,
                Malicious = parse.GetValue(malicious),
                Ecosystems = list,
                RetryDelays = RetryDelaysOverride ?? new UpdateOptions { Directory = directory }.RetryDelays,
            };
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var result = await new DatabaseUpdater(http).UpdateAsync(options, ct).ConfigureAwait(false);
            var message = result.Changed
                ? string.Create(CultureInfo.InvariantCulture,
                    $"bulwark: database updated in {result.Elapsed.TotalSeconds:F1} s: {result.ZipsImported} zips imported, {result.ZipsUnchanged} unchanged, {result.RecordsWritten} records written, {result.RecordsDeleted} removed ({Path.Combine(directory, VulnerabilityDatabase.FileName)}).")
                : string.Create(CultureInfo.InvariantCulture,
                    $"bulwark: database is up to date ({result.ZipsUnchanged} zips unchanged, checked in {result.Elapsed.TotalSeconds:F1} s).");
            await context.Stderr.WriteLineAsync(message).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command StatusCommand(CliContext context)
    {
        var format = new Option<string>("--format", "-f") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var db = DbOption();
        var command = new Command("status", "Show the database's source, build time, age and record counts per ecosystem.") { format, db };
        command.SetAction(async (parse, ct) =>
        {
            using var database = VulnerabilityDatabase.Open(Directory(context, parse.GetValue(db)));
            var status = database.Status();
            var now = Now(context);
            var text = parse.GetValue(format) == "json" ? Json(status, now) : Table(status, now);
            await context.Stdout.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Directory(CliContext context, string? option) =>
        option is { Length: > 0 } ? Path.GetFullPath(option) : VulnerabilityDatabase.DefaultDirectory(context.Environment);

    // SOURCE_DATE_EPOCH fixes "now" so ages are reproducible in tests and builds
    internal static DateTimeOffset Now(CliContext context) =>
        long.TryParse(context.Environment("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : DateTimeOffset.UtcNow;

    internal static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "0m" :
        age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age.Hours}h") :
        age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h {age.Minutes}m") :
        string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m");

    private static string Table(DatabaseStatus status, DateTimeOffset now)
    {
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.Append(inv, $"Database:  {status.Path} ({status.SizeBytes / 1048576.0:F1} MiB)\n");
        b.Append(inv, $"Source:    {status.Source}\n");
        b.Append(inv, $"Malicious: {status.MaliciousSource ?? "(none)"}\n");
        b.Append(inv, $"Built:     {status.Built.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}Z\n");
        b.Append(inv, $"Checked:   {status.Checked.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}Z (age {Age(now - status.Checked)})\n\n");
        var width = Math.Max("ECOSYSTEM".Length, status.Ecosystems.Select(e => e.Ecosystem.Length).DefaultIfEmpty(0).Max());
        b.Append(inv, $"{"ECOSYSTEM".PadRight(width)}  {"VULNERABILITIES",15}  {"MALICIOUS",9}  {"WITHDRAWN",9}\n");
        foreach (var e in status.Ecosystems)
            b.Append(inv, $"{e.Ecosystem.PadRight(width)}  {e.Vulnerabilities,15}  {e.Malicious,9}  {e.Withdrawn,9}\n");
        b.Append(inv, $"{"TOTAL".PadRight(width)}  {status.Ecosystems.Sum(e => e.Vulnerabilities),15}  {status.Ecosystems.Sum(e => e.Malicious),9}  {status.Ecosystems.Sum(e => e.Withdrawn),9}\n");
        return b.ToString();
    }

    private static string Json(DatabaseStatus status, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("path", status.Path);
            w.WriteString("source", status.Source);
            if (status.MaliciousSource is null) w.WriteNull("maliciousSource");
            else w.WriteString("maliciousSource", status.MaliciousSource);
            w.WriteString("built", status.Built.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteString("checked", status.Checked.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteNumber("ageSeconds", Math.Max(0, (long)(now - status.Checked).TotalSeconds));
            w.WriteNumber("sizeBytes", status.SizeBytes);
            w.WriteStartArray("ecosystems");
            foreach (var e in status.Ecosystems)
            {
                w.WriteStartObject();
                w.WriteString("ecosystem", e.Ecosystem);
                w.WriteNumber("vulnerabilities", e.Vulnerabilities);
                w.WriteNumber("malicious", e.Malicious);
                w.WriteNumber("withdrawn", e.Withdrawn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
