// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Php;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Php;

public class ComposerLockCatalogerTests
{
    private static readonly ComposerLockCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Php/testdata/{name}/composer.lock");

    [Fact]
    public void Wants_composer_lock_only()
    {
        Assert.True(Cataloger.Wants("app/composer.lock"));
        Assert.False(Cataloger.Wants("app/composer.json"));
    }

    [Fact]
    public async Task Reads_composers_own_lockfile_with_dev_packages_and_the_manifest_as_root()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("composer/composer__composer/composer.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(37, result.Packages.Count); // 30 packages, 6 packages-dev, the root
        Assert.Equal(6, result.Packages.Count(p => p.Scope == Scope.Dev));
        // platform requirements (php, ext-json) are not packages
        Assert.DoesNotContain(result.Packages, p => !p.Name.Contains('/'));

        var root = result.Single("pkg:composer/composer/composer");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal<string>(["MIT"], root.Licenses);
        Assert.Equal(27, root.DependsOn.Length); // 21 require + 6 require-dev, php and ext-* left out
        Assert.Contains(Purl.Parse("pkg:composer/phpstan/phpstan-symfony@1.4.16"), root.DependsOn);

        var console = result.Single("pkg:composer/symfony/console@v5.4.47");
        Assert.Equal(Scope.Required, console.Scope);
        Assert.Equal<string>(["MIT"], console.Licenses);
        Assert.Empty(console.Hashes); // "shasum": ""
        Assert.Equal(
            ["pkg:composer/symfony/deprecation-contracts@v2.5.4", "pkg:composer/symfony/polyfill-mbstring@v1.38.2",
             "pkg:composer/symfony/polyfill-php73@v1.37.0", "pkg:composer/symfony/polyfill-php80@v1.37.0",
             "pkg:composer/symfony/service-contracts@v2.5.4", "pkg:composer/symfony/string@v5.4.47"],
            console.DependsOn.Select(d => d.ToString()));
        Assert.Contains(new ExternalReference("vcs", "https://github.com/symfony/console.git"), console.ExternalReferences);
        Assert.Contains(console.ExternalReferences, r => r.Type == "distribution" && r.Url.StartsWith("https://api.github.com/repos/symfony/console/zipball/", StringComparison.Ordinal));

        var phpstanSymfony = result.Single("pkg:composer/phpstan/phpstan-symfony@1.4.16");
        Assert.Equal(Scope.Dev, phpstanSymfony.Scope);
        Assert.Equal("phpstan-extension", phpstanSymfony.Properties["composer:type"]);
        Assert.Equal<Purl>([Purl.Parse("pkg:composer/phpstan/phpstan@1.12.33")], phpstanSymfony.DependsOn);
        Assert.Equal<string>(["BSD-3-Clause"], result.Single("pkg:composer/marc-mabe/php-enum@v4.7.2").Licenses);
    }

