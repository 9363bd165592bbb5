// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sbom;

/// The CLI's SBOMs, end to end: golden output for a small project, and schema validation of every format for the
/// whole lockfile corpus with the official schemas (npm validators installed by ./test.sh, xmllint from Debian).
public sealed class SbomOutputTests : IDisposable
{
    private static readonly string Project = Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Sbom", "testdata", "project");
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-cli-out-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("cyclonedx-json")]
    [InlineData("cyclonedx-xml")]
    [InlineData("spdx-json")]
    [InlineData("spdx-tag-value")]
    public async Task Writes_the_small_project_like_the_golden_file(string format)
    {
        var outcome = await CliRun.RunAsync("sbom", Project, "--format", format, "--quiet");
        Assert.Equal(0, outcome.ExitCode);
        Golden.Assert(outcome.Stdout, $"{nameof(Writes_the_small_project_like_the_golden_file)}.{format}");
    }

    [Theory]
    [InlineData("cyclonedx-json")]
    [InlineData("cyclonedx-xml")]
    [InlineData("spdx-json")]
    public async Task The_whole_corpus_validates_against_the_official_schema(string format)
    {
        var file = Path.Combine(_temp, "corpus." + format);
        var outcome = await CliRun.RunAsync("sbom", TestPaths.Lockfiles, "--format", format, "-o", file, "--quiet");
        Assert.Equal(0, outcome.ExitCode);
        SchemaValidators.AssertValid(format, file);
    }

    [Fact]
    public async Task The_corpus_has_no_unreadable_files_and_every_ecosystem_is_found()
    {
        var outcome = await CliRun.RunAsync("sbom", TestPaths.Lockfiles, "--format", "spdx-tag-value");
        Assert.Equal(0, outcome.ExitCode);
        Assert.DoesNotContain("unreadable", outcome.Stderr, StringComparison.Ordinal);
        foreach (var type in new[] { "npm", "pypi", "maven", "nuget", "golang", "cargo", "gem", "composer", "pub", "hex" })
            Assert.Contains($"pkg:{type}/", outcome.Stdout, StringComparison.Ordinal);
    }
}
