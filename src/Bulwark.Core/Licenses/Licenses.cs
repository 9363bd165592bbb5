// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using System.Text;

namespace Bulwark.Core;

/// The text behind a LicenseRef that <see cref="Licenses.Normalise"/> made up for a license it could not name.
public sealed record ExtractedLicense(string LicenseRef, string Text);

/// A declared license as an SPDX expression. <see cref="Extracted"/> holds the original text of every LicenseRef
/// the normalisation made up (for SPDX hasExtractedLicensingInfos); it is empty when the text named SPDX licenses.
public sealed record NormalisedLicense(LicenseExpression Expression, string Declared, ImmutableArray<ExtractedLicense> Extracted)
{
    public bool IsSpdx => Extracted.IsEmpty;
    public override string ToString() => Expression.ToString();
}

/// Turns license text as catalogers find it ("Apache 2.0", "MIT/X11", a URL, "(MIT OR Apache-2.0)") into SPDX
/// expressions. Only unambiguous names are mapped ("BSD" and "GPL" alone are not: which version?); anything else
/// becomes LicenseRef-&lt;text&gt; with the original text kept.
public static class Licenses
{
    private const int MaxRefLength = 60;

    /// Normalises one declared license; null when it says nothing (empty, NOASSERTION, NONE).
    public static NormalisedLicense? Normalise(string? declared)
    {
        var text = declared?.Trim() ?? "";
        if (text.Length == 0 || text.Equals("NOASSERTION", StringComparison.OrdinalIgnoreCase) || text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
            return null;
        if (text.Length <= 4096 && TryNormalise(text, out var expression))
            return new NormalisedLicense(expression, text, []);
        // an ill-formed "LicenseRef-foo_bar" keeps its name, made well-formed, rather than becoming LicenseRef-LicenseRef-…
        var isRef = text.StartsWith("LicenseRef-", StringComparison.OrdinalIgnoreCase) && !text.Any(char.IsWhiteSpace);
        var reference = new LicenseRef(RefFor(isRef ? text[11..] : text));
        return new NormalisedLicense(reference, text, [new ExtractedLicense(reference.Ref, text)]);
    }

    /// Builds several declared licenses into one expression joined with AND (all of them apply).
    public static NormalisedLicense? NormaliseAll(IEnumerable<string> declared)
    {
        var parts = declared.Select(Normalise).OfType<NormalisedLicense>().DistinctBy(n => n.Expression.ToString()).ToList();
        if (parts.Count == 0) return null;
        if (parts.Count == 1) return parts[0];
        var joined = Balanced(parts.Select(p => p.Expression).ToList(), 0, parts.Count);
        return new NormalisedLicense(joined, string.Join(" AND ", parts.Select(p => p.Declared)),
            [.. parts.SelectMany(p => p.Extracted).DistinctBy(e => e.LicenseRef)]);
    }

    // A AND (B AND C) prints as A AND B AND C; a balanced tree keeps printing shallow however many licenses there are
    private static LicenseExpression Balanced(List<LicenseExpression> items, int start, int end) =>
        end - start == 1 ? items[start] : new AndExpression(Balanced(items, start, (start + end) / 2), Balanced(items, (start + end) / 2, end));

    /// The LicenseRef id for a text: letters, digits, '.' and '-' only; long texts are cut and get a hash suffix.
    public static string RefFor(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '.') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var id = sb.ToString().Trim('-', '.');
        if (id.Length > MaxRefLength || id.Length == 0)
        {
            var hash = Convert.ToHexStringLower(ContentHash.Sha256(text))[..8];
            id = (id.Length > MaxRefLength ? id[..MaxRefLength].TrimEnd('-', '.') + "-" : "") + hash;
        }
        return "LicenseRef-" + id;
    }

    private static bool TryNormalise(string text, out LicenseExpression expression)
    {
        if (LicenseExpression.TryParse(text, out expression))
        {
            expression = Modernise(expression);
            return true;
        }
        if (TryResolveTerm(text, out expression)) return true;
        return TryLooseExpression(text, out expression);
    }

