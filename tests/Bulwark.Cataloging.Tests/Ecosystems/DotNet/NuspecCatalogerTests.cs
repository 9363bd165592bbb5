// SPDX-License-Identifier: Apache-2.0
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Cataloging.Ecosystems.DotNet;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;
using Bulwark.Testing;
using static Bulwark.Cataloging.Tests.Ecosystems.DotNet.DotNetAssert;

namespace Bulwark.Cataloging.Tests.Ecosystems.DotNet;

public class NuspecCatalogerTests
{
    private static readonly NuspecCataloger Nuspec = new();
    private static readonly NupkgCataloger Nupkg = new();

    [Fact]
    public void Wants_manifests_and_packages_but_not_symbol_packages()
    {
        Assert.True(Nuspec.Wants("packages/acme.widgets/4.1.0/acme.widgets.nuspec"));
        Assert.False(Nuspec.Wants("acme.widgets.nupkg"));
        Assert.True(Nupkg.Wants("out/Acme.Widgets.4.1.0.nupkg"));
        Assert.False(Nupkg.Wants("out/Acme.Widgets.4.1.0.snupkg"));
        Assert.False(Nupkg.Wants("out/Acme.Widgets.4.1.0.nupkg.sha512"));
    }

    [Fact]
    public async Task Reads_identity_license_expression_repository_and_exact_dependencies()
    {
        var result = await CatalogerRun.FileAsync(Nuspec, $"{Testdata}/nuspec/Acme.Widgets.nuspec");

        Assert.Empty(result.Unreadable);
        Assert.Equal(["pkg:nuget/Acme.Widgets.Core@4.1.0-beta.2", "pkg:nuget/Acme.Widgets@4.1.0-beta.2"], result.Purls());
        var widgets = result.Single("pkg:nuget/Acme.Widgets@4.1.0-beta.2");
        Assert.Equal(["MIT OR Apache-2.0"], widgets.Licenses.ToArray());
        Assert.Equal([new ExternalReference("vcs", "https://github.com/acme/widgets.git"), new ExternalReference("website", "https://widgets.acme.example/")],
            widgets.ExternalReferences.ToArray());
        Assert.Equal("Acme Corp", widgets.Author);
        Assert.Equal("Widgets for everyone.", widgets.Description);
        Assert.Equal("0a2e291c0d9c0c7675d445703e51750363a549ef", widgets.Properties["nuget:repository-commit"]);
        Assert.Equal("https://licenses.nuget.org/MIT%20OR%20Apache-2.0", widgets.Properties["nuget:license-url"]);
        // "[4.1.0-beta.2]" and "[x, x]" pin one version: an edge. "4.5.5" and "[8.0.0, 9.0.0)" are ranges: no edge
        Assert.Equal(["pkg:nuget/Acme.Widgets.Core@4.1.0-beta.2"], widgets.Edges());
        Assert.Equal(".NETStandard2.0: System.Memory 4.5.5; net8.0: Microsoft.Extensions.Logging.Abstractions [8.0.0, 9.0.0)",
            widgets.Properties["nuget:dependency-ranges"]);
        Assert.Equal(["Acme.Widgets.nuspec:15", "Acme.Widgets.nuspec:19"], result.Single("pkg:nuget/Acme.Widgets.Core@4.1.0-beta.2").Locations());
    }

    [Fact]
    public async Task Keeps_license_urls_and_files_as_properties_not_licenses()
    {
        var result = await CatalogerRun.DirectoryAsync(Nuspec, $"{Testdata}/nuspec");

        var old = result.Single("pkg:nuget/Old.Library@1.0.0");
        Assert.Empty(old.Licenses);
        Assert.Equal("http://www.apache.org/licenses/LICENSE-2.0", old.Properties["nuget:license-url"]);
        Assert.Equal("true", old.Properties["nuget:development-dependency"]);
        Assert.Equal(["pkg:nuget/log4net@1.2.10"], old.Edges());
        var vendor = result.Single("pkg:nuget/Vendor.Sdk@2.0.0");
        Assert.Empty(vendor.Licenses);
        Assert.Equal("LICENSE.txt", vendor.Properties["nuget:license-file"]);
        // the placeholder URL pack writes beside a license file says nothing
        Assert.False(vendor.Properties.ContainsKey("nuget:license-url"));
        Assert.Equal(5, result.Packages.Count);
    }

