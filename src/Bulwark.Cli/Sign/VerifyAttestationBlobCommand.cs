// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Core;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.InToto;

namespace Bulwark.Cli.Sign;

/// `bulwark verify-attestation-blob --key PUB (--signature ENVELOPE | --bundle B) [--type T] BLOB`: checks the envelope's
/// signature, that the statement's subject is the file's SHA-256 and (with --type) the predicate type; prints the statement.
/// <remarks>Exit codes: 0 verified; 4 verification failed; 5 envelope, bundle, key or file missing or unreadable; 2 bad arguments.</remarks>
internal static class VerifyAttestationBlobCommand
{
    public static Command Create(CliContext context)
    {
        var key = KeyCommand.KeyOption("The public key: a PEM file (PKIX PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE) or env://VAR.");
        var signature = new Option<string?>("--signature") { Description = "The DSSE envelope file ('attest-blob' output)." };
        var bundle = new Option<string?>("--bundle") { Description = "A Sigstore bundle holding the DSSE envelope (instead of --signature)." };
        var type = AttestCommand.TypeOption(required: false);
        var output = new Option<string?>("--output", "-o") { Description = "Write the verified statement to FILE instead of stdout." };
        var blob = new Argument<string>("BLOB") { Description = "The attested file." };
        var command = new Command("verify-attestation-blob", "Verify a file's in-toto attestation with a public key (exit 0 verified, 4 failed, 5 could not verify).")
        {
            key, signature, bundle, type, output, blob,
        };
        command.Aliases.Add("verify-blob-attestation"); // Cosign's name for it
        command.SetAction(async (parse, ct) =>
        {
            var signaturePath = parse.GetValue(signature);
            var bundlePath = parse.GetValue(bundle);
            if ((signaturePath is null) == (bundlePath is null))
                throw new UsageException("Give exactly one of --signature ENVELOPE and --bundle FILE.");
            var predicateType = parse.GetValue(type) is { } t ? PredicateTypes.Resolve(t) : null;
            var path = parse.GetValue(blob)!;
            using var verificationKey = ImageVerbs.LoadVerificationKey(context, parse.GetValue(key)!, out var problem);
            if (verificationKey is null) return await ImageVerbs.ReportAsync(context, problem!).ConfigureAwait(false);
            var source = signaturePath ?? bundlePath!;
            VerificationResult result;
            DsseEnvelope? envelope = null;
            try
            {
                if (!File.Exists(path)) throw new InputException($"Cannot read {path}: no such file.");
                if (!File.Exists(source)) throw new InputException($"Cannot read {(signaturePath is null ? "bundle" : "envelope")} {source}: no such file.");
                if (new FileInfo(source).Length > DsseEnvelope.MaxEnvelopeBytes)
                    throw new InputException($"Cannot read {source}: it is larger than an attestation may be ({DsseEnvelope.MaxEnvelopeBytes >> 20} MiB).");
                var bytes = await File.ReadAllBytesAsync(source, ct).ConfigureAwait(false);
                envelope = signaturePath is not null ? DsseEnvelope.Parse(bytes, source) : BlobAttestations.ReadBundle(bytes, source);
                result = BlobAttestations.Verify(verificationKey, path, envelope, source, predicateType, out _, ct);
            }
            catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
            {
                result = VerificationResult.CouldNotVerify(e.Message);
            }
            if (result.Outcome == VerificationOutcome.Verified)
            {
                await Output.OutputTarget.WriteAsync(parse.GetValue(output), context.Stdout, async s =>
                {
                    await s.WriteAsync(envelope!.Payload, ct).ConfigureAwait(false);
                    await s.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            return await ImageVerbs.ReportAsync(context, result).ConfigureAwait(false);
        });
        return command;
    }
}
