// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Signing.Images;

namespace Bulwark.Cli.Sign;

/// `bulwark verify --key PUB IMAGE`: finds the image's signatures (Cosign .sig tag and referrers) and prints the payloads
/// that verify as a JSON array.
/// <remarks>
/// A signature passes when it verifies with the key, its payload's docker-manifest-digest is the image's digest, its
/// docker-reference names the image's repository, and it carries every -a annotation. Exit codes: 0 at least one passes;
/// 4 signatures were found and none passes (bad signature, wrong key, digest or repository mismatch), or content did not
/// match its digest; 5 no signature found, registry unreachable, image or key missing; 2 bad arguments.
/// </remarks>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The public key: a PEM file (PKIX PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE) or env://VAR.");
        var annotations = ImageVerbs.AnnotationsOption("Require key=value in the payload's annotations. Repeatable.");
        var insecure = ImageVerbs.InsecureOption();
        var output = ImageVerbs.OutputOption();
        var image = ImageVerbs.ImageArgument();
        var command = new Command("verify", "Verify an image's signatures with a public key (exit 0 verified, 4 failed, 5 could not verify).")
        {
            key, annotations, insecure, output, image,
        };
        command.SetAction(async (parse, ct) =>
        {
            var reference = ImageVerbs.ParseImage(parse.GetValue(image)!);
            var required = ImageVerbs.ParseAnnotations(parse.GetValue(annotations));
            using var verificationKey = ImageVerbs.LoadVerificationKey(context, parse.GetValue(key)!, out var problem);
            if (verificationKey is null) return await ImageVerbs.ReportAsync(context, problem!).ConfigureAwait(false);
            using var client = ImageVerbs.Client(parse.GetValue(insecure));
            var verification = await ImageVerbs.RunVerificationAsync(() => ImageSignatures.VerifyAsync(client, reference, verificationKey, required, ct))
                .ConfigureAwait(false);
            return await ImageVerbs.ReportAsync(context, verification, parse.GetValue(output), ct).ConfigureAwait(false);
        });
        return command;
    }
}
