// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Bulwark.Core;

namespace Bulwark.Vulnerabilities.Database;

/// What a previous update saw of one zip: an opaque fingerprint (size+mtime or ETag/Last-Modified) and its SHA-256.
public sealed record ZipFingerprint(string Fingerprint, string Sha256);

/// The outcome of fetching one `<Ecosystem>/all.zip`.
internal abstract record FetchResult
{
    /// The zip's bytes are the ones the previous update imported.
    public sealed record Unchanged : FetchResult;
    /// The tree has no zip for this ecosystem.
    public sealed record NotFound : FetchResult;
    /// New bytes, in a local file.
    public sealed record Changed(string ZipPath, ZipFingerprint Fingerprint) : FetchResult;
}

/// A tree laid out like osv.dev's bucket: `ecosystems.txt` and `<Ecosystem>/all.zip`, on disk or over HTTP.
internal interface ISourceTree
{
    string Location { get; }
    /// The lines of `ecosystems.txt`, or null when the tree has none.
    Task<IReadOnlyList<string>?> ReadEcosystemsAsync(CancellationToken ct);
    Task<FetchResult> FetchAsync(string ecosystem, ZipFingerprint? previous, string downloadDirectory, CancellationToken ct);
}

internal static class SourceTrees
{
    public static bool IsHttp(string location) =>
        location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static ISourceTree Open(string location, HttpClient http, IReadOnlyList<TimeSpan> retryDelays) =>
        IsHttp(location) ? new HttpSourceTree(location, http, retryDelays) : new DirectorySourceTree(location);

    public static IReadOnlyList<string> ParseEcosystems(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false));
    }
}

/// A mirror on disk. A zip is unchanged when its size and mtime match, or failing that its SHA-256.
internal sealed class DirectorySourceTree(string root) : ISourceTree
{
    public string Location { get; } = Path.GetFullPath(root);

    public async Task<IReadOnlyList<string>?> ReadEcosystemsAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Location))
            throw new InputException($"Cannot read the OSV source {Location}: no such directory. Pass --source with a directory holding <Ecosystem>/all.zip, or an http(s) URL.");
        var list = Path.Combine(Location, "ecosystems.txt");
        return File.Exists(list) ? SourceTrees.ParseEcosystems(await File.ReadAllTextAsync(list, ct).ConfigureAwait(false)) : null;
    }

    public async Task<FetchResult> FetchAsync(string ecosystem, ZipFingerprint? previous, string downloadDirectory, CancellationToken ct)
    {
        var path = Path.Combine(Location, ecosystem, "all.zip");
        var info = new FileInfo(path);
        if (!info.Exists) return new FetchResult.NotFound();
        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"size={info.Length};mtime={info.LastWriteTimeUtc.Ticks}");
        if (previous is not null && previous.Fingerprint == fingerprint) return new FetchResult.Unchanged();
        var sha = await SourceTrees.Sha256Async(path, ct).ConfigureAwait(false);
        if (previous is not null && previous.Sha256 == sha) return new FetchResult.Unchanged();
        return new FetchResult.Changed(path, new ZipFingerprint(fingerprint, sha));
    }
}

/// A mirror over HTTP: conditional GETs (ETag, Last-Modified), streamed to disk, retried with backoff, digest-checked.
internal sealed class HttpSourceTree(string root, HttpClient http, IReadOnlyList<TimeSpan> retryDelays) : ISourceTree
{
    public string Location { get; } = root.TrimEnd('/');

    public async Task<IReadOnlyList<string>?> ReadEcosystemsAsync(CancellationToken ct)
    {
        var url = new Uri(Location + "/ecosystems.txt");
        using var response = await SendAsync(url, null, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return SourceTrees.ParseEcosystems(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    public async Task<FetchResult> FetchAsync(string ecosystem, ZipFingerprint? previous, string downloadDirectory, CancellationToken ct)
    {
        var url = new Uri(Location + "/" + Uri.EscapeDataString(ecosystem) + "/all.zip");
        using var response = await SendAsync(url, previous, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified) return new FetchResult.Unchanged();
        if (response.StatusCode == HttpStatusCode.NotFound) return new FetchResult.NotFound();

        Directory.CreateDirectory(downloadDirectory);
        var path = Path.Combine(downloadDirectory, Uri.EscapeDataString(ecosystem) + ".zip");
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long length = 0;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (body.ConfigureAwait(false))
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    sha256.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    length += read;
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new InputException($"Download of {url} was cut off after {length} bytes: {e.Message} Check the network and run 'bulwark db update' again.", e);
        }
        if (response.Content.Headers.ContentLength is { } expected && expected != length)
            throw new InputException($"Download of {url} is truncated: got {length} of {expected} bytes. Run 'bulwark db update' again.");
        var md5Hex = Convert.ToBase64String(md5.GetHashAndReset());
        var advertised = AdvertisedMd5(response);
        if (advertised is not null && advertised != md5Hex)
            throw new InputException($"Download of {url} does not match its advertised MD5 ({advertised}, got {md5Hex}). Run 'bulwark db update' again; if it persists the mirror is corrupt.");
        var fingerprint = $"etag={response.Headers.ETag?.ToString()};last-modified={response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture)}";
        var sha = Convert.ToHexStringLower(sha256.GetHashAndReset());
        // a server without validators (or one that changed them) may still send the same bytes
        if (previous is not null && previous.Sha256 == sha) return new FetchResult.Unchanged();
        return new FetchResult.Changed(path, new ZipFingerprint(fingerprint, sha));
    }

    // Google Cloud Storage sends "x-goog-hash: crc32c=…,md5=…"; other servers may send Content-MD5
    private static string? AdvertisedMd5(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentMD5 is { } contentMd5) return Convert.ToBase64String(contentMd5);
        if (!response.Headers.TryGetValues("x-goog-hash", out var values)) return null;
        foreach (var part in values.SelectMany(v => v.Split(',')))
        {
            var trimmed = part.Trim();
            if (trimmed.StartsWith("md5=", StringComparison.Ordinal)) return trimmed[4..];
        }
        return null;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, ZipFingerprint? previous, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (previous is not null) AddConditions(request, previous.Fingerprint);
            string failure;
            try
            {
                var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode || response.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.NotFound) return response;
                failure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                var retryable = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                response.Dispose();
                if (!retryable) throw new InputException($"Cannot download {url}: {failure}. Check --source.");
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = "timed out: " + e.Message;
            }
            if (attempt >= retryDelays.Count)
                throw new InputException($"Cannot download {url}: {failure} (tried {attempt + 1} times). Check the network or --source and run 'bulwark db update' again.");
            await Task.Delay(retryDelays[attempt], ct).ConfigureAwait(false);
        }
    }

    private static void AddConditions(HttpRequestMessage request, string fingerprint)
    {
        foreach (var part in fingerprint.Split(';'))
        {
            if (part.StartsWith("etag=", StringComparison.Ordinal) && part.Length > 5 && EntityTagHeaderValue.TryParse(part[5..], out var tag))
                request.Headers.IfNoneMatch.Add(tag);
            else if (part.StartsWith("last-modified=", StringComparison.Ordinal) && part.Length > 14 &&
                     DateTimeOffset.TryParse(part[14..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                request.Headers.IfModifiedSince = since;
        }
    }
}
