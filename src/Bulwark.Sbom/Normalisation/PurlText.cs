// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Sbom.Normalisation;

/// Purl spellings that other tools write for a package the canonical purl names differently. Each rewrite keeps the
/// package the text names; none picks an ecosystem or a name the text does not state.
internal static class PurlText
{
    /// A purl from text that may not parse as it stands ("pkg:maven/group:artifact@1.0"), respelled; null when even
    /// the known misspellings do not make it one.
    public static Purl? Repair(string text)
    {
        text = text.Trim();
        if (Purl.TryParse(text, out var purl)) return Respell(purl);
        // maven with the coordinate in the name and no namespace: "pkg:maven/org.example:lib@1.0"
        if (text.StartsWith("pkg:maven/", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text["pkg:maven/".Length..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (colon > 0 && (slash < 0 || colon < slash) && Purl.TryParse("pkg:maven/" + rest[..colon] + "/" + rest[(colon + 1)..], out purl))
                return Respell(purl);
        }
        return null;
    }

    /// The canonical spelling of a parsed purl whose name holds what belongs in the namespace (an encoded '/' in a Go
    /// module path, npm scope or Composer vendor; a ':' in a Maven coordinate; a Maven group written as a path), and
    /// a Go module version with the 'v' Go requires. Returns the purl itself when nothing changes.
    public static Purl Respell(Purl purl)
    {
        var type = purl.Type;
        var ns = purl.Namespace;
        var name = purl.Name;
        var version = purl.Version;
        // a distribution written as the type ("pkg:alpine/openssl@3.0.4", as in SPDX's own ACME example) is that
        // distribution's package type with the distribution as namespace; "pkg:go/…" is golang
        switch (type)
        {
            case "alpine" when ns is null: (type, ns) = ("apk", "alpine"); break;
            case "debian" or "ubuntu" when ns is null: (type, ns) = ("deb", type); break;
            case "go": type = "golang"; break;
        }
        switch (type)
        {
            case "golang" or "composer" when name.Contains('/', StringComparison.Ordinal):
            {
                var slash = name.LastIndexOf('/');
                ns = ns is null ? name[..slash] : ns + "/" + name[..slash];
                name = name[(slash + 1)..];
                break;
            }
            case "npm" when ns is null && name.StartsWith('@') && name.IndexOf('/', StringComparison.Ordinal) is var s and > 1:
                ns = name[..s];
                name = name[(s + 1)..];
                break;
            case "maven":
                if (name.IndexOf(':', StringComparison.Ordinal) is var c and > 0 && ns is null)
                {
                    ns = name[..c];
                    name = name[(c + 1)..];
                }
                // a groupId never holds '/'; "org/apache/commons" is the repository path of org.apache.commons
                if (ns is not null && ns.Contains('/', StringComparison.Ordinal)) ns = ns.Replace('/', '.');
                break;
        }
        if (type == "golang") version = GoVersion(ns, name, version);
        if (type == purl.Type && ns == purl.Namespace && name == purl.Name && version == purl.Version) return purl;
        return new Purl(type, ns, name, version, purl.Qualifiers, purl.Subpath);
    }

    /// Go module versions start with 'v' (go.mod, the module proxy, Go's own purls); a version written without it
    /// gets it. The standard library ("stdlib", versioned like "1.22.1" by OSV and "go1.22.1" by Go) is left alone.
    public static string? GoVersion(string? ns, string name, string? version) =>
        version is { Length: > 0 } && char.IsAsciiDigit(version[0]) && !(ns is null && name == "stdlib") ? "v" + version : version;
}
