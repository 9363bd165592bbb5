// SPDX-License-Identifier: Apache-2.0
using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Sigstore;

/// Embedded SCTs (RFC 6962 §3.3): checks a leaf's precertificate SCT list against the trusted root's CT log keys.
public static class SignedCertificateTimestamps
{
    public const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// How many of the leaf's embedded SCTs verify with a CT log key of <paramref name="root"/> valid at the SCT's time.
    /// A malformed list or a bad signature from a trusted log is a failure (the reason), never skipped.
    public static string? Verify(X509Certificate2 leaf, X509Certificate2 issuer, TrustedRoot root, out int verified)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(root);
        verified = 0;
        var extension = leaf.Extensions[SctListOid];
        if (extension is null) return "the signing certificate has no embedded SCT";
        byte[] list;
        byte[] tbs;
        try
        {
            list = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadOctetString();
            tbs = PrecertificateTbs(leaf.RawData);
        }
        catch (AsnContentException e)
        {
            return $"the signing certificate's SCT extension is malformed ({e.Message})";
        }
        var issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        var span = list.AsSpan();
        if (span.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(span) != span.Length - 2) return "the SCT list's length is wrong";
        span = span[2..];
        while (span.Length > 0)
        {
            if (span.Length < 2) return "an SCT is truncated";
            var length = BinaryPrimitives.ReadUInt16BigEndian(span);
            if (span.Length < 2 + length) return "an SCT is truncated";
            var sct = span.Slice(2, length);
            span = span[(2 + length)..];
            // version(1) log_id(32) timestamp(8) extensions<0..2^16-1> hash(1) sig(1) signature<0..2^16-1>
            if (sct.Length < 1 + 32 + 8 + 2 || sct[0] != 0) return "an SCT is not a v1 SCT";
            var logId = sct.Slice(1, 32);
            var timestamp = BinaryPrimitives.ReadUInt64BigEndian(sct[33..]);
            var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(sct[41..]);
            if (sct.Length < 43 + extensionsLength + 4) return "an SCT is truncated";
            var extensions = sct.Slice(43, extensionsLength);
            var rest = sct[(43 + extensionsLength)..];
            var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (rest.Length != 4 + signatureLength) return "an SCT's signature length is wrong";
            var signature = rest[4..];
            if (root.CtLog(logId) is not { } log) continue; // an SCT from a log we do not trust counts for nothing
            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(timestamp, long.MaxValue / 2));
            if (!log.ValidFor.Contains(time)) return $"an SCT is from CT log {log.BaseUrl} at {time:u}, outside the log key's validity";
            // RFC 6962 §3.2 digitally-signed struct for a precert entry
            var signed = new byte[1 + 1 + 8 + 2 + 32 + 3 + tbs.Length + 2 + extensions.Length];
            var w = signed.AsSpan();
            w[0] = 0; // v1
            w[1] = 0; // certificate_timestamp
            BinaryPrimitives.WriteUInt64BigEndian(w[2..], timestamp);
            BinaryPrimitives.WriteUInt16BigEndian(w[10..], 1); // precert_entry
            issuerKeyHash.CopyTo(w[12..]);
            w[44] = (byte)(tbs.Length >> 16);
            w[45] = (byte)(tbs.Length >> 8);
            w[46] = (byte)tbs.Length;
            tbs.CopyTo(w[47..]);
            BinaryPrimitives.WriteUInt16BigEndian(w[(47 + tbs.Length)..], (ushort)extensions.Length);
            extensions.CopyTo(w[(49 + tbs.Length)..]);
            using var key = VerificationKey.FromSubjectPublicKeyInfo(log.PublicKey, $"CT log {log.BaseUrl}");
            if (!Signatures.Verify(key, log.KeyDetails, signed, signature)) return $"an SCT from CT log {log.BaseUrl} does not verify";
            verified++;
        }
        return verified > 0 ? null : "no embedded SCT is from a CT log in the trusted root";
    }

    /// The leaf's TBSCertificate with the SCT list extension removed: what the CT log signed for the precertificate.
    public static byte[] PrecertificateTbs(byte[] certificate)
    {
        var cert = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        var tbs = cert.ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            while (tbs.HasData)
            {
                if (!tbs.PeekTag().HasSameClassAndValue(extensionsTag))
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }
                var wrapper = tbs.ReadSequence(extensionsTag);
                var extensions = wrapper.ReadSequence();
                using (writer.PushSequence(extensionsTag))
                using (writer.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        var encoded = extensions.ReadEncodedValue();
                        var oid = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
                        if (oid != SctListOid) writer.WriteEncodedValue(encoded.Span);
                    }
                }
            }
        }
        return writer.Encode();
    }
}
