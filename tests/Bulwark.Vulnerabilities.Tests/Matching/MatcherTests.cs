// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Core.Cvss;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Tests.Matching;

/// The matcher against pinned real advisories (testdata/README.md says where each came from).
public sealed class MatcherTests(MatchingDatabase db) : IClassFixture<MatchingDatabase>
{
    [Fact]
    public void An_npm_package_inside_one_of_several_ranges_is_reported_with_that_interval_and_its_fix()
    {
        var result = db.Match("pkg:npm/qs@6.9.3");
        var finding = result.Single("GHSA-hrpp-h998-j3pp");
        Assert.Equal(["CVE-2022-24999", "GHSA-hrpp-h998-j3pp"], finding.Ids.AsEnumerable());
        Assert.Equal(FindingKind.Vulnerability, finding.Kind);
        Assert.Equal("6.9.3", finding.InstalledVersion);
        Assert.Equal("6.9.7", finding.FixedVersion);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(new MatchEvidence("GHSA-hrpp-h998-j3pp", "npm", "qs", "ECOSYSTEM", "6.9.0", "6.9.7", null, null,
            "qs 6.9.3 is at or above 6.9.0 (introduced) and below 6.9.7 (fixed) (ECOSYSTEM range)"), evidence);
        Assert.Equal(CvssSeverity.High, finding.Severity?.Severity);
        Assert.Equal("qs vulnerable to Prototype Pollution", finding.Summary);
        Assert.Equal(1, result.PackagesMatched);
    }

    [Theory]
    [InlineData("pkg:npm/qs@6.9.7")]   // the fix of its interval
    [InlineData("pkg:npm/qs@6.11.0")]  // above every range
    [InlineData("pkg:npm/qs@6.2.4")]   // the fix of the "introduced 0" range
    public void Versions_outside_every_range_have_no_finding(string purl) =>
        Assert.Empty(db.Match(purl).Findings);

    [Fact]
    public void Introduced_zero_covers_every_earlier_version()
    {
        var evidence = Assert.Single(db.Match("pkg:npm/qs@1.0.0").Single("GHSA-hrpp-h998-j3pp").Evidence);
        Assert.Equal("0", evidence.Introduced);
        Assert.Equal("6.2.4", evidence.Fixed);
        Assert.Equal("qs 1.0.0 is at or above 0 (introduced) and below 6.2.4 (fixed) (ECOSYSTEM range)", evidence.Explanation);
    }

    [Fact]
    public void A_pypi_advisory_and_its_ghsa_alias_are_one_finding_under_the_pysec_id()
    {
        var finding = Assert.Single(db.Match("pkg:pypi/requests@2.30.0").Findings);
        Assert.Equal("PYSEC-2023-74", finding.Id);
        Assert.Equal(["CVE-2023-32681", "GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"], finding.Ids.AsEnumerable());
        Assert.Equal("2.31.0", finding.FixedVersion);
        // PYSEC matched by its ECOSYSTEM range and its versions list (its GIT range is ignored); GHSA by its range
        Assert.Equal(
        [
            "GHSA-j8r2-6x86-q33q: requests 2.30.0 is at or above 2.3.0 (introduced) and below 2.31.0 (fixed) (ECOSYSTEM range)",
            "PYSEC-2023-74: requests 2.30.0 is at or above 2.3.0 (introduced) and below 2.31.0 (fixed) (ECOSYSTEM range)",
            "PYSEC-2023-74: requests 2.30.0 is listed in the record's affected versions",
        ], finding.Evidence.Select(e => $"{e.RecordId}: {e.Explanation}"));
        Assert.Equal(CvssSeverity.Medium, finding.Severity?.Severity);
        Assert.Equal("CVSS_V3", finding.Severity?.Source);
        Assert.Contains("https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q", finding.References);
        Assert.Equal(finding.References.Distinct().Count(), finding.References.Length);
    }

    [Fact]
    public void Aliased_records_that_disagree_on_the_fix_give_the_version_that_leaves_every_matched_range()
    {
        var finding = Assert.Single(db.Match("pkg:npm/bulwark-scenario-fixes@1.1.0").Findings);
        Assert.Equal(["BULWARK-TEST-0001", "BULWARK-TEST-0002", "CVE-2099-0001"], finding.Ids.AsEnumerable());
        // 1.2.0 is still affected according to BULWARK-TEST-0002
        Assert.Equal("1.3.0", finding.FixedVersion);
        // between the two fixes only the second record applies, and its fix is the answer
        Assert.Equal("1.3.0", Assert.Single(db.Match("pkg:npm/bulwark-scenario-fixes@1.2.5").Findings).FixedVersion);
    }

