// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Elixir;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Elixir;

public class MixLockCatalogerTests
{
    private static readonly MixLockCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) =>
        CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Elixir/testdata/{name}/mix.lock");

    [Fact]
    public void Wants_mix_lock_only()
    {
        Assert.True(Cataloger.Wants("apps/web/mix.lock"));
        Assert.False(Cataloger.Wants("mix.exs"));
    }

    [Fact]
    public async Task Reads_phoenixs_lockfile_with_edges_checksums_and_mix_exs_scopes()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("mix/phoenixframework__phoenix/mix.lock"));
        Assert.Empty(result.Unreadable);
        Assert.Equal(41, result.Packages.Count); // 40 hex entries and phoenix itself

        var bandit = result.Single("pkg:hex/bandit@1.12.4");
        Assert.Equal(Digest.Parse("sha256:84513318c5752a2a8017664450f889b47fae5d53d64698ddf1e4fb09a7449e8d"), Assert.Single(bandit.Hashes));
        Assert.Equal("10bbab488edf8162318d736c19c5837077b8fca2bf5d95b07b33830387124f62", bandit.Properties["hex:inner-checksum"]);
        Assert.Equal(new FileLocation("mix.lock", 2), Assert.Single(bandit.Locations));
        Assert.Equal<ExternalReference>([new("distribution", "https://repo.hex.pm/tarballs/bandit-1.12.4.tar")], bandit.ExternalReferences);
        Assert.Equal(
            ["pkg:hex/hpax@1.0.4", "pkg:hex/plug@1.20.3", "pkg:hex/telemetry@1.4.2", "pkg:hex/thousand_island@1.5.0", "pkg:hex/websock@0.5.3"],
            bandit.DependsOn.Select(d => d.ToString()));

        // optional edges are edges; rustler is optional and not locked, so no edge
        Assert.Equal<Purl>([Purl.Parse("pkg:hex/decimal@3.1.1")], result.Single("pkg:hex/jason@1.4.5").DependsOn);
        Assert.DoesNotContain(result.Single("pkg:hex/makeup_syntect@0.1.4").DependsOn, d => d.Name == "rustler");

        var root = result.Single("pkg:hex/phoenix@1.9.0-dev");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Contains(Purl.Parse("pkg:hex/plug@1.20.3"), root.DependsOn);
        Assert.Contains(Purl.Parse("pkg:hex/esbuild@0.10.0"), root.DependsOn);

        Assert.Equal(Scope.Required, result.Single("pkg:hex/plug@1.20.3").Scope);
        Assert.Equal(Scope.Required, result.Single("pkg:hex/telemetry@1.4.2").Scope);
        Assert.Equal(Scope.Optional, bandit.Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:hex/thousand_island@1.5.0").Scope); // only through bandit
        Assert.Equal(Scope.Optional, result.Single("pkg:hex/jason@1.4.5").Scope); // optional, and needed by dev-only esbuild
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/esbuild@0.10.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/ex_doc@0.40.3").Scope); // only: :docs
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/mint@1.9.3").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/castore@1.0.20").Scope);
    }

    [Fact]
    public async Task Reads_organizations_git_deps_old_tuples_and_renamed_apps()
    {
        var result = await Scenario("app");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:hex/acme/acme_auth@0.4.1", "pkg:hex/decimal@2.3.0", "pkg:hex/earmark_parser@1.4.41", "pkg:hex/ex_doc@0.34.2",
             "pkg:hex/jason@1.4.4", "pkg:hex/my_fork@0123456789abcdef0123456789abcdef01234567", "pkg:hex/old_dep@0.1.0",
             "pkg:hex/real_package@1.2.0", "pkg:hex/shop@0.3.0"],
            result.Packages.Select(p => p.Purl.ToString()));

        var auth = result.Single("pkg:hex/acme/acme_auth@0.4.1");
        Assert.Equal("hexpm:acme", auth.Properties["hex:repo"]);
        Assert.Empty(auth.ExternalReferences); // private repository: no public tarball URL
        Assert.Equal<Purl>([Purl.Parse("pkg:hex/jason@1.4.4")], auth.DependsOn);

        var fork = result.Single("pkg:hex/my_fork@0123456789abcdef0123456789abcdef01234567");
        Assert.Equal("git", fork.Properties["bulwark:source"]);
        Assert.Equal("main", fork.Properties["git:branch"]);
        Assert.Equal<ExternalReference>([new("vcs", "https://github.com/acme/my_fork.git")], fork.ExternalReferences);

        var old = result.Single("pkg:hex/old_dep@0.1.0");
        Assert.Empty(old.Hashes); // a pre-0.20 lock entry has only the inner checksum
        Assert.Equal("a1a2a3a4a5a6a7a8a9a0b1b2b3b4b5b6b7b8b9b0c1c2c3c4c5c6c7c8c9c0d1d2", old.Properties["hex:inner-checksum"]);

        Assert.Equal("renamed_app", result.Single("pkg:hex/real_package@1.2.0").Properties["mix:app"]);
        Assert.Equal(new FileLocation("mix.lock", 7), Assert.Single(result.Single("pkg:hex/jason@1.4.4").Locations));

        var root = result.Single("pkg:hex/shop@0.3.0");
        Assert.True(root.IsRoot);
        Assert.Equal(6, root.DependsOn.Length);
        Assert.Equal(Scope.Required, auth.Scope);
        Assert.Equal(Scope.Required, fork.Scope);
        Assert.Equal(Scope.Optional, result.Single("pkg:hex/decimal@2.3.0").Scope); // an optional edge of jason
        Assert.Equal(Scope.Optional, result.Single("pkg:hex/real_package@1.2.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/ex_doc@0.34.2").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:hex/earmark_parser@1.4.41").Scope);
        Assert.Equal(Scope.Dev, old.Scope);
    }

    [Fact]
    public async Task Reads_an_empty_lockfile_as_no_packages()
    {
        var result = await Scenario("empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_a_missing_comma_as_unreadable_with_its_line()
    {
        var result = await Scenario("malformed");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 3: expected ',' or '}'", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_a_lockfile_that_is_not_a_map_as_unreadable()
    {
        var result = await Scenario("not-a-map");
        Assert.Empty(result.Packages);
        Assert.StartsWith("line 1: mix.lock must hold a map", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%{\"a\": {:hex, :a, \"1.0.0\"", "line 1: missing '}'")]
    [InlineData("%{\"a\": {:hex, :a, \"1.0.0}}", "line 1: unterminated string")]
    [InlineData("%{\"a\": {:hex, :a, Version.parse(\"1\")}}", "line 1: 'Version.parse' is not a literal term")]
    [InlineData("%{\"a\": {:hex, :a, \"#{v}\"}}", "line 1: string interpolation is not a literal")]
    [InlineData("%{\"a\": {:hex, \"a\"}}", "line 1: 'a' is not {:hex, :name, \"version\", ...}")]
    [InlineData("%{} %{}", "line 1: unexpected '%' after the end of the term")]
    [InlineData("%{\n\"a\": {:hex, :a, \"1.0.0\"},\n\"a\": {:hex, :a, \"1.0.1\"}}", "line 3: 'a' is locked twice")]
    public void Rejects_terms_that_are_not_literal_lockfile_terms(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => Read(text));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stops_at_hostile_nesting_instead_of_overflowing_the_stack()
    {
        var e = Assert.Throws<InputException>(() => Read("%{\"a\": " + new string('[', 100_000)));
        Assert.Contains("nested more than 128 levels", e.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<Package> Read(string text)
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-mix-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "mix.lock"), text);
            var tree = Bulwark.Cataloging.FileSources.DirectoryFileTree.ForSingleFile(Path.Combine(dir.FullName, "mix.lock"));
            using var stream = File.OpenRead(Path.Combine(dir.FullName, "mix.lock"));
            var input = new CatalogInput(tree, "mix.lock", stream, stream.Length);
            return Cataloger.ReadAsync(input, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("mix/phoenixframework__phoenix/mix.lock"), "mix.lock");

    [Fact]
    public Task Reads_beside_a_damaged_mix_exs_or_records_the_lockfile_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, CatalogerRun.Corpus("mix/phoenixframework__phoenix/mix.exs"), "mix.exs",
            "mix.lock", CatalogerRun.Corpus("mix/phoenixframework__phoenix/mix.lock"));

    [Fact]
    public void Reads_two_apps_locking_one_hex_package_as_one_package()
    {
        var packages = Read("%{\"a\": {:hex, :pkg, \"1.0.0\", \"x\", [:mix], [{:b, \"~> 1.0\", [hex: :b]}], \"hexpm\", \"y\"}, " +
            "\"also_a\": {:hex, :pkg, \"1.0.0\", \"x\", [:mix], [], \"hexpm\", \"y\"}, \"b\": {:hex, :b, \"1.1.0\"}}");
        Assert.Equal(["pkg:hex/b@1.1.0", "pkg:hex/pkg@1.0.0"], packages.Select(p => p.Purl.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal<Purl>([Purl.Parse("pkg:hex/b@1.1.0")], packages.Single(p => p.Name == "pkg").DependsOn);
    }

    [Fact]
    public void Keeps_an_entry_of_an_unknown_source_kind_without_a_version()
    {
        var p = Assert.Single(Read("%{\"local_thing\": {:svn, \"https://svn.example.com/x\", \"r42\"}}"));
        Assert.Equal("pkg:hex/local_thing", p.Purl.ToString());
        Assert.Equal("svn", p.Properties["mix:source"]);
    }
}
