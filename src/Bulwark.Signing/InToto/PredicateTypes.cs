// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Signing.InToto;

/// The short predicate names `--type` accepts and the predicate type URIs they stand for, as Cosign maps them
/// (cosign/pkg/cosign/attestation and cmd/cosign/cli/options/predicate.go).
public static class PredicateTypes
{
    public const string CycloneDx = "https://cyclonedx.org/bom";
    public const string Spdx = "https://spdx.dev/Document";
    public const string SlsaProvenance02 = "https://slsa.dev/provenance/v0.2";
    public const string SlsaProvenance1 = "https://slsa.dev/provenance/v1";
    public const string Link = "https://in-toto.io/Link/v1";
    public const string CosignVuln = "https://cosign.sigstore.dev/attestation/vuln/v1";
    public const string CosignCustom = "https://cosign.sigstore.dev/attestation/v1";
    public const string OpenVex = "https://openvex.dev/ns";

    /// Short name → URI.
    public static IReadOnlyDictionary<string, string> ShortNames { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["custom"] = CosignCustom,
        ["cyclonedx"] = CycloneDx,
        ["link"] = Link,
        ["openvex"] = OpenVex,
        ["slsaprovenance"] = SlsaProvenance02,
        ["slsaprovenance02"] = SlsaProvenance02,
        ["slsaprovenance1"] = SlsaProvenance1,
        ["spdx"] = Spdx,
        ["spdxjson"] = Spdx,
        ["vuln"] = CosignVuln,
    };

    /// A short name's URI, or the text itself when it is an absolute URI; a <see cref="UsageException"/> otherwise.
    public static string Resolve(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (ShortNames.TryGetValue(type, out var uri)) return uri;
        if (Uri.TryCreate(type, UriKind.Absolute, out var parsed) && parsed.Scheme.Length > 1) return type;
        throw new UsageException($"--type '{type}' is neither a predicate name ({string.Join(", ", ShortNames.Keys)}) nor an absolute URI such as https://example.com/my-predicate/v1.");
    }
}
