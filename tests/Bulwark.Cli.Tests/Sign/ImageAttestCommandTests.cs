// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Cli.Tests.Sign;

/// `attest` and `verify-attestation` against Debian's docker-registry with the real images of ../shared/images.
public sealed class ImageAttestCommandTests : IClassFixture<SigningRegistry>, IDisposable
{
    private const string DsseMediaType = "application/vnd.dsse.envelope.v1+json";
    private readonly SigningRegistry _registry;
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-attest-").FullName;
    private readonly string _bom;

    public ImageAttestCommandTests(SigningRegistry registry)
    {
        _registry = registry;
        _bom = Path.Combine(_dir, "bom.json");
        File.WriteAllText(_bom, """{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"lodash","version":"4.17.15"}]}""");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<CliOutcome> Run(params string[] args) => CliRun.RunAsync(args);

    private static string RepositoryOf(string image) => SigningRegistry.RepositoryOf(image);

    private Task<string> AttestedAsync(string type = "cyclonedx", string image = "debian") =>
        _registry.NewRepositoryWithAsync("attest", image, "--type", type, "--predicate", _bom);

    [Fact]
    public async Task Attest_then_verify_attestation_prints_the_statement_about_the_image_digest()
    {
        var image = await _registry.NewRepositoryAsync();
        var repository = RepositoryOf(image);

        var attested = await Run("attest", "--key", _registry.Alice.Key, "--type", "cyclonedx", "--predicate", _bom, "--insecure", image);
        var verified = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--type", "cyclonedx", "--insecure", image);

        Assert.Equal(0, attested.ExitCode);
        Assert.StartsWith($"bulwark: attested {_registry.Host}/{repository}@{SigningRegistry.DebianDigest} (https://cyclonedx.org/bom): stored as tag sha256-{SigningRegistry.DebianDigest[7..]}.att and referrer sha256:", attested.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal(
            $$$"""[{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"{{{_registry.Host}}}/{{{repository}}}","digest":{"sha256":"{{{SigningRegistry.DebianDigest[7..]}}}"}}],"predicateType":"https://cyclonedx.org/bom","predicate":{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"lodash","version":"4.17.15"}]}}]""" + "\n",
            verified.Stdout);
        Assert.Equal($"bulwark: Verified OK: {_registry.Host}/{repository}@{SigningRegistry.DebianDigest} has 1 valid attestation.\n", verified.Stderr);
    }

    [Fact]
    public async Task The_attestation_is_stored_as_cosign_att_tag_and_as_a_referrer()
    {
        var image = await AttestedAsync("openvex");
        var repository = RepositoryOf(image);
        var hex = SigningRegistry.DebianDigest[7..];

        var att = (await _registry.ManifestAsync(repository, $"sha256-{hex}.att"))!;
        var index = (await _registry.ManifestAsync(repository, $"sha256-{hex}"))!;
        var referrer = (await _registry.ManifestAsync(repository, Assert.Single(index["manifests"]!.AsArray())!["digest"]!.GetValue<string>()))!;

        var layer = Assert.Single(att["layers"]!.AsArray())!;
        Assert.Equal(DsseMediaType, layer["mediaType"]!.GetValue<string>());
        Assert.Equal("https://openvex.dev/ns", layer["annotations"]!["predicateType"]!.GetValue<string>());
        var envelope = JsonNode.Parse(await _registry.BlobAsync(repository, layer["digest"]!.GetValue<string>()))!;
        Assert.Equal("application/vnd.in-toto+json", envelope["payloadType"]!.GetValue<string>());
        Assert.Equal("application/vnd.dev.cosign.artifact.att.v1+json", referrer["artifactType"]!.GetValue<string>());
        Assert.Equal(SigningRegistry.DebianDigest, referrer["subject"]!["digest"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("spdx", "https://spdx.dev/Document")]
    [InlineData("slsaprovenance", "https://slsa.dev/provenance/v0.2")]
    [InlineData("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1")]
    [InlineData("https://example.com/predicate/v1", "https://example.com/predicate/v1")]
    public async Task Short_type_names_map_to_cosigns_predicate_types(string type, string uri)
    {
        var image = await AttestedAsync(type);

        var byName = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--type", type, "--insecure", image);
        var byUri = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--type", uri, "--insecure", image);

        Assert.Equal(0, byName.ExitCode);
        Assert.Equal(uri, JsonNode.Parse(byName.Stdout)![0]!["predicateType"]!.GetValue<string>());
        Assert.Equal(byName.Stdout, byUri.Stdout);
    }

    [Fact]
    public async Task A_wrong_predicate_type_fails_verification()
    {
        var image = await AttestedAsync("cyclonedx");

        var outcome = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--type", "spdx", "--insecure", image);

        Assert.Equal(4, outcome.ExitCode);
        Assert.Equal("", outcome.Stdout);
        Assert.Contains("the statement's predicate type is https://cyclonedx.org/bom, not https://spdx.dev/Document", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_key_fails_verification()
    {
        var image = await AttestedAsync();

        await _registry.AssertVerificationFailsAsync("verify-attestation", image, "the envelope's signature is not valid for the ECDSA P-256 key", _registry.Bob.Pub);
    }

    [Theory]
    [InlineData("payload")]
    [InlineData("sig")]
    [InlineData("payloadType")]
    public async Task Flipping_an_envelope_byte_fails_verification(string field)
    {
        var image = await AttestedAsync();
        await _registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".att", (content, _) =>
        {
            var envelope = JsonNode.Parse(content)!;
            if (field == "payloadType")
            {
                envelope["payloadType"] = "application/vnd.in-toto+jsom";
            }
            else
            {
                var node = field == "sig" ? envelope["signatures"]![0]!["sig"]! : envelope["payload"]!;
                var bytes = Convert.FromBase64String(node.GetValue<string>());
                bytes[bytes.Length / 2] ^= 0x01;
                if (field == "sig") envelope["signatures"]![0]!["sig"] = Convert.ToBase64String(bytes);
                else envelope["payload"] = Convert.ToBase64String(bytes);
            }
            return Encoding.UTF8.GetBytes(envelope.ToJsonString());
        });

        Assert.Equal("", (await _registry.AssertVerificationFailsAsync("verify-attestation", image)).Stdout);
    }

    [Fact]
    public async Task An_envelope_that_is_not_json_fails_verification()
    {
        var image = await AttestedAsync();
        await _registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".att", (content, _) => content[..^1]);

        await _registry.AssertVerificationFailsAsync("verify-attestation", image, "not valid JSON");
    }

    [Fact]
    public async Task A_statement_about_another_digest_fails_verification()
    {
        var repository = RepositoryOf(await AttestedAsync());
        var demo = await _registry.DemoWithDebiansTagAsync(repository, ".att");

        await _registry.AssertVerificationFailsAsync("verify-attestation", demo,
            $"the statement is about {_registry.Host}/{repository} sha256:{SigningRegistry.DebianDigest[7..]}, not {SigningRegistry.DemoDigest}");
    }

    [Fact]
    public async Task An_image_without_attestations_cannot_be_verified()
    {
        var image = await _registry.NewRepositoryAsync("demo");

        var outcome = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--insecure", image);

        Assert.Equal(5, outcome.ExitCode);
        Assert.Contains("could not verify: no attestations found", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signatures_and_attestations_do_not_stand_in_for_each_other()
    {
        var image = await AttestedAsync();

        var verify = await Run("verify", "--key", _registry.Alice.Pub, "--insecure", image);

        Assert.Equal(5, verify.ExitCode);
    }

    [Fact]
    public async Task Attest_refuses_an_unknown_type_and_a_predicate_that_is_not_json()
    {
        var image = await _registry.NewRepositoryAsync();
        var text = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(text, "not json");

        var badType = await Run("attest", "--key", _registry.Alice.Key, "--type", "sbom", "--predicate", _bom, "--insecure", image);
        var notJson = await Run("attest", "--key", _registry.Alice.Key, "--type", "custom", "--predicate", text, "--insecure", image);

        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("--type 'sbom' is neither a predicate name (custom, cyclonedx, link, openvex, slsaprovenance, slsaprovenance02, slsaprovenance1, spdx, spdxjson, vuln) nor an absolute URI", badType.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, notJson.ExitCode);
        Assert.Contains($"Cannot use {text} as a predicate: it is not JSON", notJson.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_type_only_statements_of_that_type_are_printed()
    {
        var image = await AttestedAsync("cyclonedx");
        var spdx = await Run("attest", "--key", _registry.Alice.Key, "--type", "spdx", "--predicate", _bom, "--insecure", image);
        Assert.Equal(0, spdx.ExitCode);

        var all = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--insecure", image);
        var onlySpdx = await Run("verify-attestation", "--key", _registry.Alice.Pub, "--type", "spdx", "--insecure", image);

        Assert.Equal(0, all.ExitCode);
        Assert.Equal(["https://cyclonedx.org/bom", "https://spdx.dev/Document"],
            JsonNode.Parse(all.Stdout)!.AsArray().Select(s => s!["predicateType"]!.GetValue<string>()));
        Assert.Equal(0, onlySpdx.ExitCode);
        Assert.Equal("https://spdx.dev/Document", Assert.Single(JsonNode.Parse(onlySpdx.Stdout)!.AsArray())!["predicateType"]!.GetValue<string>());
        Assert.Equal($"bulwark: Verified OK: {_registry.Host}/{RepositoryOf(image)}@{SigningRegistry.DebianDigest} has 1 valid attestation.\n", onlySpdx.Stderr);
    }
}
