// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Signing.Sigstore;

/// A `validFor` window (protobuf-specs TimeRange); an absent end means still valid. Both ends are inclusive.
public sealed record ValidityWindow(DateTimeOffset Start, DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset time) => time >= Start && (End is not { } end || time <= end);
}

/// A transparency log or CT log: its DER public key, the key id (SHA-256 of the DER) and when the key may be used.
public sealed record TrustedLog(string BaseUrl, byte[] LogId, byte[] PublicKey, string KeyDetails, ValidityWindow ValidFor);

/// A certificate authority (Fulcio) or a timestamp authority: its chain (issuer-most last) and validity window.
public sealed record TrustedAuthority(string Uri, IReadOnlyList<byte[]> Certificates, ValidityWindow ValidFor);

/// A Sigstore trusted root (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`): the keys and certificates
/// verification trusts. Read from a file; Bulwark bundles none, so offline certificate verification needs one.
public sealed class TrustedRoot
{
    public const string MediaTypeV01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
    /// A trusted root is a few dozen kilobytes; this bounds what a hostile file can allocate.
    public const int MaxBytes = 4 << 20;

    public IReadOnlyList<TrustedLog> TransparencyLogs { get; init; } = [];
    public IReadOnlyList<TrustedLog> CtLogs { get; init; } = [];
    public IReadOnlyList<TrustedAuthority> CertificateAuthorities { get; init; } = [];
    public IReadOnlyList<TrustedAuthority> TimestampAuthorities { get; init; } = [];

    /// Reads a trusted root; an <see cref="InputException"/> names what is malformed.
    /// What <see cref="PublicGood"/> is called in messages.
    public const string PublicGoodSource = "the built-in Sigstore public-good trusted root (@sigstore/tuf 5.0.1; pass --trusted-root for a newer one)";

    /// The Sigstore public-good instance's trusted root (Fulcio CAs, Rekor logs, CT logs, timestamp authority) as
    /// shipped by @sigstore/tuf 5.0.1, for verifying offline without fetching one. Keys that Sigstore rotated in
    /// after that release are not in it: a newer trusted_root.json (from the Sigstore TUF repository or
    /// `cosign trusted-root create`) can always be given instead.
    public static TrustedRoot PublicGood()
    {
        using var stream = typeof(TrustedRoot).Assembly.GetManifestResourceStream("Bulwark.Signing.Sigstore.public-good-trusted-root.json")
            ?? throw new InvalidOperationException("The built-in trusted root is missing from the Bulwark.Signing assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(buffer.ToArray(), PublicGoodSource);
    }

    public static TrustedRoot Read(ReadOnlyMemory<byte> json, string source)
    {
        if (json.Length > MaxBytes) throw new InputException($"Cannot read trusted root {source}: {json.Length} bytes is larger than a trusted root can be ({MaxBytes}).");
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            JsonText.RequireReadableStrings(root, $"trusted root {source}");
            if (root.ValueKind != JsonValueKind.Object) throw new InputException($"Cannot read trusted root {source}: the JSON is not an object.");
            var mediaType = root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (mediaType != MediaTypeV01)
                throw new InputException($"Cannot read trusted root {source}: media type '{mediaType}' is not '{MediaTypeV01}'.");
            return new TrustedRoot
            {
                TransparencyLogs = Logs(root, "tlogs"),
                CtLogs = Logs(root, "ctlogs"),
                CertificateAuthorities = Authorities(root, "certificateAuthorities"),
                TimestampAuthorities = Authorities(root, "timestampAuthorities"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputException($"Cannot read trusted root {source}: {e.Message.TrimEnd('.')}. Is it a Sigstore trusted_root.json?", e);
        }
    }

    /// The transparency log with this key id, or null.
    public TrustedLog? TransparencyLog(ReadOnlySpan<byte> logId) => Find(TransparencyLogs, logId);

    /// The CT log with this key id, or null.
    public TrustedLog? CtLog(ReadOnlySpan<byte> logId) => Find(CtLogs, logId);

    private static TrustedLog? Find(IReadOnlyList<TrustedLog> logs, ReadOnlySpan<byte> logId)
    {
        foreach (var log in logs)
        {
            if (log.LogId.AsSpan().SequenceEqual(logId)) return log;
        }
        return null;
    }

    private static List<TrustedLog> Logs(JsonElement root, string name)
    {
        var logs = new List<TrustedLog>();
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return logs;
        foreach (var log in array.EnumerateArray())
        {
            var key = log.GetProperty("publicKey");
            if (!key.TryGetProperty("rawBytes", out var raw)) continue; // a key-less entry (retired log) cannot verify anything
            var der = Convert.FromBase64String(raw.GetString() ?? "");
            // logId.keyId is what bundles and SCTs name; it is SHA-256 of the DER key for every Sigstore log
            var logId = log.TryGetProperty("logId", out var id) ? Convert.FromBase64String(id.GetProperty("keyId").GetString() ?? "") : SHA256.HashData(der);
            logs.Add(new TrustedLog(
                log.TryGetProperty("baseUrl", out var url) ? url.GetString() ?? "" : "",
                logId, der,
                key.TryGetProperty("keyDetails", out var details) ? details.GetString() ?? "" : "",
                Window(key)));
        }
        return logs;
    }

    private static List<TrustedAuthority> Authorities(JsonElement root, string name)
    {
        var authorities = new List<TrustedAuthority>();
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) return authorities;
        foreach (var authority in array.EnumerateArray())
        {
            var certificates = new List<byte[]>();
            foreach (var c in authority.GetProperty("certChain").GetProperty("certificates").EnumerateArray())
            {
                var der = Convert.FromBase64String(c.GetProperty("rawBytes").GetString() ?? "");
                // an unparseable certificate is an unreadable trusted root, found here rather than mid-verification
                try
                {
                    using var _ = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
                }
                catch (CryptographicException e)
                {
                    throw new FormatException($"a certificate of {name} is not valid DER X.509 ({e.Message.TrimEnd('.')})", e);
                }
                certificates.Add(der);
            }
            authorities.Add(new TrustedAuthority(
                authority.TryGetProperty("uri", out var uri) ? uri.GetString() ?? "" : "", certificates, Window(authority)));
        }
        return authorities;
    }

    // a missing validFor or start is no window at all: fail closed rather than trust the key forever
    private static ValidityWindow Window(JsonElement owner)
    {
        var validFor = owner.GetProperty("validFor");
        var start = DateTimeOffset.Parse(validFor.GetProperty("start").GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        DateTimeOffset? end = validFor.TryGetProperty("end", out var e) && e.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        return new ValidityWindow(start, end);
    }
}
