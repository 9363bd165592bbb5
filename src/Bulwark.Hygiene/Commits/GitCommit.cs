// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;

namespace Bulwark.Hygiene.Commits;

/// A commit object as git stores it, split the way `git verify-commit` splits it: the signature header value
/// and the payload it signs (the object with every signature header, continuation lines included, removed).
public sealed record GitCommit
{
    // git's gpg_sig_headers (commit.c): both are removed from the payload; gpgsig signs the SHA-1 form of the object
    private static readonly string[] SignatureHeaders = ["gpgsig", "gpgsig-sha256"];

    public required string Sha { get; init; }
    public required byte[] Payload { get; init; }
    /// The armored signature (continuation lines joined with '\n'), or null when the commit is unsigned.
    public string? Signature { get; init; }
    public required string CommitterName { get; init; }
    public required string CommitterEmail { get; init; }
    public required DateTimeOffset CommitterTime { get; init; }
    public required string Subject { get; init; }

    public static GitCommit Parse(string sha, byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var payload = new MemoryStream(raw.Length);
        var signatures = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        string? committer = null;
        var pos = 0;
        var bodyStart = raw.Length;
        while (pos < raw.Length)
        {
            var nl = Array.IndexOf(raw, (byte)'\n', pos);
            var end = nl < 0 ? raw.Length : nl + 1;
            var line = raw.AsSpan(pos, end - pos);
            if (line.Length == 1 && line[0] == '\n')
            {
                bodyStart = end;
                payload.Write(raw, pos, raw.Length - pos);
                break;
            }
            if (line[0] == ' ' && current is not null)
            {
                // a continuation of the signature header: part of the signature, not of the payload
                current.Append('\n').Append(Encoding.UTF8.GetString(line[1..]).TrimEnd('\n'));
            }
            else
            {
                current = null;
                var text = Encoding.UTF8.GetString(line).TrimEnd('\n');
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                var key = space < 0 ? text : text[..space];
                if (line[0] != ' ' && SignatureHeaders.Contains(key) && !signatures.ContainsKey(key))
                {
                    current = new StringBuilder(text[(space + 1)..]);
                    signatures[key] = current;
                }
                else
                {
                    if (key == "committer" && committer is null) committer = text[(space + 1)..];
                    payload.Write(line);
                }
            }
            pos = end;
        }
        var (name, email, time) = ParseIdent(committer ?? "");
        var message = Encoding.UTF8.GetString(raw.AsSpan(bodyStart));
        var subject = message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        // git verifies the header of the repository's own object format: gpgsig in SHA-1 repositories, gpgsig-sha256 in
        // SHA-256 ones (a 64-hex object name); the other one, if present, signs the converted object and is ignored
        var signature = sha.Length == 64 ? signatures.GetValueOrDefault("gpgsig-sha256") : signatures.GetValueOrDefault("gpgsig");
        return new GitCommit
        {
            Sha = sha, Payload = payload.ToArray(), Signature = signature is null ? null : signature + "\n",
            CommitterName = name, CommitterEmail = email, CommitterTime = time, Subject = subject,
        };
    }

    // "Name <email> 1700000000 +0100"
    private static (string Name, string Email, DateTimeOffset Time) ParseIdent(string ident)
    {
        var open = ident.IndexOf('<', StringComparison.Ordinal);
        var close = ident.LastIndexOf('>');
        if (open < 0 || close < open) return (ident, "", DateTimeOffset.UnixEpoch);
        var name = ident[..open].Trim();
        var email = ident[(open + 1)..close];
        var rest = ident[(close + 1)..].Trim().Split(' ');
        var time = DateTimeOffset.UnixEpoch;
        if (rest.Length >= 1 && long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= 253402300799)
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return (name, email, time);
    }
}
