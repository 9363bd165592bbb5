// SPDX-License-Identifier: Apache-2.0
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Bundles;

/// Bundles written by the Sigstore JavaScript client (testdata/sigstore-js/README.md) verify with Bulwark.
public sealed class SigstoreJsBundleFixtureTests
{
    private static readonly string Dir = Path.Combine(TestPaths.Project("Bulwark.Signing.Tests"), "Bundles", "testdata", "sigstore-js");
    private static readonly string Artifact = Path.Combine(Dir, "artifact.txt");

    private static SigstoreBundle Bundle(string kind)
    {
        var path = Path.Combine(Dir, kind + ".sigstore.json");
        return SigstoreBundle.Read(File.ReadAllBytes(path), path);
    }

    private static VerificationKey Key(string kind)
    {
        var path = Path.Combine(Dir, kind + ".pub");
        return VerificationKey.FromPem(File.ReadAllText(path), path);
    }

    [Theory]
    [InlineData("ec", "ECDSA P-256")]
    [InlineData("ed25519", "Ed25519")]
    public void A_sigstore_js_bundle_verifies_with_its_key(string kind, string description)
    {
        var bundle = Bundle(kind);
        using var key = Key(kind);
        Assert.Equal(SigstoreBundle.MediaTypeV02, bundle.MediaType);
        Assert.Equal(key.Hint, bundle.PublicKeyHint);
        Assert.Equal(0, bundle.TransparencyLogEntries);
        var result = BlobSignatures.Verify(key, Artifact, bundle, "b");
        Assert.Equal(VerificationResult.Verified($"Verified OK: {Artifact} matches bundle b, signed by the {description} key."), result);
    }

    [Fact]
    public void A_sigstore_js_bundle_fails_with_the_other_key()
    {
        using var key = Key("ed25519");
        Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(key, Artifact, Bundle("ec"), "b").Outcome);
    }
}
