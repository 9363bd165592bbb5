// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;
using Bulwark.Cataloging.Tests.Ecosystems.Debian;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Linux;

public class ImageCatalogersTests
{
    [Fact]
    public async Task Every_built_in_cataloger_over_the_bookworm_files_finds_the_OS_and_its_dpkg_packages()
    {
        var result = await Catalog.RunAsync(new DirectoryFileTree(BookwormRootfs.Path), Catalogers.BuiltIn);
        Assert.Empty(result.Unreadable);
        Assert.Equal(88, result.Packages.Count(p => p.Ecosystem == Ecosystem.Debian));
        var os = Assert.Single(result.Packages, p => p.Kind == PackageKind.OperatingSystem);
        Assert.Equal("pkg:generic/debian@12", os.Purl.ToString());
        Assert.Equal(89, result.Packages.Count);
        Assert.Contains(result.Packages, p => p.Name == "bash" && p.FoundBy.SequenceEqual(["dpkg"]));
    }
}
