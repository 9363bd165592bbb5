// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Signing.Images;
using Bulwark.Signing.InToto;

namespace Bulwark.Cli.Sign;

/// `bulwark verify-attestation --key PUB [--type T] IMAGE`: finds the image's attestations (Cosign .att tag and
/// referrers) and prints the in-toto statements that verify as a JSON array.
/// <remarks>
/// An attestation passes when its DSSE signature verifies with the key, its payload is an in-toto statement, a subject's
/// sha256 is the image's manifest digest and (with --type) its predicate type is the one asked for. Exit codes: 0 at
/// least one passes; 4 attestations were found and none passes; 5 none found, registry unreachable, image or key missing.
/// </remarks>
internal static class VerifyAttestationCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The public key: a PEM file (PKIX PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE) or env://VAR.");
        var type = AttestCommand.TypeOption(required: false);
        var insecure = ImageVerbs.InsecureOption();
        var output = ImageVerbs.OutputOption();
        var image = ImageVerbs.ImageArgument();
        var command = new Command("verify-attestation", "Verify an image's in-toto attestations with a public key (exit 0 verified, 4 failed, 5 could not verify).")
        {
            key, type, insecure, output, image,
        };
        command.SetAction(async (parse, ct) =>
        {
            var reference = ImageVerbs.ParseImage(parse.GetValue(image)!);
            var predicateType = parse.GetValue(type) is { } t ? PredicateTypes.Resolve(t) : null;
            using var verificationKey = ImageVerbs.LoadVerificationKey(context, parse.GetValue(key)!, out var problem);
            if (verificationKey is null) return await ImageVerbs.ReportAsync(context, problem!).ConfigureAwait(false);
            using var client = ImageVerbs.Client(parse.GetValue(insecure));
            var verification = await ImageVerbs.RunVerificationAsync(() => ImageAttestations.VerifyAsync(client, reference, verificationKey, predicateType, ct))
                .ConfigureAwait(false);
            return await ImageVerbs.ReportAsync(context, verification, parse.GetValue(output), ct).ConfigureAwait(false);
        });
        return command;
    }
}
