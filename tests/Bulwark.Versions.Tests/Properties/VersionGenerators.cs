// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Versions.Tests.Properties;

/// FsCheck generators of valid version strings, one per scheme, written from each scheme's grammar. Numbers and
/// words come from small pools so that generated versions often share prefixes, tie, or differ in one place: the
/// cases where an ordering goes wrong.
public static class VersionGenerators
{
    /// Small numbers mostly (ties and near-ties), sometimes large ones, now and then beyond 64 bits.
    public static Gen<string> Number { get; } = Gen.Frequency(
        (8, Gen.Choose(0, 3).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Choose(4, 120).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Choose(0, int.MaxValue).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Elements("18446744073709551615", "18446744073709551616", "99999999999999999999999")));

    /// A number that fits in 64 bits (the SemVer family refuses larger ones, as npm's and Cargo's parsers do).
    public static Gen<string> Number64 { get; } = Gen.Frequency(
        (8, Gen.Choose(0, 3).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Choose(4, 120).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Choose(0, int.MaxValue).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Elements("18446744073709551615", "9223372036854775807")));

    /// A number that may carry leading zeros (schemes that compare digit runs numerically keep the text).
    public static Gen<string> PaddedNumber { get; } = Gen.Frequency((5, Number), (1, Number.Select(n => "0" + n)), (1, Number.Select(n => "00" + n)));

    public static Gen<string> SemVer { get; } =
        from core in Joined(Number64, ".", 3, 3)
        from pre in Optional(Joined(Gen.Frequency((3, Number64), (4, Gen.Elements("alpha", "beta", "rc", "a", "b", "x-y", "0a", "A", "Z9", "-"))), ".", 1, 3))
        from build in Optional(Joined(Gen.Elements("1", "001", "build", "sha.5114f85", "x"), ".", 1, 2))
        select core + (pre is null ? "" : "-" + pre) + (build is null ? "" : "+" + build);

    public static Gen<string> Go { get; } = Gen.Frequency(
        (4, SemVer.Select(v => "v" + v)),
        (1, from major in Gen.Elements("0", "1", "2")
            from date in Gen.Elements("20191109021931", "20200101000000", "20231231235959")
            from hash in Gen.Elements("daa7c04131f5", "000000000000", "abcdefabcdef")
            from kind in Gen.Elements("", "pre.0.", "0.")
            select kind.Length == 0 ? $"v{major}.0.0-{date}-{hash}" : $"v{major}.2.3-{kind}{date}-{hash}"));

    public static Gen<string> Pep440 { get; } =
        from epoch in Optional(Gen.Choose(1, 3).Select(e => $"{e}!"))
        from release in Joined(Number, ".", 1, 4)
        from pre in Optional(from kind in Gen.Elements("a", "b", "rc") from n in Number select kind + n)
        from post in Optional(Number.Select(n => ".post" + n))
        from dev in Optional(Number.Select(n => ".dev" + n))
        from local in Optional(Joined(Gen.Elements("ubuntu", "1", "2", "abc", "local7", "0"), ".", 1, 3).Select(l => "+" + l))
        select epoch + release + pre + post + dev + local;

    public static Gen<string> Debian { get; } =
        from epoch in Optional(Gen.Choose(0, 3).Select(e => $"{e}:"))
        from first in PaddedNumber
        from rest in Concat(Gen.Frequency(
            (4, Gen.Elements(".", "+", "~", "")), (4, PaddedNumber), (3, Gen.Elements("a", "b", "dfsg", "rc", "git", "Z", "beta"))), 0, 6)
        from revision in Optional(Joined(Gen.Frequency((3, PaddedNumber), (2, Gen.Elements("deb12u1", "ubuntu", "~", "+", ".", "build1", "a"))), "", 1, 4))
        select epoch + first + rest + (revision is null ? "" : "-" + revision);

    public static Gen<string> Rpm { get; } =
        from epoch in Optional(Gen.Choose(0, 3).Select(e => $"{e}:"))
        from version in Joined(Gen.Frequency((4, PaddedNumber), (2, Gen.Elements("a", "b", "rc", "el8", "git", "Z"))), Gen.Elements(".", "_", "+", "~", "^", ""), 1, 5)
        from release in Optional(Joined(Gen.Frequency((4, PaddedNumber), (2, Gen.Elements("el9", "fc38", "rc", "a"))), Gen.Elements(".", "_", "~", "^"), 1, 3))
        select epoch + version + (release is null ? "" : "-" + release);

    public static Gen<string> Apk { get; } =
        from release in Joined(Number, ".", 1, 4)
        from letter in Optional(Gen.Elements("a", "b", "z"))
        from suffixes in Concat(from s in Gen.Elements("alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p")
                                from n in Optional(Number)
                                select "_" + s + n, 0, 2)
        from revision in Optional(Number.Select(n => "-r" + n))
        select release + letter + suffixes + revision;

