// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;
using System.Text;
using Bulwark.Core;
using Bulwark.Signing.Cosign;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Key;

/// `bulwark key generate|public`: Cosign-compatible key pairs.
/// <remarks>
/// Exit codes: 0 done; 2 bad arguments, an unsupported key reference (pkcs11:, hashivault://), no password source, or
/// files that already exist without --force; 3 an unreadable or malformed key file, or a wrong password.
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
        return SigningKey.FromPem(reference.ReadText(context.Environment), reference.Text, () => Passwords.ForExistingKey(context, reference.Text));
    }

    private static Command GenerateCommand(CliContext context)
    {
        var prefix = new Option<string>("--output-key-prefix")
        {
            Description = $"Write PREFIX.key (encrypted private key) and PREFIX.pub (public key); default '{DefaultPrefix}'.",
            DefaultValueFactory = _ => DefaultPrefix,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files." };
        var command = new Command("generate", "Create an ECDSA P-256 key pair; the private key is encrypted as Cosign does (scrypt + NaCl secretbox). " +
                                              $"Password from ${Passwords.Variable} or ${Passwords.CosignVariable}, else a prompt.")
        {
            prefix, force,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(prefix)!;
            if (name.Length == 0) throw new UsageException("--output-key-prefix is empty.");
            string privatePath = name + ".key", publicPath = name + ".pub";
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
        var keyOption = KeyOption("The private key (a file or env://VAR); a public key is printed as it is.");
        var command = new Command("public", "Print the public key of a private key as PKIX PEM (like 'cosign public-key').") { keyOption };
        command.SetAction(async (parse, ct) =>
        {
            var reference = KeyReference.Parse(parse.GetValue(keyOption)!);
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