    [Theory]
    [InlineData("Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking Proxy-Authorization headers to destination servers when redirected.",
        "Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking Proxy-Authorization headers to destination…")]
    [InlineData("Short\n\n  text.", "Short text.")]
    [InlineData("Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword x",
        "Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryve…")]
    public void A_record_without_a_summary_is_described_by_the_opening_words_of_its_details(string details, string expected)
    {
        Assert.Equal(expected, Matcher.Opening(details));
        Assert.True(Matcher.Opening(details).Length <= 120);
    }

    [Fact]
    public void No_fix_is_claimed_when_an_aliased_record_knows_none()
    {
        var finding = Assert.Single(db.Match("pkg:npm/bulwark-scenario-nofix@1.0.0").Findings);
        Assert.Null(finding.FixedVersion);
        Assert.Contains(finding.Evidence, e => e.RecordId == "BULWARK-TEST-0002" && e.LastAffected == "2.0.0");
    }

    [Fact]
    public void Pypi_names_are_normalised_and_versions_listed_equal_after_parsing()
    {
        var finding = Assert.Single(db.Match("pkg:pypi/Requests@2.30").Findings);
        Assert.Equal("PYSEC-2023-74", finding.Id);
        Assert.Contains(finding.Evidence, e => e.Explanation == "requests 2.30 equals 2.30.0, listed in the record's affected versions");
    }

    [Fact]
    public void A_withdrawn_record_never_produces_a_finding()
    {
        // PYSEC-2019-144 (arrayfire, introduced 0, fixed 3.6.0) is withdrawn
        var result = db.Match("pkg:pypi/arrayfire@3.5.0");
        Assert.Empty(result.Findings);
        Assert.Empty(result.Problems);
    }

    [Theory]
    [InlineData("v0.0.0-20190101000000-abcdefabcdef", true)]
    [InlineData("v0.0.0-20160722212129-ac0cc4484ad4", true)]   // the introducing commit itself
    [InlineData("v0.0.0-20160101000000-abcdefabcdef", false)]  // before it
    [InlineData("v0.0.0-20200131131040-063a3fb69896", false)]  // the fixing commit
    public void Go_pseudo_versions_are_ordered_by_their_timestamp(string version, bool affected)
    {
        var result = db.Match($"pkg:golang/github.com/nanobox-io/golang-nanoauth@{version}");
        if (!affected)
        {
            Assert.Empty(result.Findings);
            return;
        }
        var finding = result.Single("GO-2020-0004");
        Assert.Equal(["CVE-2020-36569", "GHSA-hrm3-3xm6-x33h", "GO-2020-0004"], finding.Ids.AsEnumerable());
        Assert.Equal("0.0.0-20200131131040-063a3fb69896", finding.FixedVersion);
        Assert.Equal("SEMVER", Assert.Single(finding.Evidence).RangeType);
    }

    [Theory]
    [InlineData("2.14.1", "2.15.0", "2.13.0")]
    [InlineData("2.4.1", "2.12.2", "2.4")]
    [InlineData("2.0", "2.3.1", "0")]
    public void Maven_log4j_core_is_matched_by_group_and_artifact(string version, string fix, string introduced)
    {
        var finding = db.Match($"pkg:maven/org.apache.logging.log4j/log4j-core@{version}").Single("GHSA-jfh8-c2jp-5v3q");
        Assert.Equal(fix, finding.FixedVersion);
        Assert.Equal(introduced, Assert.Single(finding.Evidence).Introduced);
        Assert.Equal(CvssSeverity.Critical, finding.Severity?.Severity);
        Assert.Equal(10.0, finding.Severity?.Score);
        // the CVSS vector wins over database_specific "CRITICAL", which is still listed as a rating
        Assert.Contains(finding.Ratings, r => r.Source == "database_specific" && r.Text == "CRITICAL");
    }

    [Theory]
    [InlineData("2.12.2")]
    [InlineData("2.15.0")]
    [InlineData("2.3.1")]
    public void Maven_versions_at_a_fix_are_not_reported(string version) =>
        Assert.Empty(db.Match($"pkg:maven/org.apache.logging.log4j/log4j-core@{version}").Findings);

