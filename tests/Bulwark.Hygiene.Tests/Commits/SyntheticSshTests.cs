// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using Bulwark.Hygiene.Commits;
using Bulwark.Hygiene.Commits.Ssh;

namespace Bulwark.Hygiene.Tests.Commits;

/// sshsig signatures made here with .NET keys, for what ssh-keygen will not make: SHA-1 `ssh-rsa` signatures, the
/// sha256 message hash, other namespaces, short RSA keys.
public sealed class SyntheticSshTests
{
    private const string Email = "dev@example.com";

    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Dev <dev@example.com> 1717200000 +0000\n" +
        $"committer Dev <{Email}> 1717200000 +0000\n\nsynthetic\n");

    private static byte[] Str(byte[] b) => [(byte)(b.Length >> 24), (byte)(b.Length >> 16), (byte)(b.Length >> 8), (byte)b.Length, .. b];

    private static byte[] Str(string s) => Str(Encoding.ASCII.GetBytes(s));

    // an SSH mpint: big-endian, a zero byte in front when the top bit is set
    private static byte[] Mpint(byte[] unsigned)
    {
        var v = unsigned.AsSpan().TrimStart((byte)0).ToArray();
        return Str(v.Length > 0 && v[0] >= 0x80 ? [0, .. v] : v);
    }

    private static byte[] EcdsaBlob(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return [.. Str("ecdsa-sha2-nistp256"), .. Str("nistp256"), .. Str([4, .. p.Q.X!, .. p.Q.Y!])];
    }

    private static byte[] RsaBlob(RSA key)
    {
        var p = key.ExportParameters(false);
        return [.. Str("ssh-rsa"), .. Mpint(p.Exponent!), .. Mpint(p.Modulus!)];
    }

    private static string Armored(byte[] keyBlob, string ns, string hashName, Func<byte[], byte[]> sign)
    {
        var hash = hashName == "sha256" ? SHA256.HashData(Payload) : SHA512.HashData(Payload);
        byte[] signed = [.. "SSHSIG"u8, .. Str(ns), .. Str(""), .. Str(hashName), .. Str(hash)];
        byte[] blob = [.. "SSHSIG"u8, 0, 0, 0, 1, .. Str(keyBlob), .. Str(ns), .. Str(""), .. Str(hashName), .. Str(sign(signed))];
        return $"{SshSignature.Begin}\n{Convert.ToBase64String(blob)}\n-----END SSH SIGNATURE-----\n";
    }

    private static string EcdsaSignature(ECDsa key, string ns = "git", string hash = "sha256") => Armored(EcdsaBlob(key), ns, hash, data =>
    {
        var raw = key.SignData(data, HashAlgorithmName.SHA256);
        return [.. Str("ecdsa-sha2-nistp256"), .. Str([.. Mpint(raw[..32]), .. Mpint(raw[32..])])];
    });

    private static CommitVerification Verify(string signature, string allowed) =>
        new CommitVerifier(null, AllowedSigners.Parse(allowed)).Verify(
            GitCommit.Parse("0123456789abcdef0123456789abcdef01234567", Payload) with { Signature = signature });

    private static string Line(byte[] blob, string type, string options = "") => $"{Email} {options} {type} {Convert.ToBase64String(blob)}\n";

    [Fact]
    public void An_ecdsa_signature_over_a_sha256_message_hash_is_good()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = Verify(EcdsaSignature(key), Line(EcdsaBlob(key), "ecdsa-sha2-nistp256"));
        Assert.Equal(CommitStatus.Good, result.Status);
        Assert.Equal("ECDSA P-256", result.KeyAlgorithm);
    }

    [Fact]
    public void A_signature_for_another_namespace_is_bad_even_when_the_key_is_allowed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = Verify(EcdsaSignature(key, ns: "file"), Line(EcdsaBlob(key), "ecdsa-sha2-nistp256"));
        Assert.Equal(CommitStatus.BadSignature, result.Status);
        Assert.Contains("namespace 'file'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_message_hash_is_unsupported()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = Armored(EcdsaBlob(key), "git", "sha1", _ => [.. Str("ecdsa-sha2-nistp256"), .. Str(new byte[8])]);
        Assert.Equal(CommitStatus.Unsupported, Verify(signature, Line(EcdsaBlob(key), "ecdsa-sha2-nistp256")).Status);
    }

    [Fact]
    public void A_sha1_ssh_rsa_signature_is_unsupported_and_rsa_sha2_256_is_good()
    {
        using var key = RSA.Create(2048);
        var allowed = Line(RsaBlob(key), "ssh-rsa");
        var sha1 = Armored(RsaBlob(key), "git", "sha512", data => [.. Str("ssh-rsa"), .. Str(key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1))]);
        var result = Verify(sha1, allowed);
        Assert.Equal(CommitStatus.Unsupported, result.Status);
        Assert.Contains("SHA-1", result.Detail, StringComparison.Ordinal);
        var sha256 = Armored(RsaBlob(key), "git", "sha512", data => [.. Str("rsa-sha2-256"), .. Str(key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))]);
        Assert.Equal(CommitStatus.Good, Verify(sha256, allowed).Status);
        // the signature type must match the hash actually used
        var mislabelled = Armored(RsaBlob(key), "git", "sha512", data => [.. Str("rsa-sha2-512"), .. Str(key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))]);
        Assert.Equal(CommitStatus.BadSignature, Verify(mislabelled, allowed).Status);
    }

    [Fact]
    public void A_short_rsa_key_is_unsupported()
    {
        using var key = RSA.Create(1024);
        var signature = Armored(RsaBlob(key), "git", "sha512", data => [.. Str("rsa-sha2-512"), .. Str(key.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1))]);
        var result = Verify(signature, Line(RsaBlob(key), "ssh-rsa"));
        Assert.Equal(CommitStatus.Unsupported, result.Status);
        Assert.Contains("1024 bits is too weak", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cert_authority_line_does_not_allow_the_ca_key_itself()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = Verify(EcdsaSignature(key), Line(EcdsaBlob(key), "ecdsa-sha2-nistp256", "cert-authority"));
        Assert.Equal(CommitStatus.UnknownKey, result.Status);
    }

    [Fact]
    public void A_signature_whose_embedded_key_differs_from_the_signing_key_is_bad()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = Armored(EcdsaBlob(other), "git", "sha512", data =>
        {
            var raw = key.SignData(data, HashAlgorithmName.SHA256);
            return [.. Str("ecdsa-sha2-nistp256"), .. Str([.. Mpint(raw[..32]), .. Mpint(raw[32..])])];
        });
        Assert.Equal(CommitStatus.BadSignature, Verify(signature, Line(EcdsaBlob(other), "ecdsa-sha2-nistp256")).Status);
    }
}
