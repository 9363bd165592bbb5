// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Java;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Java;

public class PomCatalogerTests
{
    private static readonly PomCataloger Cataloger = new();
    private const string Data = "Ecosystems/Java/testdata/maven";

    private static Task<CatalogResult> Read(string scenario) => CatalogerRun.FileAsync(Cataloger, $"{Data}/{scenario}/pom.xml");

    [Theory]
    [InlineData("pom.xml", true)]
    [InlineData("modules/core/pom.xml", true)]
    [InlineData("pom.xml.bak", false)]
    [InlineData("com/example/lib/1.0/lib-1.0.pom", false)]
    [InlineData("mypom.xml", false)]
    public void Wants_only_files_named_pom_xml(string path, bool wanted) => Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_spring_petclinic_with_a_remote_parent_leaving_its_versions_unresolved()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("maven/spring-projects__spring-petclinic/pom.xml"));

        Assert.Empty(result.Unreadable);
        Assert.Equal(25, result.Packages.Count);
        var root = result.Single("pkg:maven/org.springframework.samples/spring-petclinic@4.0.0-SNAPSHOT");
        Assert.True(root.IsRoot);
        Assert.Equal(PackageKind.Application, root.Kind);
        Assert.Equal(["Apache-2.0"], root.Licenses.ToArray());
        Assert.Equal("org.springframework.boot:spring-boot-starter-parent:4.0.3", root.Properties["maven:parent"]);
        Assert.Equal(24, root.DependsOn.Length);

        // versions come from the remote parent: empty, never made up
        var actuator = result.Single("pkg:maven/org.springframework.boot/spring-boot-starter-actuator");
        Assert.Equal("", actuator.Version);
        Assert.Equal(Scope.Required, actuator.Scope);
        Assert.Equal("compile", actuator.Properties["maven:scope"]);
        Assert.StartsWith("(managed by org.springframework.boot:spring-boot-starter-parent:4.0.3", actuator.Properties["maven:unresolved-version"], StringComparison.Ordinal);
        Assert.Equal(new FileLocation("pom.xml", 42), Assert.Single(actuator.Locations));
        Assert.Contains(actuator.Purl, root.DependsOn);
        Assert.Equal(21, result.Packages.Count(p => p.Properties.ContainsKey("maven:unresolved-version")));

        // versions from the pom's own properties resolve
        var bootstrap = result.Single("pkg:maven/org.webjars.npm/bootstrap@5.3.8");
        Assert.Equal("runtime", bootstrap.Properties["maven:scope"]);
        Assert.Equal(Scope.Required, bootstrap.Scope);
        result.Single("pkg:maven/org.webjars/webjars-locator-lite@1.1.3");
        result.Single("pkg:maven/org.webjars.npm/font-awesome@4.7.0");

        Assert.Equal(Scope.Optional, result.Single("pkg:maven/org.springframework.boot/spring-boot-devtools").Scope);
        var testcontainers = result.Single("pkg:maven/org.testcontainers/testcontainers-mysql");
        Assert.Equal(Scope.Dev, testcontainers.Scope);
        Assert.Equal("test", testcontainers.Properties["maven:scope"]);
        Assert.Equal(8, result.Packages.Count(p => p.Scope == Scope.Dev));
        // plugins and their dependencies are build tools, not dependencies of the application
        Assert.DoesNotContain(result.Packages, p => p.Name.Contains("checkstyle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Interpolates_properties_and_project_coordinates()
    {
        var result = await Read("properties");

        Assert.Empty(result.Unreadable);
        Assert.Equal(5, result.Packages.Count);
        var root = result.Single("pkg:maven/com.example/properties-demo@3.1.0?type=war");
        Assert.True(root.IsRoot);
        Assert.Equal(["MIT"], root.Licenses.ToArray());
        Assert.Equal(
            ["pkg:maven/com.example/properties-demo-core@3.1.0?classifier=tests&type=test-jar",
             "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2",
             "pkg:maven/org.example/undefined-version",
             "pkg:maven/org.slf4j/slf4j-api@2.0.9"],
            root.DependsOn.Select(p => p.ToString()));

        Assert.Equal(Scope.Required, result.Single("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2").Scope);
        var slf4j = result.Single("pkg:maven/org.slf4j/slf4j-api@2.0.9");
        Assert.Equal(Scope.Optional, slf4j.Scope);
        Assert.Equal("provided", slf4j.Properties["maven:scope"]);
        Assert.Equal(Scope.Dev, result.Single("pkg:maven/com.example/properties-demo-core@3.1.0?type=test-jar&classifier=tests").Scope);

        var undefined = result.Single("pkg:maven/org.example/undefined-version");
        Assert.Equal("", undefined.Version);
        Assert.Equal("${never.defined}", undefined.Properties["maven:unresolved-version"]);
        Assert.Equal(Scope.Optional, undefined.Scope);
        Assert.Equal("true", undefined.Properties["maven:optional"]);
        Assert.Equal(new FileLocation("pom.xml", 38), Assert.Single(undefined.Locations));
    }

    [Fact]
    public async Task Takes_versions_and_scopes_from_dependency_management()
    {
        var result = await Read("dependency-management");

        Assert.Equal(5, result.Packages.Count);
        Assert.Equal(Scope.Required, result.Single("pkg:maven/com.google.guava/guava@32.1.3-jre").Scope);
        var junit = result.Single("pkg:maven/junit/junit@4.13.2");
        Assert.Equal(Scope.Dev, junit.Scope);
        Assert.Equal("test", junit.Properties["maven:scope"]);
        result.Single("pkg:maven/org.apache.commons/commons-lang3@3.14.0"); // the declared version wins
        Assert.DoesNotContain(result.Packages, p => p.Purl.ToString() == "pkg:maven/org.apache.commons/commons-lang3@3.12.0");
        Assert.Equal("(no <version> and no local <dependencyManagement> entry)",
            result.Single("pkg:maven/org.example/unmanaged").Properties["maven:unresolved-version"]);
    }

    [Fact]
    public async Task Inherits_from_a_local_parent_chain()
    {
        var result = await OneFileTree.RunAsync(Cataloger, $"{Data}/parent-chain", "parent/child/pom.xml");

        Assert.Empty(result.Unreadable);
        Assert.Equal(4, result.Packages.Count);
        var root = result.Single("pkg:maven/com.example.chain/child@5.0.0");
        Assert.True(root.IsRoot);
        Assert.Equal(["Apache-2.0"], root.Licenses.ToArray()); // inherited from the grandparent
        Assert.False(root.Properties.ContainsKey("maven:parent"));
        Assert.Equal(3, root.DependsOn.Length);

        // managed in the grandparent, version property overridden by the parent
        result.Single("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1");
        // managed as ${project.groupId}:chain-util:${project.version}, interpolated in the child's context
        result.Single("pkg:maven/com.example.chain/chain-util@5.0.0");
        // declared in the parent, version property overridden by the child, located where it is declared
        var netty = result.Single("pkg:maven/io.netty/netty-handler@4.1.101.Final");
        Assert.Equal(new FileLocation("parent/pom.xml", 17), Assert.Single(netty.Locations));
        Assert.Equal(new FileLocation("parent/child/pom.xml", 16), Assert.Single(result.Single("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1").Locations));
    }

    [Fact]
    public async Task Ignores_a_local_parent_whose_coordinates_do_not_match()
    {
        var result = await OneFileTree.RunAsync(Cataloger, $"{Data}/parent-mismatch", "child/pom.xml");

        var root = result.Single("pkg:maven/com.example/mismatch-child@2.0");
        Assert.Equal("com.example:mismatch-parent:2.0", root.Properties["maven:parent"]);
        var lib = result.Single("pkg:maven/org.example/lib");
        Assert.Equal("${lib.version}", lib.Properties["maven:unresolved-version"]);
        Assert.Equal(2, result.Packages.Count);
    }

    [Fact]
    public async Task Imports_a_local_bom()
    {
        var result = await OneFileTree.RunAsync(Cataloger, $"{Data}/bom-import", "app/pom.xml");

        Assert.Equal(3, result.Packages.Count);
        result.Single("pkg:maven/com.squareup.okhttp3/okhttp@4.12.0");
        result.Single("pkg:maven/org.yaml/snakeyaml@2.2"); // the importing pom's own management wins
        var root = result.Single("pkg:maven/com.example.bom/app@2.3.0");
        Assert.False(root.Properties.ContainsKey("maven:remote-boms"));
    }

    [Fact]
    public async Task Leaves_versions_from_a_remote_bom_unresolved()
    {
        var result = await Read("remote-bom");

        var root = result.Single("pkg:maven/com.example/remote-bom-user@1.0");
        Assert.Equal("org.springframework.boot:spring-boot-dependencies:3.2.0", root.Properties["maven:remote-boms"]);
        var web = result.Single("pkg:maven/org.springframework.boot/spring-boot-starter-web");
        Assert.Equal("", web.Version);
        Assert.True(web.Properties.ContainsKey("maven:unresolved-version"));
    }

    [Fact]
    public async Task Reads_each_module_of_a_multi_module_build_as_its_own_root()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Data}/multi-module");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            ["pkg:maven/com.example.multi/core@0.9.0",
             "pkg:maven/com.example.multi/multi-parent@0.9.0?type=pom",
             "pkg:maven/com.example.multi/web@0.9.0?type=war",
             "pkg:maven/commons-io/commons-io@2.15.1"],
            result.Packages.Select(p => p.Purl.ToString()));
        var core = result.Single("pkg:maven/com.example.multi/core@0.9.0");
        // a root in its own pom, a dependency in web's: one package, two locations
        Assert.True(core.IsRoot);
        Assert.Equal(["core/pom.xml", "web/pom.xml"], core.Locations.Select(l => l.Path));
        Assert.Equal(["pkg:maven/commons-io/commons-io@2.15.1"], core.DependsOn.Select(p => p.ToString()));
        Assert.Equal(["pkg:maven/com.example.multi/core@0.9.0"], result.Single("pkg:maven/com.example.multi/web@0.9.0?type=war").DependsOn.Select(p => p.ToString()));
        Assert.Empty(result.Single("pkg:maven/com.example.multi/multi-parent@0.9.0?type=pom").DependsOn);
    }

    [Fact]
    public async Task Leaves_cyclic_and_exploding_properties_unresolved_without_hanging()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await Read("cyclic-properties");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal("${a}", result.Single("pkg:maven/org.example/cycle").Properties["maven:unresolved-version"]);
        Assert.Equal("${self}", result.Single("pkg:maven/org.example/self").Properties["maven:unresolved-version"]);
        Assert.Equal("${lol9}", result.Single("pkg:maven/org.example/laughs").Properties["maven:unresolved-version"]);
        result.Single("pkg:maven/org.example/fine@1.2.3");
        Assert.Equal(5, result.Packages.Count);
    }

    [Fact]
    public async Task Keeps_pinned_ranges_and_leaves_open_ranges_unresolved()
    {
        var result = await Read("version-ranges");

        result.Single("pkg:maven/org.example/pinned@1.2.3");
        Assert.Equal("[1.0,2.0)", result.Single("pkg:maven/org.example/ranged").Properties["maven:unresolved-version"]);
    }

    [Theory]
    [InlineData("malformed", "line 11:")]
    [InlineData("empty", "Root element is missing")]
    [InlineData("not-a-project", "line 2: the root element is <settings>, not <project>")]
    public async Task Records_a_file_that_is_not_a_pom_as_unreadable(string scenario, string reason)
    {
        var result = await Read(scenario);

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.Equal("maven-pom", unreadable.Cataloger);
        Assert.Contains(reason, unreadable.Reason, StringComparison.Ordinal);
    }
}
