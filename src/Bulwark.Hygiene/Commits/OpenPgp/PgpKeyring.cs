// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Hygiene.Commits.OpenPgp;

/// A subkey with the facts its newest valid binding signature states.
internal sealed record PgpSubkey(PgpPublicKey Key, DateTimeOffset? Expires, bool CanSign, PgpRevocation? Revocation);

/// A key revocation: when it was made and why (RFC 4880 §5.2.3.23).
internal sealed record PgpRevocation(DateTimeOffset Created, byte? Reason)
{
    /// Superseded (1) or retired (3) keys made good signatures before the revocation; any other reason (none,
    /// compromised) revokes every signature ever made (RFC 9580 §5.2.3.31).
    public bool Covers(DateTimeOffset signatureTime) => Reason is not (1 or 3) || signatureTime >= Created;

    public string Describe() => Reason switch
    {
        1 => "superseded",
        2 => "compromised",
        3 => "retired",
        _ => "no reason given",
    };
}

/// A transferable public key (RFC 4880 §11.1): a primary key, its self-certified user IDs and bound subkeys. Only
/// what a valid self-signature states is kept; packets whose signatures do not verify are dropped.
internal sealed class PgpCertificate
{
    public required PgpPublicKey Primary { get; init; }
    public required IReadOnlyList<string> UserIds { get; init; }
    public required DateTimeOffset? Expires { get; init; }
    public required PgpRevocation? Revocation { get; init; }
    public required IReadOnlyList<PgpSubkey> Subkeys { get; init; }

    /// Whether a user ID carries this email address (`Name <email>` or a bare address), case-insensitively.
    public bool HasEmail(string email) => UserIds.Any(u => string.Equals(EmailOf(u), email, StringComparison.OrdinalIgnoreCase));

    internal static string EmailOf(string userId)
    {
        var close = userId.LastIndexOf('>');
        var open = close > 0 ? userId.LastIndexOf('<', close) : -1;
        return open >= 0 ? userId[(open + 1)..close].Trim() : userId.Trim();
    }
}

/// The OpenPGP public keys given with `--keyring` (armored or binary, several keys per file, several files).
public sealed class PgpKeyring
{
    private const long MaxFileBytes = 64L << 20;
    private readonly List<PgpCertificate> _certificates = [];

    internal IReadOnlyList<PgpCertificate> Certificates => _certificates;

    public int Count => _certificates.Count;

