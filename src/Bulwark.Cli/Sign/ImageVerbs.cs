// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Registry;
using Bulwark.Signing.Blobs;
using Bulwark.Signing.Images;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Sign;

/// What the image signing verbs share: the image argument, --insecure, -a annotations, loading a public key for
/// verification, and turning a verification (or the reason it could not run) into output and an exit code.
internal static class ImageVerbs
{
    public static Argument<string> ImageArgument() => new("IMAGE")
    {
        Description = "An image in a registry: REGISTRY/REPOSITORY[:TAG][@sha256:…] (a tag is resolved to its manifest digest).",
    };

    public static Option<bool> InsecureOption()
    {
        var option = new Option<bool>("--insecure") { Description = "Allow plain HTTP to the registry (local test registries only)." };
        option.Aliases.Add("--allow-insecure-registry");
        return option;
    }

    public static Option<string[]> AnnotationsOption(string description) => new("--annotations", "-a")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> OutputOption() => new("--output", "-o") { Description = "Write the verified JSON to FILE instead of stdout." };

    /// Parses IMAGE; a registry: or docker:// prefix is allowed, local layouts and archives are not.
    public static ImageReference ParseImage(string text)
    {
        var bare = text.StartsWith("registry:", StringComparison.Ordinal) ? text["registry:".Length..]
            : text.StartsWith("docker://", StringComparison.Ordinal) ? text["docker://".Length..] : text;
        if (text.StartsWith("oci:", StringComparison.Ordinal) || text.StartsWith("oci-archive:", StringComparison.Ordinal)
            || text.StartsWith("docker-archive:", StringComparison.Ordinal) || text.StartsWith("dir:", StringComparison.Ordinal))
            throw new UsageException($"'{text}': signatures and attestations are stored in a registry; push the image first (e.g. skopeo copy {text} docker://REGISTRY/REPO:TAG) and name it there.");
        return ImageReference.TryParse(bare, out var reference, out var reason)
            ? reference
            : throw new UsageException($"'{text}' is not an image reference: {reason}.");
    }

    public static RegistryClient Client(bool insecure) => new(new RegistryClientOptions { Insecure = insecure });

    /// -a key=value pairs; a pair without '=' is a usage error.
    public static IReadOnlyDictionary<string, string> ParseAnnotations(string[]? pairs)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"Annotation '{pair}' is not key=value: write -a key=value, e.g. -a release=1.2.");
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }

    /// The public key for verification; null with a could-not-verify answer when it is missing or unreadable.
    public static VerificationKey? LoadVerificationKey(CliContext context, string text, out VerificationResult? problem)
    {
        var reference = KeyReference.Parse(text);
        problem = null;
        try
        {
            return reference.OpenVerificationKey(context.Environment);
        }
        catch (InputException e)
        {
            problem = VerificationResult.CouldNotVerify(e.Message);
            return null;
        }
    }

    /// Runs a registry verification: a registry that cannot be reached or has no such image is "could not verify";
    /// content that does not match its digest is "verification failed".
    public static async Task<ImageVerification> RunVerificationAsync(Func<Task<ImageVerification>> verify)
    {
        try
        {
            return await verify().ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.DigestMismatch)
        {
            return new ImageVerification(VerificationResult.Failed(e.Message), null, []);
        }
        catch (BlobDigestException e)
        {
            return new ImageVerification(VerificationResult.Failed(e.Message), null, []);
        }
        catch (RegistryException e)
        {
            return new ImageVerification(VerificationResult.CouldNotVerify(e.Message), null, []);
        }
        catch (InputException e)
        {
            return new ImageVerification(VerificationResult.CouldNotVerify(e.Message), null, []);
        }
    }

    /// Prints the verified JSON documents as one array (stdout or -o), the message on stderr, and returns the exit code.
    public static async Task<int> ReportAsync(CliContext context, ImageVerification verification, string? output, CancellationToken ct)
    {
        if (verification.Result.Outcome == VerificationOutcome.Verified)
        {
            await Output.OutputTarget.WriteAsync(output, context.Stdout, async s =>
            {
                await using (var w = new Utf8JsonWriter(s))
                {
                    w.WriteStartArray();
                    foreach (var payload in verification.Verified) w.WriteRawValue(payload);
                    w.WriteEndArray();
                }
                await s.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        return await ReportAsync(context, verification.Result).ConfigureAwait(false);
    }

    /// The message with its prefix on stderr, and the exit code for the outcome (every verify verb answers this way).
    public static async Task<int> ReportAsync(CliContext context, VerificationResult result)
    {
        var (prefix, code) = result.Outcome switch
        {
            VerificationOutcome.Verified => ("bulwark: ", ExitCodes.Ok),
            VerificationOutcome.Failed => ("bulwark: verification failed: ", ExitCodes.VerificationFailed),
            _ => ("bulwark: could not verify: ", ExitCodes.CouldNotVerify),
        };
        await context.Stderr.WriteLineAsync(prefix + result.Message).ConfigureAwait(false);
        return code;
    }

    /// Reads a predicate file (bounded: it goes into an envelope).
    public static byte[] ReadPredicate(string path)
    {
        if (!File.Exists(path)) throw new InputException($"Cannot read predicate {path}: no such file. Give --predicate FILE (JSON).");
        var length = new FileInfo(path).Length;
        var max = Signing.Dsse.DsseEnvelope.MaxEnvelopeBytes / 2; // base64 in the envelope grows it by a third
        if (length > max) throw new InputException($"Cannot use predicate {path}: {length:N0} bytes is more than the {max >> 20} MiB an attestation may carry.");
        return File.ReadAllBytes(path);
    }
}
