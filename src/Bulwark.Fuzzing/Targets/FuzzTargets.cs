// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;

namespace Bulwark.Fuzzing.Targets;

/// The one list of fuzz targets (STYLE.md: registration is a list you can read in one screen).
public static class FuzzTargets
{
    /// Every target; <paramref name="skipped"/> collects catalogers no candidate path fits (listed by `--list`).
    public static IReadOnlyList<FuzzTarget> All(string repositoryRoot, List<string>? skipped = null)
    {
        var material = new SigningMaterial(repositoryRoot);
        var commits = new CommitMaterial(repositoryRoot);
        return
        [
            .. CatalogerTarget.ForAll(Catalogers.BuiltIn, skipped ?? []),
            .. SiblingTarget.All(),
            .. SbomTarget.All(),
            new SbomConvertTarget(),
            new SbomWriteTarget(),
            new PurlTarget(),
            new LicenseExpressionTarget(),
            new YamlSubsetTarget(),
            new CvssTarget(),
            .. VersionTarget.All(),
            new OsvTarget(),
            new OsvStoredTarget(),
            new VexTarget(),
            new ImageReferenceTarget(),
            new OciDocumentTarget("oci.manifest", config: false),
            new OciDocumentTarget("oci.config", config: true),
            new LayerTarget(),
            new ImageArchiveTarget(),
            new RegistryResponseTarget(),
            new PublicKeyTarget(),
            new PrivateKeyTarget(),
            new DsseTarget(),
            new BundleTarget(material),
            new TrustedRootTarget(material),
            new CheckpointTarget(material),
            new InclusionProofTarget(material),
            new CertificateTarget(material),
            .. WorkflowTarget.All(),
            new SecretsTarget(),
            .. DepsTarget.All(),
            .. SettingsTarget.All(),
            new CommitVerifyTarget(commits),
            new PgpKeyringTarget(),
            new AllowedSignersTarget(),
        ];
    }
}
