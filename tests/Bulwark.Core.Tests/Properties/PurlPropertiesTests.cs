// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Core.Tests.Properties;

/// Properties of package URLs over purls FsCheck builds from parts, including parts full of the characters that
/// percent-encoding must protect.
public class PurlPropertiesTests
{
    private static readonly Gen<string> Type = Gen.Frequency(
        (6, Gen.Elements("npm", "pypi", "maven", "golang", "deb", "rpm", "apk", "gem", "cargo", "nuget", "composer", "pub",
            "generic", "github", "docker", "oci", "swift", "hex", "cocoapods", "conan", "cpan", "cran", "githubactions", "huggingface")),
        (1, from first in Gen.Elements('a', 'x', 'Z')
            from rest in Gen.ArrayOf(Gen.Elements('a', 'b', '1', '.', '+', '-'), 3)
            select first + new string(rest)));

    // text that percent-encoding must carry: separators, '%', spaces, non-ASCII, the purl's own punctuation
    private static readonly Gen<string> Part = Gen.Frequency(
        (5, Gen.Elements("lodash", "core", "org.apache.commons", "Flask", "my_pkg", "a", "x-y", "v2", "ABC")),
        (3, from chars in Gen.ArrayOf(Gen.Elements('a', 'B', '1', '@', '?', '#', '%', ' ', ':', '+', '&', '=', '.', '-', '_', '~', 'é', '日', '"', '\'', '\\', '!'), 5)
            select new string(chars)),
        (1, Gen.Elements("%20", "%2F", "100%", "a%zz", "@scope", "name@1", "a?b", "c#d", "\u00e9t\u00e9")));

    private static readonly Gen<string?> Namespace = Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (3, from n in Gen.Choose(1, 3)
            from segs in Gen.ArrayOf(Part.Where(p => !p.Contains('/') && p.Trim().Length > 0), n)
            select (string?)string.Join('/', segs)));

    private static readonly Gen<string?> Version = Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (3, Gen.Elements<string?>("1.0.0", "1.2.3-beta.1+build.5", "2:1.0-1", "v0.0.0-20200101000000-abcdef012345", "1.0@x", "1/2")),
        (2, Part.Select(p => (string?)p)));

    private static readonly Gen<KeyValuePair<string, string>[]> Qualifiers =
        from n in Gen.Choose(0, 3)
        from keys in Gen.ArrayOf(Gen.Elements("arch", "distro", "repository_url", "vcs_url", "type", "classifier", "os", "checksum", "channel", "Epoch", "x.y-z_1"), n)
        from values in Gen.ArrayOf(Gen.Frequency((2, Part), (1, Gen.Elements("https://repo.example/x?y=1&z=2", "sha256:00ff,sha1:aa", "a=b"))), n)
        select keys.Zip(values).DistinctBy(p => p.First.ToLowerInvariant()).Select(p => KeyValuePair.Create(p.First, p.Second)).ToArray();

    private static readonly Gen<string?> Subpath = Gen.Frequency(
        (3, Gen.Constant<string?>(null)),
        (1, Gen.Elements<string?>("lib/util", "a/../b", "./x", "src/main/x y", "a//b", "%2F", "deep/é/日")));

    private static readonly Gen<Func<Purl>> Parts =
        from type in Type
        from ns in Namespace
        from name in Part.Where(p => p.Trim().Length > 0)
        from version in Version
        from qualifiers in Qualifiers
        from subpath in Subpath
        select (Func<Purl>)(() => new Purl(type, ns, name, version, qualifiers, subpath));

    [Fact]
    public void A_purl_built_from_parts_survives_its_canonical_text_unchanged()
    {
        Check(Prop.ForAll(Parts.ToArbitrary(), make =>
        {
            Purl p;
            try
            {
                p = make();
            }
            catch (InvalidPurlException)
            {
                return;   // a type's own rules refused the parts (maven without a namespace, swift without a version…)
            }
            var back = Purl.Parse(p.ToString());
            Assert.Equal(p.ToString(), back.ToString());
            Assert.Equal((p.Type, p.Namespace, p.Name, p.Version, p.Subpath), (back.Type, back.Namespace, back.Name, back.Version, back.Subpath));
            Assert.Equal(p.Qualifiers, back.Qualifiers);
            Assert.Equal(p, back);
            Assert.Equal(p.GetHashCode(), back.GetHashCode());
            Assert.Equal(0, p.CompareTo(back));
        }), maxTest: 3000);
    }

    [Fact]
    public void The_canonical_text_of_any_parsed_purl_is_a_fixed_point()
    {
        // texts near valid purls: the canonical text of parts, then damaged
        var texts = from make in Parts
                    let text = TryText(make)
                    where text is not null
                    from at in Gen.Choose(0, text!.Length)
                    from kind in Gen.Choose(0, 3)
                    from c in Gen.Elements('/', '@', '?', '#', '%', '&', '=', ':', ' ', 'A', '\0')
                    select kind switch
                    {
                        0 => text.Insert(at, c.ToString()),
                        1 when at < text.Length => text.Remove(at, 1),
                        2 => text[..at],
                        _ => text,
                    };
        Check(Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (Purl.TryParse(text, out var p, out var error))
            {
                var canonical = p.ToString();
                Assert.Equal(canonical, Purl.Parse(canonical).ToString());
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                Assert.Throws<InvalidPurlException>(() => Purl.Parse(text));
            }
        }), maxTest: 3000);
    }

    [Fact]
    public void Ordering_purls_agrees_with_equality()
    {
        var purls = Parts.Select(TryText).Where(t => t is not null).Select(t => Purl.Parse(t!));
        Check(Prop.ForAll(Gen.Three(purls).ToArbitrary(), t =>
        {
            var (a, b, c) = t;
            var ab = Math.Sign(a.CompareTo(b));
            Assert.Equal(-ab, Math.Sign(b.CompareTo(a)));
            Assert.Equal(ab == 0, a == b);
            if (ab <= 0 && b.CompareTo(c) <= 0) Assert.True(a.CompareTo(c) <= 0);
        }));
    }

    private static string? TryText(Func<Purl> make)
    {
        try
        {
            return make().ToString();
        }
        catch (InvalidPurlException)
        {
            return null;
        }
    }

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 41).WithQuietOnSuccess(true));
}
