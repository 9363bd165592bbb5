// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Cli.Key;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Bundles;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Sign;

/// `bulwark sign-blob --key K [--output-signature FILE] [--bundle OUT] FILE`: a detached signature, as `cosign sign-blob`
/// makes with a key (base64 of the ASN.1 DER ECDSA signature over SHA-256 of the file), and optionally a Sigstore bundle.
/// <remarks>
/// Nothing is uploaded to a transparency log: signing is offline. The signature goes to stdout unless --output-signature
/// is given. Exit codes: 0 signed; 2 bad arguments or key reference; 3 unreadable file or key, wrong password or PIN, token or Vault unavailable.
/// </remarks>
internal static class SignBlobCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The private key: a file (Cosign encrypted, PKCS#8, SEC1 or PKCS#1 PEM), env://VAR, pkcs11:… (RFC 7512) or hashivault://NAME.");
        var output = new Option<string?>("--output-signature") { Description = "Write the base64 signature to this file instead of stdout." };
        var bundle = new Option<string?>("--bundle") { Description = "Also write a Sigstore bundle (v0.3, message signature, public-key hint) to this file." };
        var file = new Argument<string>("FILE") { Description = "The file to sign (streamed; any size)." };
        var command = new Command("sign-blob", "Sign a file with a key, compatible with 'cosign sign-blob'.") { key, output, bundle, file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new InputException($"Cannot sign {path}: no such file.");
            using var signingKey = KeyCommand.LoadSigningKey(context, parse.GetValue(key)!);
            BlobSignature signature;
            try
            {
                signature = BlobSignatures.Sign(signingKey, path, ct);
            }
            catch (MessageTooLargeException e)
            {
                throw new InputException($"Cannot sign {path}: {e.Message} Use an ECDSA or RSA key for larger files.", e);
            }
            var base64 = Encoding.ASCII.GetBytes(signature.SignatureBase64);
            if (parse.GetValue(output) is { } outputPath)
            {
                await File.WriteAllBytesAsync(outputPath, base64, ct).ConfigureAwait(false);
                await context.Stderr.WriteLineAsync($"bulwark: signature written to {outputPath}.").ConfigureAwait(false);
            }
            else
            {
                await context.Stdout.WriteAsync(base64, ct).ConfigureAwait(false);
                await context.Stdout.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            }
            if (parse.GetValue(bundle) is { } bundlePath)
            {
                var document = SigstoreBundle.ForKeySignature(signature.ToMessageSignature(), signingKey.PublicKey.Hint);
                await using (var stream = File.Create(bundlePath))
                    document.WriteTo(stream);
                await context.Stderr.WriteLineAsync($"bulwark: bundle written to {bundlePath}.").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