    public static Gen<string> Maven { get; } =
        from first in Number
        from rest in Concat(from sep in Gen.Elements(".", "-", "")
                            from token in Gen.Frequency((4, Number), (3, Gen.Elements("alpha", "beta", "milestone", "rc", "cr", "snapshot", "SNAPSHOT", "ga", "final", "release", "RELEASE", "sp", "a", "b", "m", "Final", "jre", "foo")))
                            select sep.Length == 0 && char.IsAsciiDigit(token[0]) ? "." + token : sep + token, 0, 5)
        select first + rest;

    public static Gen<string> NuGet { get; } =
        from release in Joined(Number64.Where(n => n.Length < 10), ".", 2, 4)
        from pre in Optional(Joined(Gen.Frequency((2, Gen.Choose(0, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))), (3, Gen.Elements("alpha", "beta", "rc", "preview", "Beta", "RC", "a"))), ".", 1, 3))
        from meta in Optional(Gen.Elements("build", "sha.1", "001"))
        select release + (pre is null ? "" : "-" + pre) + (meta is null ? "" : "+" + meta);

    public static Gen<string> RubyGems { get; } =
        from release in Joined(Number, ".", 1, 4)
        from pre in Optional(Joined(Gen.Frequency((2, Number), (3, Gen.Elements("a", "b", "pre", "rc", "beta", "alpha", "rc1", "x"))), ".", 1, 3))
        select release + (pre is null ? "" : "." + pre);

    public static Gen<string> Packagist { get; } = Gen.Frequency(
        // Composer reads a first number of up to five digits as a version (longer ones are dates)
        (6, from major in Number64.Where(n => n.Length <= 5)
            from minor in Joined(Number64.Where(n => n.Length < 19), ".", 0, 3)
            let release = minor.Length == 0 ? major : major + "." + minor
            from stability in Optional(Gen.Frequency(
                (5, from s in Gen.Elements("alpha", "beta", "RC", "patch", "pl", "p", "a", "b", "rc")
                    from n in Optional(Number64.Where(n => n.Length < 19))
                    select "-" + s + n),
                (1, Gen.Constant("-dev"))))
            select release + stability),
        (1, Gen.Elements("dev-main", "dev-master", "dev-feature/x", "1.0.x-dev", "2.x-dev")));

    /// Pub's numbers are Dart's 64-bit signed integers.
    public static Gen<string> Pub { get; } = SemVer.Where(v => !v.Contains("18446744073709551615", StringComparison.Ordinal));

    /// Every scheme with its generator, by the name tests use.
    public static IReadOnlyDictionary<string, (VersionScheme Scheme, Gen<string> Gen)> All { get; } = new Dictionary<string, (VersionScheme, Gen<string>)>
    {
        ["SemVer"] = (VersionSchemes.SemVer, SemVer),
        ["Go"] = (VersionSchemes.Go, Go),
        ["PEP 440"] = (VersionSchemes.Pep440, Pep440),
        ["Debian"] = (VersionSchemes.For("Debian"), Debian),
        ["RPM"] = (VersionSchemes.For("Red Hat"), Rpm),
        ["apk"] = (VersionSchemes.For("Alpine"), Apk),
        ["Maven"] = (VersionSchemes.Maven, Maven),
        ["NuGet"] = (VersionSchemes.NuGet, NuGet),
        ["RubyGems"] = (VersionSchemes.RubyGems, RubyGems),
        ["Packagist"] = (VersionSchemes.Packagist, Packagist),
        ["Pub"] = (VersionSchemes.Pub, Pub),
    };

    /// <paramref name="min"/> to <paramref name="max"/> items joined by <paramref name="separator"/>.
    public static Gen<string> Joined(Gen<string> item, string separator, int min, int max) =>
        Joined(item, Gen.Constant(separator), min, max);

    /// Items joined by separators drawn one at a time.
    public static Gen<string> Joined(Gen<string> item, Gen<string> separator, int min, int max) =>
        from n in Gen.Choose(min, max)
        from items in Gen.ArrayOf(item, n)
        from seps in Gen.ArrayOf(separator, Math.Max(0, n - 1))
        select string.Concat(items.Select((s, i) => i == 0 ? s : seps[i - 1] + s));

    /// <paramref name="min"/> to <paramref name="max"/> items, concatenated.
    public static Gen<string> Concat(Gen<string> item, int min, int max) =>
        from n in Gen.Choose(min, max)
        from items in Gen.ArrayOf(item, n)
        select string.Concat(items);

    /// The value or, one time in three, nothing.
    public static Gen<string?> Optional(Gen<string> gen) =>
        Gen.Frequency((2, gen.Select(s => (string?)s)), (1, Gen.Constant((string?)null)));
}
