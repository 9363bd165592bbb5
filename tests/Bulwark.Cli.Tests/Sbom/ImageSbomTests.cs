// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text.Json;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Sbom;

/// `bulwark sbom IMAGE` end to end on the real images in ../shared/images, through every transport.
public sealed class ImageSbomTests : IDisposable
{
    private static readonly string Layout = Path.Combine(TestPaths.Shared, "images", "oci-layout");
    private const string BaseLayer = "sha256:a292a3acf15f928c22a0164e3e0e53eca9ea17137ab21331cf34bed726e20c9e";
    private const string AppLayer = "sha256:16cf8437a32eacd9a250821982f58f7f076168ff805a1ad0b82560d3746ea95f";
    private const string DemoManifest = "sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0";
    private readonly string _temp = Directory.CreateTempSubdirectory("bulwark-image-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static async Task<JsonDocument> SbomOf(params string[] args)
    {
        var outcome = await CliRun.RunAsync(["sbom", .. args, "--quiet"]);
        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        return JsonDocument.Parse(outcome.Stdout);
    }

    private static List<JsonElement> Components(JsonDocument doc) => [.. doc.RootElement.GetProperty("components").EnumerateArray()];

    private static SortedSet<string> Purls(JsonDocument doc) =>
        new(Components(doc).Where(c => c.TryGetProperty("purl", out _)).Select(c => c.GetProperty("purl").GetString()!), StringComparer.Ordinal);

    private static string? PurlOf(JsonElement c) => c.TryGetProperty("purl", out var p) ? p.GetString() : null;

    private static string? Property(JsonElement props, string name) =>
        props.EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } p
            ? p.GetProperty("value").GetString() : null;

    private static IEnumerable<(string Location, string? Layer)> Occurrences(JsonElement component) =>
        component.GetProperty("evidence").GetProperty("occurrences").EnumerateArray()
            .Select(o => (o.GetProperty("location").GetString()!, o.TryGetProperty("additionalContext", out var c) ? c.GetString() : null));

