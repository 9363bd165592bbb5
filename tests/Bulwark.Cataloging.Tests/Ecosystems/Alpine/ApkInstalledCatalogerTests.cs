// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Alpine;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Alpine;

public class ApkInstalledCatalogerTests
{
    private const string Dir = "Ecosystems/Alpine/testdata";
    private static readonly ApkInstalledCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public void Wants_only_the_installed_database()
    {
        Assert.True(Cataloger.Wants("lib/apk/db/installed"));
        Assert.True(Cataloger.Wants("rootfs/lib/apk/db/installed"));
        Assert.False(Cataloger.Wants("lib/apk/db/installed.bak"));
        Assert.False(Cataloger.Wants("xlib/apk/db/installed"));
    }

    [Fact]
    public async Task Reads_packages_with_origin_license_checksum_and_edges_through_provides()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/alpine");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1&upstream=busybox",
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1",
            "pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1&upstream=busybox",
        ], Purls(result.Packages.Select(p => p.Purl)));

        var musl = result.Single("pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
        Assert.Equal([new Digest(HashAlgorithm.Sha1, "a675e60467e7230c6556edcc1be48c789469f5a3")], musl.Hashes.ToArray());
        Assert.Equal(["MIT"], musl.Licenses.ToArray());
        Assert.Equal("Timo Teräs <timo.teras@iki.fi>", musl.Supplier);
        Assert.Equal("musl", musl.Properties["apk:origin"]);
        Assert.Equal("1700000000", musl.Properties["apk:build-time"]);
        Assert.Equal([new FileLocation("lib/apk/db/installed", 1)], musl.Locations.ToArray());
        Assert.Equal([new ExternalReference("website", "https://musl.libc.org/")], musl.ExternalReferences.ToArray());

        // so:libc.musl… resolves to musl through its p: line, cmd:sh to busybox-binsh; so:libcrypto.so.3 is not installed
        var ssl = result.Single("pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1&upstream=busybox");
        Assert.Equal(
        [
            "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1&upstream=busybox",
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1",
        ], Purls(ssl.DependsOn));
        // an old-style space-separated list becomes separate names
        Assert.Equal(["BSD", "GPL-2.0-only"], ssl.Licenses.ToArray()); // the catalog names GPL2 as SPDX
        Assert.Equal("busybox", ssl.Properties["apk:origin"]);
        Assert.Equal(31, ssl.Locations.Single().Line);
    }

    [Fact]
    public async Task Without_os_release_the_namespace_is_alpine_and_there_is_no_distro()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/no-os-release");
        Assert.Equal(["pkg:apk/alpine/zlib@1.3.1-r0?arch=aarch64"], Purls(result.Packages.Select(p => p.Purl)));
    }

    [Fact]
    public async Task An_empty_database_has_no_packages()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/empty");
        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }
}
