// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Oci;

/// A text that is not an image reference, with the reason.
public sealed class InvalidReferenceException(string text, string reason)
    : FormatException($"Invalid image reference '{text}': {reason}.")
{
    public string Text { get; } = text;
    public string Reason { get; } = reason;
}

// Grammar and normalisation follow github.com/distribution/reference (reference.go, normalize.go):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [domain '/'] remote-name        domain := host [':' port-number]
//   host      := domain-name | IPv4address | '[' IPv6address ']'
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := [_.] | "__" | [-]+
//   tag       := [\w][\w.-]{0,127}                digest := algorithm ":" hex
// The first component is a domain only when it contains '.' or ':', is "localhost", or has an uppercase letter
// (splitDockerDomain); otherwise the name is on Docker Hub, and a one-component Hub name gets "library/".
public sealed partial record ImageReference
{
    /// Docker Hub's canonical registry name.
    public const string DockerHub = "docker.io";
    public const string DefaultTag = "latest";
    private const int NameTotalLengthMax = 255;

    /// The registry/repository part without tag or digest ("docker.io/library/ubuntu").
    public string Name => $"{Registry}/{Repository}";

    /// The short form Docker prints ("ubuntu:22.04", "team/app@sha256:…", "127.0.0.1:5000/team/app:1.2"); it
    /// parses back to the same reference.
    public string Familiar
    {
        get
        {
            // a Hub repository whose first component looks like a registry ("docker.io/a.b/app") keeps "docker.io/":
            // written without it, it would name a different image on the registry "a.b" (Docker's FamiliarString
            // drops it anyway; the property tests found this)
            var first = Repository.IndexOf('/') is var slash and > 0 ? Repository[..slash] : Repository;
            var name = Registry == DockerHub && !LooksLikeDomain(first)
                ? (Repository.StartsWith("library/", StringComparison.Ordinal) && Repository.IndexOf('/', 8) < 0 ? Repository[8..] : Repository)
                : Name;
            return $"{name}{(Tag is null ? "" : ":" + Tag)}{(Digest is { } d ? "@" + d : "")}";
        }
    }

    /// The same reference with a digest (keeping the tag), as a RepoDigest is written without the tag.
    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    /// The host Docker contacts for this registry (Docker Hub's API is registry-1.docker.io).
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// Parses and normalises a reference like `docker pull` does; throws <see cref="InvalidReferenceException"/>.
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var reason) ? reference : throw new InvalidReferenceException(text, reason);

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ImageReference? reference) =>
        TryParse(text, out reference, out _);

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ImageReference? reference, out string reason)
    {
        reference = null;
        reason = "";
        if (string.IsNullOrEmpty(text)) { reason = "it is empty"; return false; }
        if (AnchoredIdentifier().IsMatch(text))
        {
            reason = "a 64-character hexadecimal string is an image ID, not a repository name; use NAME@sha256:" + text;
            return false;
        }
        var m = ReferencePattern().Match(text);
        if (!m.Success)
        {
            // say which part is wrong when it is easy to tell (Docker only says "invalid reference format")
            var name = NameOf(text);
            reason = name != name.ToLowerInvariant() && ReferencePattern().IsMatch(text.Replace(name, name.ToLowerInvariant(), StringComparison.Ordinal))
                ? $"the repository name '{name}' must be lowercase"
                : "it does not follow [registry[:port]/]repository[:tag][@algorithm:hex]";
            return false;
        }
        var fullName = m.Groups["name"].Value;
        Digest? digest = null;
        if (m.Groups["digest"].Success)
        {
            var dtext = m.Groups["digest"].Value;
            var colon = dtext.IndexOf(':');
            var hex = dtext[(colon + 1)..];
            // go-digest accepts sha256, sha384 and sha512 with lowercase hex of the exact length
            if (dtext[..colon] is not ("sha256" or "sha384" or "sha512") || hex != hex.ToLowerInvariant()
                || !Core.Digest.TryCreate(dtext[..colon], hex, out var d))
            {
                reason = $"'{dtext}' is not a valid digest (sha256, sha384 or sha512 followed by lowercase hex of the right length)";
                return false;
            }
            digest = d;
        }
        var tag = m.Groups["tag"].Success ? m.Groups["tag"].Value : null;

        var (registry, repository) = SplitDomain(fullName);
        // measured on the normalised name, as Docker's ParseNormalizedNamed does ("docker.io/library/" + a familiar
        // name): otherwise a familiar name could parse while the same reference written out in full does not
        if (registry.Length + 1 + repository.Length > NameTotalLengthMax)
        {
            reason = $"the repository name must have at most {NameTotalLengthMax} characters";
            return false;
        }
        if (repository != repository.ToLowerInvariant())
        {
            reason = $"the repository name '{repository}' must be lowercase";
            return false;
        }
        if (tag is null && digest is null) tag = DefaultTag;
        reference = new ImageReference(registry, repository, tag, digest);
        return true;
    }

    private static (string Registry, string Repository) SplitDomain(string name)
    {
        var slash = name.IndexOf('/');
        string registry, rest;
        if (slash < 0 || !LooksLikeDomain(name[..slash]))
        {
            registry = DockerHub;
            rest = name;
        }
        else
        {
            registry = name[..slash];
            rest = name[(slash + 1)..];
        }
        if (registry is "index.docker.io" or "registry-1.docker.io") registry = DockerHub;
        if (registry == DockerHub && !rest.Contains('/', StringComparison.Ordinal)) rest = "library/" + rest;
        return (registry, rest);
    }

    private static bool LooksLikeDomain(string first) =>
        first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
        || first != first.ToLowerInvariant();

    private static string NameOf(string text)
    {
        var at = text.IndexOf('@');
        var name = at >= 0 ? text[..at] : text;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon > lastSlash) name = name[..colon];
        var slash = name.IndexOf('/');
        return slash >= 0 && LooksLikeDomain(name[..slash]) ? name[(slash + 1)..] : name;
    }

    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = @"(?:" + DomainComponent + @"(?:\." + DomainComponent + @")*|\[[a-fA-F0-9:]+\])";
    private const string Domain = Host + "(?::[0-9]+)?";
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private const string NamePattern = "(?:" + Domain + "/)?" + PathComponent + "(?:/" + PathComponent + ")*";
    private const string TagPattern = "[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";   // Go's \w is ASCII only
    private const string DigestPattern = @"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    [GeneratedRegex("^(?<name>" + NamePattern + ")(?::(?<tag>" + TagPattern + "))?(?:@(?<digest>" + DigestPattern + "))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredIdentifier();
}
