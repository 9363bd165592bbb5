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
    /// False when the newest self-signature's key flags leave out signing (a certification-only primary key).
    public bool PrimaryCanSign { get; init; } = true;

    /// Whether a user ID carries this email address (`Name <email>` or a bare address), case-insensitively.
    public bool HasEmail(string email) => UserIds.Any(u => string.Equals(EmailOf(u), email, StringComparison.OrdinalIgnoreCase));

    internal static string EmailOf(string userId)
    {
        var close = userId.LastIndexOf('>');
        var open = close > 0 ? userId.LastIndexOf('<', close) : -1;
        return open >= 0 ? userId[(open + 1)..close].Trim() : userId.Trim();
    }
}

/// The OpenPGP public keys given with `--keyring` (armored or binary, several keys per file, several files). Parsed by
/// our own reader: BouncyCastle 1.8.10's OpenPGP rejects EdDSA keys ("unknown PGP public key algorithm encountered").
public sealed class PgpKeyring
{
    private const long MaxFileBytes = 64L << 20;
    private readonly List<PgpCertificate> _certificates = [];
    private readonly Dictionary<string, List<PgpPacket>> _packets = new(StringComparer.Ordinal);

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
                if (added == 0) throw new MalformedSignatureException("it holds no usable public key (version 4 or 6, with a self-certified user ID)");
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
                if (start >= 0 && Merge(packets.GetRange(start, i - start))) count++;
                start = i;
            }
        }
        return count;
    }

    // Copies of one key (two exports, a later one with a revocation or a new expiry) are merged as gpg merges them on
    // import, so no copy can hide what another states: the packets are pooled and the certificate built again.
    private bool Merge(List<PgpPacket> packets)
    {
        var primary = PgpPublicKey.Parse(packets[0].Body);
        if (primary is null) return false;
        var fingerprint = primary.FingerprintHex;
        if (_packets.TryGetValue(fingerprint, out var pooled)) pooled.AddRange(packets.Skip(1));
        else _packets[fingerprint] = pooled = packets;
        var certificate = Build(primary, pooled);
        _certificates.RemoveAll(c => c.Primary.FingerprintHex == fingerprint);
        if (certificate is null) return false;
        _certificates.Add(certificate);
        return true;
    }

    private static PgpCertificate? Build(PgpPublicKey primary, List<PgpPacket> packets)
    {
        var primaryPrefix = primary.HashPrefix();
        var selfSignatures = new List<PgpSignature>();
        var userIds = new List<string>();
        var subkeys = new List<PgpSubkey>();
        PgpRevocation? revocation = null;

        // signatures on the key itself count wherever they sit (a merged copy puts them after other components);
        // every other signature belongs to the user ID or subkey before it, and equal components are pooled
        var primarySignatures = new List<PgpSignature>();
        var components = new List<(PgpPacket Packet, List<PgpSignature> Signatures)>();
        List<PgpSignature>? current = null;
        foreach (var packet in packets.Skip(1))
        {
            if (packet.Tag == 2)
            {
                if (TryParse(packet.Body) is not { } sig) continue;
                if (sig.Type is PgpSignature.KeyRevocation or PgpSignature.DirectKey) primarySignatures.Add(sig);
                else current?.Add(sig);
            }
            else if (packet.Tag is 13 or 14 or 17)
            {
                var same = components.FindIndex(c => c.Packet.Tag == packet.Tag && c.Packet.Body.AsSpan().SequenceEqual(packet.Body));
                if (same >= 0) current = components[same].Signatures;
                else
                {
                    current = [];
                    components.Add((packet, current));
                }
            }
            // trust (12), marker and unknown packets carry nothing a verifier may rely on
        }

        foreach (var sig in primarySignatures)
        {
            if (!IsFrom(sig, primary) || !Verifies(primary, sig, primaryPrefix)) continue;
            if (sig.Type == PgpSignature.KeyRevocation) revocation = Stronger(revocation, sig);
            else selfSignatures.Add(sig);
        }
        foreach (var (component, signatures) in components)
        {
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
                foreach (var r in valid.Where(s => s.Type == PgpSignature.SubkeyRevocation)) subRevocation = Stronger(subRevocation, r);
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
        var primaryCanSign = newest.KeyFlags is not { } primaryFlags || (primaryFlags & 0x02) != 0;
        return new PgpCertificate
        {
            Primary = primary, UserIds = userIds, Expires = primaryExpires, Revocation = revocation, Subkeys = subkeys, PrimaryCanSign = primaryCanSign,
        };
    }

    // of two revocations, the one that revokes more: a hard one (no reason, compromised) over a soft one (superseded,
    // retired), then the earlier
    private static PgpRevocation Stronger(PgpRevocation? current, PgpSignature sig)
    {
        var candidate = new PgpRevocation(sig.Created ?? DateTimeOffset.MinValue, sig.RevocationReason);
        if (current is null) return candidate;
        var currentHard = current.Reason is not (1 or 3);
        var candidateHard = candidate.Reason is not (1 or 3);
        if (currentHard != candidateHard) return candidateHard ? candidate : current;
        return candidate.Created < current.Created ? candidate : current;
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
