// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.Dsse;

public sealed class DsseEnvelopeTests
{
    [Fact]
    public void The_pre_authentication_encoding_is_the_one_in_the_dsse_protocol()
    {
        // the worked example of the DSSE v1 protocol document
        var pae = DsseEnvelope.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(pae));
    }

    [Fact]
    public void An_envelope_round_trips_through_json_and_verifies_with_its_key_only()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        using var other = SigningKey.GenerateEcdsaP256();
        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, "{\"_type\":\"https://in-toto.io/Statement/v1\"}"u8.ToArray(), key);
        var read = DsseEnvelope.Parse(envelope.ToJson(), "test");
        Assert.Equal(envelope.PayloadType, read.PayloadType);
        Assert.Equal(envelope.Payload, read.Payload);
        Assert.True(read.VerifiedBy(key.PublicKey));
        Assert.False(read.VerifiedBy(other.PublicKey));
    }

    [Fact]
    public void Changing_the_payload_its_type_or_any_signature_byte_fails_verification()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{\"a\":1}"u8.ToArray(), key);
        var payload = (byte[])envelope.Payload.Clone();
        payload[3] ^= 1;
        Assert.False((envelope with { Payload = payload }).VerifiedBy(key.PublicKey));
        Assert.False((envelope with { PayloadType = "application/json" }).VerifiedBy(key.PublicKey));
        var signature = envelope.Signatures[0].Signature;
        for (var i = 0; i < signature.Length; i++)
        {
            var flipped = (byte[])signature.Clone();
            flipped[i] ^= 0x10;
            Assert.False((envelope with { Signatures = [new DsseSignature(null, flipped)] }).VerifiedBy(key.PublicKey));
        }
        Assert.False((envelope with { Signatures = [] }).VerifiedBy(key.PublicKey));
    }

    [Theory]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"payload\":\"e30=\",\"signatures\":[]}", "'payloadType' is missing")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"!!\",\"signatures\":[]}", "'payload' is not base64")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"e30=\"}", "'signatures' is missing")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":5}]}", "'signatures[0].sig' is missing")]
    [InlineData("{\"payloadType\":", "not valid JSON")]
    public void Malformed_envelopes_are_input_errors_that_say_what_is_wrong(string json, string expected)
    {
        var e = Assert.Throws<InputException>(() => DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json), "env.json"));
        Assert.Contains("env.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
