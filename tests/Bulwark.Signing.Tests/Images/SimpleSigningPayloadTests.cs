// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Images;

namespace Bulwark.Signing.Tests.Images;

public sealed class SimpleSigningPayloadTests
{
    private static readonly Digest Image = Digest.Parse("sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698");

    [Fact]
    public void Writes_cosigns_payload_with_null_optional_when_there_are_no_annotations()
    {
        var payload = new SimpleSigningPayload("127.0.0.1:5000/team/app", Image, ImmutableSortedDictionary<string, string>.Empty);

        Assert.Equal(
            """{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/team/app"},"image":{"docker-manifest-digest":"sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698"},"type":"cosign container image signature"},"optional":null}""",
            Encoding.UTF8.GetString(payload.ToJson()));
    }

    [Fact]
    public void Annotations_are_written_sorted_and_read_back()
    {
        var optional = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["z"] = "1", ["a"] = "b+c" });
        var json = new SimpleSigningPayload("r/x", Image, optional).ToJson();

        var read = SimpleSigningPayload.TryParse(json, out var reason);

        Assert.EndsWith("""
            "optional":{"a":"b+c","z":"1"}}
            """, Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal("", reason);
        Assert.Equal(("r/x", Image), (read!.DockerReference, read.ManifestDigest));
        Assert.Equal(optional, read.Optional);
    }

    [Theory]
    [InlineData("""{"critical":{"identity":{"docker-reference":"r/x"},"image":{"docker-manifest-digest":"sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698"},"type":"other"}}""", "its critical.type is 'other', not 'cosign container image signature'")]
    [InlineData("""{"critical":{"identity":{"docker-reference":"r/x"},"image":{"docker-manifest-digest":"sha256:12"},"type":"cosign container image signature"}}""", "critical.image.docker-manifest-digest is missing or not a digest")]
    [InlineData("""{"critical":{"image":{"docker-manifest-digest":"sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698"},"type":"cosign container image signature"}}""", "critical.identity.docker-reference is missing")]
    [InlineData("""{"optional":{}}""", "it has no 'critical' object")]
    [InlineData("""[1]""", "it has no 'critical' object")]
    public void Rejects_payloads_that_are_not_cosign_claims(string json, string expected)
    {
        Assert.Null(SimpleSigningPayload.TryParse(Encoding.UTF8.GetBytes(json), out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Rejects_a_payload_with_a_duplicate_key_so_no_two_readers_see_different_digests()
    {
        var json = """{"critical":{"identity":{"docker-reference":"r/x"},"image":{"docker-manifest-digest":"sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698","docker-manifest-digest":"sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0"},"type":"cosign container image signature"}}""";

        Assert.Null(SimpleSigningPayload.TryParse(Encoding.UTF8.GetBytes(json), out var reason));
        Assert.StartsWith("it is not JSON", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index.docker.io/library/ubuntu", "docker.io", "library/ubuntu", true)]
    [InlineData("ubuntu", "docker.io", "library/ubuntu", true)]
    [InlineData("127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000", "team/app", true)]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/other", false)]
    [InlineData("127.0.0.1:5001/team/app", "127.0.0.1:5000", "team/app", false)]
    [InlineData("not a reference", "127.0.0.1:5000", "team/app", false)]
    public void The_docker_reference_is_compared_after_normalisation(string reference, string registry, string repository, bool expected)
    {
        var payload = new SimpleSigningPayload(reference, Image, ImmutableSortedDictionary<string, string>.Empty);
        Assert.Equal(expected, payload.NamesRepository(registry, repository));
    }

    [Fact]
    public void Cosign_names_docker_hub_index_docker_io_and_tags_by_digest()
    {
        Assert.Equal("index.docker.io/library/ubuntu", CosignConventions.DockerReference("docker.io", "library/ubuntu"));
        Assert.Equal("ghcr.io/org/app", CosignConventions.DockerReference("ghcr.io", "org/app"));
        Assert.Equal("sha256-8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698.att", CosignConventions.Tag(Image, ".att"));
    }
}
