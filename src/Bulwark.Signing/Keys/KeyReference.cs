// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Signing.Keys.Pkcs11;
using Bulwark.Signing.Keys.Vault;

namespace Bulwark.Signing.Keys;

/// Where a key lives, as the user wrote it for `--key`: a file path, `env://VAR`, a PKCS#11 URI or a Vault transit key.
/// <remarks>
/// Grammar (Cosign's, so the same `--key` values work in both tools):
///   `env://NAME`           the PEM text is the value of the environment variable NAME
///   `pkcs11:…`             RFC 7512 PKCS#11 URI (token, object, id, module-path, pin-value…): the token signs
///   `hashivault://NAME`    a HashiCorp Vault transit key (VAULT_ADDR, VAULT_TOKEN): Vault signs
///   `awskms://`, `gcpkms://`, `azurekms://`, `k8s://`, `gitlab://`: Cosign's other providers, not supported
///   anything else          a file path (a path that merely contains "://" with an unknown scheme is refused, so a typo in
///                          a scheme is not read as a missing file)
/// </remarks>
public abstract record KeyReference
{
    /// The text as the user gave it, for messages.
    public abstract string Text { get; }

    /// Parses a `--key` value; a <see cref="UsageException"/> says what is wrong and what is supported.
    public static KeyReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new UsageException("--key is empty: give a key file path or env://VARIABLE.");
        if (text.StartsWith("env://", StringComparison.Ordinal))
        {
            var name = text["env://".Length..];
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('=', StringComparison.Ordinal))
                throw new UsageException($"Key reference '{text}' has no valid variable name: write env://NAME, e.g. env://COSIGN_KEY.");
            return new EnvironmentKeyReference(name);
        }
        if (text.StartsWith(Pkcs11Uri.Scheme, StringComparison.OrdinalIgnoreCase))
            return new Pkcs11KeyReference(Pkcs11Uri.Parse(text));
        var scheme = text.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? text[..at] : null;
        switch (scheme)
        {
            case null:
                return new FileKeyReference(text);
            case "hashivault":
            {
                var name = text["hashivault://".Length..];
                if (!VaultTransitKey.IsValidName(name))
                    throw new UsageException($"Key reference '{text}' has no valid Vault key name: write hashivault://NAME (letters, digits, '-', '_', '.').");
                return new VaultKeyReference(name);
            }
            case "awskms" or "gcpkms" or "azurekms" or "k8s" or "gitlab":
                throw new UsageException($"{scheme}:// keys ('{text}') are not supported: use a key file or env://VAR.");
            default:
                throw new UsageException($"Unknown key reference scheme '{scheme}://' in '{text}': use a file path or env://VAR.");
        }
    }

    /// The PEM text the reference points to; an <see cref="InputException"/> when it is missing or unreadable.
    public abstract string ReadText(Func<string, string?> environment);

    /// Whether the reference holds PEM text (a file or variable) rather than naming a key kept in a token or service.
    public virtual bool HoldsPem => true;

    /// The private key to sign with; the password is asked for only when a PEM key is encrypted.
    public virtual SigningKey OpenSigningKey(Func<string, string?> environment, Func<string> password) =>
        SigningKey.FromPem(ReadText(environment), Text, password);

    /// The public key to verify with.
    public virtual VerificationKey OpenVerificationKey(Func<string, string?> environment) =>
        VerificationKey.FromPem(ReadText(environment), Text);
}

/// A key on a PKCS#11 token (RFC 7512 URI); <see cref="Text"/> has the PIN redacted.
public sealed record Pkcs11KeyReference(Pkcs11Uri Uri) : KeyReference
{
    public override string Text => Uri.Redacted;

    public override bool HoldsPem => false;

    public override string ReadText(Func<string, string?> environment) =>
        throw new InputException($"{Text} is a key on a PKCS#11 token: its private key cannot be read, only used to sign.");

    public override SigningKey OpenSigningKey(Func<string, string?> environment, Func<string> password) => Pkcs11SigningKey.Open(Uri);

    public override VerificationKey OpenVerificationKey(Func<string, string?> environment) => Pkcs11SigningKey.OpenPublicKey(Uri);
}

/// A HashiCorp Vault transit key (`hashivault://NAME`), reached through VAULT_ADDR with VAULT_TOKEN.
public sealed record VaultKeyReference(string Name) : KeyReference
{
    public override string Text => "hashivault://" + Name;

    public override bool HoldsPem => false;

    public override string ReadText(Func<string, string?> environment) =>
        throw new InputException($"{Text} is a Vault transit key: its private key cannot be read, only used to sign.");

    public override SigningKey OpenSigningKey(Func<string, string?> environment, Func<string> password) => VaultTransitKey.Open(Name, environment);

    public override VerificationKey OpenVerificationKey(Func<string, string?> environment)
    {
        using var key = VaultTransitKey.Open(Name, environment);
        return VerificationKey.FromSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo, Text);
    }
}

/// A key in a PEM file.
public sealed record FileKeyReference(string Path) : KeyReference
{
    /// Key files are a few kilobytes; anything much larger is not a key.
    public const int MaxBytes = 1 << 20;

    public override string Text => Path;

    public override string ReadText(Func<string, string?> environment)
    {
        try
        {
            using var stream = File.OpenRead(Path);
            if (stream.Length > MaxBytes) throw new InputException($"Cannot read key file {Path}: {stream.Length} bytes is too large for a key (at most {MaxBytes}).");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"Cannot read key file {Path}: no such file. Check the path given to --key.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot read key file {Path}: {e.Message}", e);
        }
    }
}

/// A key whose PEM text is the value of an environment variable (`env://NAME`).
public sealed record EnvironmentKeyReference(string Variable) : KeyReference
{
    public override string Text => "env://" + Variable;

    public override string ReadText(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = environment(Variable);
        if (string.IsNullOrWhiteSpace(value))
            throw new InputException($"Cannot read key {Text}: the environment variable {Variable} is not set or empty. Put the PEM text of the key in it.");
        if (value.Length > FileKeyReference.MaxBytes) throw new InputException($"Cannot read key {Text}: the value is too large for a key.");
        return value;
    }
}
