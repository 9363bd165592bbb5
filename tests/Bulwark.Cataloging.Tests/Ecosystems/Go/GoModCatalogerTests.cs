// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Go;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Go;

public class GoModCatalogerTests
{
    private static readonly GoModCataloger Cataloger = new();

    private static Task<CatalogResult> Scenario(string name) => CatalogerRun.FileAsync(Cataloger, $"Ecosystems/Go/testdata/{name}/go.mod");

    [Theory]
    [InlineData("go.mod", true)]
    [InlineData("cmd/tool/go.mod", true)]
    [InlineData("go.sum", false)]
    [InlineData("go.mod.bak", false)]
    [InlineData("go.work", false)]
    public void Wants_only_go_mod_files(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_every_requirement_of_cosign_with_its_go_sum_hash()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("go/sigstore__cosign/go.mod"));

        Assert.Empty(result.Unreadable);
        Assert.Equal(288, result.Packages.Count); // 287 requirements and the module itself
        Assert.Equal(227, result.Packages.Count(p => p.Properties.GetValueOrDefault("go:indirect") == "true"));
        Assert.All(result.Packages.Where(p => !p.IsRoot), p => Assert.Single(p.Hashes));

        var cobra = result.Single("pkg:golang/github.com/spf13/cobra@v1.10.2");
        Assert.Equal("github.com/spf13/cobra", cobra.Name);
        Assert.Equal("v1.10.2", cobra.Version);
        Assert.Equal(new Digest(HashAlgorithm.Sha256, "0cc4d3a27c799bae4873418ea11636735e9609b1f138ec3ac717b3b8b681a5c5"), cobra.Hashes.Single());
        Assert.Equal(new FileLocation("go.mod", 46), Assert.Single(cobra.Locations));
        Assert.False(cobra.Properties.ContainsKey("go:indirect"));

