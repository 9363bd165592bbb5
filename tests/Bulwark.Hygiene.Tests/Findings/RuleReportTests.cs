// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Hygiene.Findings;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Tests.Findings;

/// The JSON and SARIF writers `ci audit` and `deps check` share, on a made-up catalogue with both kinds of finding: one
/// with a line and column and no further properties (as ci audit's), one with an optional line and an ecosystem and
/// package (as deps check's).
public class RuleReportTests
{
    private static readonly Rule Stale = new("BW-TST-001", "Lockfile out of sync with its manifest", Severity.High, "why stale", "fix stale");
    private static readonly Rule Missing = new("BW-TST-002", "Manifest without a lockfile", Severity.Medium, "why missing", "fix missing");
    private static readonly Rule Git = new("BW-TST-003", "Dependency fetched from git", Severity.Medium, "why git", "fix git");
    private static readonly RuleCatalogue Catalogue = new([Stale, Missing, Git], "supply-chain", "bulwarkTest/v1", "checked");

    private sealed record PackageFinding(Rule Rule, string Path, int? Line, string Ecosystem, string? Package, string Message) : IRuleFinding
    {
        int? IRuleFinding.Column => null;
        IReadOnlyList<KeyValuePair<string, string?>> IRuleFinding.Properties => [new("ecosystem", Ecosystem), new("package", Package)];
    }

    private sealed record PlaceFinding(Rule Rule, string Path, int Line, int Column, string Message) : IRuleFinding
    {
        int? IRuleFinding.Line => Line;
        int? IRuleFinding.Column => Column;
        IReadOnlyList<KeyValuePair<string, string?>> IRuleFinding.Properties => [];
    }

    private sealed record Report(IReadOnlyList<string> Files, IReadOnlyList<IRuleFinding> Findings, IReadOnlyList<UnreadableFile> Unreadable)
        : IRuleReport<IRuleFinding>;

    private static Report Packages() => new(["composer.lock", "package.json"],
    [
        new PackageFinding(Stale, "package.json", 6, "npm", "ms", "ms is \"^3.0.0\" in dependencies but package-lock.json was made for \"^2.1.0\"."),
        new PackageFinding(Git, "composer.lock", null, "Packagist", "acme/fork", "acme/fork is locked to git only: https://git.example.com/acme/fork.git."),
    ], [new UnreadableFile("broken/package.json", "line 1: not valid JSON (…).")]);

    private static byte[] Sarif(IRuleReport<IRuleFinding> report)
    {
        using var stream = new MemoryStream();
        RuleReportSarif.Write(report, Catalogue, "0.1.0", stream);
        return stream.ToArray();
    }

    private static byte[] Json(IRuleReport<IRuleFinding> report, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>? lists = null)
    {
        using var stream = new MemoryStream();
        RuleReportJson.Write(report, "repo", "0.1.0", stream, lists);
        return stream.ToArray();
    }

