// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Signing.Keys;

/// Where a key lives, as the user wrote it for `--key`: a file path, `env://VAR`, or (later) a PKCS#11 or Vault URI.
/// <remarks>
/// Grammar (Cosign's, so the same `--key` values work in both tools):
///   `env://NAME`           the PEM text is the value of the environment variable NAME
///   `pkcs11:…`             RFC 7512 PKCS#11 URI (token, object, module-path, pin-value): not supported yet
///   `hashivault://NAME`    a HashiCorp Vault transit key: not supported yet
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
        if (text.StartsWith("pkcs11:", StringComparison.Ordinal))
            throw new UsageException($"PKCS#11 keys ('{Redact(text)}') are not supported yet: export the public key to a file, or sign with a key file or env://VAR.");
        var scheme = text.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? text[..at] : null;
        switch (scheme)
        {
            case null:
                return new FileKeyReference(text);
            case "hashivault":
                throw new UsageException($"HashiCorp Vault keys ('{text}') are not supported yet: use a key file or env://VAR.");
            case "awskms" or "gcpkms" or "azurekms" or "k8s" or "gitlab":
                throw new UsageException($"{scheme}:// keys ('{text}') are not supported: use a key file or env://VAR.");
            default:
                throw new UsageException($"Unknown key reference scheme '{scheme}://' in '{text}': use a file path or env://VAR.");
        }
    }

    /// The PEM text the reference points to; an <see cref="InputException"/> when it is missing or unreadable.
    public abstract string ReadText(Func<string, string?> environment);

    // a PKCS#11 URI may carry pin-value: never echo it
    private static string Redact(string uri)
    {
        var at = uri.IndexOf("pin-value=", StringComparison.Ordinal);
        if (at < 0) return uri;
        var end = uri.IndexOfAny(['&', ';'], at);
        return uri[..(at + "pin-value=".Length)] + "***" + (end < 0 ? "" : uri[end..]);
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
