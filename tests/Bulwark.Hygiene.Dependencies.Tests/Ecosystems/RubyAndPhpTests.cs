// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class RubyAndPhpTests
{
    [Fact]
    public void A_gemfile_without_its_lock_is_reported_with_unpinned_gems()
    {
        Assert.Equal(
        [
            "BW-DEP-001 Gemfile:1 -",
            "BW-DEP-006 Gemfile:3 rails",
            "BW-DEP-006 Gemfile:5 pry",
        ], Checks.Lines("ruby/no-lock"));
    }

    [Fact]
    public void Gemfile_git_sources_other_sources_and_gems_missing_from_the_lock_are_reported()
    {
        Assert.Equal(
        [
            "BW-DEP-008 Gemfile:2 -",
            "BW-DEP-003 Gemfile:7 toolkit",
            "BW-DEP-002 Gemfile:8 puma",
            "BW-DEP-003 Gemfile.lock:2 -",
            "BW-DEP-008 Gemfile.lock:13 -",
        ], Checks.Lines("ruby/lock"));
    }

    [Fact]
    public void Composer_without_a_lock_reports_ranges_but_not_platform_requirements_or_exact_versions()
    {
        Assert.Equal(
        [
            "BW-DEP-001 composer.json:1 acme/shop",
            "BW-DEP-006 composer.json:6 monolog/monolog",
            "BW-DEP-003 composer.json:9 -",
        ], Checks.Lines("php/no-lock"));
    }

    [Fact]
    public void The_content_hash_of_a_real_composer_lock_matches_until_composer_json_changes()
    {
        using var tree = TempTree.CopyOf("real/composer-composer");
        Assert.Empty(tree.Check().Findings);
        tree.Replace("composer.json", "\"ext-hash\": \"*\",", "\"ext-hash\": \"*\",\n        \"ext-intl\": \"*\",");
        var finding = Assert.Single(tree.Check().Findings);
        Assert.Equal(("BW-DEP-002", "composer.json", 1), (finding.Rule.Id, finding.Path, finding.Line));
        Assert.StartsWith("composer.lock was made from another version of composer.json (its content-hash is c47675733754…", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_composer_does_not_hash_can_change_without_a_new_lock()
    {
        using var tree = TempTree.CopyOf("real/composer-composer");
        tree.Replace("composer.json", "\"require\": {", "\"description-extra\": \"not hashed\",\n    \"require\": {");
        Assert.Empty(tree.Check().Findings);
    }
}
