// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;
using Bulwark.Core;

namespace Bulwark.Oci.Tests;

public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("linux/arm64", "linux", "arm64", "v8")]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData("linux/aarch64", "linux", "arm64", "v8")]
    [InlineData("linux/x86_64", "linux", "amd64", null)]
    [InlineData("linux/arm", "linux", "arm", "v7")]
    [InlineData("linux/arm/v6", "linux", "arm", "v6")]
    [InlineData("linux/armhf", "linux", "arm", "v7")]
    [InlineData("Linux/AMD64", "linux", "amd64", null)]
    [InlineData("windows/amd64", "windows", "amd64", null)]
    [InlineData("linux/i386", "linux", "386", null)]
    public void Parses_and_normalises_platforms(string text, string os, string arch, string? variant)
    {
        Assert.Equal(new Platform(os, arch, variant), Platform.Parse(text));
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("linux/")]
    [InlineData("linux/arm/v7/extra")]
    [InlineData("linux/am d64")]
    public void Rejects_what_is_not_os_slash_arch(string text)
    {
        var e = Assert.Throws<UsageException>(() => Platform.Parse(text));
        Assert.Equal($"'{text}' is not a platform: write OS/ARCH[/VARIANT], for example linux/amd64 or linux/arm64/v8.", e.Message);
    }

    [Theory]
    [InlineData("linux/arm64", "linux", "arm64", null, true)]
    [InlineData("linux/arm64", "linux", "arm64", "v8", true)]
    [InlineData("linux/arm64/v8", "linux", "arm64", null, true)]
    [InlineData("linux/arm", "linux", "arm", null, true)]
    [InlineData("linux/arm", "linux", "arm", "v7", true)]
    [InlineData("linux/arm", "linux", "arm", "v6", false)]
    [InlineData("linux/arm/v6", "linux", "arm", "v7", false)]
    [InlineData("linux/amd64", "linux", "amd64", null, true)]
    [InlineData("linux/amd64", "linux", "amd64", "v3", true)]
    [InlineData("linux/amd64/v2", "linux", "amd64", "v3", false)]
    [InlineData("linux/amd64", "windows", "amd64", null, false)]
    [InlineData("linux/amd64", "linux", "arm64", null, false)]
    public void Matches_platforms_with_default_variants(string wanted, string os, string arch, string? variant, bool matches)
    {
        Assert.Equal(matches, Platform.Parse(wanted).Matches(new Platform(os, arch, variant)));
    }

    [Fact]
    public void Maps_the_host_cpu_to_an_oci_platform()
    {
        Assert.Equal("linux/amd64", Platform.FromArchitecture(Architecture.X64).ToString());
        Assert.Equal("linux/arm64/v8", Platform.FromArchitecture(Architecture.Arm64).ToString());
        Assert.Equal("linux/arm/v7", Platform.FromArchitecture(Architecture.Arm).ToString());
        Assert.Equal("linux/386", Platform.FromArchitecture(Architecture.X86).ToString());
        Assert.Equal(Platform.FromArchitecture(RuntimeInformation.OSArchitecture), Platform.Host);
    }
}
