// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Debian;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Debian;

public class DpkgCatalogerTests
{
    private const string Dir = "Ecosystems/Debian/testdata";
    private static readonly DpkgCataloger Cataloger = new();

    private static string[] Purls(IEnumerable<Purl> purls) => [.. purls.Select(p => p.ToString())];

    [Fact]
    public void Wants_the_status_file_and_status_d_entries_but_not_md5sums()
    {
        Assert.True(Cataloger.Wants("var/lib/dpkg/status"));
        Assert.True(Cataloger.Wants("rootfs/var/lib/dpkg/status"));
        Assert.True(Cataloger.Wants("var/lib/dpkg/status.d/libc6"));
        Assert.False(Cataloger.Wants("var/lib/dpkg/status.d/libc6.md5sums"));
        Assert.False(Cataloger.Wants("var/lib/dpkg/status-old"));
        Assert.False(Cataloger.Wants("myvar/lib/dpkg/status"));
        Assert.True(Cataloger.MayRead("usr/share/doc/zlib1g/copyright"));
        Assert.True(Cataloger.MayRead("etc/os-release"));
    }

    [Fact]
    public async Task Reads_every_installed_package_of_the_real_bookworm_image()
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(BookwormRootfs.Path), [Cataloger]);
        Assert.Empty(result.Unreadable);
        // counted independently: `dpkg-query --admindir=<extracted>/var/lib/dpkg -W | wc -l` and
        // `grep -c '^Package:' status` both give 88, every one "install ok installed"
        Assert.Equal(88, result.Packages.Count);

        var libc = result.Single("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc");
        Assert.Equal("glibc", libc.Properties["deb:source"]);
        Assert.Equal("2.36-9+deb12u14", libc.Properties["deb:source-version"]);
        Assert.Equal("GNU Libc Maintainers <debian-glibc@lists.debian.org>", libc.Supplier);
        Assert.Equal([new FileLocation("usr/share/doc/libc6/copyright"), new FileLocation("var/lib/dpkg/status", 694)], libc.Locations.ToArray());
        // not machine-readable: only the /usr/share/common-licenses files it points at
        Assert.Equal(["GPL-2.0-only", "LGPL-2.1-only"], libc.Licenses.ToArray());
        Assert.Equal(["pkg:deb/debian/libgcc-s1@12.2.0-14%2Bdeb12u1?arch=amd64&distro=debian-12&upstream=gcc-12"], Purls(libc.DependsOn));

        var coreutils = result.Single("pkg:deb/debian/coreutils@9.1-1?arch=amd64&distro=debian-12");
        Assert.Equal("coreutils", coreutils.Properties["deb:source"]);
        Assert.Equal(["BSD-4-Clause-UC", "FSFULLR", "GFDL-1.3-no-invariants-only", "GPL-3.0-or-later", "ISC"], coreutils.Licenses.ToArray());
        Assert.Equal(
            ["libacl1", "libattr1", "libc6", "libgmp10", "libselinux1"],
            coreutils.DependsOn.Select(p => p.Name).ToArray());

        // epoch kept exactly; DEP-5 file with "License: Zlib"
        var zlib = result.Single("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib");
        Assert.Equal("1:1.2.13.dfsg-1", zlib.Version);
        Assert.Equal(["Zlib"], zlib.Licenses.ToArray());
        Assert.Equal("zlib", zlib.Properties["deb:source"]);

        // "Pre-Depends: awk" is virtual: mawk provides it
        var baseFiles = result.Single("pkg:deb/debian/base-files@12.4%2Bdeb12u15?arch=amd64&distro=debian-12");
        Assert.Equal(["mawk"], baseFiles.DependsOn.Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Keeps_held_packages_and_skips_config_files_and_half_installed_ones()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/states");
        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:deb/debian/held@1.0-1?arch=all", "pkg:deb/debian/ok@2:3.4-5?arch=amd64&upstream=ok-src%403.4-4"],
            Purls(result.Packages.Select(p => p.Purl)));
        var ok = result.Single("pkg:deb/debian/ok@2:3.4-5?arch=amd64&upstream=ok-src%403.4-4");
        Assert.Equal("ok-src", ok.Properties["deb:source"]);
        Assert.Equal("3.4-4", ok.Properties["deb:source-version"]);
        Assert.Equal("A long description", ok.Description);
        Assert.Equal("20", ok.Properties["deb:installed-size"]);
        Assert.Equal([new ExternalReference("website", "https://example.org/ok")], ok.ExternalReferences.ToArray());
        // "missing | held": the first installed alternative; "gone" is not installed
        Assert.Equal(["pkg:deb/debian/held@1.0-1?arch=all"], Purls(ok.DependsOn));
    }

    [Fact]
    public async Task Reads_distroless_status_d_with_edges_across_files_and_the_distro_from_os_release()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/distroless");
        Assert.Empty(result.Unreadable);
        Assert.Equal(
        [
            "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc",
            "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
            "pkg:deb/debian/netbase@6.4?arch=all&distro=debian-12",
        ], Purls(result.Packages.Select(p => p.Purl)));
        var ssl = result.Single("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl");
        Assert.Equal(["pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"], Purls(ssl.DependsOn));
        Assert.Equal([new FileLocation("var/lib/dpkg/status.d/3f2a9c", 1)], ssl.Locations.ToArray());
        Assert.Equal(["Apache-2.0"], result.Single("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc")
            .Licenses.ToArray());
    }

    [Fact]
    public async Task Skips_a_paragraph_without_a_package_name_and_reads_the_rest()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/malformed");
        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:deb/debian/good@1?arch=amd64"], Purls(result.Packages.Select(p => p.Purl)));
    }

    [Fact]
    public async Task An_empty_status_file_has_no_packages()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/empty");
        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Fact]
    public async Task A_binary_status_file_is_recorded_unreadable()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Dir}/binary");
        var u = Assert.Single(result.Unreadable);
        Assert.Contains("not a Debian control file", u.Reason);
    }

    [Theory]
    [InlineData("GPL-2+", "GPL-2.0-or-later")]
    [InlineData("GPL-2", "GPL-2.0-only")]
    [InlineData("LGPL-2.1+", "LGPL-2.1-or-later")]
    [InlineData("GPLv3+", "GPL-3.0-or-later")]
    [InlineData("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later")]
    [InlineData("Expat", "MIT")]
    [InlineData("BSD-3-clause", "BSD-3-Clause")]
    [InlineData("Apache-2", "Apache-2.0")]
    [InlineData("public-domain", "public-domain")]
    [InlineData("GPL", "GPL")]
    public void Maps_Debian_short_names_to_SPDX_ids(string debian, string spdx) => Assert.Equal(spdx, DebianCopyright.ToSpdx(debian));

    [Fact]
    public void Splits_compound_license_fields_and_keeps_exceptions()
    {
        Assert.Equal(["GPL-1.0-or-later", "Artistic-1.0-Perl", "MIT"], DebianCopyright.Terms("GPL-1+ or Artistic, and Expat").ToArray());
        Assert.Equal(["GPL-3.0-or-later WITH Bison-exception-2.2"], DebianCopyright.Terms("GPL-3+ with Bison exception").ToArray());
        Assert.Equal(["GPL-2+ with distribution exception"], DebianCopyright.Terms("GPL-2+ with distribution exception").ToArray());
    }
}