    [Fact]
    public void A_crate_below_a_prerelease_fix_is_reported_with_that_fix()
    {
        var finding = db.Match("pkg:cargo/actix-http@1.0.1").Single("RUSTSEC-2020-0048");
        Assert.Equal(["CVE-2020-35901", "GHSA-v3j6-xf77-8r9c", "RUSTSEC-2020-0048"], finding.Ids.AsEnumerable());
        Assert.Equal("2.0.0-alpha.1", finding.FixedVersion);
        Assert.Empty(db.Match("pkg:cargo/actix-http@2.0.0").Findings);
    }

    [Fact]
    public void A_malicious_package_report_is_a_malicious_finding()
    {
        var finding = db.Match("pkg:npm/squaredev-next-online-payments-example@99.0.0").Single("MAL-2024-1");
        Assert.Equal(FindingKind.Malicious, finding.Kind);
        Assert.Equal("squaredev-next-online-payments-example 99.0.0 is listed in the record's affected versions", Assert.Single(finding.Evidence).Explanation);
        Assert.Empty(db.Match("pkg:npm/squaredev-next-online-payments-example@1.0.0").Findings);
    }

    [Theory]
    [InlineData("debian-10", "Debian:10", "78.13.0esr-1~deb10u1")]
    [InlineData("debian-11", "Debian:11", "78.13.0esr-1~deb11u1")]
    [InlineData("debian-11.7", "Debian:11", "78.13.0esr-1~deb11u1")] // Trivy writes the point release
    [InlineData("bullseye", "Debian:11", "78.13.0esr-1~deb11u1")]
    public void A_debian_package_is_matched_only_against_its_own_release(string distro, string ecosystem, string fix)
    {
        var finding = db.Match($"pkg:deb/debian/firefox-esr@78.12.0esr-1?arch=amd64&distro={distro}").Single("DSA-4956-1");
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(ecosystem, evidence.Ecosystem);
        Assert.Equal(fix, finding.FixedVersion);
        Assert.Equal($"firefox-esr 78.12.0esr-1 is at or above 0 (introduced) and below {fix} (fixed) (ECOSYSTEM range)", evidence.Explanation);
    }

    [Fact]
    public void A_release_the_record_does_not_name_has_no_finding_and_a_warning_that_the_release_is_not_covered()
    {
        // DSA-4956-1 names Debian 10 and 11 only
        var result = db.Match("pkg:deb/debian/firefox-esr@78.12.0esr-1?distro=debian-12");
        Assert.Empty(result.Findings);
        Assert.Equal(["None of the 1 advisories naming the 1 Debian:12 packages covers Debian:12: the database has no data for this release, "
            + "so these packages were not effectively checked."], result.Warnings.AsEnumerable());
        Assert.Empty(db.Match("pkg:deb/debian/firefox-esr@78.12.0esr-1?distro=debian-11").Warnings);
    }

    [Fact]
    public void The_fix_of_one_release_does_not_clear_a_package_of_another()
    {
        // 78.13.0esr-1~deb10u1 is Debian 10's fix; on Debian 11 it is still below 78.13.0esr-1~deb11u1
        Assert.Empty(db.Match("pkg:deb/debian/firefox-esr@78.13.0esr-1~deb10u1?distro=debian-10").Findings);
        Assert.Single(db.Match("pkg:deb/debian/firefox-esr@78.13.0esr-1~deb10u1?distro=debian-11").Findings);
    }

    [Fact]
    public void A_debian_binary_package_is_matched_by_its_source_package_and_source_version()
    {
        var finding = db.Match("pkg:deb/debian/libc6@2.24-11+b1?arch=amd64&distro=debian-9&upstream=glibc%402.24-11").Single("DSA-3887-1");
        Assert.Equal("2.24-11", finding.InstalledVersion);
        Assert.Equal("2.24-11+deb9u1", finding.FixedVersion);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(("Debian:9", "glibc"), (evidence.Ecosystem, evidence.Name));
        Assert.Equal("libc6 (source glibc) 2.24-11 is at or above 0 (introduced) and below 2.24-11+deb9u1 (fixed) (ECOSYSTEM range)", evidence.Explanation);
    }