        var spew = result.Single("pkg:golang/github.com/davecgh/go-spew@v1.1.2-0.20180830191138-d8f796af33cc");
        Assert.Equal("true", spew.Properties["go:indirect"]);
        Assert.Equal("53da8f488d8f216492d55c285d04fd0375b2f4c3375a0bea4b11567a7a8976e3", spew.Hashes.Single().Hex);
    }

    [Fact]
    public async Task Makes_the_module_the_root_that_depends_on_its_direct_requirements()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("go/sigstore__cosign/go.mod"));

        var root = Assert.Single(result.Packages, p => p.IsRoot);
        Assert.Equal("pkg:golang/github.com/sigstore/cosign/v3", root.Purl.ToString());
        Assert.Equal("", root.Version);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal("1.26.0", root.Properties["go:version"]);
        Assert.Equal(new FileLocation("go.mod", 1), Assert.Single(root.Locations));
        Assert.Equal(60, root.DependsOn.Length);
        Assert.Contains(Purl.Parse("pkg:golang/github.com/spf13/cobra@v1.10.2"), root.DependsOn);
        Assert.Contains(Purl.Parse("pkg:golang/google.golang.org/protobuf@v1.36.12-0.20260120151049-f2248ac996af"), root.DependsOn);
        Assert.DoesNotContain(Purl.Parse("pkg:golang/github.com/davecgh/go-spew@v1.1.2-0.20180830191138-d8f796af33cc"), root.DependsOn);
    }

    [Fact]
    public async Task Reads_a_single_line_require_and_its_hash()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("go/opencontainers__image-spec/go.mod"));

        Assert.Equal(
            ["pkg:golang/github.com/opencontainers/go-digest@v1.0.0", "pkg:golang/github.com/opencontainers/image-spec"],
            result.Packages.Select(p => p.Purl.ToString()));
        var digest = result.Single("pkg:golang/github.com/opencontainers/go-digest@v1.0.0");
        Assert.Equal("6a93945ace755b93e586ec86cb3f4509e78120e50303fea75bc3a2ff23a18795", digest.Hashes.Single().Hex);
        Assert.Equal(digest.Purl, Assert.Single(result.Single("pkg:golang/github.com/opencontainers/image-spec").DependsOn));
        Assert.Equal("1.18", result.Single("pkg:golang/github.com/opencontainers/image-spec").Properties["go:version"]);
    }

    [Fact]
    public async Task Reports_the_replacement_module_that_is_really_used()
    {
        var result = await Scenario("replace-version");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:golang/example.com/app",
            "pkg:golang/github.com/fork/net@v0.18.1-fixed",
            "pkg:golang/github.com/pkg/errors@v0.9.2-0.20201214064552-5dd12d0cfe7f",
            "pkg:golang/gopkg.in/yaml.v2@v2.4.0", // the replace names v2.3.0, which is not the required version
        ], result.Packages.Select(p => p.Purl.ToString()));

        var net = result.Single("pkg:golang/github.com/fork/net@v0.18.1-fixed");
        Assert.Equal("golang.org/x/net@v0.17.0", net.Properties["go:replaces"]);
        Assert.Equal("6a93945ace755b93e586ec86cb3f4509e78120e50303fea75bc3a2ff23a18795", net.Hashes.Single().Hex);
        Assert.Equal(new FileLocation("go.mod", 9), Assert.Single(net.Locations));

        var errors = result.Single("pkg:golang/github.com/pkg/errors@v0.9.2-0.20201214064552-5dd12d0cfe7f");
        Assert.Equal("github.com/pkg/errors@v0.9.1", errors.Properties["go:replaces"]);
        Assert.Single(errors.Hashes);

        var root = result.Single("pkg:golang/example.com/app");
        Assert.Equal("go1.21.5", root.Properties["go:toolchain"]);
        Assert.Equal(3, root.DependsOn.Length);
        Assert.Contains(net.Purl, root.DependsOn);
    }

    [Fact]
    public async Task Reports_a_directory_replacement_as_a_path_source_without_a_version()
    {
        var result = await Scenario("replace-local");

        var shared = result.Single("pkg:golang/example.com/monorepo/shared");
        Assert.Equal("", shared.Version);
        Assert.Equal("path", shared.Properties["bulwark:source"]);
        Assert.Equal("../shared", shared.Properties["go:replace"]);
        Assert.Empty(shared.Hashes);

        var uuid = result.Single("pkg:golang/github.com/google/uuid");
        Assert.Equal("./third_party/uuid", uuid.Properties["go:replace"]);
        Assert.Equal(3, result.Packages.Count);
    }

    [Fact]
    public async Task Ignores_a_requirement_on_an_excluded_version()
    {
        var result = await Scenario("exclude");

        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:golang/example.com/app", "pkg:golang/github.com/sirupsen/logrus@v1.9.3"],
            result.Packages.Select(p => p.Purl.ToString()));
    }

    [Fact]
    public async Task Reads_single_line_and_block_requires_with_indirect_comments_and_quoted_paths()
    {
        var result = await Scenario("indirect");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:golang/example.com/indirect",
            "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible",
            "pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0",
            "pkg:golang/github.com/spf13/cobra@v1.8.0",
            "pkg:golang/github.com/spf13/pflag@v1.0.5",
            "pkg:golang/golang.org/x/text@v0.14.0",
        ], result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal("v24.0.7+incompatible", result.Single("pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible").Version);
        Assert.Equal("true", result.Single("pkg:golang/github.com/spf13/pflag@v1.0.5").Properties["go:indirect"]);
        Assert.Equal("true", result.Single("pkg:golang/github.com/inconshreveable/mousetrap@v1.1.0").Properties["go:indirect"]);
        Assert.False(result.Single("pkg:golang/golang.org/x/text@v0.14.0").Properties.ContainsKey("go:indirect"));
        Assert.Equal(
        [
            "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible",
            "pkg:golang/github.com/spf13/cobra@v1.8.0",
            "pkg:golang/golang.org/x/text@v0.14.0",
        ], result.Single("pkg:golang/example.com/indirect").DependsOn.Select(p => p.ToString()));
    }

    [Fact]
    public async Task Reads_a_go_mod_with_windows_line_endings()
    {
        var result = await Scenario("crlf");

        Assert.Empty(result.Unreadable);
        Assert.Equal("true", result.Single("pkg:golang/github.com/pkg/errors@v0.9.1").Properties["go:indirect"]);
        Assert.Equal(new FileLocation("go.mod", 7), Assert.Single(result.Single("pkg:golang/golang.org/x/sys@v0.15.0").Locations));
        Assert.Equal("1.21", result.Single("pkg:golang/example.com/windows").Properties["go:version"]);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("comments-only")]
    public async Task Finds_nothing_in_a_go_mod_without_directives(string scenario)
    {
        var result = await Scenario(scenario);

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Theory]
    [InlineData("malformed", "line 7: usage: require module/path v1.2.3. Run 'go mod tidy' to repair the file.")]
    [InlineData("unclosed-block", "line 3: the 'require (' block is never closed with ')'. Check the file with 'go mod edit -fmt'.")]
    public async Task Records_a_malformed_go_mod_as_unreadable_with_the_line(string scenario, string reason)
    {
        var result = await Scenario(scenario);

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("go.mod", unreadable.Location.Path);
        Assert.Equal("go-mod", unreadable.Cataloger);
        Assert.Equal(reason, unreadable.Reason);
    }

    [Fact]
    public async Task Leaves_modules_without_a_usable_go_sum_line_unhashed()
    {
        var result = await Scenario("missing-sums");

        Assert.Empty(result.Unreadable);
        Assert.Single(result.Single("pkg:golang/github.com/opencontainers/go-digest@v1.0.0").Hashes);
        Assert.Empty(result.Single("pkg:golang/github.com/pkg/errors@v0.9.1").Hashes); // only its /go.mod hash is listed
        Assert.Empty(result.Single("pkg:golang/golang.org/x/sync@v0.5.0").Hashes);     // its hash is not base64
    }

    [Fact]
    public async Task Never_fails_on_garbled_go_mod_files_with_anything_but_a_recorded_reason()
    {
        // lines of real go.mod files cut up and shuffled: every file is either read or recorded as unreadable
        var source = File.ReadAllLines(CatalogerRun.Corpus("go/sigstore__cosign/go.mod"));
        string[] fragments = ["(", ")", "=>", "//", "\"", "`", "require", "replace", "exclude", "retract", "[", "]", ",", "v1.0.0", "./x", "\t"];
        var random = new Random(99);
        var root = Directory.CreateTempSubdirectory("bulwark-gomod-").FullName;
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var lines = Enumerable.Range(0, random.Next(1, 30)).Select(_ =>
                {
                    var line = source[random.Next(source.Length)];
                    var cut = random.Next(line.Length + 1);
                    return random.Next(3) == 0 ? line[..cut] + fragments[random.Next(fragments.Length)] + line[cut..] : line;
                });
                Directory.CreateDirectory(Path.Combine(root, $"m{i}"));
                // half of them inside a require block, where most cosign lines belong
                File.WriteAllLines(Path.Combine(root, $"m{i}", "go.mod"), i % 2 == 0 ? ["module example.com/m", "require (", .. lines, ")"] : lines);
            }

            var result = await CatalogerRun.DirectoryAsync(Cataloger, root);

            Assert.NotEmpty(result.Unreadable);
            Assert.NotEmpty(result.Packages);
            Assert.All(result.Unreadable, u => Assert.StartsWith("line ", u.Reason, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Reads_go_mod_without_a_go_sum()
    {
        var result = await Scenario("exclude");

        Assert.All(result.Packages, p => Assert.Empty(p.Hashes));
    }
}

public class GoCatalogersTogetherTests
{
    [Fact]
    public void Registers_the_go_and_binary_catalogers()
    {
        var names = Catalogers.BuiltIn.Select(c => c.Name).ToList();
        Assert.Contains("go-mod", names);
        Assert.Contains("go-binary", names);
        Assert.Contains("cargo-auditable-binary", names);
    }

    [Fact]
    public async Task Catalog_the_go_testdata_with_the_go_and_binary_catalogers_together()
    {
        var tree = new Bulwark.Cataloging.FileSources.DirectoryFileTree(
            Path.Combine(Bulwark.Testing.TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/Go/testdata"));

        var result = await Catalog.RunAsync(tree, [new GoModCataloger(), new GoBinaryCataloger(), new Bulwark.Cataloging.Ecosystems.Binaries.CargoAuditableCataloger()]);

        // the two malformed go.mod files, and the truncated program once per binary cataloger
        Assert.Equal(
        [
            "malformed/go.mod go-mod",
            "truncated-go-program cargo-auditable-binary",
            "truncated-go-program go-binary",
            "unclosed-block/go.mod go-mod",
        ], result.Unreadable.Select(u => $"{u.Location.Path} {u.Cataloger}"));
        Assert.Contains(result.Packages, p => p.Purl.ToString() == "pkg:golang/github.com/fork/net@v0.18.1-fixed");
        Assert.DoesNotContain(result.Packages, p => p.FoundBy.Contains("go-binary")); // the real binaries are gzipped
    }
}
