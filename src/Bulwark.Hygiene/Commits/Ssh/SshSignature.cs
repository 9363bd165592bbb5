// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Hygiene.Commits.Ssh;

/// An armored `sshsig` signature (OpenSSH PROTOCOL.sshsig): magic "SSHSIG", version 1, the public key, the
/// namespace, a reserved string, the hash algorithm (sha256 or sha512) and the signature over
/// "SSHSIG" ‖ string(namespace) ‖ string(reserved) ‖ string(hash algorithm) ‖ string(H(message)).
public sealed class SshSignature
{
    public const string Begin = "-----BEGIN SSH SIGNATURE-----";
    private const string End = "-----END SSH SIGNATURE-----";
    private static readonly byte[] Magic = "SSHSIG"u8.ToArray();

    public required SshPublicKey Key { get; init; }
    public required string Namespace { get; init; }
    public required byte[] Reserved { get; init; }
    public required string HashAlgorithm { get; init; }
    public required byte[] Signature { get; init; }

    public static SshSignature Parse(string armored)
    {
        ArgumentNullException.ThrowIfNull(armored);
        var text = armored.Replace("\r", "", StringComparison.Ordinal).Trim();
        // the lines must not overlap: "-----BEGIN SSH SIGNATURE-----" alone starts and ends with dashes too
        if (text.Length < Begin.Length + End.Length || !text.StartsWith(Begin, StringComparison.Ordinal) || !text.EndsWith(End, StringComparison.Ordinal))
            throw new MalformedSignatureException("SSH signature is not enclosed in BEGIN/END SSH SIGNATURE lines");
        var body = string.Concat(text[Begin.Length..^End.Length].Split('\n').Select(l => l.Trim()));
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw new MalformedSignatureException("SSH signature is not valid base64");
        }
        var r = new WireReader(blob);
        if (!r.Bytes(6).AsSpan().SequenceEqual(Magic)) throw new MalformedSignatureException("SSH signature lacks the SSHSIG magic");
        var version = r.UInt32();
        if (version != 1) throw new UnsupportedSignatureException($"sshsig version {version} (version 1 is supported)");
        var key = SshPublicKey.Parse(r.SshString());
        var ns = Encoding.UTF8.GetString(r.SshString());
        var reserved = r.SshString();
        var hash = Encoding.ASCII.GetString(r.SshString());
        var signature = r.SshString();
        if (r.HasData) throw new MalformedSignatureException("trailing data after the SSH signature");
        return new SshSignature { Key = key, Namespace = ns, Reserved = reserved, HashAlgorithm = hash, Signature = signature };
    }

    /// Checks the signature over a message. False means wrong; what cannot be checked throws
    /// <see cref="UnsupportedSignatureException"/>.
    public bool Verify(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var digest = HashAlgorithm switch
        {
            "sha256" => SHA256.HashData(message),
            "sha512" => SHA512.HashData(message),
            _ => throw new UnsupportedSignatureException($"sshsig hash algorithm '{HashAlgorithm}' (sha256 and sha512 are supported)"),
        };
        using var signed = new MemoryStream();
        signed.Write(Magic);
        WriteString(signed, Encoding.UTF8.GetBytes(Namespace));
        WriteString(signed, Reserved);
        WriteString(signed, Encoding.ASCII.GetBytes(HashAlgorithm));
        WriteString(signed, digest);
        return Key.Verify(Signature, signed.ToArray());
    }

    private static void WriteString(Stream s, byte[] value)
    {
        s.Write([(byte)(value.Length >> 24), (byte)(value.Length >> 16), (byte)(value.Length >> 8), (byte)value.Length]);
        s.Write(value);
    }
}
