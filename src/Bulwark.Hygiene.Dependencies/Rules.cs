// SPDX-License-Identifier: Apache-2.0
using Bulwark.Hygiene.Findings;

namespace Bulwark.Hygiene.Dependencies;

/// Every rule `bulwark deps check` applies, in id order: the one list reports and documentation read.
public static class DependencyRules
{
    public static readonly Rule MissingLockfile = new("BW-DEP-001", "Manifest without a lockfile", Severity.Medium,
        "Without a lockfile every install resolves the version ranges again, so two builds of the same commit can get different dependency code, including a release published by an attacker minutes earlier.",
        "Generate the lockfile with the package manager (npm install, poetry lock, uv lock, pipenv lock, cargo generate-lockfile, go mod tidy, bundle lock, composer update --lock, dotnet restore --use-lock-file) and commit it.");

    public static readonly Rule LockfileOutOfSync = new("BW-DEP-002", "Lockfile out of sync with its manifest", Severity.High,
        "A lockfile that does not match its manifest is regenerated or ignored by the install ('npm ci' and 'cargo build --locked' fail, others re-resolve silently), so what was reviewed in the lockfile is not what gets installed.",
        "Run the package manager's lock command again, review the lockfile diff, and commit the manifest and the lockfile together.");

    public static readonly Rule GitDependency = new("BW-DEP-003", "Dependency fetched from git or another VCS", Severity.Medium,
        "A git (or Mercurial, Subversion, Bazaar) dependency bypasses the registry's immutability: a branch or tag can be moved, and the repository can be rewritten or deleted; nothing checks its content against a published checksum.",
        "Depend on a released version from the registry; if a git source is unavoidable, pin it to a full commit SHA and keep it in the lockfile.");

    public static readonly Rule UrlDependency = new("BW-DEP-004", "Dependency fetched from a tarball URL", Severity.Medium,
        "An archive downloaded from an arbitrary URL can change under the same address, and the server is outside the registry's account and publishing controls.",
        "Publish the package to the registry (or an internal one listed with --registry) and depend on a version; otherwise pin the archive by hash.");

    public static readonly Rule LocalPathDependency = new("BW-DEP-005", "Dependency on a path outside the repository", Severity.Medium,
        "A dependency on a local path that is absolute or leaves the checkout builds from whatever happens to be at that path on the build machine, which no review of this repository covers.",
        "Move the dependency into the repository (a workspace member) or publish it and depend on a version.");

    public static readonly Rule FloatingVersion = new("BW-DEP-006", "Floating version without a lockfile", Severity.Medium,
        "A range such as '^1.2', '>=2', '*' or 'latest' with nothing locking it installs whatever newest version matches on the day of the build.",
        "Commit a lockfile, or pin the exact version ('==1.2.3' in requirements files, '1.2.3' in package.json).");

    public static readonly Rule InstallScript = new("BW-DEP-007", "Package runs an install script", Severity.Low,
        "preinstall, install and postinstall scripts run arbitrary code with the developer's or CI's credentials as soon as the package is installed; most npm malware uses them.",
        "Review the package; install with '--ignore-scripts' (or 'ignore-scripts=true' in .npmrc) and allow scripts only for the packages that need them.");

    public static readonly Rule UnapprovedRegistry = new("BW-DEP-008", "Registry not in the allowed list", Severity.High,
        "Packages from a registry nobody approved are outside the organisation's controls; an extra index next to the public one also allows dependency confusion (the higher version on either index wins).",
        "Use the ecosystem's public registry or an approved internal one, and list approved registries with --registry URL or 'registries:' in .bulwark/deps.yaml.");

    public static IReadOnlyList<Rule> All { get; } =
    [
        MissingLockfile, LockfileOutOfSync, GitDependency, UrlDependency, LocalPathDependency, FloatingVersion, InstallScript, UnapprovedRegistry,
    ];

    /// The rules with the words and keys the JSON and SARIF reports use for them.
    public static RuleCatalogue Catalogue { get; } = new(All, "supply-chain", "bulwarkDepsCheck/v1", "checked");
}
