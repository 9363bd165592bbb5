// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Fuzzing.Mutation;
using Bulwark.Versions;
using Bulwark.Versions.Semver;

namespace Bulwark.Fuzzing.Targets;

/// One version scheme's parser and comparator (src/Bulwark.Versions). The input's first three lines are versions;
/// checked: Parse agrees with TryParse, CompareTo is reflexive, antisymmetric and transitive on them, and a
/// version's ToString parses back to an equal version. Allowed: <see cref="InvalidVersionException"/>.
public sealed class VersionTarget(string name, VersionScheme scheme, string seedFile, bool transitive = true, Func<string, bool>? formatIsQuirk = null) : FuzzTarget
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new VersionTarget("versions.semver", VersionSchemes.SemVer, "semver"),
        new VersionTarget("versions.pep440", VersionSchemes.Pep440, "pep440"),
        new VersionTarget("versions.go", VersionSchemes.Go, "go"),
        new VersionTarget("versions.debian", VersionSchemes.For("Debian"), "debian"),
        new VersionTarget("versions.apk", VersionSchemes.For("Alpine"), "apk"),
        new VersionTarget("versions.rpm", VersionSchemes.For("Red Hat"), "rpm"),
        // Maven's ComparableVersion is not transitive when a bare qualifier meets a digit-letter sublist: by its
        // StringItem/ListItem rules "0" < "a" < "0alpha" < "0", and Bulwark follows those rules
        new VersionTarget("versions.maven", VersionSchemes.Maven, "maven", transitive: false),
        new VersionTarget("versions.nuget", VersionSchemes.NuGet, "nuget"),
        // Gem::Version keeps '-' as ".pre.", so "0--" is kept as "0.pre..pre." and "1-b-" as "1.pre.b.pre.", which
        // Gem::Version itself refuses: a text with ".pre." need not parse back
        new VersionTarget("versions.rubygems", VersionSchemes.RubyGems, "rubygems", formatIsQuirk: f => f.Contains(".pre.", StringComparison.Ordinal)),
        new VersionTarget("versions.packagist", VersionSchemes.Packagist, "composer"),
        new VersionTarget("versions.pub", VersionSchemes.Pub, "pub"),
        new NpmRangeTarget(),
        new CargoRequirementTarget(),
    ];

    public override string Name => name;
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 4 << 10;

    public override bool IsSeed(string relativePath) =>
        relativePath.StartsWith("Bulwark.Versions.Tests/", StringComparison.Ordinal) && relativePath.Contains(seedFile, StringComparison.OrdinalIgnoreCase);

    public override IReadOnlyList<string> Dictionary { get; } =
        ["~", "^", "-", "+", ".", ":", "_", "0", "1.0", "alpha", "beta", "rc", "pre", "post", "dev", "SNAPSHOT", "final", "ga", "sp",
         "p", "r", "git", "cvs", "svn", "hg", "bzr", "a", "b", "c", "1!", "v", "-0.", "incompatible", "~~", "_p", "_rc", "-r1"];

    /// Seed files hold comparison lines ("1.0~rc1 < 1.0"): the operands become the first lines of an input.
    public override IEnumerable<byte[]> SeedsFrom(byte[] file) => TableLines(file);

    public override void Run(byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Replace(" < ", "\n", StringComparison.Ordinal).Replace(" > ", "\n", StringComparison.Ordinal)
            .Replace(" = ", "\n", StringComparison.Ordinal).Split('\n', 4);
        var parsed = new List<IComparable>();
        foreach (var text in lines.Take(3))
        {
            if (!scheme.TryParse(text, out var v))
            {
                _ = scheme.Parse(text);   // must throw InvalidVersionException
                throw new PropertyViolationException($"TryParse refused '{text}', which Parse accepted");
            }
            parsed.Add(v);
            if (v.CompareTo(v) != 0) throw new PropertyViolationException($"'{text}' does not compare equal to itself");
            var formatted = v.ToString() ?? "";
            if (formatIsQuirk?.Invoke(formatted) == true) continue;
            if (!scheme.TryParse(formatted, out var again))
                throw new PropertyViolationException($"'{text}' formats as '{formatted}', which does not parse");
            if (again.CompareTo(v) != 0 || v.CompareTo(again) != 0)
                throw new PropertyViolationException($"'{text}' formats as '{formatted}', which compares unequal to it");
        }
        CheckOrder(parsed, transitive);
    }

    /// Antisymmetry on every pair and (when <paramref name="transitive"/>) transitivity on every triple.
    internal static void CheckOrder(IReadOnlyList<IComparable> v, bool transitive = true)
    {
        for (var i = 0; i < v.Count; i++)
            for (var j = 0; j < v.Count; j++)
            {
                var ij = Math.Sign(v[i].CompareTo(v[j]));
                var ji = Math.Sign(v[j].CompareTo(v[i]));
                if (ij != -ji) throw new PropertyViolationException($"'{v[i]}' vs '{v[j]}' is {ij} but the reverse is {ji}");
                for (var k = 0; k < (transitive ? v.Count : 0); k++)
                {
                    var jk = Math.Sign(v[j].CompareTo(v[k]));
                    var ik = Math.Sign(v[i].CompareTo(v[k]));
                    if (ij <= 0 && jk <= 0 && ik > 0) throw new PropertyViolationException($"'{v[i]}' ≤ '{v[j]}' ≤ '{v[k]}' but '{v[i]}' > '{v[k]}'");
                    if (ij == 0 && jk == 0 && ik != 0) throw new PropertyViolationException($"'{v[i]}' = '{v[j]}' = '{v[k]}' but '{v[i]}' ≠ '{v[k]}'");
                }
            }
    }

    public override bool IsExpected(Exception e) => e is InvalidVersionException;
}

