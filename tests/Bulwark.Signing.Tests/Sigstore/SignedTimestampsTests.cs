// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Sigstore;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace Bulwark.Signing.Tests.Sigstore;

/// RFC 3161 timestamps from a timestamp authority made here (a CA and a TSA leaf with the critical timeStamping EKU),
/// its tokens issued with BouncyCastle's TSP generator.
public sealed class SignedTimestampsTests : IDisposable
{
    private static readonly DateTime GenTime = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _tsa;
    private readonly SigningKey _signer = SigningKey.GenerateEcdsaP256();
    private readonly byte[] _digest = SHA256.HashData("timestamped artifact\n"u8);
    private readonly byte[] _signature;

    public SignedTimestampsTests()
    {
        _ca = Ca("CN=test-tsa-root", _caKey);
        var request = new CertificateRequest("CN=test-tsa", _tsaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        _tsa = request.Create(_ca, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), [1, 2, 3]);
        _signature = _signer.SignDigest(_digest, HashAlgorithmName.SHA256);
    }

    public void Dispose()
    {
        _caKey.Dispose();
        _tsaKey.Dispose();
        _ca.Dispose();
        _tsa.Dispose();
        _signer.Dispose();
    }

    private static X509Certificate2 Ca(string name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    private byte[] Timestamp(byte[] over)
    {
        var key = PrivateKeyFactory.CreateKey(_tsaKey.ExportPkcs8PrivateKey());
        var certificate = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(_tsa.RawData);
        var generator = new TimeStampTokenGenerator(key, certificate, TspAlgorithms.Sha256, "1.3.6.1.4.1.57264.2");
        var requests = new TimeStampRequestGenerator();
        requests.SetCertReq(true);
        var request = requests.Generate(TspAlgorithms.Sha256, SHA256.HashData(over));
        return new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed).Generate(request, Org.BouncyCastle.Math.BigInteger.One, GenTime).GetEncoded();
    }

    private TrustedRoot Root(X509Certificate2? caInRoot = null, string start = "2020-01-01T00:00:00Z") =>
        TrustedRoot.Read(Encoding.UTF8.GetBytes($$$"""
            {"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[],"ctlogs":[],"certificateAuthorities":[],
             "timestampAuthorities":[{"subject":{"commonName":"test-tsa"},"uri":"https://tsa.test",
               "certChain":{"certificates":[{"rawBytes":"{{{Convert.ToBase64String(_tsa.RawData)}}}"},{"rawBytes":"{{{Convert.ToBase64String((caInRoot ?? _ca).RawData)}}}"}]},
               "validFor":{"start":"{{{start}}}"}}]}
            """), "root");

    private SigstoreBundle Bundle(byte[] timestamp)
    {
        using var buffer = new MemoryStream();
        SigstoreBundle.ForKeySignature(new MessageSignature("SHA2_256", _digest, _signature), _signer.PublicKey.Hint).WriteTo(buffer);
        var json = JsonNode.Parse(buffer.ToArray())!;
        json["verificationMaterial"]!["timestampVerificationData"] = new JsonObject
        {
            ["rfc3161Timestamps"] = new JsonArray(new JsonObject { ["signedTimestamp"] = Convert.ToBase64String(timestamp) }),
        };
        return SigstoreBundle.Read(Encoding.UTF8.GetBytes(json.ToJsonString()), "bundle");
    }

    [Fact]
    public void A_token_from_a_trusted_tsa_gives_its_time()
    {
        Assert.Null(SignedTimestamps.Verify(Timestamp(_signature), _signature, Root(), out var time));
        Assert.Equal(new DateTimeOffset(GenTime), time);
    }

    [Fact]
    public void A_timestamped_key_bundle_verifies_and_reports_the_time()
    {
        var result = BundleVerifier.VerifyWithKey(Bundle(Timestamp(_signature)), BundleArtifact.Digest(_digest), _signer.PublicKey, Root());
        Assert.Equal(VerificationResult.Verified("Verified OK: message signature signed by ECDSA P-256 key (no transparency-log entry, timestamped at 2024-05-01 12:00:00Z)."), result);
    }

    [Fact]
    public void Rejects_a_token_over_another_signature()
    {
        var result = BundleVerifier.VerifyWithKey(Bundle(Timestamp([1, 2, 3])), BundleArtifact.Digest(_digest), _signer.PublicKey, Root());
        Assert.Equal(VerificationResult.Failed("an RFC 3161 timestamp is over something other than the bundle's signature."), result);
    }

    [Fact]
    public void Rejects_a_token_with_a_flipped_signature_byte()
    {
        var token = Timestamp(_signature);
        token[^10] ^= 0x01; // inside the TSA's ECDSA signature at the end of the SignerInfo
        var result = SignedTimestamps.Verify(token, _signature, Root(), out _);
        Assert.NotNull(result);
    }

    [Fact]
    public void Rejects_a_token_when_the_trusted_root_names_another_tsa_root()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = Ca("CN=test-tsa-root", otherKey);
        var result = SignedTimestamps.Verify(Timestamp(_signature), _signature, Root(other), out _);
        Assert.Contains("does not chain to its root", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_token_from_before_the_tsa_was_trusted()
    {
        var result = SignedTimestamps.Verify(Timestamp(_signature), _signature, Root(start: "2025-01-01T00:00:00Z"), out _);
        Assert.Contains("TSA https://tsa.test is not trusted at 2024-05-01 12:00:00Z", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_garbage_as_malformed()
    {
        var result = SignedTimestamps.Verify([0x30, 0x03, 0x02, 0x01, 0x00], _signature, Root(), out _);
        Assert.StartsWith("an RFC 3161 timestamp is malformed", result, StringComparison.Ordinal);
    }
}