    [Fact]
    public async Task Reads_path_and_git_sources_hashes_types_and_resolves_replace_and_provide()
    {
        var result = await Scenario("sources");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:composer/acme/billing@dev-main", "pkg:composer/acme/polyfill-fork@1.31.0", "pkg:composer/acme/shop",
             "pkg:composer/monolog/monolog@3.8.1", "pkg:composer/phpunit/phpunit@11.5.2", "pkg:composer/psr/log@3.0.2"],
            result.Packages.Select(p => p.Purl.ToString()));

        var billing = result.Single("pkg:composer/acme/billing@dev-main");
        Assert.Equal("path", billing.Properties["bulwark:source"]);
        Assert.Equal("packages/billing", billing.Properties["bulwark:path"]);
        Assert.Empty(billing.ExternalReferences);
        Assert.Equal<Purl>([Purl.Parse("pkg:composer/psr/log@3.0.2")], billing.DependsOn);

        var fork = result.Single("pkg:composer/acme/polyfill-fork@1.31.0");
        Assert.Equal("git", fork.Properties["bulwark:source"]);
        Assert.Equal("2e4a1e7f0fbb0b2d3e52a06c2d7c3a6b1c0a9f88", fork.Properties["bulwark:revision"]);
        Assert.Equal("metapackage", fork.Properties["composer:type"]);
        Assert.Equal<ExternalReference>([new("vcs", "https://git.example.com/acme/polyfill-fork.git")], fork.ExternalReferences);

        var log = result.Single("pkg:composer/psr/log@3.0.2");
        Assert.Equal(Digest.Parse("sha1:e5b0e4c1d06c1b0a71b3c7f3ee0a2a1d4f6c8b9a"), Assert.Single(log.Hashes));
        Assert.Equal<ExternalReference>([new("distribution", "https://repo.example.com/dist/psr/log/psr-log-3.0.2.zip")], log.ExternalReferences);
        Assert.Equal("Sends your logs to files, sockets, inboxes, databases and various web services",
            result.Single("pkg:composer/monolog/monolog@3.8.1").Description);

        var root = result.Single("pkg:composer/acme/shop");
        Assert.True(root.IsRoot);
        Assert.Equal<string>(["proprietary"], root.Licenses);
        Assert.Equal("project", root.Properties["composer:type"]);
        // psr/log-implementation is provided by monolog; symfony/polyfill-php80 is replaced by the fork
        Assert.Equal(
            ["pkg:composer/acme/billing@dev-main", "pkg:composer/acme/polyfill-fork@1.31.0", "pkg:composer/monolog/monolog@3.8.1", "pkg:composer/phpunit/phpunit@11.5.2"],
            root.DependsOn.Select(d => d.ToString()));
        Assert.Equal(Scope.Dev, result.Single("pkg:composer/phpunit/phpunit@11.5.2").Scope);
    }

    [Fact]
    public async Task Reads_an_empty_lockfile_as_no_packages()
    {
        var result = await Scenario("empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_invalid_json_as_unreadable_with_its_line()
    {
        var result = await Scenario("malformed");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 3: ", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_a_lockfile_that_is_not_an_object_as_unreadable()
    {
        var result = await Scenario("not-an-object");
        Assert.Empty(result.Packages);
        Assert.Contains("must hold a JSON object", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("composer/composer__composer/composer.lock"), "composer.lock");

    [Fact]
    public Task Reads_beside_a_damaged_composer_json_or_records_the_lockfile_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("composer/composer__composer/composer.json"), "composer.json",
            "composer.lock", CatalogerRun.Corpus("composer/composer__composer/composer.lock"));

    [Fact]
    public async Task Names_the_root_after_its_directory_when_composer_json_has_no_name()
    {
        var result = await Scenario("no-name");
        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:composer/no-name", "pkg:composer/psr/log@3.0.2"], result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal<Purl>([Purl.Parse("pkg:composer/psr/log@3.0.2")], result.Single("pkg:composer/no-name").DependsOn);
        Assert.Equal<string>(["MIT"], result.Single("pkg:composer/psr/log@3.0.2").Licenses); // a single string, not an array
    }
}

public class ComposerInstalledCatalogerTests
{
    private static readonly ComposerInstalledCataloger Cataloger = new();

    [Fact]
    public void Wants_installed_json_under_vendor_composer_only()
    {
        Assert.True(Cataloger.Wants("vendor/composer/installed.json"));
        Assert.True(Cataloger.Wants("app/vendor/composer/installed.json"));
        Assert.False(Cataloger.Wants("composer/installed.json"));
        Assert.False(Cataloger.Wants("vendor/composer/installed.php"));
    }

    [Fact]
    public async Task Reads_the_composer_1_array_form()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Php/testdata/installed-v1");
        Assert.Equal(["pkg:composer/psr/log@1.1.4", "pkg:composer/symfony/console@v5.4.47"], result.Packages.Select(p => p.Purl.ToString()));
        Assert.All(result.Packages, p => Assert.Equal(Scope.Required, p.Scope));
        // symfony/service-contracts is not installed: no edge
        Assert.Equal<Purl>([Purl.Parse("pkg:composer/psr/log@1.1.4")], result.Single("pkg:composer/symfony/console@v5.4.47").DependsOn);
        Assert.Equal(new FileLocation("vendor/composer/installed.json"), Assert.Single(result.Single("pkg:composer/psr/log@1.1.4").Locations));
    }

    [Fact]
    public async Task Reads_the_composer_2_object_form_with_dev_package_names()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Php/testdata/installed-v2");
        Assert.Equal(["pkg:composer/composer/installers@v2.3.0", "pkg:composer/hamcrest/hamcrest-php@v2.0.1", "pkg:composer/mockery/mockery@1.6.12"],
            result.Packages.Select(p => p.Purl.ToString()));
        var installers = result.Single("pkg:composer/composer/installers@v2.3.0");
        Assert.Equal(Scope.Required, installers.Scope);
        Assert.Equal("composer-plugin", installers.Properties["composer:type"]);
        Assert.Equal(Digest.Parse("sha1:0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"), Assert.Single(installers.Hashes));
        Assert.Empty(installers.DependsOn); // composer-plugin-api and php are platform requirements
        var mockery = result.Single("pkg:composer/mockery/mockery@1.6.12");
        Assert.Equal(Scope.Dev, mockery.Scope);
        Assert.Equal<Purl>([Purl.Parse("pkg:composer/hamcrest/hamcrest-php@v2.0.1")], mockery.DependsOn);
        Assert.Equal(Scope.Dev, result.Single("pkg:composer/hamcrest/hamcrest-php@v2.0.1").Scope);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger,
            Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Php/testdata/installed-v2/vendor/composer/installed.json"),
            "vendor/composer/installed.json");

    [Fact]
    public async Task Reads_an_empty_installed_json_as_no_packages()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Php/testdata/installed-empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_invalid_json_in_installed_json_as_unreadable_with_its_line()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Php/testdata/installed-malformed");
        Assert.Empty(result.Packages);
        var u = Assert.Single(result.Unreadable);
        Assert.Equal("vendor/composer/installed.json", u.Location.Path);
        Assert.StartsWith("line 4: ", u.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_an_installed_json_without_packages_as_unreadable()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Php/testdata/installed-wrong-shape");
        Assert.StartsWith("line 1: installed.json must be an array", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }
}
