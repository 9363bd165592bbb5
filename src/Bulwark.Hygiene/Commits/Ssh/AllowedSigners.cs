// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Hygiene.Commits.Ssh;

/// One line of an allowed-signers file (ssh-keygen(1) "ALLOWED SIGNERS"): principals, options, a key.
public sealed record AllowedSigner(
    int Line, string Principals, SshPublicKey Key, bool CertAuthority, IReadOnlyList<string>? Namespaces,
    DateTimeOffset? ValidAfter, DateTimeOffset? ValidBefore)
{
    /// Whether a principal (the committer's email) matches the comma-separated pattern list: `*` and `?` wildcards,
    /// a `!pattern` that matches excludes the principal, case-sensitive as in OpenSSH's match_pattern_list.
    public bool Matches(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var matched = false;
        foreach (var raw in Principals.Split(','))
        {
            var negated = raw.StartsWith('!');
            var pattern = negated ? raw[1..] : raw;
            if (!Wildcard(pattern, principal)) continue;
            if (negated) return false;
            matched = true;
        }
        return matched;
    }

    // iterative glob with backtracking to the last '*': linear-ish, no recursion on hostile patterns
    internal static bool Wildcard(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}

/// The `--allowed-signers` file: which SSH keys may sign for which principals (git's gpg.ssh.allowedSignersFile).
public sealed class AllowedSigners
{
    private const long MaxFileBytes = 16L << 20;

    public IReadOnlyList<AllowedSigner> Entries { get; }

    private AllowedSigners(IReadOnlyList<AllowedSigner> entries) => Entries = entries;

    public static AllowedSigners Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new InputException($"Cannot read allowed-signers file {path}: no such file.");
            if (info.Length > MaxFileBytes) throw new InputException($"Cannot read allowed-signers file {path}: larger than {MaxFileBytes >> 20} MiB.");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot read allowed-signers file {path}: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static AllowedSigners Parse(string text, string source = "allowed signers")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<AllowedSigner>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            try
            {
                entries.Add(ParseLine(line, i + 1));
            }
            catch (MalformedSignatureException e)
            {
                throw new InputException($"Cannot use allowed-signers file {source}: line {i + 1}: {e.Message}. " +
                                         "Each line is 'PRINCIPALS [OPTIONS] KEYTYPE BASE64KEY [COMMENT]' (see ssh-keygen(1), ALLOWED SIGNERS).", e);
            }
        }
        return new AllowedSigners(entries);
    }

    private static AllowedSigner ParseLine(string line, int number)
    {
        var tokens = Tokens(line);
        if (tokens.Count < 3) throw new MalformedSignatureException("expected principals, a key type and a key");
        var principals = Unquote(tokens[0]);
        var next = 1;
        var certAuthority = false;
        List<string>? namespaces = null;
        DateTimeOffset? validAfter = null, validBefore = null;
        if (!IsKeyType(tokens[1]))
        {
            foreach (var option in SplitOptions(tokens[1]))
            {
                var eq = option.IndexOf('=', StringComparison.Ordinal);
                var name = (eq < 0 ? option : option[..eq]).ToLowerInvariant();
                var value = eq < 0 ? null : Unquote(option[(eq + 1)..]);
                switch (name)
                {
                    case "cert-authority" when value is null: certAuthority = true; break;
                    case "namespaces" when value is not null: namespaces = [.. value.Split(',').Select(v => v.Trim())]; break;
                    case "valid-after" when value is not null: validAfter = ParseTime(value); break;
                    case "valid-before" when value is not null: validBefore = ParseTime(value); break;
                    default: throw new MalformedSignatureException($"unknown or malformed option '{option}'");
                }
            }
            next = 2;
        }
        if (tokens.Count < next + 2) throw new MalformedSignatureException("expected a key type and a base64 key");
        var type = tokens[next];
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(tokens[next + 1]);
        }
        catch (FormatException)
        {
            throw new MalformedSignatureException("the key is not valid base64");
        }
        var key = SshPublicKey.Parse(blob);
        if (key.Type != type) throw new MalformedSignatureException($"the key is a {key.Type} key but the line says {type}");
        return new AllowedSigner(number, principals, key, certAuthority, namespaces, validAfter, validBefore);
    }

    private static bool IsKeyType(string token) =>
        token.StartsWith("ssh-", StringComparison.Ordinal) || token.StartsWith("ecdsa-", StringComparison.Ordinal)
        || token.StartsWith("sk-", StringComparison.Ordinal);

    // whitespace-separated tokens; double quotes group (and may hide spaces), as in OpenSSH's authorized_keys options
    private static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (current.Length > 0) tokens.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (quoted) throw new MalformedSignatureException("unterminated quote");
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    private static List<string> SplitOptions(string token)
    {
        var options = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in token)
        {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted)
            {
                options.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        options.Add(current.ToString());
        return options;
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;

    /// YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS; a trailing Z means UTC, otherwise local time (as ssh-keygen reads it).
    internal static DateTimeOffset ParseTime(string value)
    {
        var utc = value.EndsWith('Z') || value.EndsWith('z');
        var digits = utc ? value[..^1] : value;
        var format = digits.Length switch
        {
            8 => "yyyyMMdd",
            12 => "yyyyMMddHHmm",
            14 => "yyyyMMddHHmmss",
            _ => null,
        };
        if (format is null || !DateTime.TryParseExact(digits, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new MalformedSignatureException($"'{value}' is not a time (YYYYMMDD[HHMM[SS]][Z])");
        return utc ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));
    }
}