    [Fact]
    public void Sarif_without_a_line_has_no_region_and_is_valid()
    {
        var bytes = Sarif(Packages());
        ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif");
        using var doc = JsonDocument.Parse(bytes);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal(3, run.GetProperty("tool").GetProperty("driver").GetProperty("rules").GetArrayLength());
        var results = run.GetProperty("results");
        var first = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal(6, first.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.False(first.GetProperty("region").TryGetProperty("startColumn", out _));
        var second = results[1].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.False(second.TryGetProperty("region", out _));
        Assert.Equal("acme/fork", results[1].GetProperty("properties").GetProperty("package").GetString());
        Assert.Equal(2, results[1].GetProperty("ruleIndex").GetInt32());
        var notification = run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications")[0];
        Assert.Equal("broken/package.json: not checked: line 1: not valid JSON (…).", notification.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public void Sarif_rules_carry_the_catalogue_tag_and_github_security_severity()
    {
        using var doc = JsonDocument.Parse(Sarif(Packages()));
        var rule = doc.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules")[0];
        Assert.Equal("LockfileOutOfSyncWithItsManifest", rule.GetProperty("name").GetString());
        Assert.Equal("error", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.Equal("why stale\n\nFix: fix stale", rule.GetProperty("help").GetProperty("text").GetString());
        var properties = rule.GetProperty("properties");
        Assert.Equal("[\"security\",\"supply-chain\"]", JsonSerializer.Serialize(properties.GetProperty("tags")));
        Assert.Equal("8.0", properties.GetProperty("security-severity").GetString());
        Assert.Equal("high", properties.GetProperty("severity").GetString());
    }

    [Fact]
    public void Sarif_gives_a_line_and_column_and_no_property_bag_to_a_finding_without_properties()
    {
        var report = new Report([".github/workflows/ci.yml"], [new PlaceFinding(Missing, ".github/workflows/ci.yml", 12, 16, "m")], []);
        var bytes = Sarif(report);
        ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif");
        using var doc = JsonDocument.Parse(bytes);
        var result = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(12, region.GetProperty("startLine").GetInt32());
        Assert.Equal(16, region.GetProperty("startColumn").GetInt32());
        Assert.False(result.TryGetProperty("properties", out _));
        Assert.Equal("warning", result.GetProperty("level").GetString());
    }

    [Fact]
    public void Sarif_fingerprints_do_not_depend_on_the_line()
    {
        static string Fingerprint(int line)
        {
            var report = new Report(["package.json"], [new PackageFinding(Missing, "package.json", line, "npm", "ms", "ms \"^2\" is a range.")], []);
            using var doc = JsonDocument.Parse(Sarif(report));
            return doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("partialFingerprints").GetProperty(Catalogue.FingerprintKey).GetString()!;
        }
        Assert.Equal(Fingerprint(5), Fingerprint(50));
    }

    [Fact]
    public void Json_writes_null_for_an_unknown_line_or_package_and_counts_by_severity()
    {
        var bytes = Json(Packages() with { Findings = [.. Packages().Findings, new PackageFinding(Missing, "Gemfile", 1, "RubyGems", null, "m")] },
            [new("allowedRegistries", ["https://npm.example.internal/"])]);
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        Assert.Equal("https://npm.example.internal/", root.GetProperty("allowedRegistries")[0].GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("findings")[1].GetProperty("line").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("findings")[2].GetProperty("package").ValueKind);
        Assert.False(root.GetProperty("findings")[0].TryGetProperty("column", out _));
        Assert.Equal("{\"critical\":0,\"high\":1,\"medium\":2,\"low\":0}", JsonSerializer.Serialize(root.GetProperty("summary")));
        Assert.Equal("broken/package.json", root.GetProperty("unreadable")[0].GetProperty("file").GetString());
        Assert.EndsWith("\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_keys_follow_the_documented_order()
    {
        var report = new Report(["ci.yml"], [new PlaceFinding(Stale, "ci.yml", 3, 7, "m")], []);
        using var doc = JsonDocument.Parse(Json(report));
        Assert.Equal(["tool", "target", "files", "findings", "unreadable", "summary"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["ruleId", "severity", "title", "file", "line", "column", "message", "why", "fix"],
            doc.RootElement.GetProperty("findings")[0].EnumerateObject().Select(p => p.Name));
        using var packages = JsonDocument.Parse(Json(Packages(), [new("allowedRegistries", [])]));
        Assert.Equal(["tool", "target", "allowedRegistries", "files", "findings", "unreadable", "summary"], packages.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["ruleId", "severity", "title", "file", "line", "ecosystem", "package", "message", "why", "fix"],
            packages.RootElement.GetProperty("findings")[0].EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("low", Severity.Low)]
    [InlineData("MEDIUM", Severity.Medium)]
    [InlineData("High", Severity.High)]
    [InlineData("critical", Severity.Critical)]
    public void Severity_names_are_read_in_any_case(string text, Severity expected)
    {
        Assert.True(Severities.TryParse(text, out var severity));
        Assert.Equal(expected, severity);
        Assert.Equal(text.ToLowerInvariant(), Severities.Name(severity));
    }

    [Fact]
    public void An_unknown_severity_name_is_refused()
    {
        Assert.False(Severities.TryParse("severe", out _));
        Assert.False(Severities.TryParse("", out _));
    }
}
