// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Hygiene.Secrets;

namespace Bulwark.Hygiene.Tests.Secrets;

public sealed class SecretReportTests
{
    private static SecretReport Report(bool redact)
    {
        var t = new FakeTokens(30);
        var fresh = new SecretFinding("stripe-secret-key", "Stripe live secret key", "deploy/app env", 3, 8, $"sk_live_{t.Alnum(24)}");
        var known = new SecretFinding("aws-access-key-id", "AWS access key ID", "a.env", 1, 19, $"AKIA{t.UpperDigits(16)}")
        {
            Commit = new CommitOrigin("0123456789abcdef0123456789abcdef01234567", "Dev <dev@shop.test>", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))),
        };
        return new SecretReport
        {
            Target = ".",
            Findings = [fresh],
            Baselined = [known],
            Skipped = [new SkippedFile("big.log", "larger than 10 MiB (12 MiB); not scanned")],
            FilesScanned = 2,
            ToolVersion = "0.1.0",
            Redact = redact,
        };
    }

    [Fact]
    public void Json_lists_new_and_baselined_findings_in_report_order_with_redacted_secrets()
    {
        var report = Report(redact: true);
        using var stream = new MemoryStream();
        report.WriteJson(stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["a.env", "deploy/app env"], findings.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal([true, false], findings.Select(f => f.GetProperty("baselined").GetBoolean()));
        Assert.Equal(["AKIA…", "sk_l…"], findings.Select(f => f.GetProperty("secret").GetString()));
        var commit = findings[0].GetProperty("commit");
        Assert.Equal("2026-01-02T01:04:05Z", commit.GetProperty("date").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("findings").GetInt32());
        Assert.Equal("big.log", doc.RootElement.GetProperty("skipped")[0].GetProperty("path").GetString());
        Assert.DoesNotContain(report.Findings[0].Secret, System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_escapes_paths_as_relative_uris_and_suppresses_baselined_findings()
    {
        var report = Report(redact: false);
        using var stream = new MemoryStream();
        SecretSarifReport.Write(report, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal(["aws-access-key-id", "stripe-secret-key"], run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("deploy/app%20env", results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal((3, 8), (results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32(),
            results[1].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startColumn").GetInt32()));
        Assert.True(results[0].TryGetProperty("suppressions", out _));
        Assert.False(results[1].TryGetProperty("suppressions", out _));
        Assert.Equal(report.Findings[0].Fingerprint, results[1].GetProperty("partialFingerprints").GetProperty(SecretSarifReport.FingerprintKey).GetString());
        Assert.Contains(report.Findings[0].Secret, results[1].GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
