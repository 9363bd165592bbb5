// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Sbom;
using Bulwark.Vulnerabilities.Database;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Tests.Reports;

/// Scan reports built by hand from the shared model, with values copied from the real records in ../shared/vulndb
/// (ids, aliases, summaries, CVSS vectors, ranges, dates): a source tree, a Debian image, and a clean scan.
/// Also compiled into Bulwark.Cli.Tests (linked in its project file) for the table report's golden tests.
internal static class ScanReportFixtures
{
    public static readonly DateTimeOffset Created = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    private static readonly DatabaseStatus Database = new(
        "/home/dev/.cache/bulwark/db/vulns.db", "https://osv-vulnerabilities.storage.googleapis.com", "../shared/vulndb/malicious",
        new DateTimeOffset(2026, 11, 18, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 19, 6, 0, 0, TimeSpan.Zero),
        48_213_504, []);

    private static readonly Purl Shop = Purl.Parse("pkg:npm/shop@1.4.0");
    private static readonly Purl Requests = Purl.Parse("pkg:pypi/requests@2.32.3");

    private static readonly Package Lodash = Package.Create(Ecosystem.Npm, "lodash", "4.17.15", new FileLocation("package-lock.json", 412));
    private static readonly Package Urllib3 = Package.Create(Ecosystem.PyPI, "urllib3", "2.5.0", new FileLocation("worker/poetry.lock", 87));
    private static readonly Package CxpJquery = Package.Create(Ecosystem.Npm, "cxp-jquery", "1.0.2", new FileLocation("package-lock.json", 198));

