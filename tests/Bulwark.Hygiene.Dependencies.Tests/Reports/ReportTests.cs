// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json;
using Bulwark.Hygiene.Dependencies.Reports;
using Bulwark.Testing;

namespace Bulwark.Hygiene.Dependencies.Tests.Reports;

public class ReportTests
{
    private static DependencyReport Report() => new("/repo", ["composer.lock", "package.json"],
    [
        new Finding(DependencyRules.LockfileOutOfSync, "package.json", 6, "npm", "ms", "ms is \"^3.0.0\" in dependencies but package-lock.json was made for \"^2.1.0\"."),
        new Finding(DependencyRules.GitDependency, "composer.lock", null, "Packagist", "acme/fork", "acme/fork is locked to git only: https://git.example.com/acme/fork.git."),
    ], [new UnreadableFile("broken/package.json", "line 1: not valid JSON (…).")]);

    [Fact]
    public void Sarif_without_a_line_has_no_region_and_is_valid()
    {
        using var stream = new MemoryStream();
        DepsSarif.Write(Report(), "0.1.0", stream);
        var bytes = stream.ToArray();
        ExternalValidators.AssertValid("validate-sarif.js", bytes, ".sarif");
        using var doc = JsonDocument.Parse(bytes);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Equal(8, run.GetProperty("tool").GetProperty("driver").GetProperty("rules").GetArrayLength());
        var results = run.GetProperty("results");
        var first = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal(6, first.GetProperty("region").GetProperty("startLine").GetInt32());
        var second = results[1].GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.False(second.TryGetProperty("region", out _));
        Assert.Equal("acme/fork", results[1].GetProperty("properties").GetProperty("package").GetString());
        Assert.Equal(2, results[1].GetProperty("ruleIndex").GetInt32());
    }

    [Fact]
    public void Sarif_fingerprints_do_not_depend_on_the_line()
    {
        static string Fingerprint(int line)
        {
            var report = new DependencyReport("/r", ["package.json"],
                [new Finding(DependencyRules.FloatingVersion, "package.json", line, "npm", "ms", "ms \"^2\" is a range.")], []);
            using var stream = new MemoryStream();
            DepsSarif.Write(report, "0.1.0", stream);
            using var doc = JsonDocument.Parse(stream.ToArray());
            return doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("partialFingerprints").GetProperty(DepsSarif.FingerprintKey).GetString()!;
        }
        Assert.Equal(Fingerprint(5), Fingerprint(50));
    }

    [Fact]
    public void Json_writes_null_for_an_unknown_line_or_package_and_counts_by_severity()
    {
        using var stream = new MemoryStream();
        DepsJson.Write(Report() with { Findings = [.. Report().Findings, new Finding(DependencyRules.MissingLockfile, "Gemfile", 1, "RubyGems", null, "m")] },
            "repo", "0.1.0", ["https://npm.example.internal/"], stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal("https://npm.example.internal/", root.GetProperty("allowedRegistries")[0].GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("findings")[1].GetProperty("line").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("findings")[2].GetProperty("package").ValueKind);
        Assert.Equal("{\"critical\":0,\"high\":1,\"medium\":2,\"low\":0}", JsonSerializer.Serialize(root.GetProperty("summary")));
        Assert.Equal("broken/package.json", root.GetProperty("unreadable")[0].GetProperty("file").GetString());
        Assert.EndsWith("\n", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }
}
