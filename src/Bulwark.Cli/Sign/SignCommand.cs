// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Signing.Images;

namespace Bulwark.Cli.Sign;

/// `bulwark sign --key K [-a key=value]... IMAGE`: signs the image's manifest digest with Cosign's simple-signing payload
/// and stores the signature as Cosign's sha256-HEX.sig tag (added to the signatures already there) and as an OCI 1.1 referrer.
/// <remarks>Exit codes: 0 signed; 2 bad arguments; 3 image not found, registry refused, unreadable key or wrong password.</remarks>
internal static class SignCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The private key: a file (Cosign encrypted, PKCS#8, SEC1 or PKCS#1 PEM) or env://VAR.");
        var annotations = ImageVerbs.AnnotationsOption("Add key=value to the signed payload's 'optional' annotations. Repeatable.");
        var insecure = ImageVerbs.InsecureOption();
        var image = ImageVerbs.ImageArgument();
        var command = new Command("sign", "Sign a container image in a registry with a key, compatible with 'cosign sign --key'.")
        {
            key, annotations, insecure, image,
        };
        command.SetAction(async (parse, ct) =>
        {
            var reference = ImageVerbs.ParseImage(parse.GetValue(image)!);
            var pairs = ImageVerbs.ParseAnnotations(parse.GetValue(annotations));
            using var signingKey = KeyCommand.LoadSigningKey(context, parse.GetValue(key)!);
            using var client = ImageVerbs.Client(parse.GetValue(insecure));
            var result = await ImageSignatures.SignAsync(client, reference, signingKey, pairs, ct).ConfigureAwait(false);
            await context.Stderr.WriteLineAsync(
                $"bulwark: signed {result.Image.Name}@{result.Signed.Digest}: stored as tag {CosignConventions.Tag(result.Signed.Digest, CosignConventions.SignatureTagSuffix)} and referrer {result.Referrer}.")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
