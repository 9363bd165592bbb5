// SPDX-License-Identifier: Apache-2.0
using System.Text.Json;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sbom;

public sealed class SbomCommandTests : IDisposable
{
    private static readonly string Project = Path.Combine(TestPaths.Project("Bulwark.Cli.Tests"), "Sbom", "testdata", "project");
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    public static TheoryData<string[], int> ExitCodeRows => new()
    {
        { ["sbom", "--format", "nope", "."], ExitCodes.Usage },
        { ["sbom"], ExitCodes.Usage },
        { ["sbom", "--bogus"], ExitCodes.Usage },
        { ["sbom", "/definitely/not/here"], ExitCodes.Input },
        { ["sbom", Project, "--catalogers", "no-such-cataloger"], ExitCodes.Usage },
        { ["sbom", Project, "--exclude", " "], ExitCodes.Usage },
        { ["sbom", Project, "-o", "/definitely/not/here/bom.json"], ExitCodes.Usage },
        { ["sbom", "convert", "/definitely/not/here.json"], ExitCodes.Input },
        { ["nonsense-verb"], ExitCodes.Usage },
        { ["--help"], ExitCodes.Ok },
        { ["sbom", "--help"], ExitCodes.Ok },
        { ["sbom", "catalogers"], ExitCodes.Ok },
        { ["sbom", Project, "--quiet"], ExitCodes.Ok },
    };

    [Theory]
    [MemberData(nameof(ExitCodeRows))]
    public async Task Exits_with_the_documented_code(string[] args, int expected)
    {
        var outcome = await CliRun.RunAsync(args);
        Assert.True(expected == outcome.ExitCode, $"exit {outcome.ExitCode}, expected {expected}\nstderr: {outcome.Stderr}");
    }

    [Theory]
    [InlineData("cyclonedx-json")]
    [InlineData("cyclonedx-xml")]
    [InlineData("spdx-json")]
    [InlineData("spdx-tag-value")]
    public async Task Gives_byte_identical_output_for_the_same_input(string format)
    {
        var first = await CliRun.RunAsync("sbom", Project, "--format", format, "--quiet");
        var second = await CliRun.RunAsync("sbom", Project, "--format", format, "--quiet");
        Assert.Equal(0, first.ExitCode);
        Assert.NotEmpty(first.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Honours_source_date_epoch()
    {
        var outcome = await CliRun.RunAsync(["sbom", Project, "--quiet"], new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1234567890" });
        using var doc = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("2009-02-13T23:31:30Z", doc.RootElement.GetProperty("metadata").GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Rejects_a_malformed_source_date_epoch()
    {
        var outcome = await CliRun.RunAsync(["sbom", Project, "--quiet"], new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "yesterday" });
        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("SOURCE_DATE_EPOCH", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_prints_nothing_on_stderr_and_the_sbom_on_stdout()
    {
        var outcome = await CliRun.RunAsync("sbom", Project, "--quiet");
        Assert.Equal("", outcome.Stderr);
        using var doc = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("CycloneDX", doc.RootElement.GetProperty("bomFormat").GetString());
    }

    [Fact]
    public async Task Writes_to_a_file_with_o_and_keeps_stdout_empty()
    {
        var file = Path.Combine(_temp, "bom.json");
        var outcome = await CliRun.RunAsync("sbom", Project, "-o", file);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.True(File.Exists(file));
        Assert.Contains("Packages found", outcome.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp, "*.tmp"));
    }

    [Fact]
    public async Task Reports_an_unreadable_lockfile_and_still_writes_the_sbom()
    {
        File.WriteAllText(Path.Combine(_temp, "package-lock.json"), "{ \"lockfileVersion\": 3, \"packages\": { ");
        Directory.CreateDirectory(Path.Combine(_temp, "ok"));
        File.Copy(Path.Combine(Project, "requirements.txt"), Path.Combine(_temp, "ok", "requirements.txt"));
        var outcome = await CliRun.RunAsync("sbom", _temp);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("unreadable package-lock.json", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"bulwark:unreadable\"", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("pkg:pypi/requests@2.32.3", outcome.Stdout, StringComparison.Ordinal);

        var gated = await CliRun.RunAsync("sbom", _temp, "--fail-on-unreadable", "--quiet");
        Assert.Equal(ExitCodes.GateFailed, gated.ExitCode);
    }

    [Fact]
    public async Task Lists_catalogers_one_per_line_sorted()
    {
        var outcome = await CliRun.RunAsync("sbom", "catalogers");
        var lines = outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 20, outcome.Stdout);
        Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
    }

    [Fact]
    public async Task Converts_its_own_output_between_formats_without_losing_packages()
    {
        var cdx = Path.Combine(_temp, "bom.json");
        Assert.Equal(0, (await CliRun.RunAsync("sbom", Project, "-o", cdx, "--quiet")).ExitCode);
        var spdx = await CliRun.RunAsync("sbom", "convert", cdx, "--format", "spdx-json", "--quiet");
        Assert.Equal(0, spdx.ExitCode);
        var spdxFile = Path.Combine(_temp, "bom.spdx.json");
        File.WriteAllText(spdxFile, spdx.Stdout);
        var back = await CliRun.RunAsync("sbom", "convert", spdxFile, "--quiet");
        Assert.Equal(0, back.ExitCode);
        Assert.Equal(Purls(File.ReadAllText(cdx)), Purls(back.Stdout));
    }

    [Fact]
    public async Task Converting_a_malformed_sbom_is_an_input_error()
    {
        var bad = Path.Combine(_temp, "bad.json");
        File.WriteAllText(bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [ {");
        var outcome = await CliRun.RunAsync("sbom", "convert", bad);
        Assert.Equal(ExitCodes.Input, outcome.ExitCode);
        Assert.Contains("bad.json", outcome.Stderr, StringComparison.Ordinal);
    }

    private static List<string> Purls(string cyclonedxJson)
    {
        using var doc = JsonDocument.Parse(cyclonedxJson);
        return [.. doc.RootElement.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("purl").GetString()!).Order(StringComparer.Ordinal)];
    }
}
