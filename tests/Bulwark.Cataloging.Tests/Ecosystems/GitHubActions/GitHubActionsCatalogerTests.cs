// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.GitHubActions;
using Bulwark.Core;
using Bulwark.Testing;

namespace Bulwark.Cataloging.Tests.Ecosystems.GitHubActions;

public class GitHubActionsCatalogerTests
{
    private const string Workflow = ".github/workflows/ci.yml";
    private static readonly GitHubActionsCataloger Cataloger = new();

    private static Task<CatalogResult> Repo() => CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/GitHubActions/testdata/repo");

    [Theory]
    [InlineData(".github/workflows/ci.yml", true)]
    [InlineData(".github/workflows/release.yaml", true)]
    [InlineData("services/api/.github/workflows/ci.yml", true)]
    [InlineData(".github/actions/setup/action.yml", true)]
    [InlineData("action.yaml", true)]
    [InlineData(".github/workflows/templates/ignored.yml", false)]
    [InlineData(".github/workflows/README.md", false)]
    [InlineData("workflows/ci.yml", false)]
    [InlineData(".github/dependabot.yml", false)]
    [InlineData("app/node_modules/pkg/.github/workflows/ci.yml", false)]
    [InlineData("node_modules/setup-x/action.yml", false)]
    public void Wants_workflows_and_action_metadata_only(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_every_remote_uses_of_workflows_and_composite_actions()
    {
        var result = await Repo();
        Assert.Empty(result.Unreadable);
        Assert.Equal(
            [
                "pkg:docker/acme/builder@1.2?repository_url=ghcr.io",
                "pkg:docker/acme/linter@sha256:0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a09080706050403020100a?repository_url=ghcr.io",
                "pkg:docker/alpine@3.20",
                "pkg:docker/debian@bookworm-slim",
                "pkg:docker/node@22-bookworm",
                "pkg:docker/postgres@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc4f892c7a2046d054bb6939e5",
                "pkg:githubactions/acme/shared-workflows@2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e#.github/workflows/build.yml",
                "pkg:githubactions/actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57",
                "pkg:githubactions/actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
                "pkg:githubactions/actions/checkout@v4",
                "pkg:githubactions/actions/setup-node@v4",
                "pkg:githubactions/github/codeql-action@v3#analyze",
                "pkg:githubactions/github/codeql-action@v3#init",
                "pkg:githubactions/softprops/action-gh-release@v2",
            ],
            result.Packages.Select(p => p.Purl.ToString()));
    }

    [Fact]
    public async Task Marks_actions_pinned_to_a_full_commit_sha()
    {
        var result = await Repo();
        var checkout = result.Single("pkg:githubactions/actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683");
        Assert.Equal("true", checkout.Properties["github:pinned"]);
        Assert.Equal("action", checkout.Properties["github:kind"]);
        Assert.Equal("actions/checkout", checkout.Name);
        Assert.Equal("11bd71901bbe5b1630ceea73d27597364c9af683", checkout.Version);
        // used twice in one workflow: one package, both lines
        Assert.Equal<FileLocation>([new(Workflow, 14), new(Workflow, 29)], checkout.Locations);
        Assert.Equal<ExternalReference>([new("vcs", "https://github.com/actions/checkout")], checkout.ExternalReferences);

        Assert.Equal("false", result.Single("pkg:githubactions/actions/checkout@v4").Properties["github:pinned"]);
        Assert.Equal("false", result.Single("pkg:githubactions/github/codeql-action@v3#init").Properties["github:pinned"]);
    }

    [Fact]
    public async Task Reads_reusable_workflows_and_action_subpaths()
    {
        var result = await Repo();
        var build = result.Single("pkg:githubactions/acme/shared-workflows@2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e#.github/workflows/build.yml");
        Assert.Equal("reusable-workflow", build.Properties["github:kind"]);
        Assert.Equal("true", build.Properties["github:pinned"]);
        Assert.Equal(new FileLocation(Workflow, 36), Assert.Single(build.Locations));

        var init = result.Single("pkg:githubactions/github/codeql-action@v3#init");
        Assert.Equal("action", init.Properties["github:kind"]);
        Assert.Equal("init", init.Properties["github:path"]);
        Assert.Equal(new FileLocation(Workflow, 30), Assert.Single(init.Locations));
    }

    [Fact]
    public async Task Reads_composite_action_steps_and_merges_sightings_across_files()
    {
        var result = await Repo();
        var setupNode = result.Single("pkg:githubactions/actions/setup-node@v4");
        Assert.Equal<FileLocation>([new(".github/actions/setup/action.yml", 6), new(Workflow, 15)], setupNode.Locations);
        Assert.Equal(new FileLocation(".github/actions/setup/action.yml", 9),
            Assert.Single(result.Single("pkg:githubactions/actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57").Locations));
    }

    [Fact]
    public async Task Reads_docker_images_as_docker_purls()
    {
        var result = await Repo();
        var alpine = result.Single("pkg:docker/alpine@3.20");
        Assert.Equal("docker", alpine.Properties["github:kind"]);
        Assert.Equal("false", alpine.Properties["github:pinned"]);
        Assert.Equal(new FileLocation(Workflow, 20), Assert.Single(alpine.Locations));

        var linter = result.Single("pkg:docker/acme/linter@sha256:0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a09080706050403020100a?repository_url=ghcr.io");
        Assert.Equal("true", linter.Properties["github:pinned"]);
        Assert.Equal("acme/linter", linter.Name);

        // a Docker container action's runs.image
        Assert.Equal(new FileLocation("docker-action/action.yml", 4), Assert.Single(result.Single("pkg:docker/debian@bookworm-slim").Locations));
    }

    [Theory]
    [InlineData("./.github/actions/setup")]
    [InlineData("../shared/action")]
    [InlineData("actions/checkout")]
    [InlineData("actions@v4")]
    [InlineData("actions/checkout@${{ inputs.ref }}")]
    [InlineData("")]
    public void Leaves_out_local_actions_and_uses_values_that_name_no_package(string uses) =>
        Assert.Null(GitHubActionsCataloger.ToPackage(uses, new FileLocation(Workflow, 1)));

    [Fact]
    public async Task Reads_an_empty_workflow_as_no_packages()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/GitHubActions/testdata/empty");
        Assert.Empty(result.Packages);
        Assert.Empty(result.Unreadable);
    }

