// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Java;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Java;

public class GradleLockfileCatalogerTests
{
    private static readonly GradleLockfileCataloger Cataloger = new();
    private const string Data = "Ecosystems/Java/testdata/gradle";

    [Theory]
    [InlineData("gradle.lockfile", true)]
    [InlineData("sub/project/gradle.lockfile", true)]
    [InlineData("gradle/dependency-locks/compileClasspath.lockfile", true)]
    [InlineData("app/gradle/dependency-locks/testRuntimeClasspath.lockfile", true)]
    [InlineData("other/compileClasspath.lockfile", false)]
    [InlineData("gradle.lockfile.orig", false)]
    [InlineData("build.gradle", false)]
    public void Wants_gradle_lockfiles_and_legacy_per_configuration_locks(string path, bool wanted) =>
        Assert.Equal(wanted, Cataloger.Wants(path));

    [Fact]
    public async Task Reads_the_mercury_lockfile()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("gradle-lockfile/FabricMC__Mercury/gradle.lockfile"));

        Assert.Empty(result.Unreadable);
        Assert.Equal(28, result.Packages.Count);
        var bombe = result.Single("pkg:maven/org.cadixdev/bombe@0.3.4");
        Assert.Equal(Scope.Required, bombe.Scope);
        Assert.Equal("compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath", bombe.Properties["gradle:configurations"]);
        Assert.Equal(new FileLocation("gradle.lockfile", 6), Assert.Single(bombe.Locations));
        Assert.Equal(Scope.Dev, result.Single("pkg:maven/org.apiguardian/apiguardian-api@1.1.0").Scope);
        Assert.Equal(Scope.Dev, result.Single("pkg:maven/org.cadixdev/lorenz-io-jam@0.5.7").Scope);
        result.Single("pkg:maven/org.cadixdev/at@0.1.0-rc1");
        Assert.Equal(8, result.Packages.Count(p => p.Scope == Scope.Dev));
        Assert.All(result.Packages, p => Assert.False(p.IsRoot));
    }

    [Fact]
    public async Task Reads_the_perl5_idea_lockfile_with_intellij_platform_modules()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, CatalogerRun.Corpus("gradle-lockfile/Camelcade__Perl5-IDEA/gradle.lockfile"));

        Assert.Empty(result.Unreadable);
        Assert.Equal(297, result.Packages.Count);
        Assert.Equal(Scope.Dev, result.Single("pkg:maven/junit/junit@4.13.2").Scope);
        // a build-tool configuration is not a test one: kept Required rather than hidden
        Assert.Equal(Scope.Required, result.Single("pkg:maven/com.google.code.findbugs/jsr305@3.0.2").Scope);
        result.Single("pkg:maven/com.jetbrains/jbr@jbr_jcef-25.0.2-linux-x64-b329.72");
        result.Single("pkg:maven/bundledModule/fleet.andel@IU-261.22158.277");
    }

    [Fact]
    public async Task Takes_the_scope_from_the_configurations()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Data}/scopes/gradle.lockfile");

        Assert.Equal(
            [("pkg:maven/com.google.guava/guava@32.1.3-jre", Scope.Required),
             ("pkg:maven/com.puppycrawl.tools/checkstyle@10.12.5", Scope.Required),
             ("pkg:maven/jakarta.servlet/jakarta.servlet-api@6.0.0", Scope.Optional),
             ("pkg:maven/org.junit.jupiter/junit-jupiter-api@5.10.1", Scope.Dev),
             ("pkg:maven/org.postgresql/postgresql@42.7.1", Scope.Required),
             ("pkg:maven/org.projectlombok/lombok@1.18.30", Scope.Optional)],
            result.Packages.Select(p => (p.Purl.ToString(), p.Scope)));
    }

    [Fact]
    public async Task Reads_an_all_empty_lockfile_as_no_packages()
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Data}/empty/gradle.lockfile");

        Assert.Empty(result.Unreadable);
        Assert.Empty(result.Packages);
    }

    [Fact]
    public async Task Reads_legacy_per_configuration_lockfiles()
    {
        var result = await CatalogerRun.DirectoryAsync(Cataloger, $"{Data}/legacy");

        Assert.Empty(result.Unreadable);
        Assert.Equal(
            [("pkg:maven/junit/junit@4.13.2", Scope.Dev),
             ("pkg:maven/org.apache.commons/commons-lang3@3.12.0", Scope.Required),
             ("pkg:maven/org.slf4j/slf4j-api@1.7.36", Scope.Optional)],
            result.Packages.Select(p => (p.Purl.ToString(), p.Scope)));
        Assert.Equal(
            ["gradle/dependency-locks/compileClasspath.lockfile", "gradle/dependency-locks/runtimeClasspath.lockfile", "gradle/dependency-locks/testRuntimeClasspath.lockfile"],
            result.Single("pkg:maven/org.apache.commons/commons-lang3@3.12.0").Locations.Select(l => l.Path));
    }

    [Theory]
    [InlineData("malformed-line", "line 5: expected 'group:artifact:version', found 'com.google.guava:failureaccess'")]
    [InlineData("missing-configurations", "line 3: expected 'group:artifact:version=configurations', found 'this line is not a lock entry'")]
    public async Task Records_a_lockfile_with_a_malformed_line_as_unreadable(string scenario, string reason)
    {
        var result = await CatalogerRun.FileAsync(Cataloger, $"{Data}/{scenario}/gradle.lockfile");

        Assert.Empty(result.Packages);
        var unreadable = Assert.Single(result.Unreadable);
        Assert.StartsWith(reason, unreadable.Reason, StringComparison.Ordinal);
    }
}