    [Theory]
    [InlineData("pkg:deb/debian/libc6@2.24-11%2Bdeb9u1?distro=debian-9&upstream=glibc")]
    [InlineData("pkg:deb/debian/libc6@2.24-11%2Bdeb9u4?distro=debian-9&upstream=glibc")]
    [InlineData("pkg:deb/debian/libc6@2.19-18%2Bdeb8u10?distro=debian-8&upstream=glibc")]
    public void A_backported_distro_fix_is_not_reported(string purl) =>
        Assert.Empty(db.Match(purl).Findings);

    [Fact]
    public void A_debian_package_without_a_release_is_unmatchable_rather_than_matched_against_every_release()
    {
        var result = db.Match("pkg:deb/debian/firefox-esr@78.12.0esr-1?arch=amd64");
        Assert.Empty(result.Findings);
        var unmatchable = Assert.Single(result.Unmatchable);
        Assert.Equal(UnmatchableReason.UnknownRelease, unmatchable.Reason);
        Assert.Contains("names no Debian release", unmatchable.Detail, StringComparison.Ordinal);
        Assert.Contains("distro=debian-12", unmatchable.Detail, StringComparison.Ordinal);
        Assert.Equal(0, result.PackagesMatched);
    }

    [Fact]
    public void An_alpine_package_is_matched_by_its_origin_in_its_minor_release()
    {
        var finding = db.Match("pkg:apk/alpine/libcrypto1.1@1.1.1-r0?arch=x86_64&distro=alpine-3.10.2&upstream=openssl").Single("ALPINE-CVE-2018-0734");
        Assert.Equal("1.1.1a-r0", finding.FixedVersion);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(("Alpine:v3.10", "openssl"), (evidence.Ecosystem, evidence.Name));
        Assert.Empty(db.Match("pkg:apk/alpine/libcrypto1.1@1.1.1a-r0?distro=alpine-3.10.2&upstream=openssl").Findings);
        // Alpine 3.12 is named by no entry of the record
        Assert.Empty(db.Match("pkg:apk/alpine/libcrypto1.1@1.1.1-r0?distro=alpine-3.12.0&upstream=openssl").Findings);
    }

    [Fact]
    public void Trivy_style_alpine_purls_with_a_bare_release_match_too() =>
        Assert.Single(db.Match("pkg:apk/alpine/openssl@1.1.1-r0?distro=3.11.6").Findings);

    [Fact]
    public void Ubuntu_pro_entries_take_precedence_for_their_release()
    {
        // UBUNTU-CVE-2015-9253: php5 on 14.04 has no fix in the standard archive, and 5.5.9+dfsg-1ubuntu4.29+esm10 in Ubuntu Pro
        var finding = db.Match("pkg:deb/ubuntu/php5@5.5.9%2Bdfsg-1ubuntu4.29?distro=ubuntu-14.04").Single("UBUNTU-CVE-2015-9253");
        Assert.Equal("5.5.9+dfsg-1ubuntu4.29+esm10", finding.FixedVersion);
        Assert.Equal("Ubuntu:Pro:14.04:LTS", Assert.Single(finding.Evidence).Ecosystem);
        Assert.Equal(("CVSS_V3", 6.5, CvssSeverity.Medium), (finding.Severity?.Source, finding.Severity?.Score, finding.Severity?.Severity));
        // the tracker's own priority is kept as a rating, below the computed CVSS score
        Assert.Contains(finding.Ratings, r => r.Source == "database_specific" && r.Text == "low");
        Assert.Empty(db.Match("pkg:deb/ubuntu/php5@5.5.9%2Bdfsg-1ubuntu4.29%2Besm10?distro=ubuntu-14.04").Findings);
    }

    [Fact]
    public void An_almalinux_rpm_is_compared_with_its_epoch_from_the_qualifier()
    {
        var finding = db.Match("pkg:rpm/almalinux/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&distro=almalinux-9.3").Single("ALSA-2024:0310");
        Assert.Equal("1:3.0.7-24.el9", finding.InstalledVersion);
        Assert.Equal("1:3.0.7-25.el9_3", finding.FixedVersion);
        Assert.Equal("AlmaLinux:9", Assert.Single(finding.Evidence).Ecosystem);
        Assert.Empty(db.Match("pkg:rpm/almalinux/openssl-libs@3.0.7-25.el9_3?epoch=1&distro=almalinux-9.3").Findings);
        Assert.Empty(db.Match("pkg:rpm/almalinux/openssl-libs@3.0.7-24.el8?epoch=1&distro=almalinux-8.9").Findings);
    }

