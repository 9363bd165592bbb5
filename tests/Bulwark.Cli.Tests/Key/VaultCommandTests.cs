// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Sockets;
using Bulwark.Signing.Tests.Keys.Vault;
using Bulwark.Testing;

namespace Bulwark.Cli.Tests.Key;

/// `sign-blob`, `verify-blob` and `key public` with `hashivault://` keys, against a stand-in Vault on 127.0.0.1.
public sealed class VaultCommandTests : IDisposable
{
    private readonly FakeVault _vault = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-vault-").FullName;
    private readonly string _file;

    public VaultCommandTests()
    {
        _file = Path("artifact.tar");
        var content = new byte[10_000];
        new Random(13).NextBytes(content);
        File.WriteAllBytes(_file, content);
    }

    public void Dispose()
    {
        _vault.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task Sign_blob_with_a_vault_key_verifies_with_openssl_and_verify_blob()
    {
        var publicPem = _vault.CreateKey("release");
        var signed = await CliRun.RunAsync(["sign-blob", "--key", "hashivault://release", "--output-signature", Path("a.sig"), _file], _vault.Environment());
        Assert.Equal(new CliOutcome(0, "", $"bulwark: signature written to {Path("a.sig")}.\n"), signed);
        var pub = Path("vault.pub");
        File.WriteAllText(pub, publicPem);
        File.WriteAllBytes(Path("a.der"), Convert.FromBase64String(File.ReadAllText(Path("a.sig"))));
        Assert.Equal("Verified OK\n", OpenSsl.Ok("dgst", "-sha256", "-verify", pub, "-signature", Path("a.der"), _file));

        var ok = new CliOutcome(0, "", $"bulwark: Verified OK: {_file} is signed by the ECDSA P-256 key.\n");
        Assert.Equal(ok, await CliRun.RunAsync(["verify-blob", "--key", pub, "--signature", Path("a.sig"), _file], null));
        Assert.Equal(ok, await CliRun.RunAsync(["verify-blob", "--key", "hashivault://release", "--signature", Path("a.sig"), _file], _vault.Environment()));
        Assert.Equal(new CliOutcome(0, publicPem, ""), await CliRun.RunAsync(["key", "public", "--key", "hashivault://release"], _vault.Environment()));

        _vault.CreateKey("other");
        Assert.Equal(4, (await CliRun.RunAsync(["verify-blob", "--key", "hashivault://other", "--signature", Path("a.sig"), _file], _vault.Environment())).ExitCode);
        var content = File.ReadAllBytes(_file);
        content[0] ^= 0x80;
        File.WriteAllBytes(_file, content);
        Assert.Equal(4, (await CliRun.RunAsync(["verify-blob", "--key", "hashivault://release", "--signature", Path("a.sig"), _file], _vault.Environment())).ExitCode);
    }

    [Fact]
    public async Task A_wrong_token_or_missing_key_is_exit_3_when_signing_and_5_when_verifying()
    {
        _vault.CreateKey("release");
        var denied = $"Vault at {_vault.Address}/ refused GET /v1/transit/keys/release for hashivault://release (403 Forbidden: permission denied). " +
                     "Check VAULT_TOKEN: the token must be valid and its policy must allow it.";
        Assert.Equal(new CliOutcome(3, "", $"bulwark: {denied}\n"),
            await CliRun.RunAsync(["sign-blob", "--key", "hashivault://release", _file], _vault.Environment(token: "s.wrong")));
        File.WriteAllText(Path("a.sig"), "MEUCIQ==");
        Assert.Equal(new CliOutcome(5, "", $"bulwark: could not verify: {denied}\n"),
            await CliRun.RunAsync(["verify-blob", "--key", "hashivault://release", "--signature", Path("a.sig"), _file], _vault.Environment(token: "s.wrong")));

        var missing = await CliRun.RunAsync(["sign-blob", "--key", "hashivault://nope", _file], _vault.Environment());
        Assert.Equal(new CliOutcome(3, "", $"bulwark: Vault at {_vault.Address}/ has no transit key for hashivault://nope (404 Not Found on /v1/transit/keys/nope). " +
                                           "Check the key name and the transit mount.\n"), missing);
    }

    [Fact]
    public async Task An_unreachable_vault_is_exit_3_when_signing_and_5_when_verifying()
    {
        var env = new Dictionary<string, string> { ["VAULT_ADDR"] = $"http://127.0.0.1:{ClosedPort()}", ["VAULT_TOKEN"] = "t" };
        var signing = await CliRun.RunAsync(["sign-blob", "--key", "hashivault://release", _file], env);
        Assert.Equal(3, signing.ExitCode);
        Assert.StartsWith($"bulwark: Cannot reach Vault at {env["VAULT_ADDR"]}/ for hashivault://release: ", signing.Stderr, StringComparison.Ordinal);
        File.WriteAllText(Path("a.sig"), "MEUCIQ==");
        var verifying = await CliRun.RunAsync(["verify-blob", "--key", "hashivault://release", "--signature", Path("a.sig"), _file], env);
        Assert.Equal(5, verifying.ExitCode);
        Assert.StartsWith($"bulwark: could not verify: Cannot reach Vault at {env["VAULT_ADDR"]}/ for hashivault://release: ", verifying.Stderr, StringComparison.Ordinal);
    }
}