    [Fact]
    public async Task Reads_the_manifest_inside_a_nupkg_and_hashes_the_package_bytes()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            var manifest = await File.ReadAllTextAsync(Path.Combine(TestPaths.Project("Bulwark.Cataloging.Tests"), Testdata, "nuspec", "Acme.Widgets.nuspec"));
            var path = Path.Combine(dir.FullName, "Acme.Widgets.4.1.0-beta.2.nupkg");
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                await using (var w = new StreamWriter(zip.CreateEntry("_rels/.rels").Open())) await w.WriteAsync("<Relationships />");
                await using (var w = new StreamWriter(zip.CreateEntry("Acme.Widgets.nuspec").Open(), new UTF8Encoding(true))) await w.WriteAsync(manifest);
                await using (var w = new StreamWriter(zip.CreateEntry("lib/net8.0/Acme.Widgets.dll").Open())) await w.WriteAsync("MZ");
                // a nuspec below the root is package content, not the manifest
                await using (var w = new StreamWriter(zip.CreateEntry("content/other.nuspec").Open())) await w.WriteAsync("<package/>");
            }
            var expected = Convert.ToHexStringLower(SHA512.HashData(await File.ReadAllBytesAsync(path)));

            var result = await Catalog.RunAsync(new DirectoryFileTree(dir.FullName), [Nupkg]);

            Assert.Empty(result.Unreadable);
            Assert.Equal(["pkg:nuget/Acme.Widgets.Core@4.1.0-beta.2", "pkg:nuget/Acme.Widgets@4.1.0-beta.2"], result.Purls());
            var widgets = result.Single("pkg:nuget/Acme.Widgets@4.1.0-beta.2");
            Assert.Equal([$"sha512:{expected}"], widgets.Hashes());
            Assert.Equal(["MIT OR Apache-2.0"], widgets.Licenses.ToArray());
            Assert.Equal(["Acme.Widgets.4.1.0-beta.2.nupkg"], widgets.Locations());
            Assert.Empty(result.Single("pkg:nuget/Acme.Widgets.Core@4.1.0-beta.2").Hashes);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Records_broken_nupkg_files_as_unreadable()
    {
        var dir = Directory.CreateTempSubdirectory("bulwark-dotnet-");
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "garbage.nupkg"), Encoding.ASCII.GetBytes("this is not a zip file at all"));
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "empty.nupkg"), []);
            using (var zip = ZipFile.Open(Path.Combine(dir.FullName, "no-manifest.nupkg"), ZipArchiveMode.Create))
            {
                await using var w = new StreamWriter(zip.CreateEntry("lib/net8.0/A.dll").Open());
                await w.WriteAsync("MZ");
            }
            using (var zip = ZipFile.Open(Path.Combine(dir.FullName, "bad-manifest.nupkg"), ZipArchiveMode.Create))
            {
                await using var w = new StreamWriter(zip.CreateEntry("Bad.nuspec").Open());
                await w.WriteAsync("<package><metadata><version>1.0.0</version></metadata></package>");
            }
            using (var zip = ZipFile.Open(Path.Combine(dir.FullName, "bomb.nupkg"), ZipArchiveMode.Create))
            {
                // 64 MB of spaces compresses to a few kilobytes; the reader stops at its manifest limit
                await using var s = zip.CreateEntry("Bomb.nuspec", CompressionLevel.SmallestSize).Open();
                var chunk = new byte[1 << 20];
                Array.Fill(chunk, (byte)' ');
                for (var i = 0; i < 64; i++) await s.WriteAsync(chunk);
            }

            var result = await Catalog.RunAsync(new DirectoryFileTree(dir.FullName), [Nupkg]);

            Assert.Empty(result.Packages);
            var reasons = result.Unreadable.ToDictionary(u => u.Location.Path, u => u.Reason);
            Assert.Equal(5, reasons.Count);
            Assert.Contains("over the 4,194,304-byte limit", reasons["bomb.nupkg"], StringComparison.Ordinal);
            Assert.Contains("no .nuspec at its root", reasons["no-manifest.nupkg"], StringComparison.Ordinal);
            Assert.StartsWith("Bad.nuspec: line 1: <metadata> has no <id>", reasons["bad-manifest.nupkg"], StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", reasons["garbage.nupkg"], StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", reasons["empty.nupkg"], StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
