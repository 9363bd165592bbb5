// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Dependencies.Tests;

/// Files that crashed `deps check` when its readers were first fuzzed (the deps.* targets of ./fuzz.sh; bench/RESULTS.md,
/// fuzzing item 17). Each must give a report: the file recorded as unreadable, or read.
public sealed class FuzzFoundTests
{
    private const string PackageJson = """{ "dependencies": { "ms": "^2.1.0" } }""";

    public static TheoryData<string, string, string, string?, string?> Cases() => new()
    {
        // a JSON string with an unpaired surrogate escape parsed, then threw InvalidOperationException when read
        { "package.json", """{ "dependencies": { "ms": "\ud800" } }""", "", "", "package.json" },
        { "package.json", """{ "dependencies": { "m\udc00": "1.0.0" } }""", "", "", "package.json" },
        { "package-lock.json", """{ "packages": { "node_modules/ms": { "resolved": "\ud800x" } } }""", "package.json", PackageJson, "package-lock.json" },
        // composer.lock holding an array: TryGetProperty on it threw
        { "composer.lock", "[]", "composer.json", """{ "require": { "monolog/monolog": "^3.0" } }""", "composer.lock" },
        // a blank version string: the first character of nothing was read
        { "Gemfile", "gem \"a\", \" \"\n", "", "", null },
        // a registry host IDNA refuses (Latin beside Hebrew breaks its bidi rule): Uri.IdnHost threw UriFormatException
        { ".npmrc", "registry=https://a\u05D0b.example/\n", "", "", null },
        { "Gemfile", "source \"https://a\u05D0b.example/\"\ngem \"a\", \"1.0\"\n", "", "", null },
        // an empty berry resolution: IndexOf('@', 1) on an empty string threw
        { "yarn.lock", "ms@^2.1.0:\n  resolution: \"\"\n", "package.json", PackageJson, null },
        // two packages.lock.json entries whose ids differ only in case: ToDictionary threw
        { "packages.lock.json", """{ "version": 1, "dependencies": { "net8.0": { "Ms": { "type": "Direct" }, "ms": { "type": "Direct" } } } }""",
          "App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="ms" Version="1.0.0" /></ItemGroup></Project>""", null },
        // a mapping key that is a collection ("? [a]"): its values had a null key in their path
        { "pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  ? [a]\n  : requiresBuild: true\n  ? *x\n  : resolution: {tarball: 'https://e.example/x.tgz'}\n", "package.json", PackageJson, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_file_that_crashed_the_check_is_reported_or_read(string path, string text, string companion, string? companionText, string? unreadable)
    {
        using var tree = new TempTree();
        tree.Write(path, text);
        if (companion.Length > 0) tree.Write(companion, companionText!);
        var report = tree.Check();
        if (unreadable is null) Assert.Empty(report.Unreadable);
        else Assert.Equal(unreadable, Assert.Single(report.Unreadable).Path);
    }

    [Fact]
    public void A_pnpm_package_key_of_slashes_only_is_named_by_itself()
    {
        // "/" trimmed to nothing, then searched for '@' from index 1, threw; the key names no package, so the findings
        // name the key as written: still reported, not dropped
        using var tree = new TempTree();
        tree.Write("package.json", PackageJson);
        tree.Write("pnpm-lock.yaml", "packages:\n  /:\n    resolution: {tarball: 'https://e.example/x.tgz'}\n    requiresBuild: true\n");
        var report = tree.Check();
        Assert.Empty(report.Unreadable);
        var lines = Checks.Lines(report);
        Assert.Contains("BW-DEP-004 pnpm-lock.yaml:3 /", lines);   // a tarball from no registry
        Assert.Contains("BW-DEP-007 pnpm-lock.yaml:4 /", lines);   // an install script
    }

    [Fact]
    public void A_registry_host_that_IDNA_refuses_is_reported_as_not_allowed()
    {
        // fail closed: such a host lies under no allowed registry (before the fix the comparison threw)
        using var tree = new TempTree();
        tree.Write("Gemfile", "source \"https://a\u05D0b.example/\"\ngem \"a\", \"1.0\"\n");
        tree.Write("Gemfile.lock", "GEM\n  remote: https://a\u05D0b.example/\n  specs:\n    a (1.0)\n\nDEPENDENCIES\n  a (= 1.0)\n");
        var report = tree.Check();
        Assert.Empty(report.Unreadable);
        Assert.Contains(report.Findings, f => f.Rule == DependencyRules.UnapprovedRegistry && f.Path == "Gemfile");
        Assert.Contains(report.Findings, f => f.Rule == DependencyRules.UnapprovedRegistry && f.Path == "Gemfile.lock");
    }

    [Fact]
    public void Thousands_of_continued_requirement_lines_are_joined_in_linear_time()
    {
        // each continuation used to copy the whole logical line so far: 400 MB allocated for 160 KB of hashes
        var text = new System.Text.StringBuilder("annotated-types==0.8.0 \\\n");
        for (var i = 0; i < 3000; i++) text.Append("    --hash=sha256:").Append(new string('a', 64)).Append(" \\\n");
        text.Append("    --hash=sha256:").Append(new string('b', 64)).Append('\n');
        using var tree = new TempTree();
        tree.Write("requirements.txt", text.ToString());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var report = tree.Check();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(report.Unreadable);
        Assert.Empty(report.Findings);
        Assert.True(allocated < 32L << 20, $"allocated {allocated:N0} bytes for a {text.Length:N0}-character file");
    }
}
