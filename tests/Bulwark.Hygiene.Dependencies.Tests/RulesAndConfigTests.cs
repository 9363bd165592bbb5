// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Dependencies.Tests;

public class RulesAndConfigTests
{
    [Fact]
    public void Rules_have_unique_ids_in_order_and_say_why_and_how_to_fix()
    {
        var ids = DependencyRules.All.Select(r => r.Id).ToList();
        Assert.Equal([.. Enumerable.Range(1, 8).Select(i => $"BW-DEP-{i:000}")], ids);
        Assert.All(DependencyRules.All, r => Assert.True(r.Why.Length > 40 && r.Fix.Length > 20, r.Id));
    }

    [Fact]
    public void Reports_see_a_finding_with_its_ecosystem_and_package_and_without_a_column()
    {
        IRuleFinding finding = new Finding(DependencyRules.GitDependency, "composer.lock", null, "Packagist", "acme/fork", "m");
        Assert.Null(finding.Line);
        Assert.Null(finding.Column);
        Assert.Equal([new("ecosystem", "Packagist"), new("package", "acme/fork")], finding.Properties);
        Assert.Equal(DependencyRules.All, DependencyRules.Catalogue.Rules);
        Assert.Equal("bulwarkDepsCheck/v1", DependencyRules.Catalogue.FingerprintKey);
    }

    [Fact]
    public void The_config_file_allows_registries_and_disables_rules()
    {
        using var tree = TempTree.CopyOf("npm/sources");
        tree.Write(".bulwark/deps.yaml", "registries:\n  - https://npm.example.internal/\nrules:\n  disable: [BW-DEP-003]\n");
        var config = DepsConfig.Load(DepsConfig.Find(tree.Root)!);
        var report = DependencyCheck.Run(tree.Root, DependencyCheckOptions.Default with { Registries = config.Registries, DisabledRules = config.DisabledRules });
        Assert.Equal(
        [
            "BW-DEP-004 package-lock.json:30 from-url",
            "BW-DEP-004 package.json:7 from-url",
            "BW-DEP-005 package.json:8 outside",
        ], Checks.Lines(report));
    }

    [Theory]
    [InlineData("registry: []\n", "line 1: unknown key 'registry': use registries or rules.")]
    [InlineData("registries: [npm.example.internal]\n", "line 1: 'npm.example.internal' is not an absolute http(s) URL.")]
    [InlineData("rules:\n  disable: [BW-DEP-999]\n", "line 2: no rule 'BW-DEP-999'")]
    [InlineData("rules:\n  enable: []\n", "line 2: unknown key 'rules.enable': use disable.")]
    [InlineData("- a\n", "line 1: the document must be a mapping with 'registries' and 'rules'.")]
    [InlineData("rules: {}\n%TAG ! ", "line 1: YAML the parser cannot read (")]
    [InlineData("*x : 1\nrules: &x {}\n", "line 1: YAML alias *x comes before any anchor &x; not read.")]
    [InlineData("rules: {\n", "line 2: While parsing a node, did not find expected node content. Fix the YAML.")]
    public void A_config_with_a_mistake_is_refused_with_its_line(string yaml, string expected)
    {
        using var tree = new TempTree();
        var path = tree.Write("deps.yaml", yaml);
        var e = Assert.Throws<InputException>(() => DepsConfig.Load(path));
        Assert.StartsWith($"Cannot read deps config {path}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npm", "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz", true)]
    [InlineData("npm", "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz", true)]
    [InlineData("npm", "http://registry.npmjs.org/ms/-/ms-2.1.3.tgz", false)]
    [InlineData("npm", "https://registry.npmjs.org.evil.example/ms/-/ms-2.1.3.tgz", false)]
    [InlineData("npm", "https://pypi.org/simple/", false)]
    [InlineData("PyPI", "https://pypi.org/simple", true)]
    [InlineData("PyPI", "https://pypi.org/simplex/", false)]
    [InlineData("NuGet", "https://api.nuget.org/v3/index.json", true)]
    [InlineData("crates.io", "registry+https://github.com/rust-lang/crates.io-index", true)]
    [InlineData("crates.io", "sparse+https://index.crates.io/", true)]
    [InlineData("crates.io", "https://github.com/rust-lang/crates.io-index-fork", false)]
    [InlineData("npm", "https://npm.example.internal/a/-/a-1.0.0.tgz", true)]
    [InlineData("npm", "not a url", false)]
    public void Registries_allow_urls_under_the_public_ones_and_those_given(string ecosystem, string url, bool allowed) =>
        Assert.Equal(allowed, new Registries(["https://npm.example.internal/"]).IsAllowed(ecosystem, url));

    [Fact]
    public void Json_lines_are_found_for_nested_properties_but_not_inside_arrays()
    {
        var lines = JsonLines.Index("{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [ { \"d\": 2 } ]\n  },\n  \"e\": 3\n}"u8);
        Assert.Equal(2, lines.Line("a"));
        Assert.Equal(3, lines.Line("a", "b"));
        Assert.Equal(4, lines.Line("a", "c"));
        Assert.Null(lines.Line("a", "c", "d"));
        Assert.Null(lines.Line("d"));
        Assert.Equal(6, lines.Line("e"));
    }

    [Fact]
    public void Json_lines_stop_at_a_syntax_error_and_keep_what_was_found()
    {
        var lines = JsonLines.Index("{\n \"a\": 1,\n \"b\": }"u8);
        Assert.Equal(2, lines.Line("a"));
    }
}
