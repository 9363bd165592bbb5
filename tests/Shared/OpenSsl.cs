// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;

namespace Bulwark.Testing;

/// Runs the machine's `openssl` to make keys and signatures in tests and to cross-check Bulwark's.
public static class OpenSsl
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start openssl.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', args) + " did not finish in 60 s.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// Runs openssl and fails the test when it fails.
    public static string Ok(params string[] args)
    {
        var result = Run(args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}");
        return result.Stdout;
    }

    /// A private key PEM made by openssl: "ec" (P-256, PKCS#8), "rsa" (2048-bit, PKCS#8) or "ed25519" (PKCS#8).
    public static string GeneratePrivateKey(string directory, string kind)
    {
        var path = Path.Combine(directory, $"{kind}-{Guid.NewGuid():N}.key");
        _ = kind switch
        {
            "ec" => Ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path),
            "rsa" => Ok("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path),
            "ed25519" => Ok("genpkey", "-algorithm", "ED25519", "-out", path),
            _ => throw new ArgumentException(kind),
        };
        return path;
    }

    /// The PKIX public key PEM of a private key file, written beside it as .pub.
    public static string PublicKeyOf(string privateKeyPath)
    {
        var path = Path.ChangeExtension(privateKeyPath, ".pub");
        Ok("pkey", "-in", privateKeyPath, "-pubout", "-out", path);
        return path;
    }
}
