// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text;

namespace Bulwark.Core;

/// A package URL (https://github.com/package-url/purl-spec), always held in its normalised form.
/// Two purls naming the same package compare equal; <see cref="ToString"/> gives the canonical text.
public sealed class Purl : IEquatable<Purl>, IComparable<Purl>
{
    private readonly string _canonical;

    public string Type { get; }
    public string? Namespace { get; }
    public string Name { get; }
    public string? Version { get; }
    public ImmutableSortedDictionary<string, string> Qualifiers { get; }
    public string? Subpath { get; }

    private static readonly ImmutableSortedDictionary<string, string> NoQualifiers =
        OrdinalMap.Empty;

    public Purl(string type, string? @namespace, string name, string? version = null,
        IEnumerable<KeyValuePair<string, string>>? qualifiers = null, string? subpath = null)
    {
        type = (type ?? "").ToLowerInvariant();
        if (!IsValidType(type)) throw new InvalidPurlException($"pkg:{type}/", "the type must start with a letter and use only letters, digits, '.', '+' and '-'");
        Type = type;
        var ns = NormaliseNamespace(type, @namespace);
        var nm = NormaliseName(type, ns, name ?? "");
        if (nm.Length == 0) throw new InvalidPurlException($"pkg:{type}/", "the name is required");
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
        Name = nm;
        Version = string.IsNullOrEmpty(version) ? null : NormaliseVersion(type, version);
        // most purls have no qualifiers: no builder then, and no enumeration of an empty KeyValuePair array (whose
        // enumerator the runtime JIT-compiles at start)
        if (qualifiers is null)
        {
            Qualifiers = NoQualifiers;
        }
        else
        {
            var q = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in qualifiers)
            {
                var key = k.ToLowerInvariant();
                if (!IsValidQualifierKey(key)) throw new InvalidPurlException($"pkg:{type}/{nm}", $"qualifier key '{k}' is not valid");
                if (string.IsNullOrEmpty(v)) continue; // a qualifier with an empty value is the same as no qualifier
                if (!q.TryAdd(key, v)) throw new InvalidPurlException($"pkg:{type}/{nm}", $"qualifier '{key}' appears twice");
            }
            Qualifiers = q.ToImmutable();
        }
        Subpath = NormaliseSubpath(subpath);
        ValidateTypeRules();
        _canonical = Format();
    }

    /// Parses a purl, following the spec's "How to parse a purl string" steps.
    public static Purl Parse(string text) =>
        TryParse(text, out var purl, out var error) ? purl : throw new InvalidPurlException(text, error);

    public static bool TryParse(string text, out Purl purl) => TryParse(text, out purl, out _);

    public static bool TryParse(string text, out Purl purl, out string error)
    {
        purl = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "it is empty"; return false; }
        var rest = text.Trim();

        string? subpath = null;
        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            subpath = rest[(hash + 1)..];
            rest = rest[..hash];
        }

        var qualifiers = new List<KeyValuePair<string, string>>();
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            var query = rest[(question + 1)..];
            rest = rest[..question];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) { error = $"qualifier '{pair}' has no '=' or no key"; return false; }
                var key = pair[..eq].ToLowerInvariant();
                if (!IsValidQualifierKey(key)) { error = $"qualifier key '{pair[..eq]}' is not valid"; return false; }
                if (!seen.Add(key)) { error = $"qualifier '{key}' appears twice"; return false; }
                if (!TryDecode(pair[(eq + 1)..], out var value)) { error = $"qualifier '{key}' has a bad percent-encoding"; return false; }
                qualifiers.Add(new(key, value));
            }
        }

        var colon = rest.IndexOf(':');
        if (colon < 0 || !rest[..colon].Equals("pkg", StringComparison.OrdinalIgnoreCase))
        {
            error = "it must start with 'pkg:'";
            return false;
        }
        rest = rest[(colon + 1)..].Trim('/');

        var slash = rest.IndexOf('/');
        if (slash <= 0) { error = "it has no type and name separated by '/'"; return false; }
        var type = rest[..slash].ToLowerInvariant();
        if (!IsValidType(type)) { error = $"type '{type}' is not valid"; return false; }
        rest = rest[(slash + 1)..].Trim('/');

        string? version = null;
        var at = rest.LastIndexOf('@');
        // an '@' that starts a namespace segment ("@babel/core") is an unencoded npm scope, not a version separator;
        // one that starts the last segment ("pkg:maven/@1.3.4") is a version with the name missing
        var isScope = at >= 0 && (at == 0 || rest[at - 1] == '/') && rest.IndexOf('/', at) > at;
        if (at >= 0 && !isScope)
        {
            if (!TryDecode(rest[(at + 1)..], out var v)) { error = "the version has a bad percent-encoding"; return false; }
            version = v;
            rest = rest[..at];
            if (rest.Length == 0 || rest.EndsWith('/')) { error = "the name is missing"; return false; }
        }

        var lastSlash = rest.LastIndexOf('/');
        var rawName = lastSlash >= 0 ? rest[(lastSlash + 1)..] : rest;
        if (!TryDecode(rawName, out var name) || name.Length == 0) { error = "the name is missing or badly encoded"; return false; }
        string? ns = null;
        if (lastSlash > 0)
        {
            var segments = new List<string>();
            foreach (var seg in rest[..lastSlash].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryDecode(seg, out var d)) { error = "the namespace has a bad percent-encoding"; return false; }
                if (d.Contains('/')) { error = "a namespace segment may not contain '/'"; return false; }
                segments.Add(d);
            }
            ns = string.Join('/', segments);
        }

        if (subpath is not null && !TryDecodeSubpath(subpath, out subpath)) { error = "the subpath has a bad percent-encoding"; return false; }

        try
        {
            purl = new Purl(type, ns, name, version, qualifiers, subpath);
            return true;
        }
        catch (InvalidPurlException e)
        {
            error = e.Reason;
            return false;
        }
    }

    public string? Qualifier(string key) => Qualifiers.TryGetValue(key, out var v) ? v : null;

    public Purl WithVersion(string? version) => new(Type, Namespace, Name, version, Qualifiers, Subpath);

    public Purl WithQualifier(string key, string? value)
    {
        var q = Qualifiers.Remove(key);
        if (!string.IsNullOrEmpty(value)) q = q.SetItem(key.ToLowerInvariant(), value);
        return new(Type, Namespace, Name, Version, q, Subpath);
    }

    public Purl WithoutQualifiers() => new(Type, Namespace, Name, Version, null, Subpath);

    /// Namespace and name joined as the ecosystem writes them: "@scope/name", "group:artifact", "github.com/a/b".
    public string FullName => Namespace is null ? Name : Type switch
    {
        "maven" => $"{Namespace}:{Name}",
        _ => $"{Namespace}/{Name}",
    };

    public override string ToString() => _canonical;
    public bool Equals(Purl? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is Purl p && Equals(p);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);
    public int CompareTo(Purl? other) => other is null ? 1 : string.CompareOrdinal(_canonical, other._canonical);
    public static bool operator ==(Purl? a, Purl? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Purl? a, Purl? b) => !(a == b);

    private string Format()
    {
        var sb = new StringBuilder("pkg:").Append(Type).Append('/');
        if (Namespace is not null)
        {
            foreach (var seg in Namespace.Split('/')) sb.Append(Encode(seg)).Append('/');
        }
        sb.Append(Encode(Name));
        if (Version is not null) sb.Append('@').Append(Encode(Version));
        if (Qualifiers.Count > 0)
        {
            sb.Append('?');
            var first = true;
            foreach (var (k, v) in Qualifiers)
            {
                if (!first) sb.Append('&');
                first = false;
                sb.Append(k).Append('=').Append(Encode(v, keepSlash: true));
            }
        }
        if (Subpath is not null)
        {
            sb.Append('#');
            sb.Append(string.Join('/', Subpath.Split('/').Select(s => Encode(s))));
        }
        return sb.ToString();
    }

    private static bool IsValidType(string type) =>
        type.Length > 0 && char.IsAsciiLetter(type[0]) && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-');

    private static bool IsValidQualifierKey(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    // Type-specific rules from the purl-spec type definitions.
    private static string? NormaliseNamespace(string type, string? ns)
    {
        if (string.IsNullOrEmpty(ns)) return null;
        ns = string.Join('/', ns.Split('/', StringSplitOptions.RemoveEmptyEntries));
        // golang: the type definition asks for lowercase, but Go module paths are case-sensitive
        // (github.com/BurntSushi/toml) and vulnerability databases name them exactly, so they are kept as written,
        // as Go tooling and most purl producers do
        return type switch
        {
            "bitbucket" or "github" or "gitlab" or "composer" or "deb" or "apk" or "alpm" or "hex" or "rpm"
                or "githubactions" => ns.ToLowerInvariant(),
            "npm" => ns.ToLowerInvariant(),
            _ => ns,
        };
    }

    private static string NormaliseName(string type, string? ns, string name) => type switch
    {
        "pypi" => name.ToLowerInvariant().Replace('_', '-'),
        "bitbucket" or "github" or "gitlab" or "composer" or "deb" or "apk" or "alpm" or "hex" or "pub" or "npm" => name.ToLowerInvariant(),
        "mlflow" when ns is not null && ns.Contains("databricks", StringComparison.OrdinalIgnoreCase) => name.ToLowerInvariant(),
        "oci" => name.ToLowerInvariant(),
        // githubactions: "repository[/path/to/action]"; the repository is case-insensitive, the path is not
        "githubactions" => name.IndexOf('/') is var slash and > 0 ? name[..slash].ToLowerInvariant() + name[slash..] : name.ToLowerInvariant(),
        _ => name,
    };

    private static string NormaliseVersion(string type, string version) => type switch
    {
        "huggingface" => version.ToLowerInvariant(),
        _ => version,
    };

    private void ValidateTypeRules()
    {
        switch (Type)
        {
            case "maven" when Namespace is null:
                throw new InvalidPurlException(Format(), "a maven purl needs a namespace (the groupId)");
            case "swift" when Namespace is null:
                throw new InvalidPurlException(Format(), "a swift purl needs a namespace (the source host and owner)");
            case "swift" when Version is null:
                throw new InvalidPurlException(Format(), "a swift purl needs a version");
            case "cran" when Version is null:
                throw new InvalidPurlException(Format(), "a cran purl needs a version");
            case "conan" when Namespace is not null && !Qualifiers.ContainsKey("channel"):
                throw new InvalidPurlException(Format(), "a conan purl with a namespace (user) needs a 'channel' qualifier");
            case "conan" when Namespace is null && Qualifiers.ContainsKey("channel"):
                throw new InvalidPurlException(Format(), "a conan purl with a 'channel' qualifier needs a namespace (user)");
            // cpan: with an author namespace the name is a distribution ("libwww-perl"), without one a module
            // ("LWP::UserAgent"); a distribution never has '::' and a module never has '-' (cpan type definition)
            case "cpan" when Namespace is not null && Name.Contains("::", StringComparison.Ordinal):
                throw new InvalidPurlException(Format(), "a cpan distribution name (with an author namespace) cannot contain '::'");
            case "cpan" when Namespace is null && Name.Contains('-', StringComparison.Ordinal):
                throw new InvalidPurlException(Format(), "a cpan module name (without an author namespace) cannot contain '-'");
        }
    }

    private static string? NormaliseSubpath(string? subpath)
    {
        if (string.IsNullOrEmpty(subpath)) return null;
        var segs = subpath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s is not "." and not "..").ToArray();
        return segs.Length == 0 ? null : string.Join('/', segs);
    }

    private static bool TryDecodeSubpath(string raw, out string? subpath)
    {
        subpath = null;
        var parts = new List<string>();
        foreach (var seg in raw.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryDecode(seg, out var d)) return false;
            parts.Add(d);
        }
        subpath = string.Join('/', parts);
        return true;
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and ':'.
    private static string Encode(string s, bool keepSlash = false)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' || (keepSlash && c == '/')))
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static bool TryDecode(string s, out string decoded)
    {
        decoded = s;
        if (!s.Contains('%')) return true;
        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])) return false;
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }
        decoded = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }
}
