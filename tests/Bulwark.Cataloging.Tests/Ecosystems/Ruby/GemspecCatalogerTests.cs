// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.Ruby;

public class GemspecCatalogerTests
{
    private static readonly GemspecCataloger Cataloger = new();

    [Fact]
    public void Wants_gemspecs_in_specifications_directories_only()
    {
        Assert.True(Cataloger.Wants("usr/local/bundle/specifications/rake-13.2.1.gemspec"));
        Assert.True(Cataloger.Wants("specifications/rake-13.2.1.gemspec"));
        Assert.True(Cataloger.Wants("usr/lib/ruby/gems/3.3.0/specifications/default/json-2.7.2.gemspec"));
        Assert.False(Cataloger.Wants("my-gem/my-gem.gemspec"));
        Assert.False(Cataloger.Wants("default/json-2.7.2.gemspec"));
        Assert.False(Cataloger.Wants("specifications/rake-13.2.1.rb"));
    }

    [Fact]
    public async Task Reads_installed_gemspecs_with_licenses_platform_and_resolved_edges()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Ruby/testdata/gemspecs");
        Assert.Equal(
            [
                "pkg:gem/json@2.7.2",
                "pkg:gem/mini_portile2@2.8.7",
                "pkg:gem/mini_portile2@2.8.8",
                "pkg:gem/nokogiri@1.16.7?platform=x86_64-linux",
                "pkg:gem/racc@1.8.1",
                "pkg:gem/rake@13.2.1",
            ],
            result.Packages.Select(p => p.Purl.ToString()));

        var nokogiri = result.Single("pkg:gem/nokogiri@1.16.7?platform=x86_64-linux");
        Assert.Equal<string>(["MIT"], nokogiri.Licenses);
        Assert.Equal("Mike Dalessio, Aaron Patterson", nokogiri.Author);
        Assert.Equal<ExternalReference>([new ExternalReference("website", "https://nokogiri.org")], nokogiri.ExternalReferences);
        Assert.Equal(new FileLocation("specifications/nokogiri-1.16.7-x86_64-linux.gemspec"), Assert.Single(nokogiri.Locations));
        // racc is installed once: an edge. mini_portile2 is installed twice: ambiguous, no edge. rake is a
        // development dependency: no edge.
        Assert.Equal<Purl>([Purl.Parse("pkg:gem/racc@1.8.1")], nokogiri.DependsOn);

        Assert.Equal<string>(["BSD-2-Clause", "Ruby"], result.Single("pkg:gem/racc@1.8.1").Licenses);
        Assert.Equal<string>(["MIT"], result.Single("pkg:gem/mini_portile2@2.8.8").Licenses); // s.license = and Gem::Version.new
        Assert.Equal<string>(["Ruby"], result.Single("pkg:gem/json@2.7.2").Licenses);
    }

    [Fact]
    public async Task Records_a_gemspec_without_literal_name_and_version_as_unreadable()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/Ruby/testdata/gemspecs");
        var u = Assert.Single(result.Unreadable);
        Assert.Equal("specifications/broken-1.0.0.gemspec", u.Location.Path);
        Assert.StartsWith("line 1: no literal 's.name", u.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger,
            Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Ruby/testdata/gemspecs/specifications/nokogiri-1.16.7-x86_64-linux.gemspec"),
            "specifications/nokogiri-1.16.7-x86_64-linux.gemspec");
}

public class GemspecCatalogerHostileInputTests
{
    [Fact(Timeout = 20_000)]
    public async Task Reads_megabytes_of_blank_lines_in_linear_time()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-gemspec-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "specifications"));
            var path = Path.Combine(dir.FullName, "specifications", "x-1.0.gemspec");
            await File.WriteAllTextAsync(path, new string('\n', 2_000_000) + "  s.name = \n" + new string(' ', 1_000_000));
            var result = await Task.Run(() => CatalogerRun.DirectoryAsync(new GemspecCataloger(), dir.FullName));
            Assert.Empty(result.Packages);
            Assert.Single(result.Unreadable);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