    /// Replaces deprecated GNU ids: "GPL-2.0" means GPL-2.0-only and "GPL-2.0+" GPL-2.0-or-later (license list 3.0).
    private static LicenseExpression Modernise(LicenseExpression expression) => expression.MapLeaves(leaf =>
    {
        if (leaf is not LicenseId { Id: var id, OrLater: var orLater }) return leaf;
        // the list also has the deprecated "GPL-2.0+" as one id
        if (id.EndsWith('+')) (id, orLater) = (id[..^1], true);
        return GnuFamilies.Any(f => id.StartsWith(f + "-", StringComparison.Ordinal))
            && SpdxLicenseList.TryGetLicenseId(id + (orLater ? "-or-later" : "-only"), out var modern)
            ? new LicenseId(modern)
            : leaf;
    });

    private static readonly string[] GnuFamilies = ["GPL", "LGPL", "AGPL", "GFDL"];

    /// Reads "term OP term …" where terms are free text ("Apache License, Version 2.0 OR MIT", "(MIT/X11 and BSD-3-Clause)").
    private static bool TryLooseExpression(string text, out LicenseExpression expression)
    {
        expression = null!;
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            if (text[i] is '(' or ')') { words.Add(text[i].ToString()); i++; continue; }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')') i++;
            words.Add(text[start..i]);
        }
        var output = new List<string>();
        var term = new List<string>();
        var afterWith = false;
        bool Flush()
        {
            if (term.Count == 0) return true;
            var t = string.Join(' ', term);
            term.Clear();
            if (afterWith)
            {
                afterWith = false;
                if (!TryResolveException(t, out var exception)) return false;
                output.Add(exception);
                return true;
            }
            if (!TryResolveTerm(t, out var e) && !TryResolveSlashList(t, out e)) return false;
            output.Add(e is OrExpression or AndExpression ? $"({e})" : e.ToString());
            return true;
        }
        for (var w = 0; w < words.Count; w++)
        {
            var word = words[w];
            var next = w + 1 < words.Count ? words[w + 1] : "";
            var isOperator = word.Equals("AND", StringComparison.OrdinalIgnoreCase) || word == "&"
                || (word.Equals("OR", StringComparison.OrdinalIgnoreCase) && !IsLaterWord(next))
                || word.Equals("WITH", StringComparison.OrdinalIgnoreCase);
            if (isOperator || word is "(" or ")")
            {
                if (!Flush()) return false;
                var op = word == "&" ? "AND" : word.ToUpperInvariant();
                output.Add(op);
                if (op == "WITH") afterWith = true;
            }
            else
            {
                term.Add(word);
            }
        }
        if (!Flush()) return false;
        if (!LicenseExpression.TryParse(string.Join(' ', output), out expression)) return false;
        expression = Modernise(expression);
        return true;
    }

    private static bool IsLaterWord(string w) => w.Equals("later", StringComparison.OrdinalIgnoreCase) || w.Equals("any", StringComparison.OrdinalIgnoreCase)
        || w.Equals("newer", StringComparison.OrdinalIgnoreCase);

    /// "MIT/Apache-2.0" (Cargo's old style) means either; only when every part is a license.
    private static bool TryResolveSlashList(string term, out LicenseExpression expression)
    {
        expression = null!;
        if (!term.Contains('/') || term.Contains("://", StringComparison.Ordinal)) return false;
        var parts = term.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || parts.Any(p => p.Length == 0)) return false;
        LicenseExpression? result = null;
        foreach (var p in parts)
        {
            if (!TryResolveTerm(p, out var e)) return false;
            result = result is null ? e : new OrExpression(result, e);
        }
        expression = result!;
        return true;
    }

    /// Resolves one license name: an id in any case, an alias, a list name, a URL; with "+"/"or later" suffixes.
    private static bool TryResolveTerm(string term, out LicenseExpression expression)
    {
        expression = null!;
        var t = Collapse(term);
        // a Python trove classifier: "License :: OSI Approved :: MIT License" names the license in its last part
        if (t.StartsWith("License :: ", StringComparison.Ordinal)) t = t[(t.LastIndexOf(" :: ", StringComparison.Ordinal) + 4)..];
        if (t.Length == 0) return false;
        if (TryResolveName(t, out expression)) return true;

        // "X or later", "X or any later version", "X+"
        foreach (var suffix in OrLaterSuffixes)
        {
            if (t.Length > suffix.Length && t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && TryResolveName(t[..^suffix.Length].Trim(), out var baseLicense) && baseLicense is LicenseId id)
            {
                expression = OrLater(id);
                return true;
            }
        }
        // "the X license", "X licence"
        var stripped = t;
        if (stripped.StartsWith("the ", StringComparison.OrdinalIgnoreCase)) stripped = stripped[4..];
        foreach (var suffix in (string[])[" license", " licence", " license.", " licence."])
            if (stripped.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) stripped = stripped[..^suffix.Length];
        return stripped != t && stripped.Length > 0 && TryResolveName(stripped, out expression);
    }

    private static readonly string[] OrLaterSuffixes = ["+", " or later", " or any later version", " or newer", " or-later", "-or-later"];

    private static LicenseExpression OrLater(LicenseId id)
    {
        if (id.Id.EndsWith("-only", StringComparison.Ordinal) && SpdxLicenseList.TryGetLicenseId(id.Id[..^5] + "-or-later", out var later))
            return new LicenseId(later);
        return Modernise(new LicenseId(id.Id, OrLater: true));
    }

    private static bool TryResolveName(string t, out LicenseExpression expression)
    {
        expression = null!;
        if (LicenseExpression.TryParseSimple(t, out var simple, out _))
        {
            expression = Modernise(simple);
            return true;
        }
        var key = t.ToLowerInvariant();
        if (Aliases.TryGetValue(key, out var alias) || (LooksLikeUrl(key) && TryResolveUrl(key, out alias)))
        {
            expression = LicenseExpression.Parse(alias);
            return true;
        }
        if (SpdxLicenseList.TryGetLicenseIdByName(t, out var byName))
        {
            expression = Modernise(new LicenseId(byName));
            return true;
        }
        return false;
    }

    private static bool TryResolveException(string term, out string exception)
    {
        var t = Collapse(term);
        if (SpdxLicenseList.TryGetExceptionId(t, out exception) || SpdxLicenseList.TryGetExceptionIdByName(t, out exception)) return true;
        return ExceptionAliases.TryGetValue(t.ToLowerInvariant(), out exception!);
    }

    private static string Collapse(string s) => string.Join(' ', s.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim().Trim(';', ',').Trim();

    private static bool LooksLikeUrl(string s) => s.StartsWith("http://", StringComparison.Ordinal) || s.StartsWith("https://", StringComparison.Ordinal)
        || s.StartsWith("www.", StringComparison.Ordinal);

    /// License URLs that name exactly one license: the license list's own pages, OSI's, and the stewards' canonical texts.
    private static bool TryResolveUrl(string url, out string expression)
    {
        expression = "";
        var u = url;
        var cut = u.IndexOfAny(['?', '#']);
        if (cut >= 0) u = u[..cut];
        u = u.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal);
        if (u.StartsWith("www.", StringComparison.Ordinal)) u = u[4..];
        u = u.TrimEnd('/');
        foreach (var ext in (string[])[".html", ".htm", ".php", ".txt", ".json", ".md"])
            if (u.EndsWith(ext, StringComparison.Ordinal)) { u = u[..^ext.Length]; break; }
        if (UrlAliases.TryGetValue(u, out var hit)) { expression = hit; return true; }
        // NuGet's license service: licenses.nuget.org/<expression>, percent-encoded
        if (u.StartsWith("licenses.nuget.org/", StringComparison.Ordinal)
            && LicenseExpression.TryParse(Uri.UnescapeDataString(url[(url.IndexOf("licenses.nuget.org/", StringComparison.Ordinal) + 19)..]).TrimEnd('/'), out var nuget))
        {
            expression = Modernise(nuget).ToString();
            return true;
        }
        foreach (var prefix in (string[])["opensource.org/licenses/", "spdx.org/licenses/", "choosealicense.com/licenses/"])
        {
            if (!u.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var id = u[prefix.Length..];
            if (SpdxLicenseList.TryGetLicenseId(id, out var canonical)) { expression = Modernise(new LicenseId(canonical)).ToString(); return true; }
            if (Aliases.TryGetValue(id.Replace('-', ' '), out hit) || Aliases.TryGetValue(id, out hit)) { expression = hit; return true; }
        }
        return false;
    }

    // plain dictionaries, never modified: a frozen one costs more to build (at every start) than its lookups save
    private static readonly Dictionary<string, string> UrlAliases = new(StringComparer.Ordinal)
    {
        ["apache.org/licenses/license-2.0"] = "Apache-2.0",
        ["opensource.org/licenses/mit-license"] = "MIT",
        ["opensource.org/licenses/apache2.0"] = "Apache-2.0",
        ["opensource.org/licenses/bsd-3-clause"] = "BSD-3-Clause",
        ["gnu.org/licenses/gpl-2.0"] = "GPL-2.0-only",
        ["gnu.org/licenses/old-licenses/gpl-2.0"] = "GPL-2.0-only",
        ["gnu.org/licenses/gpl-3.0"] = "GPL-3.0-only",
        ["gnu.org/licenses/gpl"] = "GPL-3.0-only",
        ["gnu.org/licenses/lgpl-2.1"] = "LGPL-2.1-only",
        ["gnu.org/licenses/old-licenses/lgpl-2.1"] = "LGPL-2.1-only",
        ["gnu.org/licenses/lgpl-3.0"] = "LGPL-3.0-only",
        ["gnu.org/licenses/lgpl"] = "LGPL-3.0-only",
        ["gnu.org/licenses/agpl-3.0"] = "AGPL-3.0-only",
        ["mozilla.org/mpl/2.0"] = "MPL-2.0",
        ["mozilla.org/en-us/mpl/2.0"] = "MPL-2.0",
        ["mozilla.org/mpl/1.1"] = "MPL-1.1",
        ["eclipse.org/legal/epl-v10"] = "EPL-1.0",
        ["eclipse.org/legal/epl-2.0"] = "EPL-2.0",
        ["eclipse.org/legal/epl-v20"] = "EPL-2.0",
        ["eclipse.org/org/documents/edl-v10"] = "BSD-3-Clause",
        ["creativecommons.org/publicdomain/zero/1.0"] = "CC0-1.0",
        ["creativecommons.org/publicdomain/zero/1.0/legalcode"] = "CC0-1.0",
        ["creativecommons.org/licenses/by/4.0"] = "CC-BY-4.0",
        ["creativecommons.org/licenses/by-sa/4.0"] = "CC-BY-SA-4.0",
        ["unlicense.org"] = "Unlicense",
        ["boost.org/license_1_0"] = "BSL-1.0",
        ["boost.org/users/license"] = "BSL-1.0",
        ["json.org/license"] = "JSON",
    };

    // Lower-case names and spellings seen in package metadata (npm, PyPI classifiers, Maven POMs, NuGet, gemspecs,
    // Debian copyright files) that name exactly one SPDX license or expression.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["mit license"] = "MIT", ["the mit license"] = "MIT", ["mit/x11"] = "MIT", ["mit-x11"] = "MIT", ["expat"] = "MIT",
        ["expat license"] = "MIT", ["mit license (mit)"] = "MIT", ["mit-license"] = "MIT",
        ["apache 2"] = "Apache-2.0", ["apache 2.0"] = "Apache-2.0", ["apache-2"] = "Apache-2.0", ["apache2"] = "Apache-2.0",
        ["apache2.0"] = "Apache-2.0", ["apache v2"] = "Apache-2.0", ["apache v2.0"] = "Apache-2.0", ["apache-2.0 license"] = "Apache-2.0",
        ["apache 2.0 license"] = "Apache-2.0", ["apache license 2.0"] = "Apache-2.0", ["apache license, version 2.0"] = "Apache-2.0",
        ["apache license version 2.0"] = "Apache-2.0", ["apache license, version 2"] = "Apache-2.0", ["apache license v2.0"] = "Apache-2.0",
        ["the apache license, version 2.0"] = "Apache-2.0", ["the apache software license, version 2.0"] = "Apache-2.0",
        ["apache software license, version 2.0"] = "Apache-2.0", ["apache software license 2.0"] = "Apache-2.0",
        ["apache public license 2.0"] = "Apache-2.0", ["asl 2.0"] = "Apache-2.0", ["asl2"] = "Apache-2.0", ["asl 2"] = "Apache-2.0",
        ["alv2"] = "Apache-2.0", ["apache license (2.0)"] = "Apache-2.0", ["apache software license (apache 2.0)"] = "Apache-2.0",
        ["apache 1.1"] = "Apache-1.1", ["apache license, version 1.1"] = "Apache-1.1",
        ["bsd 2-clause"] = "BSD-2-Clause", ["bsd-2"] = "BSD-2-Clause", ["2-clause bsd"] = "BSD-2-Clause", ["simplified bsd"] = "BSD-2-Clause",
        ["simplified bsd license"] = "BSD-2-Clause", ["freebsd"] = "BSD-2-Clause", ["bsd 2-clause license"] = "BSD-2-Clause",
        ["bsd 3-clause"] = "BSD-3-Clause", ["bsd-3"] = "BSD-3-Clause", ["3-clause bsd"] = "BSD-3-Clause", ["new bsd"] = "BSD-3-Clause",
        ["new bsd license"] = "BSD-3-Clause", ["modified bsd"] = "BSD-3-Clause", ["modified bsd license"] = "BSD-3-Clause",
        ["revised bsd"] = "BSD-3-Clause", ["bsd 3-clause license"] = "BSD-3-Clause", ["the new bsd license"] = "BSD-3-Clause",
        ["the bsd 3-clause license"] = "BSD-3-Clause", ["bsd-3-clause license"] = "BSD-3-Clause", ["bsd 3 clause"] = "BSD-3-Clause",
        ["gplv2"] = "GPL-2.0-only", ["gpl v2"] = "GPL-2.0-only", ["gpl 2"] = "GPL-2.0-only", ["gpl-2"] = "GPL-2.0-only", ["gpl2"] = "GPL-2.0-only",
        ["gpl 2.0"] = "GPL-2.0-only", ["gnu gpl v2"] = "GPL-2.0-only", ["gnu gplv2"] = "GPL-2.0-only", ["gplv2+"] = "GPL-2.0-or-later",
        ["gnu general public license v2"] = "GPL-2.0-only", ["gnu general public license v2.0"] = "GPL-2.0-only",
        ["gnu general public license, version 2"] = "GPL-2.0-only", ["gnu general public license version 2"] = "GPL-2.0-only",
        ["gnu general public license v2 (gplv2)"] = "GPL-2.0-only", ["gnu general public license v2 or later (gplv2+)"] = "GPL-2.0-or-later",
        ["gplv3"] = "GPL-3.0-only", ["gpl v3"] = "GPL-3.0-only", ["gpl 3"] = "GPL-3.0-only", ["gpl-3"] = "GPL-3.0-only", ["gpl3"] = "GPL-3.0-only",
        ["gpl 3.0"] = "GPL-3.0-only", ["gnu gpl v3"] = "GPL-3.0-only", ["gnu gplv3"] = "GPL-3.0-only", ["gplv3+"] = "GPL-3.0-or-later",
        ["gnu general public license v3"] = "GPL-3.0-only", ["gnu general public license v3.0"] = "GPL-3.0-only",
        ["gnu general public license, version 3"] = "GPL-3.0-only", ["gnu general public license version 3"] = "GPL-3.0-only",
        ["gnu general public license v3 (gplv3)"] = "GPL-3.0-only", ["gnu general public license v3 or later (gplv3+)"] = "GPL-3.0-or-later",
        ["lgplv2"] = "LGPL-2.0-only", ["lgpl 2.0"] = "LGPL-2.0-only", ["lgplv2.1"] = "LGPL-2.1-only", ["lgpl v2.1"] = "LGPL-2.1-only",
        ["lgpl 2.1"] = "LGPL-2.1-only", ["lgpl-2.1"] = "LGPL-2.1-only", ["lgpl2.1"] = "LGPL-2.1-only", ["lgplv2+"] = "LGPL-2.0-or-later",
        ["lgplv2.1+"] = "LGPL-2.1-or-later",
        ["gnu lesser general public license v2.1"] = "LGPL-2.1-only", ["gnu lesser general public license, version 2.1"] = "LGPL-2.1-only",
        ["gnu lesser general public license v2 or later (lgplv2+)"] = "LGPL-2.0-or-later",
        ["gnu lesser general public license v3 or later (lgplv3+)"] = "LGPL-3.0-or-later",
        ["gnu affero general public license v3 or later (agplv3+)"] = "AGPL-3.0-or-later",
        ["gnu lesser general public license version 2.1"] = "LGPL-2.1-only", ["gnu library or lesser general public license (lgpl)"] = "LGPL-2.0-or-later",
        ["lgplv3"] = "LGPL-3.0-only", ["lgpl v3"] = "LGPL-3.0-only", ["lgpl 3"] = "LGPL-3.0-only", ["lgpl 3.0"] = "LGPL-3.0-only",
        ["lgpl-3"] = "LGPL-3.0-only", ["lgpl3"] = "LGPL-3.0-only", ["lgplv3+"] = "LGPL-3.0-or-later",
        ["gnu lesser general public license v3"] = "LGPL-3.0-only", ["gnu lesser general public license, version 3"] = "LGPL-3.0-only",
        ["gnu lesser general public license version 3"] = "LGPL-3.0-only", ["gnu lesser general public license v3 (lgplv3)"] = "LGPL-3.0-only",
        ["agplv3"] = "AGPL-3.0-only", ["agpl v3"] = "AGPL-3.0-only", ["agpl 3"] = "AGPL-3.0-only", ["agpl-3"] = "AGPL-3.0-only",
        ["agpl 3.0"] = "AGPL-3.0-only", ["agplv3+"] = "AGPL-3.0-or-later", ["gnu affero general public license v3"] = "AGPL-3.0-only",
        ["gnu affero general public license v3 (agplv3)"] = "AGPL-3.0-only", ["gnu affero general public license, version 3"] = "AGPL-3.0-only",
        ["mpl 2.0"] = "MPL-2.0", ["mpl-2"] = "MPL-2.0", ["mpl2"] = "MPL-2.0", ["mpl 2"] = "MPL-2.0", ["mpl v2"] = "MPL-2.0",
        ["mozilla public license 2.0"] = "MPL-2.0", ["mozilla public license, version 2.0"] = "MPL-2.0",
        ["mozilla public license version 2.0"] = "MPL-2.0", ["mozilla public license 2.0 (mpl 2.0)"] = "MPL-2.0",
        ["mpl 1.1"] = "MPL-1.1", ["mozilla public license 1.1"] = "MPL-1.1", ["mozilla public license, version 1.1"] = "MPL-1.1",
        ["epl 1.0"] = "EPL-1.0", ["epl-1"] = "EPL-1.0", ["eclipse public license 1.0"] = "EPL-1.0", ["eclipse public license - v 1.0"] = "EPL-1.0",
        ["eclipse public license v1.0"] = "EPL-1.0", ["eclipse public license, version 1.0"] = "EPL-1.0",
        ["epl 2.0"] = "EPL-2.0", ["epl-2"] = "EPL-2.0", ["eclipse public license 2.0"] = "EPL-2.0", ["eclipse public license - v 2.0"] = "EPL-2.0",
        ["eclipse public license v2.0"] = "EPL-2.0", ["eclipse public license, version 2.0"] = "EPL-2.0",
        ["eclipse distribution license - v 1.0"] = "BSD-3-Clause", ["edl 1.0"] = "BSD-3-Clause",
        ["cddl 1.0"] = "CDDL-1.0", ["cddl-1"] = "CDDL-1.0", ["cddl 1.1"] = "CDDL-1.1",
        ["common development and distribution license 1.0"] = "CDDL-1.0", ["common development and distribution license (cddl) v1.0"] = "CDDL-1.0",
        ["isc license"] = "ISC", ["isc license (iscl)"] = "ISC", ["iscl"] = "ISC",
        ["the unlicense"] = "Unlicense", ["unlicense"] = "Unlicense", ["the unlicense (unlicense)"] = "Unlicense",
        ["cc0"] = "CC0-1.0", ["cc0 1.0"] = "CC0-1.0", ["cc0 1.0 universal"] = "CC0-1.0", ["cc0-1.0 universal"] = "CC0-1.0",
        ["cc0 1.0 universal (cc0 1.0) public domain dedication"] = "CC0-1.0", ["creative commons zero v1.0 universal"] = "CC0-1.0",
        ["cc by 4.0"] = "CC-BY-4.0", ["cc-by 4.0"] = "CC-BY-4.0", ["cc by 3.0"] = "CC-BY-3.0", ["cc by-sa 4.0"] = "CC-BY-SA-4.0",
        ["cc-by-sa 4.0"] = "CC-BY-SA-4.0", ["cc by-sa 3.0"] = "CC-BY-SA-3.0",
        ["zlib license"] = "Zlib", ["zlib/libpng"] = "Zlib", ["zlib/libpng license"] = "Zlib",
        ["python software foundation license"] = "PSF-2.0", ["psf"] = "PSF-2.0", ["psfl"] = "PSF-2.0", ["psf license"] = "PSF-2.0",
        ["psf-2"] = "PSF-2.0",
        ["boost software license 1.0"] = "BSL-1.0", ["boost software license"] = "BSL-1.0", ["boost"] = "BSL-1.0", ["bsl 1.0"] = "BSL-1.0",
        ["sil open font license 1.1"] = "OFL-1.1", ["ofl 1.1"] = "OFL-1.1", ["sil ofl 1.1"] = "OFL-1.1",
        ["wtfpl"] = "WTFPL", ["do what the f*ck you want to public license"] = "WTFPL",
        ["eupl 1.1"] = "EUPL-1.1", ["eupl 1.2"] = "EUPL-1.2", ["european union public licence 1.2"] = "EUPL-1.2",
        ["ms-pl"] = "MS-PL", ["microsoft public license"] = "MS-PL", ["ms-rl"] = "MS-RL",
        ["artistic 2.0"] = "Artistic-2.0", ["artistic license 2.0"] = "Artistic-2.0", ["artistic-2"] = "Artistic-2.0",
        ["perl_5"] = "Artistic-1.0-Perl OR GPL-1.0-or-later", ["perl 5"] = "Artistic-1.0-Perl OR GPL-1.0-or-later",
        ["the perl 5 license"] = "Artistic-1.0-Perl OR GPL-1.0-or-later",
        ["ruby license"] = "Ruby", ["postgresql license"] = "PostgreSQL", ["openssl license"] = "OpenSSL",
        ["universal permissive license 1.0"] = "UPL-1.0", ["upl 1.0"] = "UPL-1.0",
    };

    private static readonly Dictionary<string, string> ExceptionAliases = new(StringComparer.Ordinal)
    {
        ["classpath exception"] = "Classpath-exception-2.0", ["classpath-exception"] = "Classpath-exception-2.0",
        ["the classpath exception"] = "Classpath-exception-2.0", ["cpe"] = "Classpath-exception-2.0",
        ["llvm exceptions"] = "LLVM-exception", ["gcc runtime library exception"] = "GCC-exception-3.1",
        ["gcc runtime library exception 3.1"] = "GCC-exception-3.1",
    };
}
