// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Dsse;
using Bulwark.Signing.Keys;
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Signing.Tests.Properties;

/// Properties of DSSE envelopes over payloads and payload types FsCheck generates: signing then verifying succeeds,
/// any single changed bit or another key fails, the pre-authentication encoding is injective, and JSON round-trips.
public sealed class DssePropertiesTests : IDisposable
{
    private readonly SigningKey[] _keys =
    [
        SigningKey.GenerateEcdsaP256(),
        SigningKey.FromPkcs8(RSA.Create(2048).ExportPkcs8PrivateKey(), "generated RSA key"),
        SigningKey.FromPkcs8(ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKey(), "generated P-384 key"),
    ];

    private static readonly Gen<string> PayloadType = Gen.Frequency(
        (3, Gen.Elements(DsseEnvelope.InTotoPayloadType, "application/vnd.dev.sigstore.cosign", "text/plain", "")),
        (1, from chars in Gen.ArrayOf(Gen.Elements('a', ' ', '1', 'é', '日', '/', '+', '\n'), 6) select new string(chars)));

    private static readonly Gen<byte[]> Payload = Gen.Frequency(
        (3, from n in Gen.Choose(0, 300) from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n) select bytes),
        (1, Gen.Elements("{\"_type\":\"https://in-toto.io/Statement/v1\"}", "1 a", "", "8 payload").Select(Encoding.UTF8.GetBytes)));

    private static readonly Gen<(string Type, byte[] Payload, int Key)> Signed =
        from type in PayloadType
        from payload in Payload
        from key in Gen.Choose(0, 2)
        select (type, payload, key);

    [Fact]
    public void A_signed_envelope_verifies_with_its_key_only_and_survives_json()
    {
        Check(Prop.ForAll(Signed.ToArbitrary(), s =>
        {
            var key = _keys[s.Key];
            var envelope = DsseEnvelope.Sign(s.Type, s.Payload, key, keyId: "k");
            Assert.True(envelope.VerifiedBy(key.PublicKey));
            Assert.False(envelope.VerifiedBy(_keys[(s.Key + 1) % _keys.Length].PublicKey));
            var back = DsseEnvelope.Parse(envelope.ToJson(), "test");
            Assert.Equal(s.Type, back.PayloadType);
            Assert.Equal(s.Payload, back.Payload);
            Assert.Equal(envelope.Signatures.Single().Signature, back.Signatures.Single().Signature);
            Assert.True(back.VerifiedBy(key.PublicKey));
        }), maxTest: 200);
    }

    [Fact]
    public void Changing_any_bit_of_the_payload_the_type_or_the_signature_fails_verification()
    {
        var changed = from s in Signed
                      from part in Gen.Choose(0, 2)
                      from position in Gen.Choose(0, int.MaxValue)
                      from bit in Gen.Choose(0, 7)
                      select (s, part, position, bit);
        Check(Prop.ForAll(changed.ToArbitrary(), c =>
        {
            var key = _keys[c.s.Key];
            var envelope = DsseEnvelope.Sign(c.s.Type, c.s.Payload, key);
            var signature = envelope.Signatures[0].Signature;
            if (c.part == 0 && c.s.Payload.Length == 0) return;   // an empty payload has no bit to flip
            var tampered = c.part switch
            {
                0 => envelope with { Payload = Flip(c.s.Payload, c.position, c.bit) },
                1 => envelope with { PayloadType = c.bit % 2 == 0 || c.s.Type.Length == 0 ? c.s.Type + "x" : c.s.Type[..^1] },
                _ => envelope with { Signatures = [new DsseSignature(null, Flip(signature, c.position, c.bit))] },
            };
            Assert.False(tampered.VerifiedBy(key.PublicKey), $"part {c.part} changed and still verified");
        }), maxTest: 300);
    }

    [Fact]
    public void The_pre_authentication_encoding_is_injective()
    {
        var pairs = Gen.Two(from t in PayloadType from p in Payload select (t, p));
        Check(Prop.ForAll(pairs.ToArbitrary(), pair =>
        {
            var ((t1, p1), (t2, p2)) = pair;
            var same = t1 == t2 && p1.AsSpan().SequenceEqual(p2);
            Assert.Equal(same, DsseEnvelope.PreAuthenticationEncoding(t1, p1).AsSpan().SequenceEqual(DsseEnvelope.PreAuthenticationEncoding(t2, p2)));
        }), maxTest: 2000);
        // the classic ambiguity a length-free encoding would have: moving bytes between type and payload
        Assert.NotEqual(DsseEnvelope.PreAuthenticationEncoding("a 1", "b"u8), DsseEnvelope.PreAuthenticationEncoding("a", "1 b"u8));
    }

    [Fact]
    public void Damaged_envelope_json_is_read_or_refused_with_an_input_error()
    {
        var key = _keys[0];
        var damaged = from s in Signed
                      let json = DsseEnvelope.Sign(s.Type, s.Payload, key).ToJson()
                      from at in Gen.Choose(0, json.Length - 1)
                      from kind in Gen.Choose(0, 2)
                      from b in Gen.Elements((byte)'"', (byte)'{', (byte)'}', (byte)',', (byte)'=', (byte)'A', (byte)0, (byte)0xff, (byte)'\\')
                      select kind switch
                      {
                          0 => [.. json[..at], b, .. json[at..]],
                          1 => [.. json[..at], .. json[(at + 1)..]],
                          _ => json[..at],
                      };
        Check(Prop.ForAll(damaged.ToArbitrary(), json =>
        {
            try
            {
                var envelope = DsseEnvelope.Parse(json, "test");
                _ = envelope.VerifiedBy(key.PublicKey);
            }
            catch (InputException e)
            {
                Assert.Contains("test", e.Message, StringComparison.Ordinal);
            }
        }), maxTest: 2000);
    }

    private static byte[] Flip(byte[] data, int position, int bit)
    {
        var copy = (byte[])data.Clone();
        copy[position % copy.Length] ^= (byte)(1 << bit);
        return copy;
    }

    private static void Check(Property property, int maxTest) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 59).WithQuietOnSuccess(true));

    public void Dispose()
    {
        foreach (var k in _keys) k.Dispose();
    }
}
