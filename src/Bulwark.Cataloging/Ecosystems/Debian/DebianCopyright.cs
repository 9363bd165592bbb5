// SPDX-License-Identifier: Apache-2.0
using System.Text.RegularExpressions;
using Bulwark.Core;

namespace Bulwark.Cataloging.Ecosystems.Debian;

/// Licenses named by a package's usr/share/doc/&lt;package&gt;/copyright file.
public static partial class DebianCopyright
{
    /// The licenses the file names, as SPDX ids where the Debian short name maps to one and as the short name
    /// otherwise, sorted and distinct. A machine-readable file (DEP-5: a first paragraph with "Format:") gives the
    /// License: field of each paragraph; any other file gives only the /usr/share/common-licenses/NAME files it
    /// refers to, because guessing from free prose is how wrong licenses get reported.
    public static IReadOnlyList<string> Licenses(string text, string pathForMessages)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (IsMachineReadable(text))
        {
            foreach (var p in ControlParagraphs.Parse(text, pathForMessages))
                if (p.FirstLine("License") is { } license)
                    foreach (var term in Terms(license)) names.Add(term);
        }
        else
        {
            foreach (Match m in CommonLicenseReference().Matches(text))
                names.Add(ToSpdx(m.Groups[1].Value.TrimEnd('.', ',', ';', ')')));
        }
        return [.. names];
    }

    private static bool IsMachineReadable(string text)
    {
        foreach (var raw in text.Split('\n', 20))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            return line.StartsWith("Format:", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    /// Splits a License: short-name expression ("GPL-1+ or Artistic, and Expat") into its licenses. DEP-5 §"License
    /// specification": "or" and "and" join names, a comma before "and" binds looser; "with X exception" adds an exception.
    internal static IEnumerable<string> Terms(string expression)
    {
        foreach (var part in Joiner().Split(expression))
        {
            var term = part.Trim().Trim(',').Trim();
            if (term.Length == 0) continue;
            var with = WithException().Match(term);
            if (with.Success)
            {
                var baseId = ToSpdx(with.Groups[1].Value.Trim());
                var exception = ExceptionId(baseId, with.Groups[2].Value.Trim());
                // an exception we cannot name keeps the whole phrase, rather than dropping it and reporting a stricter license
                yield return exception is not null && IsSpdxId(baseId) ? $"{baseId} WITH {exception}" : term;
                continue;
            }
            yield return ToSpdx(term);
        }
    }

    /// Maps a Debian short name (DEP-5 §"Short names": GPL-2+, LGPL-2.1, Expat, BSD-3-clause, Apache-2.0, …) to its
    /// SPDX id; a name that is not in that table nor an SPDX id is returned unchanged.
    public static string ToSpdx(string name)
    {
        name = name.Trim();
        var gnu = GnuName().Match(name);
        if (gnu.Success)
        {
            var family = gnu.Groups[1].Value.ToUpperInvariant();
            var version = gnu.Groups[2].Value;
            if (!version.Contains('.')) version += ".0";
            var orLater = gnu.Groups[3].Success;
            if (family.StartsWith("GFDL-NIV", StringComparison.Ordinal))
                return $"GFDL-{version}-no-invariants-{(orLater ? "or-later" : "only")}";
            var candidate = $"{family}-{version}-{(orLater ? "or-later" : "only")}";
            return IsSpdxId(candidate) ? candidate : name;
        }
        var key = name.ToLowerInvariant();
        var mapped = key switch
        {
            "expat" or "mit" or "mit/x11" => "MIT",
            "apache-2" or "apache-2.0" => "Apache-2.0",
            // Debian's /usr/share/common-licenses/Artistic is the Perl Artistic License 1.0
            "artistic" or "artistic-1" => "Artistic-1.0-Perl",
            "artistic-2" or "artistic-2.0" => "Artistic-2.0",
            "bsd-2-clause" => "BSD-2-Clause",
            "bsd-3-clause" => "BSD-3-Clause",
            "bsd-4-clause" => "BSD-4-Clause",
            "bsd-4-clause-uc" => "BSD-4-Clause-UC",
            "cc0" or "cc0-1.0" or "cc0 license" => "CC0-1.0",
            "zlib" => "Zlib",
            "mpl-1.1" => "MPL-1.1",
            "mpl-2" or "mpl-2.0" => "MPL-2.0",
            "python-2" or "psf-2" => "Python-2.0",
            "bsl-1" or "bsl-1.0" => "BSL-1.0",
            "sleepycat" => "Sleepycat",
            _ => null,
        };
        if (mapped is not null) return mapped;
        return SpdxLicenseList.TryGetLicenseId(name, out var canonical) ? canonical : name;
    }

    private static bool IsSpdxId(string id) => SpdxLicenseList.TryGetLicenseId(id, out _);

    private static string? ExceptionId(string baseId, string exception) => exception.ToLowerInvariant() switch
    {
        "linux-syscall-note" or "linux-syscall" => "Linux-syscall-note",
        "bison" or "bison-2.2" => "Bison-exception-2.2",
        "texinfo" => "Texinfo-exception",
        "autoconf" => baseId.StartsWith("GPL-3.0", StringComparison.Ordinal) ? "Autoconf-exception-3.0"
            : baseId.StartsWith("GPL-2.0", StringComparison.Ordinal) ? "Autoconf-exception-2.0" : null,
        "gcc-runtime-library" or "gcc runtime library" => "GCC-exception-3.1",
        "openssl" => "OpenSSL-exception",
        _ => null,
    };

    [GeneratedRegex(@"\s*(?:,\s*and/or|,\s*and|,\s*or|\band/or\b|\band\b|\bor\b)\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Joiner();

    [GeneratedRegex(@"^(.+?)\s+with\s+(.+?)\s+exception$", RegexOptions.IgnoreCase)]
    private static partial Regex WithException();

    // GPL-2, GPL-2+, GPL-2.0+, GPLv3+, LGPL-2.1, LGPLv2.1+, AGPL-3, GFDL-1.3, GFDL-NIV-1.3+
    [GeneratedRegex(@"^(GPL|LGPL|AGPL|GFDL|GFDL-NIV)-?v?(\d+(?:\.\d+)?)(\+|-or-later)?$", RegexOptions.IgnoreCase)]
    private static partial Regex GnuName();

    [GeneratedRegex(@"/usr/share/common-licenses/([A-Za-z0-9][A-Za-z0-9.+_-]*)")]
    private static partial Regex CommonLicenseReference();
}
