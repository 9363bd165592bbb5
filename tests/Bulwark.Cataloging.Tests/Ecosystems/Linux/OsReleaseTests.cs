// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Debian;
using Bulwark.Cataloging.Ecosystems.Linux;
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Tests.Ecosystems.Debian;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Linux;

public class OsReleaseTests
{
    [Fact]
    public void Parses_quoted_escaped_and_unquoted_values()
    {
        var os = OsRelease.Parse("""
            # comment
            NAME="Alpine Linux"
            ID=alpine
            VERSION_ID=3.19.1
            PRETTY_NAME="Alpine \"Linux\" v3.19 \$HOME"
            ID_LIKE='rhel fedora'
            VERSION_CODENAME= 
            broken line
            """);
        Assert.NotNull(os);
        Assert.Equal("alpine", os.Id);
        Assert.Equal("3.19.1", os.VersionId);
        Assert.Equal("Alpine \"Linux\" v3.19 $HOME", os.PrettyName);
        Assert.Equal(["rhel", "fedora"], os.IdLike);
        Assert.Null(os.Codename);
        Assert.Equal("alpine-3.19.1", os.Distro);
        Assert.True(os.IsLike("fedora"));
    }

    [Fact]
    public void Without_an_ID_there_is_no_distribution() => Assert.Null(OsRelease.Parse("NAME=\"Linux\"\n"));

    [Fact]
    public void An_unterminated_quote_drops_only_that_value()
    {
        var os = OsRelease.Parse("ID=debian\nVERSION_ID=\"12\nPRETTY_NAME=x\n");
        Assert.NotNull(os);
        Assert.Null(os.VersionId);
        Assert.Equal("x", os.PrettyName);
    }

    [Fact]
    public async Task A_huge_os_release_is_read_up_to_its_cap_without_failing()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-os-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "etc"));
            await File.WriteAllTextAsync(Path.Combine(dir, "etc/os-release"), "ID=alpine\nVERSION_ID=3.20.0\n" + new string('#', 1 << 20));
            Assert.Equal("alpine-3.20.0", OsRelease.For(new DirectoryFileTree(dir))!.Distro);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Reports_the_bookworm_image_as_one_operating_system_found_at_both_paths()
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(BookwormRootfs.Path), [new OsReleaseCataloger()]);
        Assert.Empty(result.Unreadable);
        var os = Assert.Single(result.Packages);
        Assert.Equal(PackageKind.OperatingSystem, os.Kind);
        Assert.Equal("debian", os.Name);
        Assert.Equal("12", os.Version);
        Assert.True(os.PurlIsSynthetic);
        Assert.Equal("true", os.Properties[OsReleaseCataloger.OsProperty]);
        Assert.Equal("bookworm", os.Properties["os:codename"]);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.Properties["os:pretty-name"]);
        Assert.Equal(["etc/os-release", "usr/lib/os-release"], os.Locations.Select(l => l.Path).ToArray());
    }

    [Fact]
    public async Task Falls_back_to_usr_lib_os_release_and_reads_a_rootfs_inside_the_tree()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-os-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "rootfs/usr/lib"));
            await File.WriteAllTextAsync(Path.Combine(dir, "rootfs/usr/lib/os-release"), "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\nID_LIKE=debian\n");
            Directory.CreateDirectory(Path.Combine(dir, "rootfs/var/lib/dpkg"));
            await File.WriteAllTextAsync(Path.Combine(dir, "rootfs/var/lib/dpkg/status"), "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.1-6ubuntu1\n");
            var tree = new DirectoryFileTree(dir);
            Assert.Equal("ubuntu-22.04", OsRelease.For(tree, "rootfs/")!.Distro);
            var result = await Catalog.RunAsync(tree, [new OsReleaseCataloger(), new DpkgCataloger()]);
            Assert.Equal(["pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04", "pkg:generic/ubuntu@22.04"],
                result.Packages.Select(p => p.Purl.ToString()).ToArray());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
