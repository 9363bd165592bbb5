// SPDX-License-Identifier: Apache-2.0
using Bulwark.Versions.Semver;

namespace Bulwark.Versions.Tests.Semver;

public class CargoRequirementTests
{
    public static TheoryData<string, string, string, bool> HandWritten => RangeTable.Load("cargo-ranges.txt");
    public static TheoryData<string, string, string, bool> Generated => RangeTable.Load("cargo-ranges.generated.txt");

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void Matches_as_the_semver_crate_does(string where, string requirement, string version, bool expected) =>
        Assert.True(CargoRequirement.Parse(requirement).Matches(SemVersion.Parse(version)) == expected,
            $"{where}: '{requirement}' vs {version}: expected {expected}");

    [Theory]
    [MemberData(nameof(Generated))]
    public void Matches_real_requirements_as_the_semver_crate_does(string where, string requirement, string version, bool expected) =>
        Assert.True(CargoRequirement.Parse(requirement).Matches(SemVersion.Parse(version)) == expected,
            $"{where}: '{requirement}' vs {version}: expected {expected}");

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2")]
    [InlineData("*.1")]
    [InlineData("1.*.3")]
    [InlineData(">=1.2,")]
    [InlineData("1.2-beta")]
    [InlineData("~>1.2")]
    public void Rejects_what_Cargo_rejects(string requirement)
    {
        Assert.False(CargoRequirement.TryParse(requirement, out _));
        var e = Assert.Throws<InvalidVersionException>(() => CargoRequirement.Parse(requirement));
        Assert.Equal("Cargo requirement", e.Scheme);
    }
}
