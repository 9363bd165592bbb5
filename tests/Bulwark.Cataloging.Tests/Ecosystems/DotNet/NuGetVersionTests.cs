// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.DotNet;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class NuGetVersionTests
{
    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.2.3.0", "1.2.3")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("01.002.3", "1.2.3")]
    [InlineData("4.1.0-beta.2+build.7", "4.1.0-beta.2")]
    [InlineData("1.0.0-RC1", "1.0.0-RC1")]
    [InlineData(" 2.1 ", "2.1.0")]
    [InlineData("1.2.3.4.5", null)]
    [InlineData("1.x", null)]
    [InlineData("1.0-", null)]
    [InlineData("$(Version)", null)]
    [InlineData("", null)]
    public void Normalises_versions_as_nuget_writes_them(string text, string? expected) => Assert.Equal(expected, NuGetVersion.Normalise(text));

    [Theory]
    [InlineData("13.0.1", "13.0.1")]
    [InlineData("[8.0.2]", "8.0.2")]
    [InlineData("[8.0.2, 8.0.2]", "8.0.2")]
    [InlineData("[2026.8.0, )", "2026.8.0")]
    [InlineData("1.*", null)]
    [InlineData("[1.0,2.0)", null)]
    [InlineData("(1.0, )", null)]
    [InlineData("(, 2.0]", null)]
    [InlineData("[1.0, 1.5]", null)]
    public void Pins_a_version_only_when_restore_would_pick_exactly_one(string requested, string? expected) =>
        Assert.Equal(expected, NuGetVersion.Pinned(requested));

    [Theory]
    [InlineData("[1.2.10]", "1.2.10")]
    [InlineData("[4.1.0-beta.2, 4.1.0-beta.2]", "4.1.0-beta.2")]
    [InlineData("4.5.5", null)]
    [InlineData("[8.0.0, 9.0.0)", null)]
    [InlineData("[1.0, )", null)]
    public void Takes_an_exact_version_from_a_nuspec_range_only_when_it_is_bracketed(string range, string? expected) =>
        Assert.Equal(expected, NuGetVersion.Exact(range));
}
