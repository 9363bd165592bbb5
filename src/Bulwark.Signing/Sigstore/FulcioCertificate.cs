// SPDX-License-Identifier: Apache-2.0
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Signing.Sigstore;

/// The identity a Fulcio certificate binds: its SAN and the OIDC issuer from Fulcio's extensions.
public sealed record CertificateIdentity(string? SubjectAlternativeName, string? Issuer);

/// What a signer must be: an exact SAN or a regular expression over it, and the exact OIDC issuer.
public sealed record IdentityPolicy(string? Identity, string? IdentityRegex, string Issuer)
{
    /// Null when <paramref name="identity"/> satisfies the policy, otherwise why not.
    public string? Check(CertificateIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Issuer != Issuer) return $"the certificate's OIDC issuer is '{identity.Issuer}', not '{Issuer}'";
        var san = identity.SubjectAlternativeName;
        if (san is null) return "the certificate has no email or URI subject alternative name";
        if (Identity is not null && san != Identity) return $"the certificate's identity is '{san}', not '{Identity}'";
        if (IdentityRegex is not null)
        {
            // anchored like Go's regexp.MatchString would not be; cosign and sigstore-go match unanchored, and so do we
            var regex = new Regex(IdentityRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            try
            {
                if (!regex.IsMatch(san)) return $"the certificate's identity '{san}' does not match /{IdentityRegex}/";
            }
            catch (RegexMatchTimeoutException)
            {
                return $"matching the certificate's identity against /{IdentityRegex}/ took too long";
            }
        }
        return null;
    }
}

/// Reads Fulcio leaf certificates and checks them against the trusted root's certificate authorities.
public static class FulcioCertificate
{
    public const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";   // deprecated: the issuer as raw bytes
    public const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";   // the issuer as a DER UTF8String
    public const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// The first email (rfc822Name) or URI SAN, and the OIDC issuer (the v2 extension preferred).
    public static CertificateIdentity Identity(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        string? san = null, v1 = null, v2 = null;
        foreach (var extension in leaf.Extensions)
        {
            switch (extension.Oid?.Value)
            {
                case "2.5.29.17":
                    san ??= FirstSan(extension.RawData);
                    break;
                case IssuerV1Oid:
                    v1 = Encoding.UTF8.GetString(extension.RawData);
                    break;
                case IssuerV2Oid:
                    v2 = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.UTF8String);
                    break;
            }
        }
        return new CertificateIdentity(san, v2 ?? v1);
    }

    private static string? FirstSan(byte[] der)
    {
        var names = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6)
                return names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, tag.TagValue));
            names.ReadEncodedValue();
        }
        return null;
    }

    /// Null when <paramref name="leaf"/> is a code-signing leaf that chains to a trusted CA valid at <paramref name="time"/>;
    /// otherwise why not. On success <paramref name="issuer"/> is the certificate that signed the leaf (for SCTs).
    public static string? VerifyChain(X509Certificate2 leaf, TrustedRoot root, DateTimeOffset time, out X509Certificate2? issuer)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(root);
        issuer = null;
        if (leaf.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
            return "the signing certificate is a CA certificate";
        if (leaf.Extensions["2.5.29.15"] is X509KeyUsageExtension usage && (usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
            return "the signing certificate's key usage does not include digital signature";
        if (leaf.Extensions["2.5.29.37"] is not X509EnhancedKeyUsageExtension eku ||
            !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == CodeSigningOid))
            return "the signing certificate is not for code signing (extended key usage)";
        if (time < leaf.NotBefore.ToUniversalTime() || time > leaf.NotAfter.ToUniversalTime())
            return $"the signing certificate was not valid at the signing time {time:u} (valid {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u})";
        var reasons = new List<string>();
        foreach (var authority in root.CertificateAuthorities)
        {
            if (authority.Certificates.Count == 0) continue;
            if (!authority.ValidFor.Contains(time))
            {
                reasons.Add($"CA {authority.Uri} is not trusted at {time:u}");
                continue;
            }
            var certificates = authority.Certificates.Select(X509CertificateLoader.LoadCertificate).ToList();
            try
            {
                // a CA none of whose certificates is named as the leaf's issuer cannot have issued it: building a chain
                // to it (a millisecond or more) would only fail
                if (!certificates.Any(c => c.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)))
                {
                    reasons.Add($"CA {authority.Uri} did not issue it (issuer {leaf.Issuer})");
                    continue;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationTime = time.UtcDateTime;
                chain.ChainPolicy.VerificationTimeIgnored = false;
                chain.ChainPolicy.DisableCertificateDownloads = true;
                chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CodeSigningOid));
                // the last certificate of a CA's chain is its root; the others are intermediates
                chain.ChainPolicy.CustomTrustStore.Add(certificates[^1]);
                foreach (var intermediate in certificates.Take(certificates.Count - 1)) chain.ChainPolicy.ExtraStore.Add(intermediate);
                if (chain.Build(leaf) && chain.ChainElements.Count >= 2)
                {
                    issuer = X509CertificateLoader.LoadCertificate(chain.ChainElements[1].Certificate.RawData);
                    return null;
                }
                reasons.Add($"CA {authority.Uri}: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct()));
            }
            finally
            {
                foreach (var c in certificates) c.Dispose();
            }
        }
        return reasons.Count == 0
            ? "the trusted root has no certificate authority"
            : "the signing certificate does not chain to a trusted certificate authority (" + string.Join(" | ", reasons) + ")";
    }
}
