// SPDX-License-Identifier: Apache-2.0
using System.Text.Json.Nodes;

namespace Bulwark.Cli.Tests.Sign;

/// `bulwark sbom IMAGE --attest --key K`: the SBOM written and attached as a verified attestation in one step.
public sealed class SbomAttestCommandTests : IClassFixture<SigningRegistry>, IDisposable
{
    private readonly SigningRegistry _registry;
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-sbom-attest-").FullName;

    public SbomAttestCommandTests(SigningRegistry registry) => _registry = registry;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("cyclonedx-json", "cyclonedx", "https://cyclonedx.org/bom")]
    [InlineData("spdx-json", "spdx", "https://spdx.dev/Document")]
    public async Task The_sbom_written_is_the_predicate_of_a_verified_attestation_about_the_image_digest(string format, string type, string predicateType)
    {
        var image = await _registry.NewRepositoryAsync();
        var file = Path.Combine(_dir, "sbom.json");

        var sbom = await CliRun.RunAsync("sbom", image, "--insecure", "--format", format, "-o", file, "--attest", "--key", _registry.Alice.Key);
        var verified = await CliRun.RunAsync("verify-attestation", "--key", _registry.Alice.Pub, "--type", type, "--insecure", image);

        Assert.Equal(0, sbom.ExitCode);
        Assert.Contains($"bulwark: attested {image[..image.LastIndexOf(':')]}@{SigningRegistry.DebianDigest} ({predicateType})", sbom.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        var statement = Assert.Single(JsonNode.Parse(verified.Stdout)!.AsArray())!;
        Assert.Equal(SigningRegistry.DebianDigest[7..], statement["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(await File.ReadAllTextAsync(file))!.ToJsonString(), statement["predicate"]!.ToJsonString());
    }

    [Fact]
    public async Task Attest_is_refused_without_a_key_for_a_non_json_format_and_for_a_local_image()
    {
        var image = $"{_registry.Host}/base/debian:12";

        var noKey = await CliRun.RunAsync("sbom", image, "--insecure", "--attest");
        var keyOnly = await CliRun.RunAsync("sbom", image, "--insecure", "--key", _registry.Alice.Key);
        var xml = await CliRun.RunAsync("sbom", image, "--insecure", "--attest", "--key", _registry.Alice.Key, "--format", "cyclonedx-xml");
        var layout = await CliRun.RunAsync("sbom", "oci:../shared/images/oci-layout:demo-shop", "--attest", "--key", _registry.Alice.Key);

        Assert.Equal((2, "bulwark: --attest signs the attestation: give --key KEY.\n"), (noKey.ExitCode, noKey.Stderr));
        Assert.Equal(2, keyOnly.ExitCode);
        Assert.Equal((2, "bulwark: --attest needs a JSON SBOM: --format cyclonedx-json (default) or spdx-json.\n"), (xml.ExitCode, xml.Stderr));
        Assert.Equal(2, layout.ExitCode);
        Assert.Contains("is not a registry image", layout.Stderr, StringComparison.Ordinal);
    }
}
