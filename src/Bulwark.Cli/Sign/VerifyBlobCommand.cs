// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Sign;

/// `bulwark verify-blob --key PUB (--signature SIG | --bundle B) FILE`, offline.
/// <remarks>
/// Exit codes: 0 verified; 4 verification failed (the signature does not verify with the key, the file's digest is not the
/// bundle's, the signature text is not base64); 5 could not verify (the key, signature, bundle or file is missing or
/// unreadable, or the bundle holds something this command does not check yet); 2 bad arguments.
/// </remarks>
internal static class VerifyBlobCommand
{
    public static Command Create(CliContext context)
    {
        var key = Key.KeyCommand.KeyOption("The public key: a PEM file (PKIX PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE), env://VAR, pkcs11:… or hashivault://NAME.");
        var signature = new Option<string?>("--signature") { Description = "The base64 signature file (as 'sign-blob' or 'cosign sign-blob' write it)." };
        var bundle = new Option<string?>("--bundle") { Description = "A Sigstore bundle holding the signature (instead of --signature)." };
        var file = new Argument<string>("FILE") { Description = "The signed file." };
        var command = new Command("verify-blob", "Verify a file's signature with a public key (exit 0 verified, 4 failed, 5 could not verify).")
        {
            key, signature, bundle, file,
        };
        command.SetAction(async (parse, ct) =>
        {
            var signaturePath = parse.GetValue(signature);
            var bundlePath = parse.GetValue(bundle);
            if ((signaturePath is null) == (bundlePath is null))
                throw new UsageException("Give exactly one of --signature FILE and --bundle FILE.");
            var reference = KeyReference.Parse(parse.GetValue(key)!);
            VerificationResult result;
            try
            {
                result = Verify(context, reference, signaturePath, bundlePath, parse.GetValue(file)!, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result = VerificationResult.CouldNotVerify(e.Message);
            }
            return await ImageVerbs.ReportAsync(context, result).ConfigureAwait(false);
        });
        return command;
    }

    // Missing or unreadable material is an answer ("could not verify"), not an input error: the verb is the edge
    // where those exceptions become a result.
    private static VerificationResult Verify(CliContext context, KeyReference reference, string? signaturePath, string? bundlePath, string path, CancellationToken ct)
    {
        VerificationKey verificationKey;
        try
        {
            verificationKey = reference.OpenVerificationKey(context.Environment);
        }
        catch (InputException e)
        {
            return VerificationResult.CouldNotVerify(e.Message);
        }
        using (verificationKey)
        {
            if (!File.Exists(path)) return VerificationResult.CouldNotVerify($"Cannot read {path}: no such file.");
            if (signaturePath is not null)
            {
                if (ReadSmall(signaturePath, "signature", 64 << 10) is not { } text) return Missing(signaturePath, "signature");
                return BlobSignatures.DecodeBase64(System.Text.Encoding.ASCII.GetString(text)) is { } bytes
                    ? BlobSignatures.Verify(verificationKey, path, bytes, ct)
                    : VerificationResult.Failed($"signature {signaturePath} is not base64 text.");
            }
            if (ReadSmall(bundlePath!, "bundle", SigstoreBundle.MaxBytes) is not { } json) return Missing(bundlePath!, "bundle");
            SigstoreBundle parsed;
            try
            {
                parsed = SigstoreBundle.Read(json, bundlePath!);
            }
            catch (InputException e)
            {
                return VerificationResult.CouldNotVerify(e.Message);
            }
            return BlobSignatures.Verify(verificationKey, path, parsed, bundlePath!, ct);
        }
    }

    private static VerificationResult Missing(string path, string what) =>
        VerificationResult.CouldNotVerify(File.Exists(path) ? $"Cannot read {what} {path}: it is too large to be a {what}." : $"Cannot read {what} {path}: no such file.");

    private static byte[]? ReadSmall(string path, string what, int limit)
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        if (stream.Length > limit) return null;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
