// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Bulwark.Core;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Keys.Vault;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Keys.Vault;

/// Signing through Vault's transit API, against a stand-in server on 127.0.0.1 holding the private key.
public sealed class VaultTransitKeyTests : IDisposable
{
    private readonly FakeVault _vault = new();
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _vault.Dispose();
        _dir.Dispose();
    }

    private static Func<string, string?> Env(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;

    private SigningKey Open(string name, Dictionary<string, string>? env = null) =>
        KeyReference.Parse("hashivault://" + name).OpenSigningKey(Env(env ?? _vault.Environment()), () => throw new InvalidOperationException("no password"));

    [Fact]
    public void Vault_signs_the_prehashed_digest_and_openssl_verifies_it_with_the_published_key()
    {
        var publicPem = _vault.CreateKey("release");
        using var key = Open("release");
        Assert.Equal(publicPem, key.PublicKey.ToPem());
        var message = "release 1.0"u8.ToArray();
        var digest = SHA256.HashData(message);
        var signature = key.SignDigest(digest, HashAlgorithmName.SHA256);

        var (path, body, token) = Assert.Single(_vault.SignRequests);
        Assert.Equal("/v1/transit/sign/release/sha2-256", path);
        Assert.Equal(_vault.Token, token);
        Assert.Equal("""{"input":"__digest__","prehashed":true,"key_version":1,"marshaling_algorithm":"asn1"}""".Replace("__digest__", Convert.ToBase64String(digest), StringComparison.Ordinal),
            body.ToJsonString());

        var pub = _dir.Write("vault.pub", System.Text.Encoding.ASCII.GetBytes(publicPem));
        var file = _dir.Write("message", message);
        var sig = _dir.Write("message.sig", signature);
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", pub, "-signature", sig, file));
        message[0] ^= 1;
        _dir.Write("message", message);
        Assert.Equal(1, OpenSsl.Run("dgst", "-sha256", "-verify", pub, "-signature", sig, file).ExitCode);
    }

    [Fact]
    public void The_latest_key_version_signs_after_a_rotation()
    {
        _vault.CreateKey("release");
        var rotated = _vault.CreateKey("release");
        using var key = Assert.IsType<VaultTransitKey>(Open("release"));
        Assert.Equal(2, key.Version);
        Assert.Equal(rotated, key.PublicKey.ToPem());
        var digest = SHA256.HashData("x"u8);
        Assert.True(key.PublicKey.VerifyDigest(digest, HashAlgorithmName.SHA256, key.SignDigest(digest, HashAlgorithmName.SHA256)));
    }

    [Fact]
    public void The_verification_key_comes_from_vault()
    {
        var publicPem = _vault.CreateKey("release");
        using var key = KeyReference.Parse("hashivault://release").OpenVerificationKey(Env(_vault.Environment()));
        Assert.Equal(publicPem, key.ToPem());
    }

    [Fact]
    public void A_wrong_token_is_refused_with_a_clear_input_error()
    {
        _vault.CreateKey("release");
        var error = Assert.Throws<InputException>(() => Open("release", _vault.Environment(token: "s.wrong")));
        Assert.Equal($"Vault at {_vault.Address}/ refused GET /v1/transit/keys/release for hashivault://release (403 Forbidden: permission denied). " +
                     "Check VAULT_TOKEN: the token must be valid and its policy must allow it.", error.Message);
        Assert.DoesNotContain("s.wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_is_a_404_input_error()
    {
        var error = Assert.Throws<InputException>(() => Open("nope"));
        Assert.Equal($"Vault at {_vault.Address}/ has no transit key for hashivault://nope (404 Not Found on /v1/transit/keys/nope). Check the key name and the transit mount.", error.Message);
    }

    [Fact]
    public void An_unreachable_vault_is_an_input_error_naming_the_address()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var env = new Dictionary<string, string> { ["VAULT_ADDR"] = $"http://127.0.0.1:{port}", ["VAULT_TOKEN"] = "t" };
        var error = Assert.Throws<InputException>(() => Open("release", env));
        Assert.StartsWith($"Cannot reach Vault at http://127.0.0.1:{port}/ for hashivault://release: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(" Check VAULT_ADDR.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_settings_say_which_variable_to_set()
    {
        var noAddress = Assert.Throws<InputException>(() => Open("release", new Dictionary<string, string> { ["VAULT_TOKEN"] = "t" }));
        Assert.Equal("Cannot use hashivault://release: VAULT_ADDR is not set. Set it to the Vault server, e.g. https://vault.example.com:8200.", noAddress.Message);
        var noToken = Assert.Throws<InputException>(() => Open("release", new Dictionary<string, string> { ["VAULT_ADDR"] = _vault.Address }));
        Assert.Equal("Cannot use hashivault://release: VAULT_TOKEN is not set. Set it to a Vault token allowed to read transit/keys/release and update transit/sign/release.", noToken.Message);
        var badAddress = Assert.Throws<InputException>(() => Open("release", new Dictionary<string, string> { ["VAULT_ADDR"] = "ftp://x", ["VAULT_TOKEN"] = "t" }));
        Assert.Equal("Cannot use hashivault://release: VAULT_ADDR='ftp://x' is not an http(s) URL.", badAddress.Message);
    }

    [Fact]
    public void A_redirect_is_not_followed_so_the_token_stays_with_vault_addr()
    {
        using var elsewhere = new FakeVault(token: "s.elsewhere");
        elsewhere.CreateKey("release");
        _vault.RedirectTo = elsewhere.Address;
        var error = Assert.Throws<InputException>(() => Open("release"));
        Assert.Equal($"Vault at {_vault.Address}/ redirected GET /v1/transit/keys/release for hashivault://release to {elsewhere.Address}/v1/transit/keys/release: " +
                     "set VAULT_ADDR to the address that answers (redirects are not followed, so the token is not sent elsewhere).", error.Message);
        Assert.Empty(elsewhere.SignRequests);
    }

    [Fact]
    public void A_signature_that_does_not_match_the_published_key_is_refused()
    {
        _vault.CreateKey("release");
        using var key = Open("release");
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _vault.SignWith = impostor;
        var error = Assert.Throws<InputException>(() => key.SignDigest(SHA256.HashData("x"u8), HashAlgorithmName.SHA256));
        Assert.Equal($"Vault at {_vault.Address}/ returned a signature for hashivault://release that does not verify with its public key (version 1); nothing was signed.", error.Message);
    }
}
