// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Ruby;

public class GemfileLockCatalogerTests
{
    private const string RubyGemsOrg = "bundler/rubygems__rubygems.org/Gemfile.lock";
    private static readonly GemfileLockCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Ruby/testdata/{name}/Gemfile.lock");

    [Fact]
    public void Wants_Gemfile_lock_and_gems_locked_only()
    {
        Assert.True(Cataloger.Wants("app/Gemfile.lock"));
        Assert.True(Cataloger.Wants("gems.locked"));
        Assert.False(Cataloger.Wants("Gemfile"));
        Assert.False(Cataloger.Wants("app/Gemfile.lock.bak"));
    }

    [Fact]
    public async Task Reads_every_spec_of_every_GEM_remote_with_the_project_as_root()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(RubyGemsOrg));
        Assert.Empty(result.Unreadable);
        // 341 spec lines (platform variants are packages of their own) plus the project
        Assert.Equal(342, result.Packages.Count);
        var root = result.Single("pkg:gem/rubygems__rubygems.org");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal("4.0.16", root.Properties["bundler:version"]);
        Assert.Equal("4.0.6", root.Properties["ruby:version"]);
        Assert.Contains(Purl.Parse("pkg:gem/rails@8.1.3.1"), root.DependsOn);
    }

    [Fact]
    public async Task Qualifies_gems_from_a_private_remote_with_its_repository_url()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(RubyGemsOrg));
        var avo = result.Single("pkg:gem/avo-advanced@3.32.4?repository_url=https://packager.dev/avo-hq/");
        Assert.Equal("https://packager.dev/avo-hq/", avo.Properties["gem:remote"]);
        Assert.Equal(new FileLocation(RubyGemsOrgLocation, 4), Assert.Single(avo.Locations));
        Assert.Equal(Digest.Parse("sha256:84f5eae0a73462894ed36171585b4918e74bc4b3d6117b94962bfd78f555bab5"), Assert.Single(avo.Hashes));
        // its dependencies resolve across remotes: avo itself comes from rubygems.org
        Assert.Contains(Purl.Parse("pkg:gem/avo@3.32.4"), avo.DependsOn);
        Assert.Contains(Purl.Parse("pkg:gem/avo-pro@3.32.4?repository_url=https://packager.dev/avo-hq/"), avo.DependsOn);
        Assert.Contains(Purl.Parse("pkg:gem/zeitwerk@2.8.3"), avo.DependsOn);
        Assert.Equal(4, avo.DependsOn.Length);
        // the root's 'avo-advanced (~> 3.32)!' line names it
        Assert.Contains(avo.Purl, result.Single("pkg:gem/rubygems__rubygems.org").DependsOn);
    }

    private static string RubyGemsOrgLocation => "Gemfile.lock";

    [Fact]
    public async Task Reads_platform_variants_as_platform_qualified_packages_with_their_own_checksums()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(RubyGemsOrg));
        Assert.Equal(8, result.Packages.Count(p => p.Name == "ffi"));
        var ffi = result.Single("pkg:gem/ffi@1.17.4?platform=x86_64-linux-gnu");
        Assert.Equal("1.17.4", ffi.Version);
        Assert.Equal("x86_64-linux-gnu", ffi.Properties["gem:platform"]);
        Assert.Equal(297, ffi.Locations[0].Line);
        Assert.Equal(Digest.Parse("sha256:9d3db14c2eae074b382fa9c083fe95aec6e0a1451da249eab096c34002bc752d"), Assert.Single(ffi.Hashes));
        // a dependency on google-protobuf points at every platform variant of it
        var pgQuery = result.Single("pkg:gem/pg_query@6.2.2");
        Assert.Equal(6, pgQuery.DependsOn.Count(d => d.Name == "google-protobuf"));
    }

    [Fact]
    public async Task Takes_dev_and_optional_scope_from_the_Gemfile_groups_by_reachability()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus(RubyGemsOrg));
        // only in group :development, :test
        Assert.Equal(Scope.Dev, result.Single("pkg:gem/rubocop@1.89.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:gem/pg_query@6.2.2").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:gem/rubocop-ast@1.50.0").Scope);
        // in group :test, but activesupport needs it at run time
        Assert.Equal(Scope.Required, result.Single("pkg:gem/minitest@6.0.6").Scope);
        // pg_query (dev) needs it, and so does the Gemfile's top level
        Assert.Equal(Scope.Required, result.Single("pkg:gem/google-protobuf@4.35.1").Scope);
        // group :avo, optional: true, and what only it needs
        Assert.Equal(Scope.Optional, result.Single("pkg:gem/avo-advanced@3.32.4?repository_url=https://packager.dev/avo-hq/").Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:gem/avo-pro@3.32.4?repository_url=https://packager.dev/avo-hq/").Scope);
        // group :assets, :development: assets is not a development group
        Assert.Equal(Scope.Required, result.Single("pkg:gem/tailwindcss-rails@4.6.0").Scope);
    }

    [Fact]
    public async Task Reads_git_and_path_sources_with_revision_and_resolved_edges()
    {
        var result = await Scenario("git-sources");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            [
                "pkg:gem/actionpack@8.1.0.alpha",
                "pkg:gem/billing@0.1.0",
                "pkg:gem/git-sources",
                "pkg:gem/nokogiri@1.16.7",
                "pkg:gem/nokogiri@1.16.7?platform=x86_64-linux",
                "pkg:gem/racc@1.8.1",
                "pkg:gem/rack@3.1.8",
                "pkg:gem/rails@8.1.0.alpha",
                "pkg:gem/rspec-core@3.13.2",
                "pkg:gem/rspec@3.13.0",
            ],
            result.Packages.Select(p => p.Purl.ToString()));

        var rails = result.Single("pkg:gem/rails@8.1.0.alpha");
        Assert.Equal("git", rails.Properties["bulwark:source"]);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", rails.Properties["bulwark:revision"]);
        Assert.Equal("main", rails.Properties["git:branch"]);
        Assert.Equal<ExternalReference>([new ExternalReference("vcs", "https://github.com/rails/rails.git")], rails.ExternalReferences);
        Assert.Equal<Purl>([Purl.Parse("pkg:gem/actionpack@8.1.0.alpha")], rails.DependsOn);
        Assert.Equal<Purl>([Purl.Parse("pkg:gem/rack@3.1.8")], result.Single("pkg:gem/actionpack@8.1.0.alpha").DependsOn);

        var billing = result.Single("pkg:gem/billing@0.1.0");
        Assert.Equal("path", billing.Properties["bulwark:source"]);
        Assert.Equal("engines/billing", billing.Properties["bulwark:path"]);
        Assert.Equal<Purl>([Purl.Parse("pkg:gem/rails@8.1.0.alpha")], billing.DependsOn);

        var rack = result.Single("pkg:gem/rack@3.1.8");
        Assert.Equal<ExternalReference>([new ExternalReference("distribution", "https://rubygems.org/gems/rack-3.1.8.gem")], rack.ExternalReferences);
        Assert.Equal(Digest.Parse("sha256:0000000000000000000000000000000000000000000000000000000000000001"), Assert.Single(rack.Hashes));
        Assert.Empty(result.Single("pkg:gem/racc@1.8.1").Hashes); // listed in CHECKSUMS without a checksum
        Assert.Equal(Digest.Parse("sha256:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            Assert.Single(result.Single("pkg:gem/nokogiri@1.16.7?platform=x86_64-linux").Hashes));
    }

    [Fact]
    public async Task Makes_the_directory_the_root_with_the_DEPENDENCIES_as_its_edges()
    {
        var result = await Scenario("git-sources");
        var root = result.Single("pkg:gem/git-sources");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal("", root.Version);
        // tzinfo-data is for other platforms and not locked: no edge
        Assert.Equal(
            ["pkg:gem/billing@0.1.0", "pkg:gem/nokogiri@1.16.7", "pkg:gem/nokogiri@1.16.7?platform=x86_64-linux", "pkg:gem/rails@8.1.0.alpha", "pkg:gem/rspec@3.13.0"],
            root.DependsOn.Select(d => d.ToString()));
        Assert.Equal("2.5.22", root.Properties["bundler:version"]);
        Assert.Equal("3.3.5p100", root.Properties["ruby:version"]);
        Assert.Equal("ruby,x86_64-linux", root.Properties["gem:platforms"]);
        Assert.Equal(new FileLocation("Gemfile.lock"), Assert.Single(root.Locations));
    }

    [Fact]
    public async Task Marks_gems_only_reachable_from_development_groups_as_dev()
    {
        var result = await Scenario("git-sources");
        Assert.Equal(Scope.Dev, result.Single("pkg:gem/rspec@3.13.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:gem/rspec-core@3.13.2").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:gem/racc@1.8.1").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:gem/rack@3.1.8").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:gem/billing@0.1.0").Scope);
    }

    [Fact]
    public async Task Reads_an_empty_lockfile_as_no_packages()
    {
        var result = await Scenario("empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_a_spec_without_parentheses_as_unreadable_with_its_line()
    {
        var result = await Scenario("malformed");
        Assert.Empty(result.Packages);
        var u = Assert.Single(result.Unreadable);
        Assert.StartsWith("line 4: expected 'name (version)' but found 'rack 3.1.8'", u.Reason, StringComparison.Ordinal);
        Assert.Equal("gemfile-lock", u.Cataloger);
    }

    [Fact]
    public async Task Records_a_file_that_is_not_a_lockfile_as_unreadable()
    {
        var result = await Scenario("not-a-lockfile");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 1: ", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus(RubyGemsOrg), "Gemfile.lock");

    [Fact]
    public Task Reads_beside_a_damaged_Gemfile_or_records_the_lockfile_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("bundler/rubygems__rubygems.org/Gemfile"), "Gemfile",
            "Gemfile.lock", CatalogerRun.Corpus(RubyGemsOrg));

    [Fact]
    public async Task Makes_the_projects_own_gem_from_path_dot_a_root_too()
    {
        var result = await Scenario("gem-project");
        Assert.Empty(result.Unreadable);
        Assert.Equal(9, result.Packages.Count); // 7 gems, the project's gem and the directory root
        var gem = result.Single("pkg:gem/tiny_client@0.3.0");
        Assert.True(gem.IsRoot);
        Assert.Equal(PackageKind.Application, gem.Kind);
        Assert.Equal(".", gem.Properties["bulwark:path"]);
        Assert.Equal<Purl>([Purl.Parse("pkg:gem/faraday@2.12.2")], gem.DependsOn);
        Assert.Equal(["pkg:gem/rake@13.2.1", "pkg:gem/tiny_client@0.3.0"], result.Single("pkg:gem/gem-project").DependsOn.Select(d => d.ToString()));
        Assert.Equal(Scope.Required, result.Single("pkg:gem/uri@1.0.2").Scope);
        Assert.False(result.Single("pkg:gem/faraday@2.12.2").IsRoot);
    }
}
