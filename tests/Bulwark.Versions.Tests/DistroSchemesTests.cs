// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Versions.Tests;

public class DistroSchemesTests
{
    [Theory]
    [InlineData("Debian", "Debian")]
    [InlineData("Debian:12", "Debian")]
    [InlineData("Ubuntu", "Debian")]
    [InlineData("Ubuntu:22.04:LTS", "Debian")]
    [InlineData("Ubuntu:Pro:14.04:LTS", "Debian")]
    [InlineData("Alpine", "Alpine")]
    [InlineData("Alpine:v3.19", "Alpine")]
    [InlineData("Wolfi", "Alpine")]
    [InlineData("Chainguard", "Alpine")]
    [InlineData("Red Hat", "RPM")]
    [InlineData("Red Hat:enterprise_linux:9::appstream", "RPM")]
    [InlineData("AlmaLinux", "RPM")]
    [InlineData("AlmaLinux:8", "RPM")]
    [InlineData("Rocky Linux:9", "RPM")]
    [InlineData("openSUSE", "RPM")]
    [InlineData("SUSE:Linux Enterprise Server 15 SP5", "RPM")]
    [InlineData("Mageia:9", "RPM")]
    public void Maps_distro_ecosystems_to_their_package_manager_order(string ecosystem, string scheme) =>
        Assert.Equal(scheme, VersionSchemes.For(ecosystem).Name);

    [Theory]
    [InlineData("debian")]      // OSV names are case-sensitive
    [InlineData("RedHat")]
    [InlineData("Alpine Linux")]
    public void Refuses_misspelled_distro_names(string ecosystem) =>
        Assert.Throws<UnsupportedEcosystemException>(() => VersionSchemes.For(ecosystem));

    [Fact]
    public void A_scheme_refuses_to_compare_a_version_it_cannot_parse() =>
        Assert.Throws<InvalidVersionException>(() => VersionSchemes.For("Alpine:v3.19").Compare("1.0-r1", "1.0-1"));
}
