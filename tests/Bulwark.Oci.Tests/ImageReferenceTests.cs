// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Oci.Tests;

public sealed class ImageReferenceTests
{
    private const string Hex = "8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698";

    [Theory]
    // input, canonical, familiar, registry, repository, tag, digest hex
    [InlineData("ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest", "docker.io", "library/ubuntu", "latest", null)]
    [InlineData("ubuntu:22.04", "docker.io/library/ubuntu:22.04", "ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null)]
    [InlineData("team/app", "docker.io/team/app:latest", "team/app:latest", "docker.io", "team/app", "latest", null)]
    [InlineData("docker.io/ubuntu", "docker.io/library/ubuntu:latest", "ubuntu:latest", "docker.io", "library/ubuntu", "latest", null)]
    [InlineData("index.docker.io/library/ubuntu:22.04", "docker.io/library/ubuntu:22.04", "ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null)]
    [InlineData("registry-1.docker.io/team/app:2", "docker.io/team/app:2", "team/app:2", "docker.io", "team/app", "2", null)]
    [InlineData("docker.io/library/a/b", "docker.io/library/a/b:latest", "library/a/b:latest", "docker.io", "library/a/b", "latest", null)]
    [InlineData("127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000/team/app:1.2", "127.0.0.1:5000", "team/app", "1.2", null)]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest", "localhost", "app", "latest", null)]
    [InlineData("localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000", "app", "v1", null)]
    [InlineData("localhost", "docker.io/library/localhost:latest", "localhost:latest", "docker.io", "library/localhost", "latest", null)]
    [InlineData("[::1]:5000/team/app:v1", "[::1]:5000/team/app:v1", "[::1]:5000/team/app:v1", "[::1]:5000", "team/app", "v1", null)]
    [InlineData("my.registry/ubuntu", "my.registry/ubuntu:latest", "my.registry/ubuntu:latest", "my.registry", "ubuntu", "latest", null)]
    [InlineData("Registry/app", "Registry/app:latest", "Registry/app:latest", "Registry", "app", "latest", null)]
    [InlineData("foo:5000", "docker.io/library/foo:5000", "foo:5000", "docker.io", "library/foo", "5000", null)]
    [InlineData("a__b/c--d.e_f:Tag_1.x-y", "docker.io/a__b/c--d.e_f:Tag_1.x-y", "a__b/c--d.e_f:Tag_1.x-y", "docker.io", "a__b/c--d.e_f", "Tag_1.x-y", null)]
    [InlineData("ubuntu@sha256:" + Hex, "docker.io/library/ubuntu@sha256:" + Hex, "ubuntu@sha256:" + Hex, "docker.io", "library/ubuntu", null, Hex)]
    [InlineData("ghcr.io/o/r:1@sha256:" + Hex, "ghcr.io/o/r:1@sha256:" + Hex, "ghcr.io/o/r:1@sha256:" + Hex, "ghcr.io", "o/r", "1", Hex)]
    [InlineData("127.0.0.1:5000/team/app@sha256:" + Hex, "127.0.0.1:5000/team/app@sha256:" + Hex, "127.0.0.1:5000/team/app@sha256:" + Hex, "127.0.0.1:5000", "team/app", null, Hex)]
    // a Hub repository whose first component looks like a registry keeps "docker.io/" in its short form, which would
    // otherwise name the image "x" on the registry "a.team" (found by ImageReferencePropertiesTests)
    [InlineData("index.docker.io/a.team/x:1", "docker.io/a.team/x:1", "docker.io/a.team/x:1", "docker.io", "a.team/x", "1", null)]
    public void Normalises_references_like_docker(string input, string canonical, string familiar, string registry, string repository, string? tag, string? digestHex)
    {
        var r = ImageReference.Parse(input);
        Assert.Equal(canonical, r.ToString());
        Assert.Equal(familiar, r.Familiar);
        Assert.Equal(registry, r.Registry);
        Assert.Equal(repository, r.Repository);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digestHex is null ? null : new Digest(HashAlgorithm.Sha256, digestHex), r.Digest);
        Assert.Equal(r, ImageReference.Parse(r.ToString()));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("Ubuntu", "the repository name 'Ubuntu' must be lowercase")]
    [InlineData("docker.io/Library/ubuntu:1", "the repository name 'Library/ubuntu' must be lowercase")]
    [InlineData("example.com/Team/App", "the repository name 'Team/App' must be lowercase")]
    [InlineData("ubuntu:", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData(":22.04", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu:-rc", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu:ta g", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("-ubuntu", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu/", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu@sha256:abc", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu:tagé", "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]")]
    [InlineData("ubuntu@sha256:0123456789abcdef0123456789abcdef", "'sha256:0123456789abcdef0123456789abcdef' is not a valid digest (sha256, sha384 or sha512 followed by lowercase hex of the right length)")]
    [InlineData("ubuntu@md5:0123456789abcdef0123456789abcdef", "'md5:0123456789abcdef0123456789abcdef' is not a valid digest (sha256, sha384 or sha512 followed by lowercase hex of the right length)")]
    [InlineData("ubuntu@sha256:8127F6D909042ED61DAE7611FFB26F3510C9E8091C3CF1902563F21483C95698", "'sha256:8127F6D909042ED61DAE7611FFB26F3510C9E8091C3CF1902563F21483C95698' is not a valid digest (sha256, sha384 or sha512 followed by lowercase hex of the right length)")]
    [InlineData(Hex, "a 64-character hexadecimal string is an image ID, not a repository name; use NAME@sha256:" + Hex)]
    public void Rejects_malformed_references_with_the_reason(string input, string reason)
    {
        var e = Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(input));
        Assert.Equal($"Invalid image reference '{input}': {reason}.", e.Message);
        Assert.False(ImageReference.TryParse(input, out _));
    }

    [Fact]
    public void Rejects_a_tag_longer_than_128_characters_and_accepts_128()
    {
        Assert.Equal(new string('t', 128), ImageReference.Parse("app:" + new string('t', 128)).Tag);
        Assert.False(ImageReference.TryParse("app:" + new string('t', 129), out _));
    }

    [Fact]
    public void Rejects_a_name_longer_than_255_characters()
    {
        var name = "example.com/" + new string('a', 244);   // 256 characters
        var e = Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(name));
        Assert.Equal("the repository name must have at most 255 characters", e.Reason);
        Assert.NotNull(ImageReference.Parse(name[..^1]));
    }
}
