// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Fuzzing.Mutation;

namespace Bulwark.Fuzzing.Targets;

/// Purl parse and format (src/Bulwark.Core): Parse agrees with TryParse, and the canonical form parses back to an
/// equal purl with the same canonical form. Allowed: <see cref="InvalidPurlException"/>.
public sealed class PurlTarget : FuzzTarget
{
    public override string Name => "core.purl";
    public override InputFormat Format => InputFormat.Text;

    public override bool IsSeed(string relativePath) => relativePath.Contains("purl", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("pkg:npm/%40angular/core@16.0.0", "pkg:maven/org.apache/commons-lang3@3.12.0?type=jar&classifier=sources#sub/path",
         "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "pkg:golang/github.com/a/b@v1.2.3",
         "pkg:pypi/django@4.2", "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=ghcr.io/debian&tag=bookworm",
         "pkg:github/actions/checkout@v4", "pkg:generic/openssl@1.1.1?download_url=https://a/b.tgz&checksum=sha256:abc");

    public override IReadOnlyList<string> Dictionary { get; } = ["pkg:", "%", "%2F", "%40", "@", "?", "&", "=", "#", "/", "npm", "maven", "deb", "golang", "oci", "qualifier="];

    public override int MaxInputSize => 16 << 10;

    public override void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var ok = Purl.TryParse(text, out var purl);
        if (!ok)
        {
            _ = Purl.Parse(text);   // must throw InvalidPurlException
            throw new PropertyViolationException("TryParse refused a purl that Parse accepted");
        }
        var canonical = purl.ToString();
        if (!Purl.TryParse(canonical, out var again, out var why))
            throw new PropertyViolationException($"the canonical form '{canonical}' does not parse: {why}");
        if (!again.Equals(purl) || again.ToString() != canonical)
            throw new PropertyViolationException($"the canonical form '{canonical}' parses to a different purl '{again}'");
    }

    public override bool IsExpected(Exception e) => e is InvalidPurlException;
}
