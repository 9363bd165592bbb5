// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Bundles;

/// Bundles Bulwark writes, checked by the Sigstore JavaScript libraries (tests/validators/verify-sigstore-bundle.js:
/// @sigstore/bundle parses and validates, @sigstore/verify checks the signature and the key hint). A missing validator
/// is a failure, never a skip.
public sealed class SigstoreJsCrossCheckTests : IDisposable
{
    private static string Validators => Path.Combine(TestPaths.RepositoryRoot, "tests", "validators");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int ExitCode, string Output) VerifyWithSigstoreJs(string bundle, string artifact, string publicKey)
    {
        if (!Directory.Exists(Path.Combine(Validators, "node_modules", "@sigstore", "verify")))
            Assert.Fail($"@sigstore/verify is not installed in {Validators}/node_modules. Run ./test.sh (it runs npm ci there).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--", Path.Combine(Validators, "verify-sigstore-bundle.js"), bundle, artifact, publicKey }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("node did not finish within 2 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private string WriteBundle(SigningKey key, string artifact)
    {
        var path = _temp.File($"{Guid.NewGuid():N}.sigstore.json");
        var bundle = SigstoreBundle.ForKeySignature(BlobSignatures.Sign(key, artifact).ToMessageSignature(), key.PublicKey.Hint);
        using var stream = File.Create(path);
        bundle.WriteTo(stream);
        return path;
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public void The_sigstore_js_verifier_accepts_a_bundle_bulwark_wrote(string kind)
    {
        var privateKey = OpenSsl.GeneratePrivateKey(_temp.Path, kind);
        using var key = SigningKey.FromPem(File.ReadAllText(privateKey), privateKey, () => "");
        var artifact = _temp.Write("artifact.bin", "what was built\n"u8.ToArray());
        var bundle = WriteBundle(key, artifact);

        Assert.Equal((0, "verified\n"), VerifyWithSigstoreJs(bundle, artifact, OpenSsl.PublicKeyOf(privateKey)));
    }

    [Fact]
    public void The_sigstore_js_verifier_refuses_an_altered_artifact_and_another_key()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        using var other = SigningKey.GenerateEcdsaP256();
        var artifact = _temp.Write("artifact.bin", "what was built\n"u8.ToArray());
        var bundle = WriteBundle(key, artifact);
        var altered = _temp.Write("altered.bin", "what was built!\n"u8.ToArray());
        var otherPub = _temp.Write("other.pub", System.Text.Encoding.ASCII.GetBytes(other.PublicKey.ToPem()));
        var pub = _temp.Write("key.pub", System.Text.Encoding.ASCII.GetBytes(key.PublicKey.ToPem()));

        Assert.Equal(1, VerifyWithSigstoreJs(bundle, altered, pub).ExitCode);
        var wrongKey = VerifyWithSigstoreJs(bundle, artifact, otherPub);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains($"bundle key hint {key.PublicKey.Hint} is not the given key's {other.PublicKey.Hint}", wrongKey.Output, StringComparison.Ordinal);
    }
}
