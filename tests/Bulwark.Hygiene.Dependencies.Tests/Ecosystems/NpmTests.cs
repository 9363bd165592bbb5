// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class NpmTests
{
    [Fact]
    public void A_manifest_without_a_lockfile_is_reported_with_each_range_but_not_exact_versions()
    {
        var report = Checks.Run("npm/missing-lock");
        Assert.Equal(
        [
            "BW-DEP-001 package.json:1 app",
            "BW-DEP-006 package.json:5 left-pad",
            "BW-DEP-006 package.json:7 tagged",
            "BW-DEP-006 package.json:10 mocha",
        ], Checks.Lines(report));
        Assert.Equal("left-pad \"^1.3.0\" in dependencies is a range, and no lockfile fixes the version installed.", report.Findings[1].Message);
        Assert.Equal("npm", report.Findings[0].Ecosystem);
    }

    [Fact]
    public void A_manifest_without_dependencies_needs_no_lockfile() =>
        Assert.Empty(Checks.Lines("npm/no-dependencies"));

    [Fact]
    public void A_lockfile_in_sync_with_its_manifest_gives_no_finding() =>
        Assert.Empty(Checks.Lines("npm/in-sync"));

    [Fact]
    public void A_lockfile_out_of_sync_names_each_dependency_and_the_mismatch()
    {
        var report = Checks.Run("npm/out-of-sync");
        Assert.Equal(
        [
            "BW-DEP-002 package-lock.json:7 chalk",
            "BW-DEP-002 package.json:5 left-pad",
            "BW-DEP-002 package.json:6 ms",
            "BW-DEP-002 package.json:9 is-odd",
        ], Checks.Lines(report));
        Assert.Equal(
        [
            "chalk \"^5.0.0\" is locked as a dependencies entry of the root package but package.json no longer declares it there.",
            "left-pad \"^1.3.0\": package-lock.json locks 1.2.0, which the range does not allow.",
            "ms is \"^3.0.0\" in dependencies but package-lock.json was made for \"^2.1.0\".",
            "is-odd \"~3.0.0\" is in devDependencies but not in package-lock.json.",
        ], report.Findings.Select(f => f.Message));
    }

    [Fact]
    public void Git_url_and_outside_path_dependencies_are_reported_in_the_manifest_and_the_lockfile_but_a_path_inside_is_not()
    {
        Assert.Equal(
        [
            "BW-DEP-003 package-lock.json:22 from-git",
            "BW-DEP-003 package-lock.json:26 shorthand",
            "BW-DEP-004 package-lock.json:30 from-url",
            "BW-DEP-008 package-lock.json:46 private-pkg",
            "BW-DEP-003 package.json:5 from-git",
            "BW-DEP-003 package.json:6 shorthand",
            "BW-DEP-004 package.json:7 from-url",
            "BW-DEP-005 package.json:8 outside",
        ], Checks.Lines("npm/sources"));
    }

    [Fact]
    public void A_registry_allowed_with_registry_is_not_reported()
    {
        var lines = Checks.Lines("npm/sources", "https://npm.example.internal/");
        Assert.DoesNotContain(lines, l => l.StartsWith("BW-DEP-008", StringComparison.Ordinal));
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public void A_registry_is_allowed_by_its_path_prefix_not_only_its_host()
    {
        var lines = Checks.Lines("npm/sources", "https://npm.example.internal/other/");
        Assert.Contains("BW-DEP-008 package-lock.json:46 private-pkg", lines);
    }

    [Fact]
    public void Install_scripts_are_reported_from_the_lockfile_and_from_installed_packages_but_other_scripts_are_not()
    {
        var report = Checks.Run("npm/install-scripts");
        Assert.Equal(
        [
            "BW-DEP-007 node_modules/esbuild/package.json:5 esbuild@0.21.5",
            "BW-DEP-007 package-lock.json:19 esbuild@0.21.5",
        ], Checks.Lines(report));
        Assert.Equal("esbuild@0.21.5 runs a postinstall script: \"node install.js\".", report.Findings[0].Message);
        Assert.All(report.Findings, f => Assert.Equal(Severity.Low, f.Rule.Severity));
    }

    [Fact]
    public void Yarn_v1_entries_must_cover_every_manifest_specifier_and_resolved_urls_are_checked()
    {
        Assert.Equal(
        [
            "BW-DEP-002 package.json:5 ms",
            "BW-DEP-008 yarn.lock:12 ms",
        ], Checks.Lines("npm/yarn-v1"));
    }

    [Fact]
    public void Pnpm_importer_specifiers_are_compared_with_the_manifest_and_tarballs_are_checked()
    {
        Assert.Equal(
        [
            "BW-DEP-002 package.json:5 ms",
            "BW-DEP-008 pnpm-lock.yaml:24 ms",
        ], Checks.Lines("npm/pnpm"));
    }

    [Fact]
    public void A_real_lockfile_is_in_sync_with_its_manifest() =>
        Assert.Empty(Checks.Lines("real/npm-security-wg"));

    [Fact]
    public void A_real_manifest_changed_after_locking_is_out_of_sync()
    {
        using var tree = TempTree.CopyOf("real/npm-security-wg");
        tree.Replace("package.json", "\"joi\": \"^17.13.3\"", "\"joi\": \"^18.0.0\"");
        tree.Replace("package.json", "\"semver\": \"^7.3.8\"", "\"semver\": \"^7.3.8\",\n    \"left-pad\": \"1.3.0\"");
        var report = tree.Check();
        Assert.Equal(
        [
            "BW-DEP-002 package.json:16 joi",
            "BW-DEP-002 package.json:18 left-pad",
        ], Checks.Lines(report));
        Assert.Equal("joi is \"^18.0.0\" in dependencies but package-lock.json was made for \"^17.13.3\".", report.Findings[0].Message);
    }

    [Fact]
    public void A_workspace_member_is_checked_against_the_lockfile_at_the_workspace_root()
    {
        using var tree = new TempTree();
        tree.Write("package.json", """{ "name": "root", "workspaces": ["packages/*"], "dependencies": { "a": "1.0.0" } }""");
        tree.Write("packages/a/package.json", """{ "name": "a", "version": "1.0.0", "dependencies": { "ms": "^2.1.0" } }""");
        tree.Write("package-lock.json", """
            {
              "name": "root", "lockfileVersion": 3,
              "packages": {
                "": { "name": "root", "workspaces": ["packages/*"], "dependencies": { "a": "1.0.0" } },
                "node_modules/a": { "resolved": "packages/a", "link": true },
                "packages/a": { "name": "a", "version": "1.0.0", "dependencies": { "ms": "^2.0.0" } },
                "node_modules/ms": { "version": "2.1.3", "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz" }
              }
            }
            """);
        Assert.Equal(["BW-DEP-002 packages/a/package.json:1 ms"], Checks.Lines(tree.Check()));
    }

    [Fact]
    public void Registries_configured_in_npmrc_and_yarnrc_are_checked()
    {
        var report = Checks.Run("npm/registry-config");
        Assert.Equal(
        [
            "BW-DEP-008 .npmrc:2 -",
            "BW-DEP-008 .yarnrc.yml:2 -",
        ], Checks.Lines(report));
        Assert.Equal("the package manager is configured to use https://npm.example.internal/, which is not an allowed npm registry.", report.Findings[0].Message);
    }

    [Fact]
    public void A_nested_package_that_is_not_a_workspace_member_is_not_covered_by_the_lockfile_above()
    {
        using var tree = TempTree.CopyOf("npm/in-sync");
        tree.Write("examples/demo/package.json", """{ "name": "demo", "dependencies": { "ms": "2.1.3" } }""");
        Assert.Equal(["BW-DEP-001 examples/demo/package.json:1 demo"], Checks.Lines(tree.Check()));
    }

    [Theory]
    [InlineData("# yarn lockfile v1\n\n\"left-pad@^1.3.0\", left-pad@^1.0.0:\n  version \"1.2.0\"\n  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.2.0.tgz\"\n")]
    [InlineData("__metadata:\n  version: 8\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  dependencies:\n    left-pad: \"npm:^1.3.0\"\n\n\"left-pad@npm:^1.3.0\":\n  version: 1.2.0\n  resolution: \"left-pad@npm:1.2.0\"\n")]
    public void A_yarn_entry_whose_version_is_outside_the_range_is_out_of_sync(string yarnLock)
    {
        using var tree = new TempTree();
        tree.Write("package.json", "{\n  \"name\": \"app\",\n  \"dependencies\": { \"left-pad\": \"^1.3.0\" }\n}\n");
        tree.Write("yarn.lock", yarnLock);
        var report = tree.Check();
        Assert.Equal(["BW-DEP-002 package.json:3 left-pad"], Checks.Lines(report));
        Assert.Equal("left-pad \"^1.3.0\": yarn.lock locks 1.2.0, which the range does not allow.", report.Findings[0].Message);
    }

    [Theory]
    [InlineData("real/yarn-berry-prettier")]
    [InlineData("real/pnpm-cdxgen")]
    [InlineData("real/yarn-v1-gatekeeper")]
    public void Real_yarn_and_pnpm_lockfiles_match_their_manifests(string fixture)
    {
        var report = Checks.Run(fixture);
        Assert.Empty(report.Findings.Where(f => f.Rule.Id is "BW-DEP-001" or "BW-DEP-002").Select(f => f.Message));
        Assert.Empty(report.Unreadable);
    }

    [Fact]
    public void A_real_yarn_v1_lock_is_out_of_sync_once_a_range_moves_past_it()
    {
        using var tree = TempTree.CopyOf("real/yarn-v1-gatekeeper");
        var text = File.ReadAllText(Path.Combine(tree.Root, "package.json"));
        var react = System.Text.RegularExpressions.Regex.Match(text, "\"react\": \"([^\"]+)\"");
        Assert.True(react.Success);
        tree.Replace("package.json", react.Value, "\"react\": \"^99.0.0\"");
        var finding = Assert.Single(tree.Check().Findings, f => f.Rule.Id == "BW-DEP-002");
        Assert.Equal("react", finding.Package);
    }
}
