// SPDX-License-Identifier: Apache-2.0
using Bulwark.Testing;
using Xunit.Sdk;

namespace Bulwark.Sbom.Tests.CycloneDx;

/// The validators the writer tests rely on must actually reject invalid documents: the specification's own
/// invalid-* conformance files.
public sealed class SchemaValidatorTests
{
    private static string Spec(string file) => Path.Combine(TestPaths.Corpora, "cyclonedx-spec", "tools", "src", "test", "resources", "1.6", file);

    [Theory]
    [InlineData("invalid-hash-md5-1.6.json")]
    [InlineData("invalid-license-id-1.6.json")]
    [InlineData("invalid-metadata-timestamp-1.6.json")]   // fails only when formats are asserted
    [InlineData("invalid-component-type-1.6.json")]
    public void The_json_validator_rejects_invalid_documents(string file) =>
        Assert.Throws<FailException>(() => SchemaValidator.ValidateJson(Spec(file)));

    [Theory]
    [InlineData("invalid-hash-md5-1.6.xml")]
    [InlineData("invalid-license-id-1.6.xml")]
    [InlineData("invalid-scope-1.6.xml")]
    public void The_xml_validator_rejects_invalid_documents(string file) =>
        Assert.Throws<FailException>(() => SchemaValidator.ValidateXml(Spec(file)));

    [Fact]
    public void The_validators_accept_the_specifications_valid_examples()
    {
        SchemaValidator.ValidateJson(Spec("valid-bom-1.6.json"), Spec("valid-signatures-1.6.json"), Spec("valid-standard-1.6.json"));
        SchemaValidator.ValidateXml(Spec("valid-bom-1.6.xml"), Spec("valid-license-id-1.6.xml"));
    }
}
