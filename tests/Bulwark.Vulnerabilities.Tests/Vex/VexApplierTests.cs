// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;
using Bulwark.Core;
using Bulwark.Testing;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Vex;

namespace Bulwark.Vulnerabilities.Tests.Vex;

public sealed class VexApplierTests
{
    private static readonly string Testdata = Path.Combine(TestPaths.Project("Bulwark.Vulnerabilities.Tests"), "Vex", "testdata");

    private static ImmutableArray<VexStatement> Read(string name) => VexDocuments.Read(Path.Combine(Testdata, name));

    private static VexStatement Statement(string id, string product, VexStatus status, string? time = null, params string[] aliases) =>
        new(id, [.. aliases], [Purl.Parse(product)], status, status == VexStatus.NotAffected ? "component_not_present" : null, null,
            status == VexStatus.Affected ? "Update." : null,
            time is null ? null : DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), $"test#{id}:{status}");

    [Theory]
    // the example: however the SBOM spelled it
    [InlineData("pkg:npm/lodash@4.17.15", "pkg:npm/lodash@4.17.15?foo=bar", true)]
    [InlineData("pkg:npm/lodash@4.17.15", "PKG:NPM/Lodash@4.17.15", true)]
    [InlineData("pkg:npm/lodash", "pkg:npm/lodash@4.17.21", true)]
    [InlineData("pkg:npm/lodash@4.17.15", "pkg:npm/lodash@4.17.21", false)]
    [InlineData("pkg:npm/lodash", "pkg:npm/lodash-es@4.17.15", false)]
    [InlineData("pkg:npm/lodash@4.17.15", "pkg:pypi/lodash@4.17.15", false)]
    [InlineData("pkg:npm/%40angular/core@12.0.0", "pkg:npm/@Angular/core@12.0.0", true)]
    // qualifiers in the statement must all be on the package, with the same values
    [InlineData("pkg:npm/lodash@4.17.15?foo=bar", "pkg:npm/lodash@4.17.15", false)]
    [InlineData("pkg:npm/lodash@4.17.15?foo=bar", "pkg:npm/lodash@4.17.15?foo=baz", false)]
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", true)]
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12", "pkg:deb/Debian/openssl@3.0.11-1~deb12u2?distro=debian-12&arch=amd64", true)]
    [InlineData("pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-11", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", false)]
    // PyPI: purl-spec lowercases and maps '_' to '-'; PEP 503 also folds '.' runs
    [InlineData("pkg:pypi/Flask_Cors@4.0.0", "pkg:pypi/flask-cors@4.0.0", true)]
    [InlineData("pkg:pypi/zope.interface@6.0", "pkg:pypi/Zope-Interface@6.0", true)]
    // NuGet and crates.io ids are case-insensitive, and the purl golang type lowercases; Maven coordinates are case-sensitive
    [InlineData("pkg:nuget/moment.js@2.29.1", "pkg:nuget/Moment.js@2.29.1", true)]
    [InlineData("pkg:cargo/Serde@1.0.100", "pkg:cargo/serde@1.0.100", true)]
    [InlineData("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", true)]
    [InlineData("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:maven/org.apache.logging.log4j/Log4j-Core@2.14.1", false)]
    [InlineData("pkg:golang/github.com/burntsushi/toml@v1.2.0", "pkg:golang/github.com/BurntSushi/toml@v1.2.0", true)]
    [InlineData("pkg:golang/github.com/BurntSushi/toml@v1.2.0", "pkg:golang/github.com/BurntSushi/toml@v1.3.0", false)]
    // a subpath narrows the statement to that part of the package
    [InlineData("pkg:golang/golang.org/x/net@v0.7.0#http2", "pkg:golang/golang.org/x/net@v0.7.0", false)]
    [InlineData("pkg:golang/golang.org/x/net@v0.7.0", "pkg:golang/golang.org/x/net@v0.7.0#http2", true)]
    public void A_product_purl_covers_a_package_after_normalisation(string product, string package, bool covers) =>
        Assert.Equal(covers, VexPurls.Covers(Purl.Parse(product), Purl.Parse(package)));

    [Fact]
    public void The_vexctl_image_document_suppresses_and_annotates_findings_in_its_subcomponents()
    {
        var qs = Findings.For("pkg:npm/qs@6.7.0", "GHSA-hrpp-h998-j3pp", ["CVE-2022-24999"], "6.7.3");
        var bodyParser = Findings.For("pkg:npm/body-parser@1.19.0", "GHSA-qwcr-r2fm-qrc7", ["CVE-2024-45590"], "1.20.3");
        var express = Findings.For("pkg:npm/express@4.17.1", "GHSA-qw6h-vgh9-j6wx", ["CVE-2024-43796"], "4.20.0");
        var statements = Read("vexctl-image.openvex.json");

        var outcome = VexApplier.Apply([qs, bodyParser, express], statements);

        Assert.Equal([bodyParser, express], outcome.Kept.ToArray());
        Assert.Equal([new SuppressedFinding(qs, statements[0])], outcome.Suppressed.ToArray());
        Assert.Equal([new SuppressedFinding(bodyParser, statements[1])], outcome.Annotated.ToArray());
        Assert.Empty(outcome.Unmatched);
    }

    [Fact]
    public void A_statement_applies_through_an_alias_on_either_side_and_CVE_and_GHSA_ids_ignore_case()
    {
        var finding = Findings.For("pkg:npm/lodash@4.17.15", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");

        Assert.Single(VexApplier.Apply([finding], [Statement("cve-2021-23337", "pkg:npm/lodash@4.17.15", VexStatus.Fixed)]).Suppressed);
        Assert.Single(VexApplier.Apply([finding], [Statement("ghsa-35JH-r3h4-6jhm", "pkg:npm/lodash@4.17.15", VexStatus.Fixed)]).Suppressed);
        Assert.Single(VexApplier.Apply([finding], [Statement("SNYK-JS-LODASH-1040724", "pkg:npm/lodash@4.17.15", VexStatus.Fixed, null, "CVE-2021-23337")]).Suppressed);
        Assert.Single(VexApplier.Apply([finding], [Statement("https://nvd.nist.gov/vuln/detail/CVE-2021-23337", "pkg:npm/lodash@4.17.15", VexStatus.Fixed)]).Suppressed);
        Assert.Empty(VexApplier.Apply([finding], [Statement("CVE-2020-8203", "pkg:npm/lodash@4.17.15", VexStatus.Fixed)]).Suppressed);
    }

    [Fact]
    public void Other_ids_compare_exactly()
    {
        var finding = Findings.For("pkg:cargo/smallvec@1.6.0", "RUSTSEC-2021-0003", ["CVE-2021-25900", "GHSA-43w2-9j62-hq99"], "1.6.1");

        Assert.Single(VexApplier.Apply([finding], [Statement("RUSTSEC-2021-0003", "pkg:cargo/smallvec@1.6.0", VexStatus.NotAffected)]).Suppressed);
        Assert.Empty(VexApplier.Apply([finding], [Statement("rustsec-2021-0003", "pkg:cargo/smallvec@1.6.0", VexStatus.NotAffected)]).Suppressed);
    }

    [Fact]
    public void The_newest_statement_wins_then_the_last_in_document_order()
    {
        var statements = Read("sequence.openvex.json");
        var template = Findings.For("pkg:npm/lodash@4.17.15", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");
        var zipObject = Findings.For("pkg:npm/lodash@4.17.15", "GHSA-p6mc-m468-83gw", ["CVE-2020-8203"], "4.17.20");
        var newer = Findings.For("pkg:npm/lodash@4.17.20", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");

        var outcome = VexApplier.Apply([template, zipObject, newer], statements);

        // [1] not_affected (Jan 10) beats [0] under_investigation (Jan 5) and [2] affected (Jan 8, later in the document)
        Assert.Equal([new SuppressedFinding(template, statements[1])], outcome.Suppressed.ToArray());
        // [3] and [4] inherit the document's timestamp: the later one, affected, wins; only [0] names every lodash version
        Assert.Equal([new SuppressedFinding(zipObject, statements[4]), new SuppressedFinding(newer, statements[0])], outcome.Annotated.ToArray());
        Assert.Equal([zipObject, newer], outcome.Kept.ToArray());
        Assert.Empty(outcome.Unmatched);
    }

    [Fact]
    public void Across_documents_a_statement_without_a_timestamp_is_older_than_any_with_one()
    {
        var finding = Findings.For("pkg:npm/lodash@4.17.15", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");
        var dated = Statement("CVE-2021-23337", "pkg:npm/lodash@4.17.15", VexStatus.NotAffected, "2024-01-01T00:00:00Z");
        var undated = Statement("CVE-2021-23337", "pkg:npm/lodash", VexStatus.Affected);
        var later = Statement("CVE-2021-23337", "pkg:npm/lodash", VexStatus.UnderInvestigation, "2024-01-01T00:00:00+00:00");

        Assert.Equal(dated, VexApplier.Apply([finding], [dated, undated]).Suppressed.Single().Statement);
        Assert.Equal(dated, VexApplier.Apply([finding], [undated, dated]).Suppressed.Single().Statement);
        // equal instants: the later statement in the order given
        Assert.Equal(later, VexApplier.Apply([finding], [dated, later]).Annotated.Single().Statement);
        Assert.Equal(dated, VexApplier.Apply([finding], [later, dated]).Suppressed.Single().Statement);
    }

    [Theory]
    [InlineData("cyclonedx-vex.json")]
    [InlineData("cyclonedx-vex.xml")]
    public void CycloneDX_VEX_applies_to_packages_however_the_SBOM_spelled_them(string name)
    {
        var statements = Read(name);
        var lodash = Findings.For("pkg:npm/Lodash@4.17.15?download_url=https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");
        var flaskCors = Findings.For("pkg:pypi/flask-cors@4.0.0", "GHSA-84pr-m4jr-85g5", ["CVE-2024-1681"], null);
        var idna = Findings.For("pkg:pypi/IDNA@3.6", "GHSA-jjg7-2v4v-x38h", ["CVE-2024-3651"], "3.7");
        var moment = Findings.For("pkg:nuget/moment.js@2.29.1", "GHSA-8hfj-j24r-96c4", ["CVE-2022-24785"], "2.29.2");
        var express = Findings.For("pkg:npm/express@4.19.2", "GHSA-qw6h-vgh9-j6wx", ["CVE-2024-43796"], "4.20.0");

        var outcome = VexApplier.Apply([lodash, flaskCors, idna, moment, express], statements);

        Assert.Equal([express, moment, flaskCors], outcome.Kept.ToArray());
        Assert.Equal([(lodash.Id, "CVE-2021-23337"), (idna.Id, "CVE-2024-3651")], outcome.Suppressed.Select(s => (s.Finding.Id, s.Statement.VulnerabilityId)).OrderBy(x => x.Item2, StringComparer.Ordinal));
        Assert.Equal([(moment, VexStatus.UnderInvestigation), (flaskCors, VexStatus.Affected)], outcome.Annotated.Select(a => (a.Finding, a.Statement.Status)));
        // CVE-2020-28500 is about lodash 4.17.21, which the SBOM does not have
        Assert.Equal([statements[2]], outcome.Unmatched.ToArray());
    }

    [Fact]
    public void Output_is_sorted_whatever_the_input_order()
    {
        var a = Findings.For("pkg:npm/axios@0.21.0", "GHSA-4w2v-q235-vp99", ["CVE-2020-28168"], "0.21.1");
        var b = Findings.For("pkg:npm/axios@0.21.0", "GHSA-cph5-m8f7-6c5x", ["CVE-2021-3749"], "0.21.2");
        var c = Findings.For("pkg:npm/minimist@1.2.5", "GHSA-xvch-5gv4-984h", ["CVE-2021-44906"], "1.2.6");
        var d = Findings.For("pkg:npm/qs@6.9.1", "GHSA-hrpp-h998-j3pp", ["CVE-2022-24999"], "6.9.7");
        VexStatement[] statements =
        [
            Statement("CVE-2021-44906", "pkg:npm/minimist", VexStatus.Fixed),
            Statement("CVE-2020-28168", "pkg:npm/axios@0.21.0", VexStatus.NotAffected),
            Statement("CVE-2022-24999", "pkg:npm/qs", VexStatus.UnderInvestigation),
        ];

        var forward = VexApplier.Apply([a, b, c, d], statements);
        var backward = VexApplier.Apply([d, c, b, a], statements);

        Assert.Equal([b, d], forward.Kept.ToArray());
        Assert.Equal([a, c], forward.Suppressed.Select(s => s.Finding));
        Assert.Equal(forward.Kept.ToArray(), backward.Kept.ToArray());
        Assert.Equal(forward.Suppressed.ToArray(), backward.Suppressed.ToArray());
        Assert.Equal(forward.Annotated.ToArray(), backward.Annotated.ToArray());
    }

    [Fact]
    public void No_statements_keep_every_finding()
    {
        var finding = Findings.For("pkg:npm/lodash@4.17.15", "GHSA-35jh-r3h4-6jhm", ["CVE-2021-23337"], "4.17.21");
        var outcome = VexApplier.Apply([finding], []);
        Assert.Equal([finding], outcome.Kept.ToArray());
        Assert.Empty(outcome.Suppressed.ToArray());
        Assert.Empty(outcome.Annotated.ToArray());
    }
}

/// Findings as the matcher makes them, for real advisories (ids and fixed versions from the OSV records in ../shared/vulndb).
internal static class Findings
{
    public static Finding For(string purl, string id, string[] aliases, string? fixedVersion)
    {
        var p = Purl.Parse(purl);
        var ecosystem = Ecosystem.FromPurlType(p.Type)!;
        var package = new Package { Ecosystem = ecosystem, Name = p.FullName, Version = p.Version ?? "", Purl = p };
        var explanation = fixedVersion is null ? $"{p.Version} is at or above 0 (no fix)" : $"{p.Version} is at or above 0 and below {fixedVersion} (fixed)";
        return new Finding
        {
            Id = id,
            Ids = [.. aliases.Append(id).Distinct().Order(StringComparer.Ordinal)],
            Kind = FindingKind.Vulnerability,
            Package = package,
            InstalledVersion = p.Version ?? "",
            FixedVersion = fixedVersion,
            Evidence = [new MatchEvidence(id, ecosystem.OsvName, p.FullName, "ECOSYSTEM", "0", fixedVersion, null, null, explanation)],
        };
    }
}
