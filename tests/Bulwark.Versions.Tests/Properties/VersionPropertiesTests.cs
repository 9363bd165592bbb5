// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Versions.Tests.Properties;

/// Properties every version scheme must have, over versions FsCheck generates from each scheme's grammar (fixed
/// seeds, so a failure reproduces; FsCheck shrinks it to a small counterexample first).
public class VersionPropertiesTests
{
    public static TheoryData<string> Schemes => [.. VersionGenerators.All.Keys];

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Every_generated_version_parses_and_formats_back_to_its_text(string name)
    {
        var (scheme, gen) = VersionGenerators.All[name];
        Check(Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var formatted = scheme.Parse(text).ToString()!;
            // NuGet and Composer versions format to their normalised forms (NuGet's without metadata, Composer's
            // VersionParser::normalize): that form must be stable
            if (name is "NuGet" or "Packagist") Assert.Equal(formatted, scheme.Parse(formatted).ToString());
            else Assert.Equal(text, formatted);
        }));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Comparison_is_reflexive_antisymmetric_and_transitive(string name)
    {
        var (scheme, gen) = VersionGenerators.All[name];
        Check(Prop.ForAll(Gen.Three(gen).ToArbitrary(), triple =>
        {
            var (x, y, z) = triple;
            IComparable a = scheme.Parse(x), b = scheme.Parse(y), c = scheme.Parse(z);
            Assert.True(a.CompareTo(a) == 0, $"{x} is not equal to itself");
            var ab = Math.Sign(a.CompareTo(b));
            Assert.True(ab == -Math.Sign(b.CompareTo(a)), $"{x} vs {y} is not antisymmetric");
            if (a.Equals(b)) Assert.True(ab == 0 && a.GetHashCode() == b.GetHashCode(), $"{x} equals {y} but compares {ab} or hashes differently");
            // Debian, RPM and apk versions are Equal only when their texts are (documented): the rest agree with the order
            if (name is not ("Debian" or "RPM" or "apk"))
                Assert.True(ab == 0 == a.Equals(b), $"{x} vs {y}: CompareTo says {ab}, Equals says {a.Equals(b)}");
            var bc = Math.Sign(b.CompareTo(c));
            var ac = Math.Sign(a.CompareTo(c));
            if (ab <= 0 && bc <= 0) Assert.True(ac <= 0, $"{x} <= {y} <= {z} but {x} > {z}");
            if (ab >= 0 && bc >= 0) Assert.True(ac >= 0, $"{x} >= {y} >= {z} but {x} < {z}");
        }), maxTest: 3000);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void A_version_and_its_formatted_text_compare_equal(string name)
    {
        // the formatted text is what reports and the database store: it must mean the same version
        var (scheme, gen) = VersionGenerators.All[name];
        Check(Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var v = scheme.Parse(text);
            Assert.Equal(0, v.CompareTo(scheme.Parse(v.ToString()!)));
        }));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Damaged_versions_parse_or_are_refused_with_the_documented_error(string name)
    {
        var (scheme, gen) = VersionGenerators.All[name];
        var damaged = from text in gen
                      from at in Gen.Choose(0, text.Length)
                      from kind in Gen.Choose(0, 3)
                      from c in Gen.Elements('-', '.', ':', '~', '^', '+', '_', '!', '*', ' ', 'v', 'x', '0', '\0', 'é', '\uD800')
                      select kind switch
                      {
                          0 => text.Insert(at, c.ToString()),
                          1 when at < text.Length => text.Remove(at, 1),
                          2 => text[..at],
                          _ => text + text[..at],
                      };
        Check(Prop.ForAll(damaged.ToArbitrary(), text =>
        {
            var parsed = scheme.TryParse(text, out var v);
            if (parsed)
            {
                Assert.Equal(0, v.CompareTo(scheme.Parse(text)));
                Assert.Equal(0, v.CompareTo(v));
            }
            else
            {
                var e = Assert.Throws<InvalidVersionException>(() => scheme.Parse(text));
                Assert.Equal(text, e.Text);
            }
        }), maxTest: 3000);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Arbitrary_strings_parse_or_are_refused_with_the_documented_error(string name)
    {
        var (scheme, _) = VersionGenerators.All[name];
        Check(Prop.ForAll<string>(text =>
        {
            text ??= "";
            if (!scheme.TryParse(text, out _))
                Assert.Throws<InvalidVersionException>(() => scheme.Parse(text));
        }), maxTest: 2000);
    }

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 31).WithQuietOnSuccess(true));
}
