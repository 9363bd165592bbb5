// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Signing.Images;
using Bulwark.Signing.InToto;

namespace Bulwark.Cli.Sign;

/// `bulwark attest --key K --type T --predicate FILE IMAGE`: an in-toto Statement v1 about the image's manifest digest,
/// in a DSSE envelope, stored as Cosign's sha256-HEX.att tag and as an OCI 1.1 referrer.
/// <remarks>Exit codes: 0 attested; 2 bad arguments or --type; 3 image not found, predicate not JSON, unreadable key.</remarks>
internal static class AttestCommand
{
    public static Option<string> TypeOption(bool required) => new("--type")
    {
        Description = $"The predicate type: {string.Join(", ", PredicateTypes.ShortNames.Keys)} (Cosign's names) or a URI.",
        Required = required,
    };

    public static Option<string> PredicateOption() => new("--predicate") { Description = "The predicate: a JSON file (SBOM, provenance, VEX…).", Required = true };

    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The private key: a file (Cosign encrypted, PKCS#8, SEC1 or PKCS#1 PEM) or env://VAR.");
        var type = TypeOption(required: true);
        var predicate = PredicateOption();
        var insecure = ImageVerbs.InsecureOption();
        var image = ImageVerbs.ImageArgument();
        var command = new Command("attest", "Attach a signed in-toto attestation to an image in a registry, compatible with 'cosign attest --key'.")
        {
            key, type, predicate, insecure, image,
        };
        command.SetAction(async (parse, ct) =>
        {
            var reference = ImageVerbs.ParseImage(parse.GetValue(image)!);
            var predicateType = PredicateTypes.Resolve(parse.GetValue(type)!);
            var predicatePath = parse.GetValue(predicate)!;
            var content = ImageVerbs.ReadPredicate(predicatePath);
            using var signingKey = KeyCommand.LoadSigningKey(context, parse.GetValue(key)!);
            using var client = ImageVerbs.Client(parse.GetValue(insecure));
            var result = await ImageAttestations.AttestAsync(client, reference, signingKey, predicateType, content, predicatePath, null, ct).ConfigureAwait(false);
            await context.Stderr.WriteLineAsync(Describe(result, predicateType)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Describe(ImageAttestationResult result, string predicateType) =>
        $"bulwark: attested {result.Image.Name}@{result.Subject.Digest} ({predicateType}): stored as tag " +
        $"{CosignConventions.Tag(result.Subject.Digest, CosignConventions.AttestationTagSuffix)} and referrer {result.Referrer}.";
}
