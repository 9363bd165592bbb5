// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using Bulwark.Cli.Key;
using Bulwark.Core;
using Bulwark.Oci;
using Bulwark.Oci.Sources;
using Bulwark.Sbom;
using Bulwark.Signing.Images;
using Bulwark.Signing.InToto;
using Bulwark.Signing.Keys;
using SbomDocument = Bulwark.Sbom.Sbom;

namespace Bulwark.Cli.Sign;

/// `bulwark sbom IMAGE --attest --key K`: the SBOM just generated, attached to the image as a signed CycloneDX (or SPDX)
/// in-toto attestation, about the digest that was catalogued (the index's when the reference named one), so a tag
/// that moved meanwhile cannot receive an SBOM of another image.
internal sealed class SbomAttestation : IDisposable
{
    private readonly SigningKey _key;
    private readonly ImageReference _image;
    private readonly string _predicateType;

    private SbomAttestation(SigningKey key, ImageReference image, string predicateType)
    {
        _key = key;
        _image = image;
        _predicateType = predicateType;
    }

    public static Option<bool> AttestOption() => new("--attest")
    {
        Description = "Also attach the SBOM to the image (a registry image) as a signed in-toto attestation (CycloneDX, or SPDX with --format spdx-json); needs --key.",
    };

    public static Option<string?> KeyOption() => new("--key") { Description = "With --attest: the private key that signs the attestation (a file or env://VAR)." };

    /// Checks the request and loads the key before any cataloguing (the password is asked for first); null without --attest.
    public static SbomAttestation? Prepare(CliContext context, bool attest, string? key, string target, SbomFormat format, bool allPlatforms)
    {
        if (!attest)
        {
            return key is null ? null : throw new UsageException("--key is used with --attest: add --attest to attach the SBOM to the image.");
        }
        if (key is null) throw new UsageException("--attest signs the attestation: give --key KEY.");
        var predicateType = format switch
        {
            SbomFormat.CycloneDxJson => PredicateTypes.CycloneDx,
            SbomFormat.SpdxJson => PredicateTypes.Spdx,
            _ => throw new UsageException("--attest needs a JSON SBOM: --format cyclonedx-json (default) or spdx-json."),
        };
        if (allPlatforms) throw new UsageException("--attest attaches one SBOM: use --platform instead of --all-platforms.");
        if (!Sbom.ImageTarget.IsImage(target) || ImageSources.Parse(target) is not { Kind: ImageSourceKind.Registry, Reference: { } reference })
            throw new UsageException($"--attest stores the attestation in a registry: '{target}' is not a registry image (e.g. 127.0.0.1:5000/team/app:1.2).");
        return new SbomAttestation(KeyCommand.LoadSigningKey(context, key), reference, predicateType);
    }

    /// Attests the SBOM to the digest it was made from.
    public async Task AttestAsync(CliContext context, SbomDocument sbom, SbomFormat format, bool insecure, bool quiet, CancellationToken ct)
    {
        var digestText = Property(sbom, "bulwark:image:index-digest") ?? Property(sbom, "bulwark:image:manifest-digest")
            ?? throw new InputException($"Cannot attest the SBOM of {_image}: it records no manifest digest.");
        using var predicate = new MemoryStream();
        SbomWriters.Write(sbom, format, predicate);
        using var client = ImageVerbs.Client(insecure);
        var result = await ImageAttestations.AttestAsync(client, _image, _key, _predicateType, predicate.ToArray(), "the generated SBOM",
            Digest.Parse(digestText), ct).ConfigureAwait(false);
        if (!quiet) await context.Stderr.WriteLineAsync(AttestCommand.Describe(result, _predicateType)).ConfigureAwait(false);
    }

    private static string? Property(SbomDocument sbom, string name) =>
        sbom.Properties.FirstOrDefault(p => p.Key == name).Value;

    public void Dispose() => _key.Dispose();
}
