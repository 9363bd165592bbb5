// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Text;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Hygiene.Secrets;

/// Checks on a candidate secret's text that every rule shares (placeholders) or that some rules use (entropy, decoding).
public static class SecretChecks
{
    // what documentation, templates and tests put where a secret goes
    private static readonly string[] PlaceholderMarkers =
    [
        "example", "xxxx", "****", "....", "{", "}", "<", ">", "%(", "$(", "your_", "your-", "yourapi", "placeholder",
        "changeme", "change_me", "redacted", "dummy", "fake", "sample", "notreal", "not_real",
    ];

    // a password that names itself (postgres://user:password@host) is a template, not a credential
    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "key", "null", "none", "nil", "undefined",
        "true", "false", "test", "admin", "user", "username", "string", "value", "empty",
    };

    /// True when the text is a stand-in for a secret: EXAMPLE, xxxx, ${VAR}, {{ var }}, {interpolation}, &lt;token&gt;, your_api_key, one repeated character,
    /// a run such as 0123456789 or abcdef, or a word like "password".
    public static bool IsPlaceholder(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0) return true;
        if (PlaceholderWords.Contains(secret)) return true;
        foreach (var marker in PlaceholderMarkers)
            if (secret.Contains(marker, StringComparison.OrdinalIgnoreCase)) return true;
        if (secret.StartsWith('$') || secret.StartsWith('%')) return true; // $VAR, %VAR%
        if (IsOneCharacter(secret)) return true;
        return HasLongSequence(secret);
    }

    private static bool IsOneCharacter(string s)
    {
        // all the same, or all the same after a structural prefix (sk_live_0000…): compare the tail of the token
        var tail = s.Length > 12 ? s[^12..] : s;
        return tail.AsSpan().IndexOfAnyExcept(tail[0]) < 0;
    }

    // "1234567890", "abcdefghij": the kind of filler typed into docs; a random token practically never has 8 in a row
    private static bool HasLongSequence(string s)
    {
        var run = 1;
        for (var i = 1; i < s.Length; i++)
        {
            run = s[i] == s[i - 1] + 1 && char.IsAsciiLetterOrDigit(s[i]) ? run + 1 : 1;
            if (run >= 8) return true;
        }
        return false;
    }

    /// Shannon entropy of the characters of <paramref name="text"/>, in bits per character.
    public static double Entropy(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return 0;
        Span<int> counts = stackalloc int[128];
        var other = 0;
        foreach (var c in text)
        {
            if (c < 128) counts[c]++;
            else other++;
        }
        double h = 0;
        foreach (var n in counts)
        {
            if (n == 0) continue;
            var p = (double)n / text.Length;
            h -= p * Math.Log2(p);
        }
        if (other > 0)
        {
            var p = (double)other / text.Length;
            h -= p * Math.Log2(p);
        }
        return h;
    }

    /// Decodes base64url or base64 (padding optional); null when the text is neither.
    public static byte[]? DecodeBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        var buffer = new byte[s.Length * 3 / 4];
        return Convert.TryFromBase64String(s, buffer, out var written) ? buffer[..written] : null;
    }

    /// A JWT's first part must be a JSON object with an "alg" (RFC 7515 §4.1.1); anything else is a lookalike.
    public static bool IsJwt(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return false;
        var header = DecodeBase64(token[..dot]);
        if (header is null) return false;
        try
        {
            // a header whose strings are not text (an unpaired surrogate escape in a name) is no JWT: TryGetProperty
            // would throw InvalidOperationException on it, out of a scan of an attacker's file
            using var doc = JsonText.ParseReadable(header);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("alg", out var alg)
                && alg.ValueKind == JsonValueKind.String
                && !alg.ValueEquals("none"); // an unsigned token proves nothing and grants nothing
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// A Docker config "auth" value: base64 of "user:password" with a non-empty password.
    public static bool IsBasicAuthPair(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (DecodeBase64(value) is not { } bytes) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1) return false;
        var password = text[(colon + 1)..];
        return !IsPlaceholder(password) && text.AsSpan().IndexOfAny(Controls) < 0;
    }

    private static readonly SearchValues<char> Controls = SearchValues.Create("\0\r\n\t");

    /// A base64 value that decodes to a PEM private key (kubeconfig client-key-data).
    public static bool IsBase64PrivateKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (DecodeBase64(value) is not { } bytes) return false;
        var text = Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN", StringComparison.Ordinal) && text.Contains("PRIVATE KEY", StringComparison.Ordinal);
    }

    /// Has letters and digits both: most random tokens do, words and identifiers don't.
    public static bool HasLettersAndDigits(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAnyInRange('0', '9') >= 0 && value.Any(char.IsAsciiLetter);
    }
}
