// SPDX-License-Identifier: Apache-2.0
using System.Net.Http.Headers;
using System.Text;

namespace Bulwark.Oci.Registry;

/// A <c>WWW-Authenticate</c> challenge: the scheme ("Bearer", "Basic") and its parameters (realm, service, scope, error).
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    /// Space-separated scopes the registry asks for ("repository:team/app:pull,push").
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// The first challenge the client can answer (Bearer preferred over Basic), or null.
    public static AuthChallenge? From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var parsed = headers.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return parsed.FirstOrDefault(c => c.IsBearer) ?? parsed.FirstOrDefault(c => c.IsBasic);
    }

    /// Parses the parameter list of one challenge: <c>key=value</c> or <c>key="quoted, value"</c>, comma separated (RFC 7235 §2.1).
    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var s = parameters ?? "";
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i]))) i++;
            var keyStart = i;
            while (i < s.Length && s[i] != '=' && s[i] != ',') i++;
            var key = s[keyStart..i].Trim();
            if (i >= s.Length || s[i] != '=') { continue; }
            i++; // '='
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            var value = new StringBuilder();
            if (i < s.Length && s[i] == '"')
            {
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length) i++;
                    value.Append(s[i++]);
                }
                i++; // closing quote
            }
            else
            {
                while (i < s.Length && s[i] != ',') value.Append(s[i++]);
            }
            if (key.Length > 0) result[key] = value.ToString().Trim();
        }
        return new AuthChallenge(scheme, result);
    }
}
