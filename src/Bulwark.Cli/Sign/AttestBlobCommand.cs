// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Core;
using Bulwark.Signing.InToto;

namespace Bulwark.Cli.Sign;

/// `bulwark attest-blob --key K --type T --predicate FILE [-o ENVELOPE] [--bundle OUT] BLOB`: an in-toto statement about
/// the file (its name and SHA-256) in a DSSE envelope, written to stdout or -o, and optionally as a Sigstore bundle v0.3.
/// <remarks>Exit codes: 0 attested; 2 bad arguments; 3 unreadable file, predicate or key, wrong password.</remarks>
internal static class AttestBlobCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The private key: a file (Cosign encrypted, PKCS#8, SEC1 or PKCS#1 PEM) or env://VAR.");
        var type = AttestCommand.TypeOption(required: true);
        var predicate = AttestCommand.PredicateOption();
        var output = new Option<string?>("--output", "-o") { Description = "Write the DSSE envelope to FILE instead of stdout." };
        output.Aliases.Add("--output-attestation");
        var bundle = new Option<string?>("--bundle") { Description = "Also write a Sigstore bundle (v0.3, DSSE envelope, public-key hint) to this file." };
        var blob = new Argument<string>("BLOB") { Description = "The file the attestation is about." };
        var command = new Command("attest-blob", "Attest a file with a signed in-toto statement (DSSE envelope), like 'cosign attest-blob --key'.")
        {
            key, type, predicate, output, bundle, blob,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(blob)!;
            if (!File.Exists(path)) throw new InputException($"Cannot attest {path}: no such file.");
            var predicateType = PredicateTypes.Resolve(parse.GetValue(type)!);
            var predicatePath = parse.GetValue(predicate)!;
            var content = ImageVerbs.ReadPredicate(predicatePath);
            using var signingKey = KeyCommand.LoadSigningKey(context, parse.GetValue(key)!);
            var envelope = BlobAttestations.Attest(signingKey, path, predicateType, content, predicatePath, ct);
            var json = envelope.ToJson();
            await Output.OutputTarget.WriteAsync(parse.GetValue(output), context.Stdout, async s =>
            {
                await s.WriteAsync(json, ct).ConfigureAwait(false);
                await s.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (parse.GetValue(bundle) is { } bundlePath)
            {
                await Output.OutputTarget.WriteAsync(bundlePath, context.Stdout, s =>
                {
                    BlobAttestations.WriteBundle(envelope, signingKey.PublicKey.Hint, s);
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                await context.Stderr.WriteLineAsync($"bulwark: bundle written to {bundlePath}.").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
