// SPDX-License-Identifier: Apache-2.0
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Core.Tests.Properties;

/// Package.Merge is commutative and associative (catalogers run in parallel and output must not depend on the
/// order), so Package.MergeAll's balanced merge must equal a left-to-right fold of any order of the sightings.
public class PackageMergePropertiesTests
{
    private static readonly Purl Purl = Purl.Parse("pkg:npm/left-pad@1.3.0");

    private static readonly Gen<Package> Sighting =
        from file in Gen.Elements("package-lock.json", "a/package-lock.json", "b/yarn.lock", "node_modules/left-pad/package.json")
        from line in Gen.Choose(0, 40)
        from license in Gen.Elements("MIT", "ISC", "WTFPL", "")
        from scope in Gen.Elements(Scope.Required, Scope.Optional, Scope.Dev)
        from key in Gen.Elements("npm:integrity", "bulwark:scope", "npm:resolved")
        from value in Gen.Elements("a", "b", "sha512-x", "")
        from description in Gen.Elements<string?>(null, "", "pads", "left pads")
        select new Package
        {
            Ecosystem = Ecosystem.Npm,
            Name = "left-pad",
            Version = "1.3.0",
            Purl = Purl,
            Scope = scope,
            Licenses = license.Length == 0 ? [] : [license],
            Locations = [new FileLocation(file, line == 0 ? null : line)],
            Description = description,
        }.WithProperty(key, value);

    [Fact]
    public void Merging_all_sightings_at_once_equals_folding_them_in_any_order()
    {
        var sightings = from n in Gen.Choose(1, 40)
                        from list in Gen.ListOf(Sighting, n)
                        from shuffled in Gen.Shuffle(list.ToArray())
                        select (list.ToArray(), shuffled);
        Prop.ForAll(sightings.ToArbitrary(), s =>
        {
            var (inOrder, shuffled) = s;
            var fold = inOrder.Aggregate((a, b) => a.Merge(b)).Normalised();
            Assert.Equal(Describe(fold), Describe(Package.MergeAll(inOrder).Normalised()));
            Assert.Equal(Describe(fold), Describe(Package.MergeAll(shuffled).Normalised()));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(20261122, 71).WithQuietOnSuccess(true));
    }

    [Fact]
    public void Merging_many_sightings_of_one_package_keeps_every_location()
    {
        var sightings = Enumerable.Range(1, 50_000).Select(i => new Package
        {
            Ecosystem = Ecosystem.Npm, Name = "left-pad", Version = "1.3.0", Purl = Purl,
            Locations = [new FileLocation("package-lock.json", i)],
        }).ToArray();
        Assert.Equal(50_000, Package.MergeAll(sightings).Locations.Length);
    }

    private static string Describe(Package p) => string.Join(" | ",
        p.Scope, string.Join(",", p.Licenses), string.Join(",", p.Locations), p.Description,
        string.Join(",", p.Properties.Select(kv => kv.Key + "=" + kv.Value)));
}

public class PackageSightingsTests
{
    [Fact]
    public void Sightings_merge_per_purl_in_the_order_first_seen()
    {
        Package P(string purl, string file) => new()
        {
            Ecosystem = Ecosystem.Npm, Name = Purl.Parse(purl).Name, Version = Purl.Parse(purl).Version!, Purl = Purl.Parse(purl),
            Locations = [new FileLocation(file)],
        };
        var sightings = new PackageSightings();
        foreach (var p in new[] { P("pkg:npm/b@1", "x"), P("pkg:npm/a@1", "y"), P("pkg:npm/b@1", "z"), P("pkg:npm/a@1", "y") })
            sightings.Add(p);
        Assert.Equal(["pkg:npm/b@1", "pkg:npm/a@1"], sightings.Purls.Select(p => p.ToString()));
        var merged = sightings.Merged();
        Assert.Equal(["x", "z"], merged[0].Locations.Select(l => l.Path));
        Assert.Equal(["y"], merged[1].Locations.Select(l => l.Path));
    }
}
