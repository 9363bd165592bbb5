// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Bulwark.Cataloging.Ecosystems.Java;
using Bulwark.Cataloging.FileSources;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Java;

public sealed class JavaArchiveCatalogerTests : IDisposable
{
    private static readonly JavaArchiveCataloger Cataloger = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Digest Sha1(byte[] bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        hash.AppendData(bytes);
        return new Digest(Core.HashAlgorithm.Sha1, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static JarBuilder Log4jCore() => new JarBuilder()
        .Manifest(("Implementation-Title", "Apache Log4j Core"), ("Implementation-Version", "2.14.1"),
            ("Bundle-SymbolicName", "org.apache.logging.log4j.core"), ("Implementation-Vendor-Id", "org.apache.logging.log4j"))
        .PomProperties("org.apache.logging.log4j", "log4j-core", "2.14.1")
        .Class("org/apache/logging/log4j/core/lookup/JndiLookup.class");

    private static JarBuilder Log4jApi() => new JarBuilder()
        .PomProperties("org.apache.logging.log4j", "log4j-api", "2.14.1")
        .Class("org/apache/logging/log4j/LogManager.class");

    private static JarBuilder JacksonDatabind() => new JarBuilder()
        .PomProperties("com.fasterxml.jackson.core", "jackson-databind", "2.13.0")
        .Class("com/fasterxml/jackson/databind/ObjectMapper.class");

    private static JarBuilder ShopWar() => new JarBuilder()
        .PomProperties("com.example", "shop-web", "2.0")
        .Text("WEB-INF/web.xml", "<web-app/>")
        .Nested("WEB-INF/lib/jackson-databind-2.13.0.jar", JacksonDatabind());

    private static JarBuilder SpringBootFatJar() => new JarBuilder()
        .Manifest(("Main-Class", "org.springframework.boot.loader.JarLauncher"), ("Start-Class", "com.example.petstore.Application"),
            ("Spring-Boot-Version", "2.5.6"), ("Spring-Boot-Lib", "BOOT-INF/lib/"))
        .PomProperties("com.example", "petstore", "1.0.0")
        .Class("org/springframework/boot/loader/JarLauncher.class")
        .Class("BOOT-INF/classes/com/example/petstore/Application.class")
        .Nested("BOOT-INF/lib/log4j-core-2.14.1.jar", Log4jCore())
        .Nested("BOOT-INF/lib/log4j-api-2.14.1.jar", Log4jApi())
        .Nested("BOOT-INF/lib/spring-core-5.3.12.jar", new JarBuilder()
            .Manifest(("Implementation-Title", "spring-core"), ("Implementation-Version", "5.3.12"), ("Automatic-Module-Name", "spring.core"))
            .Class("org/springframework/core/SpringVersion.class"));

    [Theory]
    [InlineData("lib/app.jar", true)]
    [InlineData("WEB.WAR", true)]
    [InlineData("deploy/shop.ear", true)]
    [InlineData("plugins/git.hpi", true)]
    [InlineData("plugins/git.jpi", true)]
    [InlineData("x.par", true)]
    [InlineData("x.sar", true)]
    [InlineData("x.nar", true)]
    [InlineData("x.kar", true)]
    [InlineData("app.jar.sha1", false)]
    [InlineData("app.zip", false)]
    [InlineData(".jar", false)]
    public void Wants_java_archives_by_extension(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_a_plain_jar_named_by_its_pom_properties_with_its_sha1()
    {
        var bytes = new JarBuilder()
            .Manifest(("Implementation-Title", "Apache Commons Lang"), ("Bundle-License", "https://www.apache.org/licenses/LICENSE-2.0.txt"))
            .PomProperties("org.apache.commons", "commons-lang3", "3.12.0")
            .Class("org/apache/commons/lang3/StringUtils.class")
            .Build();
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("commons-lang3-3.12.0.jar", bytes));

        Assert.Empty(result.Unreadable);
        var jar = Assert.Single(result.Packages);
        Assert.Equal("pkg:maven/org.apache.commons/commons-lang3@3.12.0", jar.Purl.ToString());
        Assert.Equal([Sha1(bytes)], jar.Hashes.ToArray());
        Assert.Equal(["Apache-2.0"], jar.Licenses.ToArray());
        Assert.Equal("pom.properties", jar.Properties["java:name-source"]);
        Assert.Equal([new FileLocation("commons-lang3-3.12.0.jar")], jar.Locations.ToArray());
        Assert.Equal(PackageKind.Library, jar.Kind);
        Assert.Empty(jar.DependsOn);
    }

    [Fact]
    public async Task Reads_every_pom_properties_of_a_shaded_jar()
    {
        var bytes = new JarBuilder()
            .PomProperties("com.google.guava", "guava", "31.1-jre")
            .PomProperties("com.example", "app-shaded", "1.0")
            .PomProperties("org.slf4j", "slf4j-api", "1.7.36")
            .Class("com/example/App.class")
            .Build();
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("app-shaded-1.0.jar", bytes));

        Assert.Equal(
            ["pkg:maven/com.example/app-shaded@1.0", "pkg:maven/com.google.guava/guava@31.1-jre", "pkg:maven/org.slf4j/slf4j-api@1.7.36"],
            result.Packages.Select(p => p.Purl.ToString()));
        var app = result.Single("pkg:maven/com.example/app-shaded@1.0");
        Assert.Equal([Sha1(bytes)], app.Hashes.ToArray());
        Assert.Equal(["pkg:maven/com.google.guava/guava@31.1-jre", "pkg:maven/org.slf4j/slf4j-api@1.7.36"], app.DependsOn.Select(p => p.ToString()));
        var guava = result.Single("pkg:maven/com.google.guava/guava@31.1-jre");
        Assert.Empty(guava.Hashes); // its classes were copied in; the shaded jar's hash is not guava's
        Assert.Equal([new FileLocation("app-shaded-1.0.jar")], guava.Locations.ToArray());
    }

    [Fact]
    public async Task Finds_log4j_core_inside_a_spring_boot_fat_jar()
    {
        var inner = Log4jCore().Build();
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("petstore-1.0.0.jar", SpringBootFatJar()));

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:maven/com.example/petstore@1.0.0",
             "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
             "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
             "pkg:maven/spring-core/spring-core@5.3.12"],
            result.Packages.Select(p => p.Purl.ToString()));
        var log4j = result.Single("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        Assert.Equal([new FileLocation("petstore-1.0.0.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar")], log4j.Locations.ToArray());
        Assert.Equal([Sha1(inner)], log4j.Hashes.ToArray()); // the builder is deterministic, so these are the nested bytes
        Assert.Equal("pom.properties", log4j.Properties["java:name-source"]);

        var app = result.Single("pkg:maven/com.example/petstore@1.0.0");
        Assert.Equal(
            ["pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/spring-core/spring-core@5.3.12"],
            app.DependsOn.Select(p => p.ToString()));

        // no pom.properties: the file name names it, the manifest versions it, and the group is a stand-in
        var spring = result.Single("pkg:maven/spring-core/spring-core@5.3.12");
        Assert.Equal("manifest+file-name", spring.Properties["java:name-source"]);
    }

    [Fact]
    public async Task Reads_a_war_with_its_web_inf_libraries()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("shop-web-2.0.war", ShopWar()));

        var war = result.Single("pkg:maven/com.example/shop-web@2.0?type=war");
        Assert.Equal(PackageKind.Application, war.Kind);
        Assert.Equal(["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0"], war.DependsOn.Select(p => p.ToString()));
        Assert.Equal([new FileLocation("shop-web-2.0.war!/WEB-INF/lib/jackson-databind-2.13.0.jar")],
            result.Single("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0").Locations.ToArray());
        Assert.Equal(2, result.Packages.Count);
    }

    [Fact]
    public async Task Reads_an_ear_holding_a_war_holding_a_jar()
    {
        var ear = new JarBuilder()
            .Text("META-INF/application.xml", "<application/>")
            .Nested("shop-web-2.0.war", ShopWar())
            .Nested("lib/commons-io-2.11.0.jar", new JarBuilder().PomProperties("commons-io", "commons-io", "2.11.0"));
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("shop.ear", ear));

        Assert.Equal(
            ["pkg:maven/com.example/shop-web@2.0?type=war",
             "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0",
             "pkg:maven/commons-io/commons-io@2.11.0",
             "pkg:maven/shop/shop?type=ear"],
            result.Packages.Select(p => p.Purl.ToString()));
        var outer = result.Single("pkg:maven/shop/shop?type=ear");
        Assert.Equal("", outer.Version);
        Assert.Equal("file-name", outer.Properties["java:name-source"]);
        Assert.Equal(["pkg:maven/com.example/shop-web@2.0?type=war", "pkg:maven/commons-io/commons-io@2.11.0"], outer.DependsOn.Select(p => p.ToString()));
        Assert.Equal([new FileLocation("shop.ear!/shop-web-2.0.war!/WEB-INF/lib/jackson-databind-2.13.0.jar")],
            result.Single("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0").Locations.ToArray());
        Assert.Equal([new FileLocation("shop.ear!/lib/commons-io-2.11.0.jar")], result.Single("pkg:maven/commons-io/commons-io@2.11.0").Locations.ToArray());
    }

    [Fact]
    public async Task Names_a_jar_without_pom_properties_from_its_manifest()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("netty.jar", new JarBuilder()
            .Manifest(("Implementation-Title", "Netty/Common"), ("Bundle-SymbolicName", "io.netty.common;singleton:=true"),
                ("Bundle-Version", "4.1.65.Final"), ("Implementation-Vendor-Id", "io.netty"))));

        var jar = Assert.Single(result.Packages);
        Assert.Equal("pkg:maven/io.netty/io.netty.common@4.1.65.Final", jar.Purl.ToString());
        Assert.Equal("manifest", jar.Properties["java:name-source"]);
    }

    [Fact]
    public async Task Names_a_jar_with_no_metadata_from_its_file_name()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("jackson-annotations-2.13.0-rc1.jar",
            new JarBuilder().Class("com/fasterxml/jackson/annotation/JsonProperty.class")));

        var jar = Assert.Single(result.Packages);
        Assert.Equal("pkg:maven/jackson-annotations/jackson-annotations@2.13.0-rc1", jar.Purl.ToString());
        Assert.Equal("file-name", jar.Properties["java:name-source"]);
    }

    [Theory]
    [InlineData("log4j-core-2.14.1", "log4j-core", "2.14.1")]
    [InlineData("commons-lang3-3.12.0", "commons-lang3", "3.12.0")]
    [InlineData("guava-31.1-jre", "guava", "31.1-jre")]
    [InlineData("app", "app", null)]
    [InlineData("jetty-9", "jetty", "9")]
    public void Splits_a_file_name_into_name_and_version(string stem, string name, string? version) =>
        Assert.Equal((name, version), JavaArchiveReader.SplitFileName(stem));

    [Fact]
    public async Task Takes_licenses_from_the_pom_xml_stored_in_the_jar()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("slf4j-api-1.7.36.jar", new JarBuilder()
            .Manifest(("Bundle-License", "https://www.apache.org/licenses/LICENSE-2.0.txt"))
            .PomProperties("org.slf4j", "slf4j-api", "1.7.36")
            .Text("META-INF/maven/org.slf4j/slf4j-api/pom.xml",
                "<project><artifactId>slf4j-api</artifactId><licenses><license><name>MIT License</name></license></licenses></project>")));

        Assert.Equal(["MIT"], Assert.Single(result.Packages).Licenses.ToArray()); // the pom beats the manifest
    }

    [Fact]
    public async Task Keeps_a_jar_whose_stored_pom_xml_is_malformed()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("slf4j-api-1.7.36.jar", new JarBuilder()
            .PomProperties("org.slf4j", "slf4j-api", "1.7.36")
            .Text("META-INF/maven/org.slf4j/slf4j-api/pom.xml", "<project><licenses></project>")));

        Assert.Empty(result.Unreadable);
        var jar = Assert.Single(result.Packages);
        Assert.Empty(jar.Licenses);
        Assert.StartsWith("META-INF/maven/org.slf4j/slf4j-api/pom.xml: ", jar.Properties["java:unreadable-pom"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skips_a_nested_archive_over_the_size_limit_and_says_so()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxNestedBytes = 400 });
        var result = await CatalogerRun.FileAsync(cataloger, _dir.Write("app-1.0.jar", new JarBuilder()
            .PomProperties("com.example", "app", "1.0")
            .Nested("lib/small-1.0.jar", new JarBuilder().PomProperties("com.example", "small", "1.0"))
            .Nested("lib/big-1.0.jar", new JarBuilder().PomProperties("com.example", "big", "1.0").Bytes("x.bin", new byte[600], CompressionLevel.NoCompression))));

        Assert.Equal(["pkg:maven/com.example/app@1.0", "pkg:maven/com.example/small@1.0"], result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal("lib/big-1.0.jar", result.Single("pkg:maven/com.example/app@1.0").Properties["java:nested-too-large"]);
    }

    [Fact]
    public async Task Leaves_an_uninterpolated_pom_properties_version_unresolved()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("odd.jar", new JarBuilder()
            .PomProperties("com.example", "odd", "${project.version}")));

        var jar = Assert.Single(result.Packages);
        Assert.Equal("pkg:maven/com.example/odd", jar.Purl.ToString());
        Assert.Equal("${project.version}", jar.Properties["maven:unresolved-version"]);
    }

    [Fact]
    public async Task Refuses_an_archive_announcing_too_many_entries_before_loading_them()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxEntries = 3 });
        var result = await CatalogerRun.FileAsync(cataloger, _dir.Write("many.jar", new JarBuilder()
            .Class("a/A.class").Class("a/B.class").Class("a/C.class").Class("a/D.class")));

        Assert.Empty(result.Packages);
        Assert.Equal("many.jar: the archive announces 4 entries, over the 3 allowed; likely hostile, not read.", Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public void Reads_the_entry_count_of_a_zip64_archive()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 70_000; i++) zip.CreateEntry($"e{i}", CompressionLevel.NoCompression);
        }
        Assert.Equal(70_000, ZipDirectory.EntryCount(buffer));
        Assert.Equal(0, buffer.Position);
    }

    [Fact]
    public async Task Reads_a_non_seekable_stream_the_same_as_a_file()
    {
        var bytes = SpringBootFatJar().Build();
        var path = _dir.Write("petstore-1.0.0.jar", bytes);
        var tree = DirectoryFileTree.ForSingleFile(path);
        await using var stream = new NonSeekableStream(new MemoryStream(bytes));

        var packages = await Cataloger.ReadAsync(new CatalogInput(tree, new FilePath("petstore-1.0.0.jar"), stream, bytes.Length), CancellationToken.None);
        var fromFile = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.Equal(fromFile.Packages.Select(p => p.Purl), Catalog.Merge(packages).Select(p => p.Purl));
        Assert.Equal([Sha1(bytes)], packages.Single(p => p.Name == "com.example:petstore").Hashes.ToArray());
    }

    [Fact]
    public async Task Reads_a_large_non_seekable_stream_through_a_temporary_file()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxInMemoryInput = 1024 });
        var bytes = SpringBootFatJar().Build();
        Assert.True(bytes.Length > 1024);
        var tree = DirectoryFileTree.ForSingleFile(_dir.Write("petstore-1.0.0.jar", bytes));
        await using var stream = new NonSeekableStream(new MemoryStream(bytes));

        var packages = await cataloger.ReadAsync(new CatalogInput(tree, new FilePath("petstore-1.0.0.jar"), stream, bytes.Length), CancellationToken.None);

        Assert.Equal(4, packages.Count);
        Assert.Equal([Sha1(bytes)], packages.Single(p => p.Name == "com.example:petstore").Hashes.ToArray());
    }

    [Fact]
    public async Task Refuses_a_non_seekable_stream_longer_than_announced()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxInMemoryInput = 1024 });
        var bytes = SpringBootFatJar().Build();
        var tree = DirectoryFileTree.ForSingleFile(_dir.Write("petstore-1.0.0.jar", bytes));
        await using var stream = new NonSeekableStream(new MemoryStream(bytes));

        var e = await Assert.ThrowsAsync<InputException>(() =>
            cataloger.ReadAsync(new CatalogInput(tree, new FilePath("petstore-1.0.0.jar"), stream, 100), CancellationToken.None));
        Assert.Equal("the archive is larger than the 100 bytes announced and than the 1,024 bytes buffered in memory; not read.", e.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-a-zip")]
    public async Task Records_a_corrupt_archive_as_unreadable(string kind)
    {
        var good = SpringBootFatJar().Build();
        var bytes = kind == "truncated" ? good[..(good.Length / 2)] : "this is a text file, not a jar\n"u8.ToArray();
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write($"{kind}.jar", bytes));

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("java-archive", unreadable.Cataloger);
        Assert.Equal(new FileLocation($"{kind}.jar"), unreadable.Location);
        Assert.DoesNotContain("internal error", unreadable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_reading_an_archive_when_one_nested_jar_is_corrupt()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("petstore-1.0.0.jar", SpringBootFatJar()
            .Bytes("BOOT-INF/lib/broken-1.0.jar", "PK\u0003\u0004 not really a zip"u8.ToArray(), CompressionLevel.NoCompression)));

        Assert.Empty(result.Unreadable);
        result.Single("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        var app = result.Single("pkg:maven/com.example/petstore@1.0.0");
        Assert.StartsWith("BOOT-INF/lib/broken-1.0.jar (", app.Properties["java:unreadable-nested"], StringComparison.Ordinal);
        Assert.Equal(4, result.Packages.Count);
    }

    [Fact]
    public async Task Records_a_zip_bomb_as_unreadable_quickly()
    {
        var bomb = new JarBuilder()
            .PomProperties("com.example", "innocent", "1.0")
            .Bytes("BOOT-INF/lib/bomb.jar", new byte[32 << 20], CompressionLevel.SmallestSize);
        var path = _dir.Write("innocent-1.0.jar", bomb);

        var watch = Stopwatch.StartNew();
        var result = await CatalogerRun.FileAsync(Cataloger, path);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.StartsWith("innocent-1.0.jar!/BOOT-INF/lib/bomb.jar: expands from ", unreadable.Reason, StringComparison.Ordinal);
        Assert.Contains("likely a zip bomb", unreadable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_an_oversized_manifest_as_unreadable()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, _dir.Write("odd.jar", new JarBuilder()
            .Bytes("META-INF/MANIFEST.MF", new byte[2 << 20], CompressionLevel.NoCompression)));

        Assert.Equal("odd.jar!/META-INF/MANIFEST.MF: 2,097,152 bytes, over the 1,048,576-byte limit for metadata; not read. The archive is malformed or hostile.",
            Assert.Single(result.Unreadable).Reason);
    }

    [Fact]
    public async Task Stops_at_the_nesting_depth_limit()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxDepth = 1 });
        var ear = new JarBuilder().Nested("shop-web-2.0.war", ShopWar());
        var result = await CatalogerRun.FileAsync(cataloger, _dir.Write("shop.ear", ear));

        Assert.Equal(["pkg:maven/com.example/shop-web@2.0?type=war", "pkg:maven/shop/shop?type=ear"], result.Packages.Select(p => p.Purl.ToString()));
        Assert.Equal("WEB-INF/lib/jackson-databind-2.13.0.jar", result.Single("pkg:maven/com.example/shop-web@2.0?type=war").Properties["java:nested-too-deep"]);
    }

    [Fact]
    public async Task Stops_at_the_total_unpacked_size_limit()
    {
        var cataloger = new JavaArchiveCataloger(new JavaArchiveLimits { MaxTotalBytes = 1000 });
        var result = await CatalogerRun.FileAsync(cataloger, _dir.Write("petstore-1.0.0.jar", SpringBootFatJar()));

        Assert.Empty(result.Packages);
        Assert.Contains("past 1,000 bytes; likely a zip bomb", Assert.Single(result.Unreadable).Reason, StringComparison.Ordinal);
    }

    /// A stream that reads like a pipe or a tar entry: forward only, length unknown.
    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