    [Fact]
    public async Task Catalogs_the_demo_shop_image_from_an_oci_layout()
    {
        using var doc = await SbomOf($"oci:{Layout}:demo-shop");
        var byType = Purls(doc).GroupBy(p => p[4..p.IndexOf('/')]).ToDictionary(g => g.Key, g => g.Count());
        // counted independently: 131 dpkg paragraphs (88 in the base layer + 43 from apt-get install), 57 package.json
        // under app/node_modules, 7 egg-info/dist-info directories, 46 distinct pom.properties in /usr/share/java
        Assert.Equal(131, byType["deb"]);
        Assert.Equal(57, byType["npm"]);
        Assert.Equal(7, byType["pypi"]);
        Assert.Equal(46, byType["maven"]);

        var meta = doc.RootElement.GetProperty("metadata");
        var subject = meta.GetProperty("component");
        Assert.Equal("container", subject.GetProperty("type").GetString());
        Assert.Equal(DemoManifest, subject.GetProperty("version").GetString());
        Assert.Equal("debian", Property(meta.GetProperty("properties"), "bulwark:os:id"));
        Assert.Equal("12", Property(meta.GetProperty("properties"), "bulwark:os:version-id"));
        Assert.Equal("sha256:87c80cc5f74f0fdf788926287c0f16607f6d0607d9f7648aee969e47f156b1ad", Property(meta.GetProperty("properties"), "bulwark:image:config-digest"));

        var components = Components(doc);
        Assert.Contains(components, c => c.GetProperty("type").GetString() == "operating-system" && c.GetProperty("name").GetString() == "debian");
        var log4j = components.Single(c => PurlOf(c) == "pkg:maven/org.apache.logging.log4j/log4j-core@2.19.0");
        Assert.Contains(Occurrences(log4j), o => o.Location == "usr/share/java/log4j-core-2.19.0.jar");
        // the layer that introduced each package: libc6 in the base image, express in the app layer
        var libc = components.Single(c => c.GetProperty("name").GetString() == "libc6");
        Assert.Contains(("var/lib/dpkg/status", $"layer {BaseLayer}"), Occurrences(libc));
        var express = components.Single(c => PurlOf(c) == "pkg:npm/express@4.17.1");
        Assert.All(Occurrences(express), o => Assert.Equal($"layer {AppLayer}", o.Layer));
        Assert.StartsWith("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12", libc.GetProperty("purl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_docker_archive_and_a_registry_give_the_same_packages_as_the_layout()
    {
        using var fromLayout = await SbomOf($"oci:{Layout}:demo-shop");
        var archive = Path.Combine(_temp, "demo.tar");
        Skopeo("copy", $"oci:{Layout}:demo-shop", $"docker-archive:{archive}:demo/shop:1");
        using var fromArchive = await SbomOf($"docker-archive:{archive}");
        Assert.Equal(Purls(fromLayout), Purls(fromArchive));

        using var registry = new LocalRegistry();
        Skopeo("copy", "--dest-tls-verify=false", $"oci:{Layout}:demo-shop", $"docker://{registry.Host}/demo/shop:1");
        using var fromRegistry = await SbomOf($"{registry.Host}/demo/shop:1", "--insecure");
        Assert.Equal(Purls(fromLayout), Purls(fromRegistry));
        var props = fromRegistry.RootElement.GetProperty("metadata").GetProperty("properties");
        Assert.Equal($"{registry.Host}/demo/shop@{DemoManifest}", Property(props, "bulwark:image:repo-digest"));
    }

    [Fact]
    public async Task Catalogs_an_unpacked_root_filesystem()
    {
        var rootfs = Path.Combine(_temp, "rootfs");
        Directory.CreateDirectory(rootfs);
        var run = Process.Start(new ProcessStartInfo("tar", ["-xzf", Path.Combine(Layout, "blobs", "sha256", BaseLayer[7..]), "-C", rootfs, "--exclude=./dev/*", "--exclude=dev/*", "--no-same-owner"]))!;
        run.WaitForExit();
        Assert.Equal(0, run.ExitCode);
        using var doc = await SbomOf($"dir:{rootfs}");
        Assert.Equal(88, Purls(doc).Count(p => p.StartsWith("pkg:deb/debian/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reports_packages_deleted_by_a_later_layer_only_with_layers_all()
    {
        var dir = Path.Combine(_temp, "layout");
        new ImageLayoutBuilder()
            .Layer(new()
            {
                ["app/node_modules/lodash/package.json"] = """{"name":"lodash","version":"4.17.15","license":"MIT"}""",
                ["app/node_modules/left-pad/package.json"] = """{"name":"left-pad","version":"1.3.0"}""",
            })
            .Layer(new() { ["app/node_modules/lodash"] = null })
            .WriteTo(dir, "app");
        using var squashed = await SbomOf($"oci:{dir}:app");
        Assert.Equal(["pkg:npm/left-pad@1.3.0"], Purls(squashed));

        using var all = await SbomOf($"oci:{dir}:app", "--layers", "all");
        Assert.Equal(["pkg:npm/left-pad@1.3.0", "pkg:npm/lodash@4.17.15"], Purls(all));
        var lodash = Components(all).Single(c => c.GetProperty("name").GetString() == "lodash");
        Assert.Equal("deleted", Property(lodash.GetProperty("properties"), "bulwark:layer-status"));
    }

    [Fact]
    public async Task Writes_one_sbom_per_platform_with_all_platforms()
    {
        var dir = Path.Combine(_temp, "multi");
        Directory.CreateDirectory(dir);
        ImageLayoutBuilder.WriteMultiPlatform(dir, "app",
            ("amd64", new ImageLayoutBuilder().Layer(new() { ["app/node_modules/x64only/package.json"] = """{"name":"x64only","version":"1.0.0"}""" })),
            ("arm64", new ImageLayoutBuilder().Layer(new() { ["app/node_modules/armonly/package.json"] = """{"name":"armonly","version":"2.0.0"}""" })));
        using var arm = await SbomOf($"oci:{dir}:app", "--platform", "linux/arm64");
        Assert.Equal(["pkg:npm/armonly@2.0.0"], Purls(arm));

        var pattern = Path.Combine(_temp, "sbom-{platform}.json");
        var outcome = await CliRun.RunAsync("sbom", $"oci:{dir}:app", "--all-platforms", "-o", pattern, "--quiet");
        Assert.Equal(0, outcome.ExitCode);
        using var amd = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, "sbom-linux-amd64.json")));
        using var arm2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, "sbom-linux-arm64.json")));
        Assert.Equal(["pkg:npm/x64only@1.0.0"], Purls(amd));
        Assert.Equal(["pkg:npm/armonly@2.0.0"], Purls(arm2));

        Assert.Equal(ExitCodes.Usage, (await CliRun.RunAsync("sbom", $"oci:{dir}:app", "--all-platforms", "--quiet")).ExitCode);
        var missing = await CliRun.RunAsync("sbom", $"oci:{dir}:app", "--platform", "linux/s390x", "--quiet");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("linux/arm64", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_digest_fails_verification()
    {
        var dir = Path.Combine(_temp, "corrupt");
        new ImageLayoutBuilder()
            .Layer(new() { ["app/node_modules/lodash/package.json"] = """{"name":"lodash","version":"4.17.15"}""" })
            .WriteTo(dir, "app", corruptLayer: bytes => { var b = (byte[])bytes.Clone(); b[^5] ^= 0xFF; return b; });
        var outcome = await CliRun.RunAsync("sbom", $"oci:{dir}:app", "--quiet");
        Assert.Equal(ExitCodes.VerificationFailed, outcome.ExitCode);
        Assert.Contains("sha256:", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tag_is_an_input_error_that_lists_the_tags()
    {
        var outcome = await CliRun.RunAsync("sbom", $"oci:{Layout}:no-such-tag", "--quiet");
        Assert.Equal(ExitCodes.Input, outcome.ExitCode);
        Assert.Contains("demo-shop", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cyclonedx-json")]
    [InlineData("cyclonedx-xml")]
    [InlineData("spdx-json")]
    public async Task The_image_sbom_validates_against_the_official_schema(string format)
    {
        var file = Path.Combine(_temp, "image." + format);
        var outcome = await CliRun.RunAsync("sbom", $"oci:{Layout}:demo-shop", "--format", format, "-o", file, "--quiet");
        Assert.Equal(0, outcome.ExitCode);
        SchemaValidators.AssertValid(format, file);
    }

    private static void Skopeo(params string[] args)
    {
        if (!File.Exists("/usr/bin/skopeo")) throw new Xunit.Sdk.XunitException("skopeo is missing: run ./test.sh (it installs Debian's skopeo).");
        var psi = new ProcessStartInfo("/usr/bin/skopeo", ["--insecure-policy", .. args]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"skopeo {string.Join(' ', args)} failed: {err.Result}");
    }
}
