// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Cosign;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Key;

/// `bulwark key generate|public`: Cosign-compatible key pairs.
/// <remarks>
/// Exit codes: 0 done; 2 bad arguments, an unsupported key reference, no password source, or files that already exist
/// without --force; 3 an unreadable or malformed key file, a wrong password or PIN, an unreachable token or Vault.
/// </remarks>
internal static class KeyCommand
{
    public const string DefaultPrefix = "cosign";

    public static Command Create(CliContext context) => new("key", "Create and inspect signing keys (Cosign-compatible).")
    {
        GenerateCommand(context),
        PublicCommand(context),
    };

    /// The `--key` option every signing verb shares.
    public static Option<string> KeyOption(string description) => new("--key")
    {
        Description = description,
        Required = true,
    };

    /// Loads a private key for signing, asking for the password only when the key is encrypted.
    public static SigningKey LoadSigningKey(CliContext context, string text)
    {
        var reference = KeyReference.Parse(text);
        return reference.OpenSigningKey(context.Environment, () => Passwords.ForExistingKey(context, reference.Text));
    }

    private static Command GenerateCommand(CliContext context)
    {
        var prefix = new Option<string>("--output-key-prefix")
        {
            Description = $"Write PREFIX.key (encrypted private key) and PREFIX.pub (public key); default '{DefaultPrefix}'.",
            DefaultValueFactory = _ => DefaultPrefix,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files." };
        var onToken = new Option<string?>("--key")
        {
            Description = "Create the key pair on a PKCS#11 token instead (pkcs11:token=…;object=LABEL?module-path=…&pin-value=…); only PREFIX.pub is written.",
        };
        var command = new Command("generate", "Create an ECDSA P-256 key pair; the private key is encrypted as Cosign does (scrypt + NaCl secretbox). " +
                                              $"Password from ${Passwords.Variable} or ${Passwords.CosignVariable}, else a prompt.")
        {
            prefix, force, onToken,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(prefix)!;
            if (name.Length == 0) throw new UsageException("--output-key-prefix is empty.");
            string privatePath = name + ".key", publicPath = name + ".pub";
            if (parse.GetValue(onToken) is { } tokenKey)
            {
                if (KeyReference.Parse(tokenKey) is not Pkcs11KeyReference pkcs11)
                    throw new UsageException($"key generate --key takes a pkcs11: URI (the token creates the key pair); '{KeyReference.Parse(tokenKey).Text}' is not one.");
                if (!parse.GetValue(force) && File.Exists(publicPath))
                    throw new UsageException($"{publicPath} already exists: choose another --output-key-prefix, or pass --force to overwrite it.");
                using var created = Signing.Keys.Pkcs11.Pkcs11SigningKey.GenerateEcdsaP256(pkcs11.Uri);
                WriteFile(publicPath, created.ToPem(), privateKey: false);
                await context.Stderr.WriteLineAsync($"bulwark: key pair created on the token ({pkcs11.Text}), public key written to {publicPath}.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (!parse.GetValue(force))
            {
                foreach (var path in new[] { privatePath, publicPath })
                {
                    if (File.Exists(path)) throw new UsageException($"{path} already exists: choose another --output-key-prefix, or pass --force to overwrite it.");
                }
            }
            var password = Passwords.ForNewKey(context);
            using var key = SigningKey.GenerateEcdsaP256();
            var pkcs8 = key.ExportPkcs8();
            string encrypted;
            try
            {
                encrypted = CosignEncryptedKey.Encrypt(pkcs8, password);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(pkcs8);
            }
            WriteFile(privatePath, encrypted, privateKey: true);
            WriteFile(publicPath, key.PublicKey.ToPem(), privateKey: false);
            await context.Stderr.WriteLineAsync($"bulwark: private key written to {privatePath}, public key to {publicPath}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PublicCommand(CliContext context)
    {
        var keyOption = KeyOption("The private key (a file, env://VAR, pkcs11:… or hashivault://NAME); a public key is printed as it is.");
        var command = new Command("public", "Print the public key of a private key as PKIX PEM (like 'cosign public-key').") { keyOption };
        command.SetAction(async (parse, ct) =>
        {
            var reference = KeyReference.Parse(parse.GetValue(keyOption)!);
            if (!reference.HoldsPem)
            {
                // a PKCS#11 or Vault key: the public key comes from the token or the server
                using var held = reference.OpenVerificationKey(context.Environment);
                await context.Stdout.WriteAsync(Encoding.ASCII.GetBytes(held.ToPem()), ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var text = reference.ReadText(context.Environment);
            var label = PemBlock.ReadFirst(text, reference.Text).Label;
            string pem;
            if (label is "PUBLIC KEY" or "RSA PUBLIC KEY" or "CERTIFICATE")
            {
                using var publicKey = VerificationKey.FromPem(text, reference.Text);
                pem = publicKey.ToPem();
            }
            else
            {
                using var key = SigningKey.FromPem(text, reference.Text, () => Passwords.ForExistingKey(context, reference.Text));
                pem = key.PublicKey.ToPem();
            }
            var bytes = Encoding.ASCII.GetBytes(pem);
            await context.Stdout.WriteAsync(bytes, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteFile(string path, string text, bool privateKey)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = privateKey
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
        // a fresh file, so the restrictive mode applies even with --force
        File.Delete(path);
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(text));
    }
}