    [Fact]
    public async Task Records_invalid_yaml_as_unreadable_with_its_line()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/GitHubActions/testdata/malformed");
        Assert.Empty(result.Packages);
        var u = Assert.Single(result.Unreadable);
        Assert.Equal(Workflow, u.Location.Path);
        Assert.StartsWith("line 5: ", u.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_jobs_that_are_not_a_mapping_as_unreadable()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, "Ecosystems/GitHubActions/testdata/jobs-not-a-mapping");
        Assert.StartsWith("line 2: 'jobs' must be a mapping", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public Task Reads_damaged_copies_or_records_them_as_unreadable() =>
        Robustness.AssertDamagedCopiesAreReadOrUnreadableAsync(Cataloger, Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), "Ecosystems/GitHubActions/testdata/repo/.github/workflows/ci.yml"), "action.yml");

    [Fact]
    public async Task Reads_job_container_and_service_images()
    {
        var result = await Repo();
        const string release = ".github/workflows/release.yaml";
        var node = result.Single("pkg:docker/node@22-bookworm");
        Assert.Equal("container", node.Properties["github:kind"]);
        Assert.Equal(new FileLocation(release, 7), Assert.Single(node.Locations));
        var postgres = result.Single("pkg:docker/postgres@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc4f892c7a2046d054bb6939e5");
        Assert.Equal("service", postgres.Properties["github:kind"]);
        Assert.Equal("true", postgres.Properties["github:pinned"]);
        Assert.Equal("16", postgres.Properties["docker:tag"]);
        var builder = result.Single("pkg:docker/acme/builder@1.2?repository_url=ghcr.io");
        Assert.Equal("container", builder.Properties["github:kind"]);
        Assert.Equal(new FileLocation(release, 19), Assert.Single(builder.Locations));
    }
}
