// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace Bulwark.Signing.Sigstore;

/// RFC 3161 timestamps (`timestampVerificationData.rfc3161Timestamps`): a timestamp authority of the trusted root signed
/// a hash of the bundle's signature at a time, which then counts as a signing time.
public static class SignedTimestamps
{
    /// Null when <paramref name="signedTimestamp"/> (a DER TimeStampResp or TimeStampToken) is a token over
    /// <paramref name="signature"/> from a TSA of <paramref name="root"/> valid at its time; otherwise why not.
    public static string? Verify(byte[] signedTimestamp, byte[] signature, TrustedRoot root, out DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(signedTimestamp);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(root);
        time = default;
        TimeStampToken token;
        try
        {
            token = Read(signedTimestamp);
        }
        catch (Exception e) when (e is TspException or CmsException or IOException or ArgumentException or InvalidCastException or InvalidOperationException)
        {
            return $"an RFC 3161 timestamp is malformed ({e.Message.TrimEnd('.')})";
        }
        var info = token.TimeStampInfo;
        HashAlgorithmName? algorithm = info.MessageImprintAlgOid switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (algorithm is not { } hash) return $"an RFC 3161 timestamp uses message imprint algorithm {info.MessageImprintAlgOid}, which is not supported";
        using (var digest = IncrementalHash.CreateHash(hash))
        {
            digest.AppendData(signature);
            if (!CryptographicOperations.FixedTimeEquals(digest.GetHashAndReset(), info.GetMessageImprintDigest()))
                return "an RFC 3161 timestamp is over something other than the bundle's signature";
        }
        var genTime = new DateTimeOffset(DateTime.SpecifyKind(info.GenTime, DateTimeKind.Utc));
        var reasons = new List<string>();
        foreach (var authority in root.TimestampAuthorities)
        {
            if (authority.Certificates.Count == 0) continue;
            if (!authority.ValidFor.Contains(genTime))
            {
                reasons.Add($"TSA {authority.Uri} is not trusted at {genTime:u}");
                continue;
            }
            // the token must be signed by the authority's leaf (checked by BouncyCastle: signature, ESSCertID, critical
            // timeStamping EKU, validity at genTime), and that leaf must chain to the authority's root at genTime
            try
            {
                var leaf = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(authority.Certificates[0])
                           ?? throw new TspValidationException("its certificate in the trusted root is empty");
                token.Validate(leaf);
            }
            catch (Exception e) when (e is TspException or TspValidationException or CmsException or Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException or InvalidOperationException)
            {
                reasons.Add($"TSA {authority.Uri}: {e.Message.TrimEnd('.')}");
                continue;
            }
            if (ChainsAt(authority, genTime) is { } chain)
            {
                reasons.Add($"TSA {authority.Uri}: {chain}");
                continue;
            }
            time = genTime;
            return null;
        }
        return reasons.Count == 0
            ? "an RFC 3161 timestamp cannot be checked: the trusted root has no timestamp authority"
            : "an RFC 3161 timestamp does not verify (" + string.Join(" | ", reasons) + ")";
    }

    private static TimeStampToken Read(byte[] der)
    {
        // protobuf-specs stores the whole TimeStampResp; accept a bare token (ContentInfo) as well
        var first = Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(der));
        if (first.Count > 0 && first[0] is Org.BouncyCastle.Asn1.Asn1Sequence)
        {
            var response = new TimeStampResponse(der);
            if (response.Status is not (0 or 1)) throw new TspException($"the TSA did not grant it (status {response.Status})");
            return response.TimeStampToken ?? throw new TspException("the response holds no token");
        }
        return new TimeStampToken(new CmsSignedData(der));
    }

    private static string? ChainsAt(TrustedAuthority authority, DateTimeOffset time)
    {
        var certificates = authority.Certificates.Select(X509CertificateLoader.LoadCertificate).ToList();
        try
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.CustomTrustStore.Add(certificates[^1]);
            foreach (var intermediate in certificates.Skip(1).Take(certificates.Count - 2)) chain.ChainPolicy.ExtraStore.Add(intermediate);
            return chain.Build(certificates[0])
                ? null
                : "its certificate does not chain to its root: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
        }
        finally
        {
            foreach (var c in certificates) c.Dispose();
        }
    }
}
