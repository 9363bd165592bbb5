// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Bulwark.Testing;

namespace Bulwark.Signing.Tests.Keys.Pkcs11;

/// SoftHSM2 (Debian's softhsm2) with its own token directory, set up once per test process: token "test" (PIN 1234)
/// holds the ECDSA P-256 key "k" (id 01) and the RSA key "r" (id 02); token "other" (PIN 4321) holds another key "k".
/// <remarks>
/// SoftHSM reads SOFTHSM2_CONF with the C library's getenv when C_Initialize runs. .NET keeps its own copy of the
/// environment, so the variable is set with libc's setenv for the in-process module (and passed to softhsm2-util).
/// Every test that loads the module is in the <see cref="SoftHsmCollection"/>, so they never overlap.
/// </remarks>
public sealed class SoftHsm
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Collection = "SoftHSM";

    private static readonly Lazy<SoftHsm> Shared = new(() => new SoftHsm());

    /// The one instance for this test process.
    public static SoftHsm Instance => Shared.Value;

    public string Directory { get; }
    public string Config { get; }

    /// The PEM public keys of the imported keys, as openssl writes them.
    public string EcPublicKey { get; }
    public string RsaPublicKey { get; }
    public string OtherPublicKey { get; }

    private SoftHsm()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("bulwark-softhsm-").FullName;
        var tokens = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens")).FullName;
        Config = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(Config, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        if (setenv(Encoding.UTF8.GetBytes("SOFTHSM2_CONF\0"), Encoding.UTF8.GetBytes(Config + "\0"), 1) != 0)
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed.");
        Util("--init-token", "--free", "--label", "test", "--pin", "1234", "--so-pin", "5678");
        Util("--init-token", "--free", "--label", "other", "--pin", "4321", "--so-pin", "8765");
        var ec = OpenSsl.GeneratePrivateKey(Directory, "ec");
        var rsa = OpenSsl.GeneratePrivateKey(Directory, "rsa");
        var other = OpenSsl.GeneratePrivateKey(Directory, "ec");
        Util("--import", ec, "--token", "test", "--label", "k", "--id", "01", "--pin", "1234");
        Util("--import", rsa, "--token", "test", "--label", "r", "--id", "02", "--pin", "1234");
        Util("--import", other, "--token", "other", "--label", "k", "--id", "01", "--pin", "4321");
        EcPublicKey = File.ReadAllText(OpenSsl.PublicKeyOf(ec));
        RsaPublicKey = File.ReadAllText(OpenSsl.PublicKeyOf(rsa));
        OtherPublicKey = File.ReadAllText(OpenSsl.PublicKeyOf(other));
        // the private keys now live only on the tokens
        File.Delete(ec);
        File.Delete(rsa);
        File.Delete(other);
    }

    /// A key URI on one of the tokens.
    public static string Uri(string token = "test", string label = "k", string pin = "1234") =>
        $"pkcs11:token={token};object={label}?module-path={ModulePath}&pin-value={pin}";

    /// Runs softhsm2-util with this instance's configuration.
    public string Util(params string[] args)
    {
        var start = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SOFTHSM2_CONF"] = Config;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start softhsm2-util (apt-get install softhsm2).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("softhsm2-util did not finish in 60 s.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"softhsm2-util {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(byte[] name, byte[] value, int overwrite);
}

/// Tests that load the SoftHSM module run one at a time: C_Initialize and C_Finalize are process-wide.
[CollectionDefinition(SoftHsm.Collection, DisableParallelization = true)]
public sealed class SoftHsmCollection;
