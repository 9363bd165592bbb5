// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Dependencies.Tests.Ecosystems;

public class CargoTests
{
    [Fact]
    public void A_binary_without_cargo_lock_is_reported_with_its_caret_requirements()
    {
        Assert.Equal(
        [
            "BW-DEP-001 Cargo.toml:1 tool",
            "BW-DEP-006 Cargo.toml:11 serde",
        ], Checks.Lines("cargo/bin-no-lock"));
    }

    [Fact]
    public void A_library_may_leave_cargo_lock_out() =>
        Assert.Empty(Checks.Lines("cargo/lib-no-lock"));

    [Fact]
    public void Stale_and_missing_crates_git_outside_paths_and_other_registries_are_reported()
    {
        var report = Checks.Run("cargo/lock");
        Assert.Equal(
        [
            "BW-DEP-008 Cargo.lock:18 internal-crate@2.1.0",
            "BW-DEP-003 Cargo.lock:27 regex@1.9.0",
            "BW-DEP-002 Cargo.toml:7 serde",
            "BW-DEP-003 Cargo.toml:9 regex",
            "BW-DEP-005 Cargo.toml:10 helper",
            "BW-DEP-008 Cargo.toml:12 internal-crate",
            "BW-DEP-002 Cargo.toml:13 missing",
        ], Checks.Lines(report));
        Assert.Equal("serde \"1.0.200\": Cargo.lock locks 1.0.100, which the requirement does not allow.", report.Findings[2].Message);
    }

    [Fact]
    public void A_registry_allowed_by_its_index_url_is_not_reported()
    {
        var lines = Checks.Lines("cargo/lock", "https://my-registry.example.com/index");
        Assert.DoesNotContain(lines, l => l.StartsWith("BW-DEP-008", StringComparison.Ordinal));
    }

    [Fact]
    public void A_real_workspace_is_in_sync_until_a_requirement_moves_past_the_lock()
    {
        Assert.Empty(Checks.Lines("real/cargo-zizmor"));
        using var tree = TempTree.CopyOf("real/cargo-zizmor");
        tree.Replace("Cargo.toml", "anyhow = \"1.0.102\"", "anyhow = \"1.1\"");
        var finding = Assert.Single(tree.Check().Findings);
        Assert.Equal(("BW-DEP-002", "Cargo.toml", 35, "anyhow"), (finding.Rule.Id, finding.Path, finding.Line, finding.Package));
    }

    [Fact]
    public void A_workspace_without_cargo_lock_is_reported_once_at_its_root()
    {
        using var tree = new TempTree();
        tree.Write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
        tree.Write("crates/app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n");
        tree.Write("crates/app/src/main.rs", "fn main() {}\n");
        var report = tree.Check();
        Assert.Equal(["BW-DEP-001 Cargo.toml:1 -"], Checks.Lines(report));
        Assert.Equal("Cargo.toml defines a workspace and there is no Cargo.lock beside it.", report.Findings[0].Message);
    }
}