    /// `bulwark scan ./shop`: an npm app with a Python worker. Lodash has two standing findings (one annotated by
    /// an "affected" VEX statement) and one suppressed as not_affected; urllib3 has a CVSS v3.1 + v4.0 finding and a
    /// v4.0-only one; cxp-jquery is a malicious package; left-pad names no version; one record could not be evaluated.
    public static ScanReport SourceTree()
    {
        var injection = new Finding
        {
            Id = "GHSA-35jh-r3h4-6jhm",
            Ids = ["CVE-2021-23337", "GHSA-35jh-r3h4-6jhm"],
            Kind = FindingKind.Vulnerability,
            Package = Lodash,
            InstalledVersion = "4.17.15",
            Summary = "Command Injection in lodash",
            FixedVersion = "4.17.21",
            Evidence = [Range("GHSA-35jh-r3h4-6jhm", "npm", "lodash", "4.17.15", "0", "4.17.21")],
            References = ["https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c", "https://nvd.nist.gov/vuln/detail/CVE-2021-23337"],
            Direct = true,
            DependencyPath = [Shop, Lodash.Purl],
            Published = At("2021-05-06T16:05:51Z"),
            Modified = At("2022-02-08T21:35:09Z"),
        }.WithSeverity([("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")], "HIGH");

        var pollution = new Finding
        {
            Id = "GHSA-p6mc-m468-83gw",
            Ids = ["CVE-2020-8203", "GHSA-p6mc-m468-83gw"],
            Kind = FindingKind.Vulnerability,
            Package = Lodash,
            InstalledVersion = "4.17.15",
            Summary = "Prototype Pollution in lodash",
            FixedVersion = "4.17.20",
            Evidence = [Range("GHSA-p6mc-m468-83gw", "npm", "lodash", "4.17.15", "0", "4.17.20")],
            References = ["https://github.com/lodash/lodash/issues/4744", "https://nvd.nist.gov/vuln/detail/CVE-2020-8203"],
            Direct = true,
            DependencyPath = [Shop, Lodash.Purl],
            Published = At("2020-07-15T19:15:48Z"),
            Modified = At("2022-02-08T22:04:28Z"),
        }.WithSeverity([("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H")], "HIGH");

        var redos = new Finding
        {
            Id = "GHSA-29mw-wpgm-hmr9",
            Ids = ["CVE-2020-28500", "GHSA-29mw-wpgm-hmr9"],
            Kind = FindingKind.Vulnerability,
            Package = Lodash,
            InstalledVersion = "4.17.15",
            Summary = "Regular Expression Denial of Service (ReDoS) in lodash",
            FixedVersion = "4.17.21",
            Evidence = [Range("GHSA-29mw-wpgm-hmr9", "npm", "lodash", "4.17.15", "0", "4.17.21")],
            References = ["https://github.com/lodash/lodash/pull/5065", "https://nvd.nist.gov/vuln/detail/CVE-2020-28500"],
            Direct = true,
            DependencyPath = [Shop, Lodash.Purl],
            Published = At("2022-01-06T20:30:46Z"),
            Modified = At("2023-09-05T22:58:25Z"),
        }.WithSeverity([("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L")], "MODERATE");

        var redirects = new Finding
        {
            Id = "GHSA-38jv-5279-wg99",
            Ids = ["CVE-2026-21441", "GHSA-38jv-5279-wg99"],
            Kind = FindingKind.Vulnerability,
            Package = Urllib3,
            InstalledVersion = "2.5.0",
            Summary = "Decompression-bomb safeguards bypassed when following HTTP redirects (streaming API)",
            FixedVersion = "2.6.3",
            Evidence = [Range("GHSA-38jv-5279-wg99", "PyPI", "urllib3", "2.5.0", "1.22", "2.6.3")],
            References = ["https://github.com/urllib3/urllib3/security/advisories/GHSA-38jv-5279-wg99", "https://nvd.nist.gov/vuln/detail/CVE-2026-21441"],
            Direct = false,
            DependencyPath = [Shop, Requests, Urllib3.Purl],
            Published = At("2026-01-07T19:18:14Z"),
            Modified = At("2026-01-23T16:05:21Z"),
        }.WithSeverity([("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), ("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:H")], "HIGH");

        var chain = new Finding
        {
            Id = "GHSA-gm62-xv2j-4w53",
            Ids = ["CVE-2025-66418", "GHSA-gm62-xv2j-4w53"],
            Kind = FindingKind.Vulnerability,
            Package = Urllib3,
            InstalledVersion = "2.5.0",
            Summary = "urllib3 allows an unbounded number of links in the decompression chain",
            FixedVersion = "2.6.0",
            Evidence = [Range("GHSA-gm62-xv2j-4w53", "PyPI", "urllib3", "2.5.0", "1.24", "2.6.0")],
            References = ["https://github.com/urllib3/urllib3/security/advisories/GHSA-gm62-xv2j-4w53"],
            Direct = false,
            DependencyPath = [Shop, Requests, Urllib3.Purl],
            Published = At("2025-12-05T18:15:19Z"),
            Modified = At("2025-12-05T18:15:19Z"),
        }.WithSeverity([("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:H")], "HIGH");

        var malicious = new Finding
        {
            Id = "MAL-2021-1",
            Ids = ["MAL-2021-1"],
            Kind = FindingKind.Malicious,
            Package = CxpJquery,
            InstalledVersion = "1.0.2",
            Summary = "Malicious code in cxp-jquery (npm)",
            Evidence = [new MatchEvidence("MAL-2021-1", "npm", "cxp-jquery", "SEMVER", "0", null, null, null,
                "1.0.2 is at or above 0 (introduced) and no fixed version closes the range")],
            Direct = false,
            DependencyPath = [Shop, Purl.Parse("pkg:npm/ui-kit@3.0.1"), CxpJquery.Purl],
            Published = At("2021-12-27T00:00:00Z"),
            Modified = At("2023-09-01T20:12:58Z"),
        };

        var leftPad = Package.Create(Ecosystem.Npm, "left-pad", null, new FileLocation("package.json", 14));
        var subject = new SbomSubject { Name = "shop", Version = "1.4.0", Kind = SubjectKind.Directory, Purl = Shop };
        var vexFile = "vex/shop.openvex.json";
        return new ScanReport
        {
            Sbom = Sbom(subject, Lodash, Urllib3, CxpJquery, leftPad),
            Target = "./shop",
            Findings = [malicious, injection, pollution, redirects, chain],
            Suppressed =
            [
                new SuppressedFinding(redos, new VexStatement("CVE-2020-28500", ["GHSA-29mw-wpgm-hmr9"], [Purl.Parse("pkg:npm/lodash@4.17.15")],
                    VexStatus.NotAffected, "vulnerable_code_not_in_execute_path",
                    "shop never passes user input to toNumber, trim or trimEnd.", null, At("2026-10-02T08:00:00Z"), vexFile + "#statements[0]")),
            ],
            Annotated =
            [
                new SuppressedFinding(pollution, new VexStatement("GHSA-p6mc-m468-83gw", [], [Purl.Parse("pkg:npm/lodash")],
                    VexStatus.Affected, null, null, "Upgrade lodash to 4.17.21 in release 1.5.", At("2026-10-02T08:00:00Z"), vexFile + "#statements[1]")),
            ],
            Unmatchable = [new UnmatchablePackage(leftPad, UnmatchableReason.NoVersion, "package.json names left-pad without a version; run npm install to pin one in package-lock.json.")],
            Problems = [new MatchProblem(Urllib3.Purl, "PYSEC-2023-192", "range event 'introduced: 1.26.x' is not a PEP 440 version")],
            Database = Database,
            Created = Created,
            ToolVersion = "0.1.0",
        };
    }

    private static readonly Package LibSsl = new()
    {
        Ecosystem = Ecosystem.Debian,
        Name = "libssl1.1",
        Version = "1.1.1n-0+deb11u3",
        Purl = new Purl("deb", "debian", "libssl1.1", "1.1.1n-0+deb11u3", [new("arch", "amd64"), new("distro", "debian-11"), new("upstream", "openssl")]),
        Locations = [new FileLocation("var/lib/dpkg/status", null, "sha256:7c9f3b1e2d8a4f6b0c5e9d1a3b7f2e6c8d0a4b9e1f3c5d7a9b2e4f6a8c0d2e4f")],
    };

    /// `bulwark scan debian:11`: one distro finding with no severity in its record, no dependency graph (direct
    /// unknown), a layer on the location, and a CPE-only component that cannot be matched.
    public static ScanReport Image()
    {
        var openssl = new Finding
        {
            Id = "DSA-5343-1",
            Ids = ["DSA-5343-1"],
            Kind = FindingKind.Vulnerability,
            Package = LibSsl,
            InstalledVersion = "1.1.1n-0+deb11u3",
            Summary = "openssl - security update",
            FixedVersion = "1.1.1n-0+deb11u4",
            Evidence = [Range("DSA-5343-1", "Debian:11", "openssl", "1.1.1n-0+deb11u3", "0", "1.1.1n-0+deb11u4")],
            References = ["https://security-tracker.debian.org/tracker/DSA-5343-1"],
            Published = At("2023-02-07T00:00:00Z"),
            Modified = At("2023-02-07T00:00:00Z"),
        };
        var vendored = new Package
        {
            Ecosystem = Ecosystem.Generic,
            Name = "openssl",
            Version = "1.1.1k",
            Purl = new Purl("generic", null, "openssl", "1.1.1k"),
            PurlIsSynthetic = true,
            Cpes = ["cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"],
            Locations = [new FileLocation("opt/app/lib/libssl.so.1.1", null, "sha256:2b4d6f8a0c1e3f5a7b9d1c3e5f7a9b0d2c4e6f8a1b3d5c7e9f0a2b4c6d8e0f1a")],
        };
        return new ScanReport
        {
            Sbom = Sbom(new SbomSubject { Name = "docker.io/library/debian", Version = "11", Kind = SubjectKind.Image }, LibSsl, vendored),
            Target = "debian:11",
            Findings = [openssl],
            Unmatchable = [new UnmatchablePackage(vendored, UnmatchableReason.NoPurl, "only a CPE identifies it (cpe:2.3:a:openssl:openssl:1.1.1k); Bulwark matches by purl and does not guess one")],
            Database = Database,
            Created = Created,
            ToolVersion = "0.1.0",
        };
    }

    /// `bulwark scan ./clean`: nothing found.
    public static ScanReport Clean() => new()
    {
        Sbom = Sbom(new SbomSubject { Name = "clean", Kind = SubjectKind.Directory },
            Package.Create(Ecosystem.Npm, "lodash", "4.17.21", new FileLocation("package-lock.json", 10))),
        Target = "./clean",
        Findings = [],
        Database = Database,
        Created = Created,
        ToolVersion = "0.1.0",
    };

    public static IEnumerable<(string Name, ScanReport Report)> All() =>
        [("source-tree", SourceTree()), ("image", Image()), ("clean", Clean())];

    private static Finding WithSeverity(this Finding f, (string Type, string Score)[] severities, string? databaseSpecific)
    {
        var verdict = SeverityAssessment.Assess(severities, databaseSpecific);
        return f with { Severity = verdict.Highest, Ratings = [.. verdict.Ratings] };
    }

    private static MatchEvidence Range(string id, string ecosystem, string name, string installed, string introduced, string fixedVersion) =>
        new(id, ecosystem, name, "ECOSYSTEM", introduced, fixedVersion, null, null,
            $"{installed} is at or above {introduced} (introduced) and below {fixedVersion} (fixed)");

    private static Bulwark.Sbom.Sbom Sbom(SbomSubject subject, params Package[] packages) => new()
    {
        Subject = subject,
        Packages = [.. packages.OrderBy(p => p.Purl.ToString(), StringComparer.Ordinal)],
        Created = Created,
    };

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