    /// Reads keyring files; a file that is missing, private or not OpenPGP data is an <see cref="InputException"/>.
    public static PgpKeyring Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keyring = new PgpKeyring();
        foreach (var path in paths)
        {
            byte[] data;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new InputException($"Cannot read keyring {path}: no such file. Export keys with 'gpg --armor --export KEYID > {path}'.");
                if (info.Length > MaxFileBytes) throw new InputException($"Cannot read keyring {path}: larger than {MaxFileBytes >> 20} MiB.");
                data = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"Cannot read keyring {path}: {e.Message}", e);
            }
            try
            {
                var added = keyring.Add(data);
                if (added == 0) throw new MalformedSignatureException("it holds no version 4 public key");
            }
            catch (MalformedSignatureException e)
            {
                throw new InputException($"Cannot use keyring {path}: {e.Message}. Give armored public keys ('gpg --armor --export KEYID').", e);
            }
        }
        return keyring;
    }

    /// Adds the keys in armored or binary OpenPGP data; returns how many primary keys were read.
    internal int Add(byte[] data)
    {
        var text = data.Length > 0 && (data[0] & 0x80) == 0 ? Encoding.UTF8.GetString(data) : null;
        List<byte[]> blobs;
        if (text is null) blobs = [data];
        else
        {
            var blocks = PgpArmor.Decode(text);
            if (blocks.Any(b => b.Label.Contains("PRIVATE", StringComparison.Ordinal)))
                throw new MalformedSignatureException("it is a private key block; give the public key");
            blobs = [.. blocks.Where(b => b.Label == "PUBLIC KEY BLOCK").Select(b => b.Data)];
            if (blobs.Count == 0) throw new MalformedSignatureException("no '-----BEGIN PGP PUBLIC KEY BLOCK-----' found");
        }
        var count = 0;
        foreach (var blob in blobs)
        {
            var packets = PgpPackets.Read(blob);
            if (packets.Any(p => p.Tag is 5 or 7)) throw new MalformedSignatureException("it holds secret key packets; give the public key");
            var start = -1;
            for (var i = 0; i <= packets.Count; i++)
            {
                if (i < packets.Count && packets[i].Tag != 6) continue;
                if (start >= 0 && Build(packets.GetRange(start, i - start)) is { } certificate)
                {
                    _certificates.Add(certificate);
                    count++;
                }
                start = i;
            }
        }
        return count;
    }

    private static PgpCertificate? Build(List<PgpPacket> packets)
    {
        var primary = PgpPublicKey.Parse(packets[0].Body);
        if (primary is null) return null;
        var primaryPrefix = primary.HashPrefix();
        var selfSignatures = new List<PgpSignature>();
        var userIds = new List<string>();
        var subkeys = new List<PgpSubkey>();
        PgpRevocation? revocation = null;

        var i = 1;
        // direct-key signatures and key revocations sit right after the primary key
        for (; i < packets.Count && packets[i].Tag == 2; i++)
        {
            var sig = TryParse(packets[i].Body);
            if (sig is null || !IsFrom(sig, primary) || !Verifies(primary, sig, primaryPrefix)) continue;
            if (sig.Type == PgpSignature.KeyRevocation) revocation = Earlier(revocation, sig);
            else if (sig.Type == PgpSignature.DirectKey) selfSignatures.Add(sig);
        }
        while (i < packets.Count)
        {
            var component = packets[i++];
            var signatures = new List<PgpSignature>();
            for (; i < packets.Count && packets[i].Tag == 2; i++)
                if (TryParse(packets[i].Body) is { } s) signatures.Add(s);
            if (component.Tag == 13)
            {
                var uid = component.Body;
                byte[] uidPrefix = [0xB4, (byte)(uid.Length >> 24), (byte)(uid.Length >> 16), (byte)(uid.Length >> 8), (byte)uid.Length, .. uid];
                var valid = signatures.Where(s => IsFrom(s, primary) && Verifies(primary, s, primaryPrefix, uidPrefix)).ToList();
                var certs = valid.Where(s => s.Type is >= PgpSignature.CertGeneric and <= PgpSignature.CertPositive).ToList();
                var newestCert = certs.MaxBy(s => s.Created);
                var newestRevocation = valid.Where(s => s.Type == 0x30).MaxBy(s => s.Created);
                if (newestCert is null || (newestRevocation is not null && newestRevocation.Created >= newestCert.Created)) continue;
                selfSignatures.AddRange(certs);
                userIds.Add(Encoding.UTF8.GetString(uid));
            }
            else if (component.Tag == 14)
            {
                var key = PgpPublicKey.Parse(component.Body);
                if (key is null) continue;
                var keyPrefix = key.HashPrefix();
                var valid = signatures.Where(s => IsFrom(s, primary) && Verifies(primary, s, primaryPrefix, keyPrefix)).ToList();
                var binding = valid.Where(s => s.Type == PgpSignature.SubkeyBinding).MaxBy(s => s.Created);
                if (binding is null) continue;
                PgpRevocation? subRevocation = null;
                foreach (var r in valid.Where(s => s.Type == PgpSignature.SubkeyRevocation)) subRevocation = Earlier(subRevocation, r);
                var flagsAllowSigning = binding.KeyFlags is not { } flags || (flags & 0x02) != 0;
                // a signing subkey must sign back (RFC 4880 §5.2.1 0x19), or anyone could claim another's subkey
                var backSigned = binding.Embedded is { Type: PgpSignature.PrimaryKeyBinding } back && Verifies(key, back, primaryPrefix, keyPrefix);
                var expires = binding.KeyExpirySeconds is > 0 and var seconds ? key.Created.AddSeconds(seconds) : (DateTimeOffset?)null;
                subkeys.Add(new PgpSubkey(key, expires, flagsAllowSigning && backSigned, subRevocation));
            }
        }
        if (userIds.Count == 0) return null; // no valid self-certification: nothing binds the key to anyone
        var newest = selfSignatures.MaxBy(s => s.Created)!;
        var primaryExpires = newest.KeyExpirySeconds is > 0 and var s2 ? primary.Created.AddSeconds(s2) : (DateTimeOffset?)null;
        return new PgpCertificate { Primary = primary, UserIds = userIds, Expires = primaryExpires, Revocation = revocation, Subkeys = subkeys };
    }

    private static PgpRevocation Earlier(PgpRevocation? current, PgpSignature sig)
    {
        var created = sig.Created ?? DateTimeOffset.MinValue;
        return current is null || created < current.Created ? new PgpRevocation(created, sig.RevocationReason) : current;
    }

    internal static bool IsFrom(PgpSignature sig, PgpPublicKey key) =>
        sig.IssuerFingerprint is { } fp ? fp.AsSpan().SequenceEqual(key.Fingerprint) : sig.IssuerKeyId is not { } id || id == key.KeyId;

    private static PgpSignature? TryParse(byte[] body)
    {
        try
        {
            return PgpSignature.Parse(body);
        }
        catch (MalformedSignatureException)
        {
            return null; // a broken certification is dropped; the key stands or falls on the others
        }
        catch (UnsupportedSignatureException)
        {
            return null;
        }
    }

    private static bool Verifies(PgpPublicKey key, PgpSignature sig, params byte[][] prefix)
    {
        if (sig.Created is null) return false;
        try
        {
            return key.Verify(sig, sig.Digest(prefix));
        }
        catch (UnsupportedSignatureException)
        {
            return false;
        }
        catch (MalformedSignatureException)
        {
            return false;
        }
    }
}
