// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class PythonTests
{
    [Fact]
    public void A_pep_621_project_without_a_lockfile_is_reported_with_each_unpinned_dependency()
    {
        Assert.Equal(
        [
            "BW-DEP-001 pyproject.toml:1 svc",
            "BW-DEP-006 pyproject.toml:5 requests",
            "BW-DEP-006 pyproject.toml:7 click",
            "BW-DEP-006 pyproject.toml:11 pytest",
        ], Checks.Lines("python/pep621-no-lock"));
    }

    [Fact]
    public void A_project_without_dependencies_needs_no_lockfile() =>
        Assert.Empty(Checks.Lines("python/no-dependencies"));

    [Fact]
    public void Poetry_dependencies_missing_from_the_lock_git_sources_and_extra_indexes_are_reported()
    {
        var report = Checks.Run("python/poetry");
        Assert.Equal(
        [
            "BW-DEP-003 poetry.lock:35 toolkit",
            "BW-DEP-002 pyproject.toml:1 -",
            "BW-DEP-003 pyproject.toml:10 toolkit",
            "BW-DEP-002 pyproject.toml:13 pytest",
            "BW-DEP-008 pyproject.toml:17 -",
        ], Checks.Lines(report));
        Assert.Equal("pytest \"^8.0\" is declared but poetry.lock has no package of that name.", report.Findings[3].Message);
        Assert.StartsWith("poetry.lock was made from another version of pyproject.toml (its content-hash is 000000000000…", report.Findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_compared_after_pep_503_normalisation()
    {
        // "rich" is declared and "Rich" locked: the same project
        Assert.DoesNotContain(Checks.Lines("python/poetry"), l => l.EndsWith(" rich", StringComparison.Ordinal));
    }

    [Fact]
    public void Uv_indexes_and_the_registries_packages_were_locked_from_are_checked()
    {
        Assert.Equal(
        [
            "BW-DEP-008 pyproject.toml:11 -",
            "BW-DEP-008 uv.lock:7 private-lib",
        ], Checks.Lines("python/uv"));
        Assert.Empty(Checks.Lines("python/uv", "https://pypi.example.internal/simple/"));
    }

    [Fact]
    public void Requirements_lines_are_checked_for_pins_indexes_vcs_urls_and_paths_and_a_bad_line_is_reported()
    {
        var report = Checks.Run("python/requirements");
        Assert.Equal(
        [
            "BW-DEP-008 requirements.txt:3 -",
            "BW-DEP-006 requirements.txt:5 requests",
            "BW-DEP-006 requirements.txt:6 click",
            "BW-DEP-006 requirements.txt:7 flask",
            "BW-DEP-003 requirements.txt:8 werkzeug",
            "BW-DEP-004 requirements.txt:9 wheelpkg",
            "BW-DEP-005 requirements.txt:10 -",
        ], Checks.Lines(report));
        var unreadable = Assert.Single(report.Unreadable);
        Assert.Equal("requirements.txt", unreadable.Path);
        Assert.Equal("line 14: \"this is not a requirement\" is not a requirement pip understands; the other lines were checked.", unreadable.Reason);
    }

    [Fact]
    public void A_pipfile_without_its_lock_is_reported_with_its_floating_versions()
    {
        Assert.Equal(
        [
            "BW-DEP-001 Pipfile:1 -",
            "BW-DEP-006 Pipfile:7 requests",
            "BW-DEP-006 Pipfile:11 pytest",
        ], Checks.Lines("python/pipfile-no-lock"));
    }

    [Fact]
    public void A_pipfile_package_missing_from_its_lock_and_a_private_source_are_reported()
    {
        Assert.Equal(
        [
            "BW-DEP-002 Pipfile:1 -",
            "BW-DEP-008 Pipfile:2 -",
            "BW-DEP-002 Pipfile:11 pytest",
        ], Checks.Lines("python/pipfile"));
    }

    [Fact]
    public void The_pipfile_hash_recorded_in_a_real_lock_matches_until_the_pipfile_changes()
    {
        using var tree = TempTree.CopyOf("real/pipenv-ruby-advisory-db");
        Assert.Empty(tree.Check().Findings);
        tree.Write("Pipfile", File.ReadAllText(Path.Combine(tree.Root, "Pipfile")) + "\n[extra]\nrich = \"*\"\n");
        var finding = Assert.Single(tree.Check().Findings);
        Assert.Equal(("BW-DEP-002", "Pipfile", 1), (finding.Rule.Id, finding.Path, finding.Line));
        Assert.StartsWith("Pipfile.lock was made from another version of this Pipfile (its _meta.hash.sha256 is 9f0f9c3b78ff…", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_and_pipenv_settings_do_not_change_the_pipfile_hash()
    {
        using var tree = TempTree.CopyOf("real/pipenv-ruby-advisory-db");
        tree.Write("Pipfile", File.ReadAllText(Path.Combine(tree.Root, "Pipfile")) + "\n[scripts]\ntest = \"pytest\"\n\n[pipenv]\nallow_prereleases = true\n");
        Assert.Empty(tree.Check().Findings);
    }

    [Theory]
    [InlineData("real/uv-sigstore-python")]
    [InlineData("real/pipenv-ruby-advisory-db")]
    public void Real_projects_in_sync_give_no_finding(string fixture) =>
        Assert.Empty(Checks.Lines(fixture));

    [Fact]
    public void A_dependency_added_to_a_real_uv_project_after_locking_is_out_of_sync()
    {
        using var tree = TempTree.CopyOf("real/uv-sigstore-python");
        tree.Replace("pyproject.toml", "dependencies = [", "dependencies = [\n  \"left-pad-py>=1.0\",");
        var finding = Assert.Single(tree.Check().Findings);
        Assert.Equal(("BW-DEP-002", "left-pad-py"), (finding.Rule.Id, finding.Package));
    }

    [Fact]
    public void A_real_uv_lock_whose_version_no_longer_satisfies_the_declared_specifier_is_out_of_sync()
    {
        using var tree = TempTree.CopyOf("real/uv-sigstore-python");
        tree.Replace("pyproject.toml", "\"rich >= 13,< 16\"", "\"rich >= 16\"");
        var finding = Assert.Single(tree.Check().Findings);
        Assert.Equal(("BW-DEP-002", "pyproject.toml", 35, "rich"), (finding.Rule.Id, finding.Path, finding.Line, finding.Package));
        Assert.Equal("rich \">=16\": uv.lock locks 15.0.0, which the constraint does not allow.", finding.Message);
    }

    [Fact]
    public void Poetry_caret_constraints_are_compared_with_the_locked_version()
    {
        using var tree = TempTree.CopyOf("python/poetry");
        tree.Replace("pyproject.toml", "requests = \"^2.31\"", "requests = \"^2.32\"");
        Assert.Contains("BW-DEP-002 pyproject.toml:7 requests", Checks.Lines(tree.Check()));
    }

    [Theory]
    [InlineData(">=2.31", "2.31.0", true)]
    [InlineData(">=2.32", "2.31.0", false)]
    [InlineData(">=13,<16", "15.0.0", true)]
    [InlineData(">=13,<16", "16.0", false)]
    [InlineData("==1.*", "1.9.2", true)]
    [InlineData("==1.*", "2.0", false)]
    [InlineData("!=1.5.*", "1.5.3", false)]
    [InlineData("~=2.2", "2.9", true)]
    [InlineData("~=2.2", "3.0", false)]
    [InlineData("~=2.2.1", "2.3.0", false)]
    [InlineData("==1.0", "1.0.0", true)]
    [InlineData("==1.0", "1.0+local.7", true)]
    [InlineData("===1.0", "1.0.0", false)]
    [InlineData("", "3.0", true)]
    public void Pep_440_specifiers_allow_the_versions_pip_would(string specifier, string version, bool allowed) =>
        Assert.Equal(allowed, Bulwark.Hygiene.Dependencies.Ecosystems.Pep440Specifier.Allows(specifier, version));

    [Theory]
    [InlineData("^1.2.3", ">=1.2.3,<2")]
    [InlineData("^0.2.3", ">=0.2.3,<0.3")]
    [InlineData("^0.0.3", ">=0.0.3,<0.0.4")]
    [InlineData("~1.2.3", ">=1.2.3,<1.3")]
    [InlineData("~1", ">=1,<2")]
    [InlineData("1.2.3", "==1.2.3")]
    [InlineData(">=1,<2", ">=1,<2")]
    [InlineData(">=1 <2", ">=1,<2")]
    [InlineData("*", "")]
    [InlineData("^1 || ^2", null)]
    public void Poetry_constraints_become_pep_440_clauses(string constraint, string? expected) =>
        Assert.Equal(expected, Bulwark.Hygiene.Dependencies.Ecosystems.Pep440Specifier.FromPoetry(constraint));

    [Fact]
    public void A_specifier_that_cannot_be_read_is_not_judged() =>
        Assert.Null(Bulwark.Hygiene.Dependencies.Ecosystems.Pep440Specifier.Allows("=>1.0", "1.0"));

    [Fact]
    public void The_content_hash_of_a_real_poetry_lock_matches_until_a_dependency_changes()
    {
        using var tree = TempTree.CopyOf("real/poetry-poetry");
        // the project really takes poetry-core from git: that, and nothing about the lock being stale
        Assert.Equal(["BW-DEP-003 poetry.lock:1412 poetry-core", "BW-DEP-003 pyproject.toml:7 poetry-core"], Checks.Lines(tree.Check()));
        tree.Replace("pyproject.toml", "requires-python = \">=3.10,<4.0\"", "requires-python = \">=3.11,<4.0\"");
        var finding = Assert.Single(tree.Check().Findings, f => f.Rule.Id == "BW-DEP-002");
        Assert.Equal(("pyproject.toml", 1), (finding.Path, finding.Line));
        Assert.StartsWith("poetry.lock was made from another version of pyproject.toml (its content-hash is afaa5fde455a…", finding.Message, StringComparison.Ordinal);
    }
}
