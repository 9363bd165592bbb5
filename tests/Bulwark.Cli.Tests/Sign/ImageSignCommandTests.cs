// SPDX-License-Identifier: Apache-2.0
using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Cli.Tests.Sign;

/// `sign` and `verify` against Debian's docker-registry (no referrers API: the tag-schema fallback) with the real images
/// of ../shared/images. Exit codes: 0 verified, 4 verification failed, 5 could not verify.
public sealed class ImageSignCommandTests(SigningRegistry registry) : IClassFixture<SigningRegistry>
{
    private const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";
    private const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    private static Task<CliOutcome> Run(params string[] args) => CliRun.RunAsync(args);

    private static string RepositoryOf(string image) => SigningRegistry.RepositoryOf(image);

    private Task<string> SignedAsync(string image = "debian", params string[] extra) => registry.NewRepositoryWithAsync("sign", image, extra);

    [Fact]
    public async Task Sign_resolves_the_tag_and_verify_prints_the_payload_naming_that_digest_and_repository()
    {
        var image = await registry.NewRepositoryAsync();
        var repository = RepositoryOf(image);

        var signed = await Run("sign", "--key", registry.Alice.Key, "--insecure", "-a", "release=1.2", "-a", "team=shop", image);
        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(0, signed.ExitCode);
        Assert.Equal("", signed.Stdout);
        Assert.StartsWith($"bulwark: signed {registry.Host}/{repository}@{SigningRegistry.DebianDigest}: stored as tag sha256-{SigningRegistry.DebianDigest[7..]}.sig and referrer sha256:", signed.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal(
            $$$"""[{"critical":{"identity":{"docker-reference":"{{{registry.Host}}}/{{{repository}}}"},"image":{"docker-manifest-digest":"{{{SigningRegistry.DebianDigest}}}"},"type":"cosign container image signature"},"optional":{"release":"1.2","team":"shop"}}]""" + "\n",
            verified.Stdout);
        Assert.Equal($"bulwark: Verified OK: {registry.Host}/{repository}@{SigningRegistry.DebianDigest} has 1 valid signature.\n", verified.Stderr);
    }

    [Fact]
    public async Task The_signature_is_stored_as_cosign_sig_tag_and_as_a_referrer_listed_in_the_fallback_tag()
    {
        var image = await SignedAsync();
        var repository = RepositoryOf(image);
        var hex = SigningRegistry.DebianDigest[7..];

        var sig = (await registry.ManifestAsync(repository, $"sha256-{hex}.sig"))!;
        var index = (await registry.ManifestAsync(repository, $"sha256-{hex}"))!;
        var entry = Assert.Single(index["manifests"]!.AsArray())!;
        var referrer = (await registry.ManifestAsync(repository, entry["digest"]!.GetValue<string>()))!;

        var layer = Assert.Single(sig["layers"]!.AsArray())!;
        Assert.Equal(SimpleSigning, layer["mediaType"]!.GetValue<string>());
        var payload = JsonNode.Parse(await registry.BlobAsync(repository, layer["digest"]!.GetValue<string>()))!;
        Assert.Equal(SigningRegistry.DebianDigest, payload["critical"]!["image"]!["docker-manifest-digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.dev.cosign.artifact.sig.v1+json", entry["artifactType"]!.GetValue<string>());
        Assert.Equal("application/vnd.dev.cosign.artifact.sig.v1+json", referrer["artifactType"]!.GetValue<string>());
        Assert.Equal(SigningRegistry.DebianDigest, referrer["subject"]!["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", referrer["subject"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(layer.ToJsonString(), referrer["layers"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task A_second_signature_is_appended_to_the_sig_manifest_and_either_key_verifies()
    {
        var image = await SignedAsync();
        var repository = RepositoryOf(image);

        var second = await Run("sign", "--key", registry.Bob.Key, "--insecure", image);
        var sig = (await registry.ManifestAsync(repository, $"sha256-{SigningRegistry.DebianDigest[7..]}.sig"))!;
        var byAlice = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);
        var byBob = await Run("verify", "--key", registry.Bob.Pub, "--insecure", image);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(2, sig["layers"]!.AsArray().Count);
        Assert.Equal(2, sig["layers"]!.AsArray().Select(l => l!["annotations"]![SignatureAnnotation]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(0, byAlice.ExitCode);
        Assert.Equal(0, byBob.ExitCode);
        Assert.Single(JsonNode.Parse(byBob.Stdout)!.AsArray());
    }

    [Fact]
    public async Task Verify_accepts_the_cosign_tag_alone()
    {
        var image = await SignedAsync();
        await registry.ClearReferrersAsync(RepositoryOf(image), SigningRegistry.DebianDigest);

        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(0, verified.ExitCode);
        Assert.Single(JsonNode.Parse(verified.Stdout)!.AsArray());
    }

    [Fact]
    public async Task Verify_accepts_the_referrer_alone()
    {
        var image = await SignedAsync();
        await registry.DeleteTagAsync(RepositoryOf(image), $"sha256-{SigningRegistry.DebianDigest[7..]}.sig");

        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(0, verified.ExitCode);
        Assert.Single(JsonNode.Parse(verified.Stdout)!.AsArray());
    }

    [Fact]
    public async Task Verify_by_digest_checks_the_same_signature()
    {
        var image = await SignedAsync("demo");
        var byDigest = image[..image.LastIndexOf(':')] + "@" + SigningRegistry.DemoDigest;

        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", byDigest);

        Assert.Equal(0, verified.ExitCode);
        Assert.Contains(SigningRegistry.DemoDigest, verified.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_image_cannot_be_verified()
    {
        var image = await registry.NewRepositoryAsync();

        var outcome = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(new CliOutcome(5, "",
            $"bulwark: could not verify: no signatures found for {registry.Host}/{RepositoryOf(image)}@{SigningRegistry.DebianDigest} (neither a Cosign tag nor a referrer).\n"), outcome);
    }

    [Fact]
    public async Task An_unreachable_registry_or_a_missing_image_cannot_be_verified()
    {
        var port = Bulwark.Testing.LocalRegistry.FreePort();
        var unreachable = await Run("verify", "--key", registry.Alice.Pub, "--insecure", $"127.0.0.1:{port}/team/app:1");
        var missing = await Run("verify", "--key", registry.Alice.Pub, "--insecure", $"{registry.Host}/nothing/here:1");

        Assert.Equal(5, unreachable.ExitCode);
        Assert.StartsWith("bulwark: could not verify: ", unreachable.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, missing.ExitCode);
        Assert.StartsWith($"bulwark: could not verify: Not found: manifest {registry.Host}/nothing/here:1", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal("", unreachable.Stdout + missing.Stdout);
    }

    [Fact]
    public async Task Another_key_fails_verification()
    {
        var image = await SignedAsync();

        var outcome = await registry.AssertVerificationFailsAsync("verify", image,
            "the signature is not valid for the ECDSA P-256 key (wrong key, or the payload or signature was altered)", registry.Bob.Pub);

        Assert.Equal("", outcome.Stdout);
        Assert.StartsWith($"bulwark: verification failed: no valid signature for {registry.Host}/{RepositoryOf(image)}@{SigningRegistry.DebianDigest}: tag sha256-", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(69)]
    public async Task Flipping_a_signature_byte_fails_verification(int at)
    {
        var image = await SignedAsync();
        await registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".sig", (content, annotations) =>
        {
            var signature = Convert.FromBase64String(annotations[SignatureAnnotation]!.GetValue<string>());
            signature[Math.Min(at, signature.Length - 1)] ^= 0x01;
            annotations[SignatureAnnotation] = Convert.ToBase64String(signature);
            return content;
        });

        Assert.Equal("", (await registry.AssertVerificationFailsAsync("verify", image)).Stdout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(200)]
    public async Task Flipping_a_payload_byte_fails_verification(int at)
    {
        var image = await SignedAsync();
        await registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".sig", (content, _) =>
        {
            var changed = (byte[])content.Clone();
            changed[at] ^= 0x01;
            return changed;
        });

        await registry.AssertVerificationFailsAsync("verify", image, "the signature is not valid");
    }

    [Fact]
    public async Task A_signature_copied_from_another_image_fails_because_it_signs_another_digest()
    {
        var demo = await registry.DemoWithDebiansTagAsync(RepositoryOf(await SignedAsync()), ".sig");

        await registry.AssertVerificationFailsAsync("verify", demo, $"the payload signs {SigningRegistry.DebianDigest}, not this image's {SigningRegistry.DemoDigest}");
    }

    [Fact]
    public async Task A_signature_for_another_repository_fails_verification()
    {
        var signed = await SignedAsync();
        var other = await registry.NewRepositoryAsync();
        var hex = SigningRegistry.DebianDigest[7..];
        await registry.CopyManifestAsync($"{RepositoryOf(signed)}:sha256-{hex}.sig", $"{RepositoryOf(other)}:sha256-{hex}.sig");

        await registry.AssertVerificationFailsAsync("verify", other, $"the payload is for '{registry.Host}/{RepositoryOf(signed)}', not {registry.Host}/{RepositoryOf(other)}");
    }

    [Fact]
    public async Task A_required_annotation_the_payload_lacks_fails_verification()
    {
        var image = await SignedAsync("debian", "-a", "release=1.2");

        var matching = await Run("verify", "--key", registry.Alice.Pub, "--insecure", "-a", "release=1.2", image);
        var other = await Run("verify", "--key", registry.Alice.Pub, "--insecure", "-a", "release=2.0", image);

        Assert.Equal(0, matching.ExitCode);
        Assert.Equal(4, other.ExitCode);
        Assert.Contains("the payload lacks the annotation release=2.0", other.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payload_that_is_not_a_cosign_claim_fails_even_when_signed_by_the_key()
    {
        var image = await SignedAsync();
        using var key = Bulwark.Signing.Keys.SigningKey.FromPem(await File.ReadAllTextAsync(registry.Alice.Key), "alice", () => "");
        await registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".sig", (_, annotations) =>
        {
            var payload = Encoding.UTF8.GetBytes($$"""{"critical":{"identity":{"docker-reference":"x/y"},"image":{"docker-manifest-digest":"{{SigningRegistry.DebianDigest}}"},"type":"something else"},"optional":null}""");
            annotations[SignatureAnnotation] = Convert.ToBase64String(key.SignMessage(new MemoryStream(payload)));
            return payload;
        });

        await registry.AssertVerificationFailsAsync("verify", image, "the signed payload is not a Cosign signature payload: its critical.type is 'something else'");
    }

    [Fact]
    public async Task Sign_refuses_a_missing_image_and_a_local_layout()
    {
        var missing = await Run("sign", "--key", registry.Alice.Key, "--insecure", $"{registry.Host}/nothing/here:1");
        var layout = await Run("sign", "--key", registry.Alice.Key, "oci:../shared/images/oci-layout:demo-shop");
        var badAnnotation = await Run("sign", "--key", registry.Alice.Key, "--insecure", "-a", "novalue", $"{registry.Host}/base/debian:12");

        Assert.Equal(3, missing.ExitCode);
        Assert.Equal(2, layout.ExitCode);
        Assert.Equal(2, badAnnotation.ExitCode);
        Assert.Contains("Annotation 'novalue' is not key=value", badAnnotation.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_referrer_listed_but_deleted_is_skipped_and_the_cosign_tag_still_verifies()
    {
        var image = await SignedAsync();
        var repository = RepositoryOf(image);
        var index = (await registry.ManifestAsync(repository, $"sha256-{SigningRegistry.DebianDigest[7..]}"))!;
        var referrer = index["manifests"]![0]!["digest"]!.GetValue<string>();
        await registry.DeleteTagAsync(repository, referrer);

        var outcome = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains($"Skipped: referrer {referrer} is listed but missing.", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cosign_generated_encrypted_key_signs_and_its_public_key_verifies()
    {
        var vector = Path.Combine(Bulwark.Testing.TestPaths.Shared, "testvectors", "cosign", "cosign_generated_encrypted_empty_private.key");
        var env = new Dictionary<string, string> { ["BULWARK_PASSWORD"] = "" };
        var image = await registry.NewRepositoryAsync("demo");
        var pub = Path.Combine(Path.GetTempPath(), $"bulwark-cosign-{Guid.NewGuid():N}.pub");
        try
        {
            var exported = await CliRun.RunAsync(["key", "public", "--key", vector], env);
            await File.WriteAllTextAsync(pub, exported.Stdout);

            var signed = await CliRun.RunAsync(["sign", "--key", vector, "--insecure", image], env);
            var verified = await Run("verify", "--key", pub, "--insecure", image);
            var otherKey = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

            Assert.Equal(0, signed.ExitCode);
            Assert.Equal(0, verified.ExitCode);
            Assert.Equal(4, otherKey.ExitCode);
        }
        finally
        {
            File.Delete(pub);
        }
    }

    [Fact]
    public async Task A_tag_naming_an_index_signs_the_index_digest()
    {
        var image = await registry.NewRepositoryAsync();
        var repository = RepositoryOf(image);
        var manifest = (await registry.Client.GetManifestAsync(Bulwark.Oci.ImageReference.Parse(image))).Bytes.Length;
        var index = JsonNode.Parse($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{SigningRegistry.DebianDigest}}}","size":{{{manifest}}},"platform":{"os":"linux","architecture":"amd64"}}]}
            """)!;
        var indexDigest = await registry.PutAsync(repository, "multi", index);
        var multi = $"{registry.Host}/{repository}:multi";

        var signed = await Run("sign", "--key", registry.Alice.Key, "--insecure", multi);
        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", multi);
        var platformImage = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(0, signed.ExitCode);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains($"\"docker-manifest-digest\":\"{indexDigest}\"", verified.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, platformImage.ExitCode);
        var referrer = (await registry.ManifestAsync(repository, (await registry.ManifestAsync(repository, $"sha256-{indexDigest.Hex}"))!["manifests"]![0]!["digest"]!.GetValue<string>()))!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", referrer["subject"]!["mediaType"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_docker_schema_2_image_is_signed_and_verified_the_same_way()
    {
        var target = $"{registry.Host}/docker/debian:12";
        registry.Skopeo("copy", "--quiet", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{registry.Host}/base/debian:12", $"docker://{target}");
        var head = await registry.Client.GetManifestAsync(Bulwark.Oci.ImageReference.Parse(target));

        var signed = await Run("sign", "--key", registry.Alice.Key, "--insecure", target);
        var verified = await Run("verify", "--key", registry.Alice.Pub, "--insecure", target);

        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", head.MediaType);
        Assert.Equal(0, signed.ExitCode);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains($"\"docker-manifest-digest\":\"{head.Digest}\"", verified.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_layer_larger_than_a_payload_may_be_is_skipped_unread()
    {
        var image = await SignedAsync();
        await registry.TamperAsync(RepositoryOf(image), SigningRegistry.DebianDigest, ".sig", (content, _) => [.. content, .. new byte[1 << 20]]);

        var outcome = await Run("verify", "--key", registry.Alice.Pub, "--insecure", image);

        Assert.Equal(5, outcome.ExitCode);
        Assert.Contains("Skipped: tag sha256-", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("bytes, more than the 1,048,576 allowed", outcome.Stderr, StringComparison.Ordinal);
    }
}
