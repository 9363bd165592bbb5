// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Oci.Tests.Properties;

/// Properties of image references over references FsCheck builds from the distribution reference grammar.
public class ImageReferencePropertiesTests
{
    private static readonly Gen<string> Alnum = Gen.Frequency(
        (4, Gen.Elements("app", "library", "ubuntu", "team", "x", "a1", "0")),
        (1, from chars in Gen.ArrayOf(Gen.Elements('a', 'z', '0', '9'), 3) select new string(chars)));

    // path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | "__" | [-]+
    private static readonly Gen<string> PathComponent =
        from first in Alnum
        from more in Gen.Choose(0, 2)
        from seps in Gen.ArrayOf(Gen.Elements(".", "_", "__", "-", "--"), more)
        from parts in Gen.ArrayOf(Alnum, more)
        select first + string.Concat(seps.Zip(parts, (s, p) => s + p));

    private static readonly Gen<string?> Registry = Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (3, Gen.Elements<string?>("docker.io", "index.docker.io", "registry-1.docker.io", "ghcr.io", "localhost", "localhost:5000",
            "127.0.0.1:5000", "registry.example.com", "REGISTRY.Example.com:443", "[::1]:5000", "my-registry.local", "Upper")));

    private static readonly Gen<string?> Tag = Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (3, Gen.Elements<string?>("latest", "1.2.3", "v1", "_x", "1.0-rc.1_b", "A", new string('t', 128))));

    private static readonly Gen<string?> DigestText = Gen.Frequency(
        (3, Gen.Constant<string?>(null)),
        (1, Gen.Elements<string?>("sha256:" + new string('a', 64), "sha256:" + string.Concat(Enumerable.Repeat("0123456789abcdef", 4)),
            "sha512:" + new string('f', 128))));

    private static readonly Gen<string> References =
        from registry in Registry
        from n in Gen.Choose(1, 3)
        from path in Gen.ArrayOf(PathComponent, n)
        from tag in Tag
        from digest in DigestText
        select (registry is null ? "" : registry + "/") + string.Join('/', path) + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);

    [Fact]
    public void A_reference_from_the_grammar_parses_and_its_full_and_familiar_forms_parse_to_the_same_reference()
    {
        Check(Prop.ForAll(References.ToArbitrary(), text =>
        {
            if (!ImageReference.TryParse(text, out var r, out var reason))
            {
                // the grammar allows names the length limit or the lowercase rule refuses: nothing else
                Assert.True(reason.Contains("at most 255", StringComparison.Ordinal) || reason.Contains("lowercase", StringComparison.Ordinal), $"{text}: {reason}");
                return;
            }
            Assert.Equal(r, ImageReference.Parse(r.ToString()));
            Assert.Equal(r, ImageReference.Parse(r.Familiar));
            Assert.Equal(r.Name, ImageReference.Parse(r.Name).Name);
            Assert.NotNull(r.Tag ?? (object?)r.Digest);
            Assert.DoesNotContain("//", r.Name, StringComparison.Ordinal);
        }), maxTest: 3000);
    }

    [Fact]
    public void Damaged_references_parse_or_are_refused_with_the_documented_error()
    {
        var damaged = from text in References
                      from at in Gen.Choose(0, text.Length)
                      from kind in Gen.Choose(0, 2)
                      from c in Gen.Elements('/', ':', '@', '.', '-', '_', 'A', ' ', '[', '\0', 'é')
                      select kind switch
                      {
                          0 => text.Insert(at, c.ToString()),
                          1 when at < text.Length => text.Remove(at, 1),
                          _ => text[..at],
                      };
        Check(Prop.ForAll(damaged.ToArbitrary(), text =>
        {
            if (ImageReference.TryParse(text, out var r))
                Assert.Equal(r, ImageReference.Parse(r.ToString()));
            else
                Assert.Equal(text, Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(text)).Text);
        }), maxTest: 3000);
    }

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 47).WithQuietOnSuccess(true));
}
