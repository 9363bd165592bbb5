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
}
