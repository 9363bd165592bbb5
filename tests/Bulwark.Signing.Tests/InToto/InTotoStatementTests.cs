// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.InToto;

namespace Bulwark.Signing.Tests.InToto;

public sealed class InTotoStatementTests
{
    private static readonly Digest Blob = Digest.Parse("sha256:dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0");

    [Fact]
    public void Creates_a_v1_statement_with_the_predicate_as_given()
    {
        var json = InTotoStatement.Create([InTotoSubject.Sha256("app.tar", Blob)], PredicateTypes.OpenVex, """{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}"""u8, "vex.json");

        Assert.Equal(
            """{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"app.tar","digest":{"sha256":"dd544121f31e16475530932c99d187ea2e36580676cfb4f9bc719f81872bebd0"}}],"predicateType":"https://openvex.dev/ns","predicate":{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}}""",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void A_predicate_that_is_not_json_is_an_input_error()
    {
        var e = Assert.Throws<InputException>(() => InTotoStatement.Create([InTotoSubject.Sha256("a", Blob)], PredicateTypes.Spdx, "SPDXVersion: SPDX-2.3"u8, "sbom.spdx"));
        Assert.StartsWith("Cannot use sbom.spdx as a predicate: it is not JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_v1_and_cosigns_v0_1_statements_and_matches_subjects_by_sha256()
    {
        var v01 = """{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"x","digest":{"sha256":"DD544121F31E16475530932C99D187EA2E36580676CFB4F9BC719F81872BEBD0"}}],"predicate":{}}""";

        var statement = InTotoStatement.TryParse(Encoding.UTF8.GetBytes(v01), out _);

        Assert.NotNull(statement);
        Assert.Equal(PredicateTypes.SlsaProvenance02, statement.PredicateType);
        Assert.True(statement.HasSubject(Blob));
        Assert.False(statement.HasSubject(Digest.Parse("sha256:8127f6d909042ed61dae7611ffb26f3510c9e8091c3cf1902563f21483c95698")));
    }

    [Theory]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v2","predicateType":"p","subject":[{"digest":{}}]}""", "its _type is 'https://in-toto.io/Statement/v2', not https://in-toto.io/Statement/v1")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}]}""", "it has no predicateType")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[]}""", "it has no subject")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"name":"x"}]}""", "a subject has no digest object")]
    [InlineData("""{"_type":"https://in-toto.io/Statement/v1","_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"digest":{}}]}""", "it is not JSON")]
    public void Rejects_what_is_not_a_statement(string json, string expected)
    {
        Assert.Null(InTotoStatement.TryParse(Encoding.UTF8.GetBytes(json), out var reason));
        Assert.StartsWith(expected, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cyclonedx", "https://cyclonedx.org/bom")]
    [InlineData("spdx", "https://spdx.dev/Document")]
    [InlineData("spdxjson", "https://spdx.dev/Document")]
    [InlineData("slsaprovenance", "https://slsa.dev/provenance/v0.2")]
    [InlineData("slsaprovenance1", "https://slsa.dev/provenance/v1")]
    [InlineData("vuln", "https://cosign.sigstore.dev/attestation/vuln/v1")]
    [InlineData("openvex", "https://openvex.dev/ns")]
    [InlineData("custom", "https://cosign.sigstore.dev/attestation/v1")]
    [InlineData("link", "https://in-toto.io/Link/v1")]
    [InlineData("https://example.com/p/v1", "https://example.com/p/v1")]
    public void Predicate_names_map_to_cosigns_uris(string name, string uri) => Assert.Equal(uri, PredicateTypes.Resolve(name));

    [Theory]
    [InlineData("CycloneDX")]
    [InlineData("sbom")]
    [InlineData("relative/path")]
    public void An_unknown_name_that_is_not_an_absolute_uri_is_a_usage_error(string name) =>
        Assert.Throws<UsageException>(() => PredicateTypes.Resolve(name));
}