    [Fact]
    public void Findings_are_sorted_by_package_then_id_and_the_run_is_deterministic()
    {
        string[] purls =
        [
            "pkg:pypi/requests@2.30.0", "pkg:npm/qs@6.9.3", "pkg:cargo/actix-http@1.0.1",
            "pkg:deb/debian/firefox-esr@78.12.0esr-1?distro=debian-10", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ];
        var first = db.Match(purls);
        Assert.Equal(
            ["pkg:cargo/actix-http@1.0.1", "pkg:deb/debian/firefox-esr@78.12.0esr-1?distro=debian-10",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:npm/qs@6.9.3", "pkg:pypi/requests@2.30.0"],
            first.Findings.Select(f => f.Package.Purl.ToString()));
        var second = db.Match([.. purls.Reverse()]);
        Assert.Equal(first.Findings.Select(Describe), second.Findings.Select(Describe));
        Assert.Equal(5, first.PackagesMatched);
    }

    private static string Describe(Finding f) =>
        $"{f.Package.Purl} {f.Id} [{string.Join(",", f.Ids)}] {f.FixedVersion} {f.Severity} {string.Join("|", f.Evidence.Select(e => e.Explanation))}";

    public static TheoryData<string, UnmatchableReason, string> UnmatchableCases => new()
    {
        { "pkg:npm/qs", UnmatchableReason.NoVersion, "qs names no version" },
        { "pkg:generic/openssl@1.1.1", UnmatchableReason.UnsupportedEcosystem, "Package type 'generic' has no OSV ecosystem" },
        { "pkg:github/actions/checkout@v4", UnmatchableReason.UnsupportedEcosystem, "Package type 'github' has no OSV ecosystem" },
        { "pkg:cocoapods/AFNetworking@4.0.1", UnmatchableReason.UnsupportedEcosystem, "No version ordering is known for ecosystem 'CocoaPods'" },
        { "pkg:pypi/requests@not%20a%20version", UnmatchableReason.InvalidVersion, "'not a version' is not a valid PEP 440 version" },
        { "pkg:deb/raspbian/openssl@1.1.1?distro=raspbian-11", UnmatchableReason.UnsupportedEcosystem, "no OSV advisory data for 'raspbian'" },
        { "pkg:apk/alpine/openssl@1.1.1-r0?distro=alpine-edge", UnmatchableReason.UnknownRelease, "'edge' is not a Alpine release" },
        { "pkg:rpm/almalinux/openssl@3.0.7-24.el9", UnmatchableReason.UnknownRelease, "names no AlmaLinux release" },
    };

    [Theory]
    [MemberData(nameof(UnmatchableCases))]
    public void Packages_that_cannot_be_matched_are_reported_with_a_reason(string purl, UnmatchableReason reason, string detail)
    {
        var result = db.Match(purl);
        var unmatchable = Assert.Single(result.Unmatchable);
        Assert.Equal(reason, unmatchable.Reason);
        Assert.Contains(detail, unmatchable.Detail, StringComparison.Ordinal);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void A_component_without_a_real_purl_is_unmatchable_with_no_purl()
    {
        var sbom = MatchingDatabase.Sbom(["pkg:generic/openssl@1.1.1"], p => p with
        {
            PurlIsSynthetic = true,
            Cpes = ["cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*"],
        });
        var unmatchable = Assert.Single(new Matcher(db.Database).Match(sbom).Unmatchable);
        Assert.Equal(UnmatchableReason.NoPurl, unmatchable.Reason);
        Assert.Contains("identified only by CPE (cpe:2.3:a:openssl:openssl:1.1.1", unmatchable.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operating_system_component_is_neither_matched_nor_unmatchable()
    {
        var sbom = MatchingDatabase.Sbom(["pkg:generic/debian@12"], p => p with { PurlIsSynthetic = true, Kind = PackageKind.OperatingSystem });
        var result = new Matcher(db.Database).Match(sbom);
        Assert.Empty(result.Unmatchable);
        Assert.Equal(0, result.PackagesMatched);
    }

    [Fact]
    public void The_dependency_path_is_the_shortest_from_a_root_with_an_ordinal_tie_break()
    {
        var app = Purl.Parse("pkg:npm/app@1.0.0");
        var a = Purl.Parse("pkg:npm/a@1.0.0");
        var b = Purl.Parse("pkg:npm/b@1.0.0");
        var c = Purl.Parse("pkg:npm/c@1.0.0");
        var qs = Purl.Parse("pkg:npm/qs@6.9.3");
        // app → b → qs and app → a → qs are both shortest (a wins ordinally); app → c → b → qs is longer
        var edges = new Dictionary<Purl, Purl[]> { [app] = [c, b, a], [a] = [qs], [b] = [qs], [c] = [b] };
        var sbom = MatchingDatabase.Sbom(["pkg:npm/app@1.0.0", "pkg:npm/a@1.0.0", "pkg:npm/b@1.0.0", "pkg:npm/c@1.0.0", "pkg:npm/qs@6.9.3"],
            p => p with { IsRoot = p.Purl.Equals(app), DependsOn = edges.TryGetValue(p.Purl, out var d) ? [.. d] : [] });
        var finding = Assert.Single(new Matcher(db.Database).Match(sbom).Findings);
        Assert.False(finding.Direct);
        Assert.Equal([app, a, qs], finding.DependencyPath.AsEnumerable());
    }

    [Fact]
    public void A_dependency_of_a_project_root_is_direct()
    {
        var image = Purl.Parse("pkg:oci/image@sha256%3Aabc");
        var app = Purl.Parse("pkg:npm/app@1.0.0");
        var qs = Purl.Parse("pkg:npm/qs@6.9.3");
        // an image SBOM: the subject depends on the project root, which depends on qs; lodash is on disk but reached by no edge
        var sbom = MatchingDatabase.Sbom(["pkg:npm/app@1.0.0", "pkg:npm/qs@6.9.3", "pkg:npm/squaredev-next-online-payments-example@99.0.0"],
            p => p.Purl.Equals(app) ? p with { IsRoot = true, DependsOn = [qs] } : p) with
        {
            Subject = new Bulwark.Sbom.SbomSubject { Name = "image", Purl = image, DependsOn = [app] },
        };
        var result = new Matcher(db.Database).Match(sbom);
        var finding = result.Single("GHSA-hrpp-h998-j3pp");
        Assert.True(finding.Direct);
        Assert.Equal([app, qs], finding.DependencyPath.AsEnumerable());
        var unreached = result.Single("MAL-2024-1");
        Assert.Null(unreached.Direct);
        Assert.Empty(unreached.DependencyPath);
    }

    [Fact]
    public void A_package_the_subject_depends_on_is_direct()
    {
        var qs = Purl.Parse("pkg:npm/qs@6.9.3");
        var sbom = MatchingDatabase.Sbom(["pkg:npm/qs@6.9.3"]) with
        {
            Subject = new Bulwark.Sbom.SbomSubject { Name = "test", DependsOn = [qs] },
        };
        var finding = Assert.Single(new Matcher(db.Database).Match(sbom).Findings);
        Assert.True(finding.Direct);
        Assert.Equal([qs], finding.DependencyPath.AsEnumerable());
    }

    [Fact]
    public void Without_a_dependency_graph_directness_is_unknown()
    {
        var finding = Assert.Single(db.Match("pkg:npm/qs@6.9.3").Findings);
        Assert.Null(finding.Direct);
        Assert.Empty(finding.DependencyPath);
    }
}

public sealed class LookupManyTests(MatchingDatabase db) : IClassFixture<MatchingDatabase>
{
    [Fact]
    public void A_batch_lookup_returns_what_single_lookups_return_and_an_empty_list_for_unknown_names()
    {
        (string, string)[] keys = [("npm", "qs"), ("PyPI", "Requests"), ("Debian:9", "glibc"), ("npm", "no-such-package")];
        var batch = db.Database.LookupMany(keys);
        Assert.Equal(4, batch.Count);
        foreach (var (ecosystem, name) in keys)
        {
            var single = db.Database.Lookup(ecosystem, name).Select(r => (r.Id, r.Kind, r.Withdrawn));
            var many = batch[(PackageNames.BaseEcosystem(ecosystem), PackageNames.Normalise(ecosystem, name))].Select(r => (r.Id, r.Kind, r.Withdrawn));
            Assert.Equal(single, many);
        }
        Assert.Equal(["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"], batch[("PyPI", "requests")].Select(r => r.Id));
        Assert.Empty(batch[("npm", "no-such-package")]);
    }
}
