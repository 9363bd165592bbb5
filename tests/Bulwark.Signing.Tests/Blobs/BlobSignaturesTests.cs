// SPDX-License-Identifier: Apache-2.0
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Blobs;

/// Signatures over files, cross-checked with openssl in both directions, and mutations that must fail.
public sealed class BlobSignaturesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _file;

    public BlobSignaturesTests()
    {
        var content = new byte[4096];
        new Random(5).NextBytes(content);
        _file = _temp.Write("blob.bin", content);
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Kinds => new() { "ec", "rsa", "ed25519" };

    private static SigningKey Load(string path) => SigningKey.FromPem(File.ReadAllText(path), path, () => "");

    private static VerificationKey LoadPublic(string path) => VerificationKey.FromPem(File.ReadAllText(path), path);

    /// openssl's own signature over the file: SHA-256 digest signatures for ECDSA and RSA, pure Ed25519 otherwise.
    private byte[] SignWithOpenSsl(string kind, string privateKey, string file)
    {
        var sig = _temp.File($"openssl-{Guid.NewGuid():N}.sig");
        if (kind == "ed25519") OpenSsl.Ok("pkeyutl", "-sign", "-inkey", privateKey, "-rawin", "-in", file, "-out", sig);
        else OpenSsl.Ok("dgst", "-sha256", "-sign", privateKey, "-out", sig, file);
        return File.ReadAllBytes(sig);
    }

    private OpenSsl.Result VerifyWithOpenSsl(string kind, string publicKey, string file, byte[] signature)
    {
        var sig = _temp.Write($"bulwark-{Guid.NewGuid():N}.sig", signature);
        return kind == "ed25519"
            ? OpenSsl.Run("pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-in", file, "-sigfile", sig)
            : OpenSsl.Run("dgst", "-sha256", "-verify", publicKey, "-signature", sig, file);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Openssl_verifies_what_bulwark_signs(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var key = Load(privateKey);
        var signature = BlobSignatures.Sign(key, _file);

        var result = VerifyWithOpenSsl(kind, OpenSsl.PublicKeyOf(privateKey), _file, signature.Signature);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(kind == "ed25519" ? "Signature Verified Successfully\n" : "Verified OK\n", result.Stdout);
        Assert.Equal(Convert.FromHexString(OpenSsl.Ok("dgst", "-sha256", "-r", _file)[..64]), signature.Sha256);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bulwark_verifies_what_openssl_signs(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var key = LoadPublic(OpenSsl.PublicKeyOf(privateKey));
        var result = BlobSignatures.Verify(key, _file, SignWithOpenSsl(kind, privateKey, _file));
        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Equal($"Verified OK: {_file} is signed by the {key.Description} key.", result.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Flipping_any_signature_byte_fails_verification(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var key = LoadPublic(OpenSsl.PublicKeyOf(privateKey));
        var signature = SignWithOpenSsl(kind, privateKey, _file);
        for (var i = 0; i < signature.Length; i++)
        {
            foreach (var bit in new byte[] { 0x01, 0x80 })
            {
                var altered = (byte[])signature.Clone();
                altered[i] ^= bit;
                var result = BlobSignatures.Verify(key, _file, altered);
                Assert.True(result.Outcome == VerificationOutcome.Failed, $"{kind}: flipping bit {bit:x2} of signature byte {i} still verified");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Flipping_a_file_byte_fails_verification(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var key = LoadPublic(OpenSsl.PublicKeyOf(privateKey));
        var signature = SignWithOpenSsl(kind, privateKey, _file);
        foreach (var index in new[] { 0, 2047, 4095 })
        {
            var content = File.ReadAllBytes(_file);
            content[index] ^= 0x01;
            var altered = _temp.Write($"altered-{index}.bin", content);
            var result = BlobSignatures.Verify(key, altered, signature);
            Assert.Equal(VerificationOutcome.Failed, result.Outcome);
            Assert.Equal($"the signature over {altered} is not valid for the {key.Description} key (wrong key, or the file or signature was altered).", result.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Another_key_of_the_same_kind_fails_verification(string kind)
    {
        var signer = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var other = LoadPublic(OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, kind)));
        Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(other, _file, SignWithOpenSsl(kind, signer, _file)).Outcome);
    }

    [Fact]
    public void A_key_of_another_kind_fails_verification()
    {
        var ecdsa = OpenSsl.GeneratePrivateKey(_temp.Path, "ec");
        foreach (var kind in new[] { "rsa", "ed25519" })
        {
            using var other = LoadPublic(OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, kind)));
            Assert.Equal(VerificationOutcome.Failed, BlobSignatures.Verify(other, _file, SignWithOpenSsl("ec", ecdsa, _file)).Outcome);
        }
    }

    [Theory]
    [InlineData("  TUVVQ0lR\n", new byte[] { 0x4d, 0x45, 0x55, 0x43, 0x49, 0x51 })]
    [InlineData("not base64!", null)]
    [InlineData("", null)]
    public void Signature_text_is_base64_with_surrounding_white_space_ignored(string text, byte[]? expected)
    {
        Assert.Equal(expected, BlobSignatures.DecodeBase64(text));
    }

    [Fact]
    public void Signing_a_large_file_streams_it_with_a_bounded_buffer()
    {
        var large = _temp.File("large.bin");
        using (var stream = File.Create(large)) stream.SetLength(64L << 20);
        using var key = SigningKey.GenerateEcdsaP256();
        BlobSignatures.Sign(key, _file); // warm up the pooled buffer and the JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        var signature = BlobSignatures.Sign(key, large);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 2 << 20, $"signing a 64 MiB file allocated {allocated} bytes");
        Assert.Equal(VerificationOutcome.Verified, BlobSignatures.Verify(key.PublicKey, large, signature.Signature).Outcome);
    }

    [Fact]
    public void Ed25519_refuses_messages_above_its_in_memory_limit_as_could_not_verify()
    {
        var large = _temp.File("huge.bin");
        using (var stream = File.Create(large)) stream.SetLength(VerificationKey.MaxEd25519MessageBytes + 1); // sparse: no disk used
        using var key = LoadPublic(OpenSsl.PublicKeyOf(OpenSsl.GeneratePrivateKey(_temp.Path, "ed25519")));
        var result = BlobSignatures.Verify(key, large, new byte[64]);
        Assert.Equal(VerificationResult.CouldNotVerify($"{large}: Ed25519 signatures cover the whole message, and Bulwark verifies them only for messages up to 256 MiB."), result);
    }
}
