// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class GoTests
{
    [Fact]
    public void A_module_with_requirements_and_no_go_sum_is_reported_and_a_replacement_outside_too()
    {
        Assert.Equal(
        [
            "BW-DEP-001 go.mod:1 -",
            "BW-DEP-005 go.mod:10 example.com/other",
        ], Checks.Lines("go/no-sum"));
    }

    [Fact]
    public void A_module_without_requirements_needs_no_go_sum() =>
        Assert.Empty(Checks.Lines("go/no-requirements"));

    [Fact]
    public void A_requirement_without_a_checksum_in_go_sum_is_out_of_sync()
    {
        var report = Checks.Run("go/sum");
        Assert.Equal(
        [
            "BW-DEP-002 go.mod:7 golang.org/x/text@v0.14.0",
            "BW-DEP-005 go.mod:10 example.com/other",
        ], Checks.Lines(report));
        Assert.Equal("golang.org/x/text v0.14.0 is required but go.sum has no checksum for it; run 'go mod tidy'.", report.Findings[0].Message);
    }

    [Fact]
    public void A_real_module_is_in_sync_until_its_requirement_changes()
    {
        Assert.Empty(Checks.Lines("real/go-image-spec"));
        using var tree = TempTree.CopyOf("real/go-image-spec");
        tree.Replace("go.mod", "go-digest v1.0.0", "go-digest v1.0.1");
        Assert.Equal(["BW-DEP-002 go.mod:8 github.com/opencontainers/go-digest@v1.0.1"], Checks.Lines(tree.Check()));
    }

    [Fact]
    public void Requirements_replaced_by_directories_need_no_go_sum()
    {
        using var tree = new TempTree();
        tree.Write("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib\n");
        Assert.Empty(tree.Check().Findings);
    }
}
