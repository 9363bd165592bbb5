// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class DotNetTests
{
    [Fact]
    public void A_project_that_opted_in_through_directory_build_props_and_has_no_lockfile_is_reported()
    {
        var report = Checks.Run("dotnet/opted-in-no-lock");
        Assert.Equal(
        [
            "BW-DEP-001 src/App/App.csproj:1 -",
            "BW-DEP-006 src/App/App.csproj:7 Serilog",
        ], Checks.Lines(report));
        Assert.Equal("the project sets RestorePackagesWithLockFile and references 2 packages, but there is no src/App/packages.lock.json.", report.Findings[0].Message);
    }

    [Fact]
    public void A_project_that_did_not_opt_in_needs_no_lockfile_but_floating_versions_are_reported() =>
        Assert.Equal(["BW-DEP-006 App.csproj:7 Serilog"], Checks.Lines("dotnet/not-opted-in"));

    [Fact]
    public void A_lockfile_made_for_other_versions_or_missing_a_reference_is_out_of_sync()
    {
        var report = Checks.Run("dotnet/lock");
        Assert.Equal(
        [
            "BW-DEP-002 App.csproj:7 Newtonsoft.Json",
            "BW-DEP-002 App.csproj:9 Polly",
        ], Checks.Lines(report));
        Assert.Equal("Newtonsoft.Json \"13.0.3\" is referenced but packages.lock.json was made for \"[13.0.1, )\" under net8.0.", report.Findings[0].Message);
    }

    [Fact]
    public void Central_package_versions_are_compared_with_the_lockfile() =>
        Assert.Empty(Checks.Lines("dotnet/cpm"));

    [Fact]
    public void A_central_version_changed_after_restore_is_out_of_sync()
    {
        using var tree = TempTree.CopyOf("dotnet/cpm");
        tree.Replace("Directory.Packages.props", "Version=\"13.0.3\"", "Version=\"13.0.4\"");
        Assert.Equal(["BW-DEP-002 src/App/App.csproj:7 Newtonsoft.Json"], Checks.Lines(tree.Check()));
    }

    [Fact]
    public void Nuget_config_sources_other_than_nuget_org_and_folders_outside_are_reported()
    {
        Assert.Equal(
        [
            "BW-DEP-008 nuget.config:6 -",
            "BW-DEP-005 nuget.config:7 -",
        ], Checks.Lines("dotnet/nuget-config"));
        Assert.Equal(["BW-DEP-005 nuget.config:7 -"], Checks.Lines("dotnet/nuget-config", "https://nuget.example.internal/v3/index.json"));
    }

    [Fact]
    public void A_real_project_with_its_lockfile_gives_no_finding() =>
        Assert.Empty(Checks.Lines("real/nuget-bitwarden"));
}
