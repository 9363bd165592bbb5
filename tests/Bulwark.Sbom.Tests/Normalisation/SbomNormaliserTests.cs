// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Sbom.Normalisation;
using Bulwark.Testing;

namespace Bulwark.Sbom.Tests.Normalisation;

public class SbomNormaliserTests
{
    private static string TestData(string name) => Path.Combine(TestPaths.Project("Bulwark.Sbom.Tests"), "Normalisation", "testdata", name);
    private static string Corpus(string path) => Path.Combine(TestPaths.Corpora, path);

    private static Sbom Read(string path)
    {
        using var stream = File.OpenRead(path);
        return SbomReader.Read(stream, path);
    }

    private static string[] Purls(NormalisedSbom n) => [.. n.Sbom.Packages.Select(p => p.Purl.ToString())];
    private static string[] Changes(NormalisedSbom n) => [.. n.Changes.Select(c => $"{c.Kind} {c.Before} -> {c.Package.Purl}")];
    private static string[] Unmatchable(NormalisedSbom n) => [.. n.Unmatchable.Select(u => $"{u.Package.Purl}: {u.Reason}")];

    [Fact]
    public void Repairs_syft_components_from_their_package_type_and_adds_the_debian_release()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("syft-debian.cdx.json")));

        Assert.Equal(
        [
            "DistroAdded pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl -> pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
            "Repaired  -> pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?distro=debian-12&upstream=zlib",
            "Repaired  -> pkg:golang/github.com/gin-gonic/gin@v1.9.1",
            "Respelled pkg:golang/github.com%2Fsirupsen%2Flogrus@1.9.3 -> pkg:golang/github.com/sirupsen/logrus@v1.9.3",
            "Repaired  -> pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "Repaired  -> pkg:pypi/pyyaml@6.0.1",
        ], Changes(n));
        Assert.Equal(
        [
            "pkg:generic/internal-utils@3.2: no package URL; syft:package:type=java-archive says Maven, but the component gives no groupId",
            "pkg:generic/python@3.11.2: no package URL; only a CPE (cpe:2.3:a:python_software_foundation:python:3.11.2:*:*:*:*:*:*:*), and syft:package:type=binary names no package ecosystem",
        ], Unmatchable(n));
    }

    [Fact]
    public void A_repaired_package_says_where_its_purl_came_from_and_takes_the_ecosystem_and_name_of_it()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("syft-debian.cdx.json")));

        var gin = n.Sbom.Packages.Single(p => p.Purl.Name == "gin");
        Assert.False(gin.PurlIsSynthetic);
        Assert.Equal(Ecosystem.Go, gin.Ecosystem);
        Assert.Equal("github.com/gin-gonic/gin", gin.Name);
        Assert.Equal("v1.9.1", gin.Version);
        Assert.Equal("from syft:package:type=go-module", gin.Properties[SbomNormaliser.PurlSourceProperty]);
        var log4j = n.Sbom.Packages.Single(p => p.Purl.Name == "log4j-core");
        Assert.Equal("org.apache.logging.log4j:log4j-core", log4j.Name);
        Assert.Equal([new FileLocation("/app/lib/log4j-core-2.14.1.jar")], log4j.Locations.ToArray());
    }

    [Fact]
    public void Dependency_edges_follow_a_package_whose_purl_changed()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("syft-debian.cdx.json")));

        var libssl = n.Sbom.Packages.Single(p => p.Purl.Name == "libssl3");
        Assert.Equal(["pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?distro=debian-12&upstream=zlib"], libssl.DependsOn.Select(d => d.ToString()));
        Assert.All(n.Sbom.Packages.SelectMany(p => p.DependsOn), d => Assert.Contains(d, n.Sbom.Packages.Select(p => p.Purl)));
    }

    [Fact]
    public void The_operating_system_component_is_neither_repaired_nor_reported_unmatchable()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("syft-debian.cdx.json")));

        var os = n.Sbom.Packages.Single(p => p.Kind == PackageKind.OperatingSystem);
        Assert.True(os.PurlIsSynthetic);
        Assert.DoesNotContain(n.Unmatchable, u => u.Package.Kind == PackageKind.OperatingSystem);
    }

    [Fact]
    public void Repairs_trivy_components_from_their_package_type_and_keeps_the_distro_trivy_stated()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("trivy-image.cdx.json")));

        Assert.Equal(
        [
            "Repaired  -> pkg:deb/debian/perl-base@5.36.0-7%2Bdeb12u1?distro=debian-12.4&upstream=perl",
            "Repaired  -> pkg:golang/github.com/sirupsen/logrus@v1.9.0",
            "Repaired  -> pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0",
            "Repaired  -> pkg:npm/%40babel/traverse@7.22.0",
        ], Changes(n));
        Assert.Contains("pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12.4", Purls(n));   // stated, untouched
        Assert.Equal(["pkg:generic/numpy@1.26.0: no package URL; aquasecurity:trivy:PkgType=conda-pkg names no package ecosystem"], Unmatchable(n));
        var core = n.Sbom.Packages.Single(p => p.Purl.Name == "core");
        Assert.Equal(["pkg:npm/%40babel/traverse@7.22.0"], core.DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void Repairs_cdxgen_components_from_group_source_file_and_property_namespace()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("cdxgen.cdx.json")));

        Assert.Equal(
        [
            "pkg:cargo/serde@1.0.190", "pkg:composer/guzzlehttp/guzzle@7.4.4", "pkg:npm/%40angular/core@15.2.0",
            "pkg:npm/lodash@4.17.15", "pkg:pypi/typing-extensions@4.8.0",   // stated as pkg:npm/Lodash and pkg:pypi/Typing_Extensions
        ], Purls(n));
        Assert.Equal(
        [
            "from SrcFile /app/Cargo.lock",
            "from property cdx:composer:package:distReference",
            "from property cdx:npm:package:development, SrcFile /app/package-lock.json",
        ], n.Changes.Select(c => c.Detail));
        Assert.Empty(n.Unmatchable);
    }

    [Fact]
    public void Repairs_sbom_tool_packages_from_package_manager_references_and_registry_urls()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("sbom-tool.spdx.json")));

        Assert.Equal(
        [
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0 from download location https://repo1.maven.org/maven2/com/fasterxml/jackson/core/jackson-databind/2.13.0/jackson-databind-2.13.0.jar",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 from SPDX PACKAGE-MANAGER purl pkg:maven/org.apache.logging.log4j:log4j-core@2.14.1",
            "pkg:maven/org.yaml/snakeyaml@1.33 from SPDX PACKAGE-MANAGER maven-central org.yaml:snakeyaml:1.33",
            "pkg:npm/%40babel/traverse@7.23.0 from download location https://registry.npmjs.org/@babel/traverse/-/traverse-7.23.0.tgz",
            "pkg:npm/minimist@1.2.0 from SPDX PACKAGE-MANAGER npm minimist@1.2.0",
            "pkg:npm/urlparse@1.5.1 from SPDX PACKAGE-MANAGER purl pkg:npm/URLParse@1.5.1",
            "pkg:nuget/System.Text.Json@8.0.0 from SPDX PACKAGE-MANAGER nuget System.Text.Json/8.0.0",
            "pkg:pypi/requests@2.31.0 from download location https://files.pythonhosted.org/packages/9d/be/10918a2eac4ae9f02f6cfe6414b7a155ccd8f7f9d4380d62fd5b955065c3/requests-2.31.0.tar.gz",
            "pkg:pypi/urllib3@1.26.5 from homepage https://pypi.org/project/urllib3/",
        ], n.Changes.Select(c => $"{c.Package.Purl} {c.Detail}"));
        Assert.Equal("pkg:maven/org.apache.logging.log4j:log4j-core@2.14.1", n.Changes[1].Before);
        Assert.Equal("pkg:npm/URLParse@1.5.1", n.Changes[5].Before);
        Assert.Contains("pkg:nuget/Newtonsoft.Json@13.0.1", Purls(n));   // a valid purl reference: read as stated
        Assert.Equal(["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:nuget/Newtonsoft.Json@13.0.1"],
            n.Sbom.Subject.DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void Never_guesses_from_a_cpe_a_bare_name_or_hints_that_disagree()
    {
        var n = SbomNormaliser.Normalise(Read(TestData("sbom-tool.spdx.json")));

        Assert.Equal(
        [
            "pkg:generic/internal-tool@0.3: no package URL; only a name and version, which do not say the ecosystem",
            "pkg:generic/left-pad@1.3.0: no package URL; the name 'left-pad' disagrees with 'right-pad' in download location https://registry.npmjs.org/right-pad/-/right-pad-1.3.0.tgz",
            "pkg:generic/openssl@3.0.2: no package URL; only a CPE (cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*)",
            "pkg:generic/six@1.16.0: no package URL; the ecosystem hints disagree: download location https://registry.npmjs.org/six/-/six-1.16.0.tgz says npm, homepage https://pypi.org/project/six/ says PyPI",
        ], Unmatchable(n));
        Assert.All(n.Unmatchable, u => Assert.True(u.Package.PurlIsSynthetic));
    }

    [Fact]
    public void The_spdx_reader_keeps_the_package_manager_references_of_a_package_without_a_parsable_purl()
    {
        var sbom = Read(TestData("sbom-tool.spdx.json"));

        var snakeyaml = sbom.Packages.Single(p => p.Name == "snakeyaml");
        Assert.True(snakeyaml.PurlIsSynthetic);
        Assert.Equal("org.yaml:snakeyaml:1.33", snakeyaml.Properties["bulwark:spdx-package-manager:maven-central"]);
        var urlParse = sbom.Packages.Single(p => p.Name == "UrlParse");
        Assert.Equal(" pkg:npm/URLParse@1.5.1 ", urlParse.Properties["bulwark:spdx-package-manager:purl"]);
        // a package whose purl parsed keeps no copy
        Assert.DoesNotContain(sbom.Packages.Single(p => p.Purl.Name == "Newtonsoft.Json").Properties.Keys, k => k.StartsWith("bulwark:spdx-package-manager", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json", 903)]
    [InlineData("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json", 840)]
    [InlineData("cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json", 201)]
    [InlineData("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml", 62)]
    [InlineData("spdx-examples/software/example11/spdx2.3/sbom.spdx.json", 3)]
    public void Leaves_real_sboms_whose_purls_are_already_right_untouched(string path, int packages)
    {
        var sbom = Read(Corpus(path));

        var n = SbomNormaliser.Normalise(sbom);

        Assert.Same(sbom, n.Sbom);
        Assert.Equal(packages, n.Sbom.Packages.Length);
        Assert.Empty(n.Changes);
        Assert.Empty(n.Unmatchable);
    }

    [Fact]
    public void Respells_the_alpine_purl_type_in_the_spdx_acme_example_and_leaves_the_bare_alpine_unmatchable()
    {
        var n = SbomNormaliser.Normalise(Read(Corpus("spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json")));

        Assert.Equal(["Respelled pkg:alpine/openssl@3.0.4 -> pkg:apk/alpine/openssl@3.0.4"], Changes(n));
        Assert.Equal(["pkg:generic/alpine@latest: no package URL; only a name and version, which do not say the ecosystem"], Unmatchable(n));
        Assert.Equal(["pkg:apk/alpine/openssl@3.0.4", "pkg:generic/alpine@latest", "pkg:npm/elliptic@6.5.2"],
            n.Sbom.Subject.DependsOn.Select(d => d.ToString()));
    }

    [Fact]
    public void Go_modules_named_only_by_a_git_download_location_stay_unmatchable()
    {
        var n = SbomNormaliser.Normalise(Read(Corpus("spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json")));

        Assert.Empty(n.Changes);
        Assert.Equal(
        [
            "pkg:generic/golang.org%2Fx%2Ftext: no package URL; only a name",
            "pkg:generic/rsc.io%2Fquote: no package URL; only a name",
            "pkg:generic/rsc.io%2Fsampler: no package URL; only a name",
        ], Unmatchable(n));
    }

    [Fact]
    public void Packages_named_in_prose_in_the_spdx_maven_example_stay_unmatchable()
    {
        var n = SbomNormaliser.Normalise(Read(Corpus("spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json")));

        Assert.Empty(n.Changes);
        Assert.Equal(5, n.Unmatchable.Length);
        Assert.Contains("pkg:generic/JUnit@3.8.1: no package URL; only a name and version, which do not say the ecosystem", Unmatchable(n));
    }

    [Fact]
    public void Repairs_a_maven_component_from_its_repository_download_url_in_the_spdx_appbomination_example_only_where_stated()
    {
        var n = SbomNormaliser.Normalise(Read(Corpus("spdx-examples/software/example9/spdx2.2/appbomination.spdx.json")));

        Assert.Empty(n.Changes);   // hamcrest, commons-lang3, junit and slf4j state their purls
        Assert.Equal(["pkg:generic/Faust%20Proprietary%20File: no package URL; only a name", "pkg:generic/Gradle: no package URL; only a name"], Unmatchable(n));
    }

    [Theory]
    [InlineData("pkg:golang/github.com%2FBurntSushi%2Ftoml@v0.3.1", "pkg:golang/github.com/BurntSushi/toml@v0.3.1")]
    [InlineData("pkg:golang/golang.org/x/text@0.3.7", "pkg:golang/golang.org/x/text@v0.3.7")]
    [InlineData("pkg:golang/stdlib@1.21.0", "pkg:golang/stdlib@1.21.0")]
    [InlineData("pkg:golang/github.com/a/b@v0.0.0-20191016112426-3962a5ea8da1", "pkg:golang/github.com/a/b@v0.0.0-20191016112426-3962a5ea8da1")]
    [InlineData("pkg:npm/%40babel%2Fcore@7.0.0", "pkg:npm/%40babel/core@7.0.0")]
    [InlineData("pkg:NPM/@Babel/Core@7.0.0", "pkg:npm/%40babel/core@7.0.0")]
    [InlineData("pkg:pypi/Django_Rest_Framework@3.14.0", "pkg:pypi/django-rest-framework@3.14.0")]
    [InlineData("pkg:maven/org.apache.commons:commons-lang3@3.12.0", "pkg:maven/org.apache.commons/commons-lang3@3.12.0")]
    [InlineData("pkg:maven/org/apache/commons/commons-lang3@3.12.0", "pkg:maven/org.apache.commons/commons-lang3@3.12.0")]
    [InlineData("pkg:composer/laravel%2Fframework@v8.0.0", "pkg:composer/laravel/framework@v8.0.0")]
    [InlineData("pkg:debian/openssl@3.0.11-1", "pkg:deb/debian/openssl@3.0.11-1")]
    [InlineData("pkg:go/github.com/gin-gonic/gin@v1.9.1", "pkg:golang/github.com/gin-gonic/gin@v1.9.1")]
    [InlineData("pkg:cargo/serde@1.0.0", "pkg:cargo/serde@1.0.0")]
    [InlineData(" pkg:nuget/Newtonsoft.Json@13.0.1 ", "pkg:nuget/Newtonsoft.Json@13.0.1")]
    public void Respells_purl_text_to_the_canonical_form(string text, string expected)
    {
        Assert.Equal(expected, PurlText.Repair(text)?.ToString());
    }

    [Theory]
    [InlineData("pkg:")]
    [InlineData("pkg:maven/commons-lang3@3.12.0")]
    [InlineData("cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*")]
    [InlineData("lodash@4.17.21")]
    public void Text_that_is_no_purl_is_not_made_one(string text)
    {
        Assert.Null(PurlText.Repair(text));
    }

    [Theory]
    [InlineData("https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "npm", null, "lodash", "4.17.21")]
    [InlineData("https://registry.npmjs.org/@types/node/-/node-20.1.0.tgz", "npm", null, "@types/node", "20.1.0")]
    [InlineData("https://registry.npmjs.org/@types%2fnode", "npm", null, "@types/node", null)]
    [InlineData("https://pypi.org/project/Django/4.2.1/", "PyPI", null, "Django", "4.2.1")]
    [InlineData("https://files.pythonhosted.org/packages/ab/cd/requests-2.31.0.tar.gz", "PyPI", null, null, null)]
    [InlineData("https://repo1.maven.org/maven2/org/yaml/snakeyaml/1.33/snakeyaml-1.33.jar", "Maven", "org.yaml", "snakeyaml", "1.33")]
    [InlineData("https://repo.maven.apache.org/maven2/junit/junit/4.12/", "Maven", "junit", "junit", "4.12")]
    [InlineData("https://proxy.golang.org/github.com/!burnt!sushi/toml/@v/v0.3.1.zip", "Go", null, "github.com/BurntSushi/toml", "v0.3.1")]
    [InlineData("https://crates.io/api/v1/crates/serde/1.0.190/download", "crates.io", null, "serde", "1.0.190")]
    [InlineData("https://static.crates.io/crates/serde/serde-1.0.190.crate", "crates.io", null, "serde", "1.0.190")]
    [InlineData("https://rubygems.org/gems/rack-2.2.3.gem", "RubyGems", null, "rack", "2.2.3")]
    [InlineData("https://www.nuget.org/api/v2/package/Newtonsoft.Json/13.0.1", "NuGet", null, "Newtonsoft.Json", "13.0.1")]
    [InlineData("https://api.nuget.org/v3-flatcontainer/newtonsoft.json/13.0.1/newtonsoft.json.13.0.1.nupkg", "NuGet", null, "newtonsoft.json", "13.0.1")]
    [InlineData("https://repo.packagist.org/p2/guzzlehttp/guzzle.json", "Packagist", "guzzlehttp", "guzzle", null)]
    public void Reads_ecosystem_name_and_version_from_registry_urls(string url, string ecosystem, string? ns, string? name, string? version)
    {
        var hint = RegistryUrls.Parse(url);

        Assert.NotNull(hint);
        Assert.Equal(ecosystem, hint.Ecosystem?.OsvName);
        Assert.Equal(ns, hint.Namespace);
        Assert.Equal(name, hint.Name);
        Assert.Equal(version, hint.Version);
    }

    [Theory]
    [InlineData("https://github.com/lodash/lodash/archive/4.17.21.tar.gz")]
    [InlineData("git://rsc.io/quote@v1.5.2")]
    [InlineData("NOASSERTION")]
    [InlineData("https://registry.npmjs.org.evil.example/lodash/-/lodash-4.17.21.tgz")]
    public void Urls_of_other_hosts_are_no_hint(string url)
    {
        Assert.Null(RegistryUrls.Parse(url));
    }

    [Theory]
    [InlineData("https://registry.npmjs.org/", "npm")]
    [InlineData("https://registry.npmjs.org/-/", "npm")]
    [InlineData("https://repo1.maven.org/maven2/", "Maven")]
    [InlineData("https://repo1.maven.org/maven2/a/b", "Maven")]
    [InlineData("https://proxy.golang.org/@v/v1.0.0.zip", "Go")]
    [InlineData("https://rubygems.org/gems/-.gem", "RubyGems")]
    [InlineData("https://crates.io/", "crates.io")]
    public void Registry_urls_without_a_package_path_give_only_the_ecosystem(string url, string ecosystem)
    {
        var hint = RegistryUrls.Parse(url);

        Assert.NotNull(hint);
        Assert.Equal(ecosystem, hint.Ecosystem?.OsvName);
        Assert.Null(hint.Name);
    }
}
