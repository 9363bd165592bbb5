// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Cli.Secrets;

/// The human `--format table` output of `bulwark secrets`: one row per new finding (location, rule, redacted secret,
/// fingerprint), then the acknowledged ones counted.
internal static class SecretsTable
{
    public static void Render(SecretReport report, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        if (report.Findings.IsEmpty)
        {
            w.WriteLine("No secrets found.");
        }
        else
        {
            var rows = report.Findings.Select(f => (Where: $"{f.Path}:{f.Line}:{f.Column}", f.RuleId, Secret: f.Shown(report.Redact), f.Fingerprint, Commit: CommitText(f.Commit))).ToList();
            var where = Math.Max("LOCATION".Length, rows.Max(r => r.Where.Length));
            var rule = Math.Max("RULE".Length, rows.Max(r => r.RuleId.Length));
            var secret = Math.Max("SECRET".Length, rows.Max(r => r.Secret.Length));
            // a whole secret may be long (a key body): cap the column, never the value
            secret = Math.Min(secret, 40);
            // history scans add where the secret came from: commit, author date, author (last: its width varies most)
            var commits = rows.Any(r => r.Commit is not null);
            w.WriteLine($"{"LOCATION".PadRight(where)}  {"RULE".PadRight(rule)}  {"SECRET".PadRight(secret)}  FINGERPRINT" +
                        (commits ? $"{new string(' ', 32 - "FINGERPRINT".Length)}  COMMIT        DATE        AUTHOR" : ""));
            foreach (var r in rows)
                w.WriteLine($"{r.Where.PadRight(where)}  {r.RuleId.PadRight(rule)}  {OneLine(r.Secret).PadRight(secret)}  {r.Fingerprint}" +
                            (r.Commit is { } c ? "  " + c : ""));
        }
        if (!report.Baselined.IsEmpty)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Baselined.Length} finding(s) acknowledged in the baseline are not listed."));
    }

    // "0123456789ab  2024-05-01  Name <email>": the commit's first 12 hex digits, the author date (UTC) and the author
    private static string? CommitText(CommitOrigin? c) => c is null ? null : string.Create(CultureInfo.InvariantCulture,
        $"{(c.Sha.Length > 12 ? c.Sha[..12] : c.Sha)}  {c.Date.UtcDateTime:yyyy-MM-dd}  {OneLine(c.Author)}");

    private static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Summary(SecretReport report, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{report.Findings.Length} secret(s) found ({report.Baselined.Length} more in the baseline) in {report.FilesScanned} file(s)" +
        $"{(report.CommitsScanned is { } commits ? $" (distinct blobs of {commits} commit(s))" : "")}, " +
        $"{report.BytesScanned / (1024.0 * 1024.0):0.0} MiB; {report.BinaryFiles} binary and {report.Skipped.Length} skipped file(s); {elapsed.TotalSeconds:0.00} s.");
}