/// npm ranges: the first line is a range, the next lines versions; Satisfies must answer for every parsed version.
public sealed class NpmRangeTarget : FuzzTarget
{
    public override string Name => "versions.npm-range";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 4 << 10;
    public override bool IsSeed(string relativePath) => relativePath.StartsWith("Bulwark.Versions.Tests/", StringComparison.Ordinal) && relativePath.Contains("npm", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<byte[]> SeedsFrom(byte[] file) => TableLines(file);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("^1.2.3\n1.5.0", ">=1.0.0 <2.0.0 || 3.x\n3.1.0", "~1.2\n1.2.9", "1.2.3 - 2.3.4\n2.0.0", "*\n0.0.1-alpha", ">1.0.0-beta.2 <1.0.1\n1.0.0-beta.10");

    public override IReadOnlyList<string> Dictionary { get; } = ["^", "~", ">=", "<=", "<", ">", "=", "||", " - ", "x", "X", "*", "-alpha.1", "+build", "v"];

    public override void Run(byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n');
        var includePrerelease = lines[0].StartsWith('!');
        var range = NpmRange.Parse(includePrerelease ? lines[0][1..] : lines[0], includePrerelease);
        _ = range.ToString();
        foreach (var line in lines.Skip(1).Take(4))
            if (SemVersion.TryParseLenient(line, out var v)) _ = range.Satisfies(v);
    }

    public override bool IsExpected(Exception e) => e is InvalidVersionException or FormatException;
}

/// Cargo version requirements: the first line is a requirement, the next lines versions.
public sealed class CargoRequirementTarget : FuzzTarget
{
    public override string Name => "versions.cargo-requirement";
    public override InputFormat Format => InputFormat.Text;
    public override int MaxInputSize => 4 << 10;
    public override bool IsSeed(string relativePath) => relativePath.StartsWith("Bulwark.Versions.Tests/", StringComparison.Ordinal) && relativePath.Contains("cargo", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<byte[]> SeedsFrom(byte[] file) => TableLines(file);

    public override IEnumerable<byte[]> ExtraSeeds() =>
        Texts("^1.2.3\n1.5.0", ">=1.0, <2.0\n1.9.9", "~1.2\n1.2.9", "=1.2.3\n1.2.3", "*\n0.0.1", "1.*\n1.4.0-alpha");

    public override IReadOnlyList<string> Dictionary { get; } = ["^", "~", ">=", "<=", "<", ">", "=", ",", "*", "-alpha.1", "+build"];

    public override void Run(byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n');
        var requirement = CargoRequirement.Parse(lines[0]);
        foreach (var line in lines.Skip(1).Take(4))
            if (SemVersion.TryParseLenient(line, out var v)) _ = requirement.Matches(v);
    }

    public override bool IsExpected(Exception e) => e is InvalidVersionException or FormatException;
}
