// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core;
using HashAlgorithm = Bulwark.Core.HashAlgorithm;

namespace Bulwark.Oci.Registry;

/// A manifest as the registry served it: the exact bytes (digests are over these), its media type and its digest,
/// checked against Docker-Content-Digest and against the digest the reference pinned.
public sealed record RegistryManifest(ReadOnlyMemory<byte> Bytes, string MediaType, Digest Digest);

/// What a HEAD on a manifest tells: its digest (Docker-Content-Digest), media type and size, when the registry sends them.
public sealed record ManifestHead(Digest? Digest, string? MediaType, long? Size);

/// An OCI distribution-spec client (pull and push) over HttpClient: anonymous, Basic and bearer-token auth, retries
/// with backoff for idempotent requests, redirects to blob storage without leaking credentials, and every byte it
/// returns checked against the digest it was asked for.
public sealed partial class RegistryClient : IDisposable
{
    /// Manifests larger than this are refused (the distribution spec lets registries cap them at 4 MiB).
    public const int MaxManifestBytes = 4 * 1024 * 1024;
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxRedirects = 10;
    private const int MaxPages = 10_000;

    /// What GetManifestAsync accepts unless told otherwise: OCI and Docker v2 manifests and indexes.
    public static IReadOnlyList<string> DefaultManifestMediaTypes { get; } =
        [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly TokenExchange _tokens;

    public RegistryClient(RegistryClientOptions? options = null)
    {
        _options = options ?? new RegistryClientOptions();
        var handler = _options.Handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // redirects are followed here, so Authorization never reaches another host
            AutomaticDecompression = DecompressionMethods.None, // digests are over the bytes as stored
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler, disposeHandler: _options.Handler is null)
        {
            Timeout = _options.RequestTimeout,
            // bodies read whole (manifests, tag lists, tokens, errors) stay small; blobs are streamed and not affected
            MaxResponseContentBufferSize = 4 * MaxManifestBytes,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _tokens = new TokenExchange(_http, _options.Credentials ?? DockerConfig.FromEnvironment(), _options);
    }

    public void Dispose() => _http.Dispose();

    // ---------------------------------------------------------------------------------------------- pull

    /// Fetches a manifest or index by tag or digest (the digest wins when the reference has both).
    public async Task<RegistryManifest> GetManifestAsync(ImageReference reference, IReadOnlyList<string>? acceptedMediaTypes = null,
        CancellationToken ct = default)
    {
        var call = ManifestCall(HttpMethod.Get, reference, acceptedMediaTypes);
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        var bytes = await ReadBoundedAsync(response, MaxManifestBytes, call.What, ct).ConfigureAwait(false);
        var mediaType = ContentMediaType(response) ?? MediaTypeInJson(bytes)
            ?? throw new RegistryException(RegistryFailure.Protocol, $"The registry served {call.What} without a media type (no Content-Type, no mediaType field).");

        var algorithm = reference.Digest?.Algorithm
            ?? (HeaderDigest(response) is { } h && OciDigests.IsSupported(h.Algorithm) ? h.Algorithm : HashAlgorithm.Sha256);
        var digest = OciDigests.Compute(bytes, algorithm, call.What);
        if (HeaderDigest(response) is { } announced && announced != OciDigests.Compute(bytes, announced.Algorithm, call.What))
            throw new RegistryException(RegistryFailure.DigestMismatch,
                $"The registry served {call.What} with content that does not match its Docker-Content-Digest {announced} (content is {OciDigests.Compute(bytes, announced.Algorithm, call.What)}). Do not trust this registry's answer.");
        if (reference.Digest is { } pinned && pinned != digest)
            throw new RegistryException(RegistryFailure.DigestMismatch,
                $"The registry served {call.What} with content whose digest is {digest}, not the {pinned} asked for. Do not trust this registry's answer.");
        return new RegistryManifest(bytes, mediaType, digest);
    }

    /// Asks for a manifest's digest, media type and size without downloading it; null when the registry does not have it.
    public async Task<ManifestHead?> HeadManifestAsync(ImageReference reference, IReadOnlyList<string>? acceptedMediaTypes = null,
        CancellationToken ct = default)
    {
        var call = ManifestCall(HttpMethod.Head, reference, acceptedMediaTypes);
        using var response = await SendAsync(call, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
        var digest = HeaderDigest(response);
        if (reference.Digest is { } pinned && digest is { } d && d.Algorithm == pinned.Algorithm && d != pinned)
            throw new RegistryException(RegistryFailure.DigestMismatch, $"The registry answered for {call.What} with digest {d}, not the {pinned} asked for.");
        return new ManifestHead(digest ?? reference.Digest, ContentMediaType(response), response.Content.Headers.ContentLength);
    }

    /// Opens a blob for reading. The stream follows redirects to blob storage and throws, naming the blob, when the
    /// content is longer or shorter than <paramref name="expectedSize"/> or does not hash to <paramref name="digest"/>.
    public async Task<Stream> GetBlobAsync(string registry, string repository, Digest digest, long? expectedSize, CancellationToken ct = default)
    {
        var name = $"{registry}/{repository}@{digest}";
        var call = new Call(HttpMethod.Get, Url(registry, $"/v2/{Repo(repository)}/blobs/{digest}"), registry, Pull(repository), $"blob {name}")
        {
            Idempotent = true,
            FollowRedirects = true,
            Completion = HttpCompletionOption.ResponseHeadersRead,
        };
        var response = await SendAsync(call, ct).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
            if (expectedSize is { } size && response.Content.Headers.ContentLength is { } length && length != size)
                throw new RegistryException(RegistryFailure.DigestMismatch,
                    $"Blob {name} is {length} bytes on the registry, but its manifest gives {size}. The registry served different content.", response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return new DigestVerifyingStream(stream, digest, expectedSize, name, owner: response) { ReadIdleTimeout = _options.ReadIdleTimeout };
        }
        catch
        {
            response.Dispose(); // the stream owns the response only once it exists
            throw;
        }
    }

    /// Lists a repository's tags, following Link pagination (distribution spec "Listing Tags").
    public async Task<IReadOnlyList<string>> ListTagsAsync(string registry, string repository, int? pageSize = null, CancellationToken ct = default)
    {
        var tags = new List<string>();
        var next = Url(registry, $"/v2/{Repo(repository)}/tags/list", pageSize is { } n ? $"n={n}" : null);
        var seen = new HashSet<Uri>();
        for (var page = 0; next is not null; page++)
        {
            if (page >= MaxPages || !seen.Add(next))
                throw new RegistryException(RegistryFailure.Protocol, $"The tag list of {registry}/{repository} does not end (page {page}, {next}); the registry's Link headers loop.");
            var call = new Call(HttpMethod.Get, next, registry, Pull(repository), $"tags of {registry}/{repository}") { Idempotent = true };
            using var response = await SendAsync(call, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response, MaxManifestBytes, call.What, ct).ConfigureAwait(false);
            using (var doc = ParseJson(body, call.What))
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("tags", out var list)
                    && list.ValueKind == JsonValueKind.Array)
                    tags.AddRange(list.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            }
            next = NextLink(response, next);
        }
        return tags;
    }

    /// The artifacts that name <paramref name="subject"/> as their subject, optionally only one artifact type: the
    /// referrers API, or the referrers tag schema (tag <c>sha256-&lt;hex&gt;</c>) when the registry has no such API.
    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(string registry, string repository, Digest subject,
        string? artifactType = null, CancellationToken ct = default)
    {
        var result = new List<Descriptor>();
        var next = Url(registry, $"/v2/{Repo(repository)}/referrers/{subject}",
            artifactType is null ? null : "artifactType=" + Uri.EscapeDataString(artifactType));
        var seen = new HashSet<Uri>();
        var filtered = true;
        for (var page = 0; next is not null; page++)
        {
            if (page >= MaxPages || !seen.Add(next))
                throw new RegistryException(RegistryFailure.Protocol, $"The referrers list of {registry}/{repository}@{subject} does not end; the registry's Link headers loop.");
            var call = new Call(HttpMethod.Get, next, registry, Pull(repository), $"referrers of {registry}/{repository}@{subject}")
            {
                Idempotent = true,
                Accept = [MediaTypes.OciIndex],
            };
            using var response = await SendAsync(call, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && page == 0)
                return await ReferrersFromTagAsync(registry, repository, subject, artifactType, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, call, ct).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response, MaxManifestBytes, call.What, ct).ConfigureAwait(false);
            result.AddRange(ReadIndexEntries(body, call.What));
            // a registry that ignored the filter says so by not sending OCI-Filters-Applied: artifactType
            filtered &= response.Headers.TryGetValues("OCI-Filters-Applied", out var applied)
                && applied.SelectMany(v => v.Split(',')).Any(v => v.Trim() == "artifactType");
            next = NextLink(response, next);
        }
        return artifactType is null || filtered ? result : result.Where(r => r.ArtifactType == artifactType).ToList();
    }

    private async Task<IReadOnlyList<Descriptor>> ReferrersFromTagAsync(string registry, string repository, Digest subject,
        string? artifactType, CancellationToken ct)
    {
        var tag = $"{subject.Prefix}-{subject.Hex}";
        RegistryManifest index;
        try
        {
            index = await GetManifestAsync(new ImageReference(registry, repository, tag, null), [MediaTypes.OciIndex], ct).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.NotFound)
        {
            return []; // no fallback tag: nothing refers to the subject (distribution spec "Referrers Tag Schema")
        }
        var entries = ReadIndexEntries(index.Bytes.Span, $"referrers tag {registry}/{repository}:{tag}");
        return artifactType is null ? entries : entries.Where(r => r.ArtifactType == artifactType).ToList();
    }

    // ---------------------------------------------------------------------------------------------- transport

    private sealed record Call(HttpMethod Method, Uri Uri, string Registry, IReadOnlyList<string> Scopes, string What)
    {
        /// Builds the body for one send; the argument counts resends (0 first). Null on a resend means "cannot resend".
        public Func<int, HttpContent?>? Content { get; init; }
        public IReadOnlyList<string> Accept { get; init; } = [];
        public bool Idempotent { get; init; }
        public bool FollowRedirects { get; init; }
        public HttpCompletionOption Completion { get; init; } = HttpCompletionOption.ResponseContentRead;
    }

    /// Sends with auth (one re-challenge per call on 401) and bounded retries for idempotent calls on 429, 5xx and
    /// dropped connections. The caller owns the response and decides what its status means.
    private async Task<HttpResponseMessage> SendAsync(Call call, CancellationToken ct)
    {
        var scopes = call.Scopes;
        var challenged = false;
        var attempt = 1;
        var sends = 0;
        while (true)
        {
            var auth = await _tokens.HeaderAsync(call.Registry, scopes, $"{call.Registry}/{RepositoryOf(scopes)}", ct).ConfigureAwait(false);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                response = await SendFollowingRedirectsAsync(call, auth, sends++, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw new RegistryException(RegistryFailure.Unavailable,
                    $"TLS with {call.Registry} failed for {call.What}: {e.Message}. " + (IsLocal(call.Registry)
                        ? "If this local registry serves plain HTTP, use --insecure."
                        : "Check the registry's certificate and your trusted CAs."), null, null, e);
            }
            catch (HttpRequestException e)
            {
                failure = e; // connection refused or reset
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = e; // no answer within RequestTimeout
            }
            if (response is null)
            {
                if (call.Idempotent && attempt < _options.MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt++, null), _options.Time, ct).ConfigureAwait(false);
                    continue;
                }
                var reason = failure is TaskCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : failure?.Message.TrimEnd('.');
                throw new RegistryException(RegistryFailure.Unavailable, $"Cannot reach {call.Registry} for {call.What}: {reason}.", null, null, failure);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !challenged
                && AuthChallenge.From(response.Headers.WwwAuthenticate) is { } challenge && (challenge.IsBearer || challenge.IsBasic))
            {
                challenged = true;
                _tokens.Remember(call.Registry, challenge);
                if (challenge.Scope is { Length: > 0 } asked)
                    scopes = [.. scopes.Union(asked.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)];
                _tokens.Forget(call.Registry, scopes);
                if (challenge.IsBasic && await _tokens.CredentialsAsync(call.Registry, ct).ConfigureAwait(false) is not { Username: not null, Password: not null })
                    return response; // nothing to answer a Basic challenge with
                response.Dispose();
                continue;
            }
            if (call.Idempotent && attempt < _options.MaxAttempts
                && (response.StatusCode == HttpStatusCode.TooManyRequests
                    || ((int)response.StatusCode >= 500 && response.StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported))))
            {
                var wait = Backoff(attempt++, response.Headers.RetryAfter);
                response.Dispose();
                await Task.Delay(wait, _options.Time, ct).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Call call, AuthenticationHeaderValue? auth, int resend, CancellationToken ct)
    {
        var uri = call.Uri;
        var method = call.Method;
        var origin = Url(call.Registry, "/");
        for (var hop = 0; ; hop++)
        {
            var request = new HttpRequestMessage(method, uri);
            if (hop == 0 && call.Content is { } content)
                request.Content = content(resend) ?? throw new RegistryException(RegistryFailure.Protocol,
                    $"The registry asked to resend {call.What}, but the content stream cannot be rewound. Pass a seekable stream.");
            // credentials go only to the registry itself, never to the storage host a blob redirect points at
            if (auth is not null && Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                request.Headers.Authorization = auth;
            foreach (var accept in call.Accept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            var response = await _http.SendAsync(request, call.Completion, ct).ConfigureAwait(false);
            if (!call.FollowRedirects || response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found
                    or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
                || response.Headers.Location is null)
                return response;
            var location = response.Headers.Location;
            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (hop + 1 >= MaxRedirects)
                throw new RegistryException(RegistryFailure.Protocol, $"Too many redirects for {call.What} (last to {next.GetLeftPart(UriPartial.Path)}).");
            if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
                throw new RegistryException(RegistryFailure.Protocol, $"The registry redirected {call.What} to a '{next.Scheme}:' address; only HTTP(S) is followed.");
            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !_options.Insecure)
                throw new RegistryException(RegistryFailure.Protocol,
                    $"The registry redirected {call.What} from HTTPS to {next.Scheme}://{next.Authority}; refusing the downgrade.");
            uri = next;
        }
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var max = TimeSpan.FromSeconds(30);
        if (retryAfter?.Delta is { } delta) return delta < max ? delta : max;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - _options.Time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait < max ? wait : max;
        }
        var backoff = _options.RetryDelay * Math.Pow(2, attempt - 1);
        return backoff < max ? backoff : max;
    }

    /// Turns a failed response into an exception whose message says what failed and what to do.
    private static async Task<RegistryException> ErrorAsync(HttpResponseMessage response, Call call, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(response, MaxErrorBodyBytes, call.What, ct).ConfigureAwait(false);
        }
        catch (RegistryException)
        {
            body = []; // an oversized error page: the status line alone has to do
        }
        var errors = RegistryException.ParseErrors(body);
        var said = errors.Count > 0 ? " (" + RegistryException.Describe(errors) + ")" : "";
        var repository = $"{call.Registry}/{RepositoryOf(call.Scopes)}";
        var status = response.StatusCode;
        return status switch
        {
            HttpStatusCode.Unauthorized => new RegistryException(RegistryFailure.AuthenticationRequired,
                $"Authentication required for {repository}{said}: run 'docker login {call.Registry}' or set credentials.", status, errors),
            HttpStatusCode.Forbidden => new RegistryException(RegistryFailure.AccessDenied,
                $"Authentication denied for {repository}{said}: the credentials may not {(call.Scopes.Any(s => s.EndsWith(",push", StringComparison.Ordinal)) ? "push to" : "pull from")} it. Run 'docker login {call.Registry}' or set credentials.", status, errors),
            HttpStatusCode.NotFound => new RegistryException(RegistryFailure.NotFound, $"Not found: {call.What}{said}.", status, errors),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new RegistryException(RegistryFailure.Unavailable,
                $"Registry {call.Registry} answered {(int)status} {response.ReasonPhrase} for {call.What}{said}{(call.Idempotent ? " after retrying" : "")}. Try again later.", status, errors),
            _ => new RegistryException(RegistryFailure.Protocol,
                $"Registry {call.Registry} answered {(int)status} {response.ReasonPhrase} for {call.What}{said}.", status, errors),
        };
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int max, string what, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } length && length > max)
            throw new RegistryException(RegistryFailure.Protocol, $"The registry's answer for {what} is {length} bytes, more than the {max} allowed.");
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > max)
                throw new RegistryException(RegistryFailure.Protocol, $"The registry's answer for {what} is more than the {max} bytes allowed.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    // ---------------------------------------------------------------------------------------------- names and URLs

    private Call ManifestCall(HttpMethod method, ImageReference reference, IReadOnlyList<string>? accepted)
    {
        var tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? "latest";
        return new Call(method, Url(reference.Registry, $"/v2/{Repo(reference.Repository)}/manifests/{Reference(tagOrDigest)}"),
            reference.Registry, Pull(reference.Repository), $"manifest {reference}")
        {
            Accept = accepted is { Count: > 0 } ? accepted : DefaultManifestMediaTypes,
            Idempotent = true,
            FollowRedirects = true,
        };
    }

    private Uri Url(string registry, string path, string? query = null)
    {
        // Docker Hub's API lives on registry-1.docker.io whatever name the reference uses
        var host = DockerConfig.CanonicalHost(registry) == "docker.io" ? "registry-1.docker.io" : registry;
        if (!HostPattern().IsMatch(host))
            throw new InputException($"'{registry}' is not a registry host (host[:port]).");
        var builder = new UriBuilder($"{(_options.Insecure ? "http" : "https")}://{host}{path}");
        if (query is not null) builder.Query = query;
        return builder.Uri;
    }

    private static Uri WithQuery(Uri location, string query)
    {
        var builder = new UriBuilder(location);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? query : builder.Query.TrimStart('?') + "&" + query;
        return builder.Uri;
    }

    private static Uri LocationOf(HttpResponseMessage response, Uri request, string what)
    {
        var location = response.Headers.Location
            ?? throw new RegistryException(RegistryFailure.Protocol, $"The registry answered the {what} without a Location header.");
        // Location may be relative to the request ("/v2/…/uploads/<id>?_state=…") or absolute (another host)
        var resolved = location.IsAbsoluteUri ? location : new Uri(request, location);
        if (resolved.Scheme != Uri.UriSchemeHttp && resolved.Scheme != Uri.UriSchemeHttps)
            throw new RegistryException(RegistryFailure.Protocol, $"The registry answered the {what} with an unusable Location '{location}'.");
        return resolved;
    }

    private static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var header in links)
            foreach (var part in header.Split(','))
            {
                var open = part.IndexOf('<');
                var close = part.IndexOf('>', open + 1);
                if (open < 0 || close < 0) continue;
                var parameters = part[(close + 1)..].Replace(" ", "", StringComparison.Ordinal);
                if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) && !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase)) continue;
                if (!Uri.TryCreate(part[(open + 1)..close], UriKind.RelativeOrAbsolute, out var target)) continue;
                var next = target.IsAbsoluteUri ? target : new Uri(current, target);
                // pagination stays on the registry: a Link elsewhere would carry our token to another host
                if (Uri.Compare(next, current, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0) return null;
                // the next page is the endpoint being listed with the Link's query (the distribution spec's next page
                // differs in its query only). The Link's own path is not followed: registries behind proxies answer
                // with theirs (Artifactory without its repository prefix, a Nexus connector with one), and a relative
                // "./v2/…" resolved against each page in turn made a longer path every time, a new URL per page that
                // no loop check caught (found by the oci.registry-response fuzz target)
                return new UriBuilder(current) { Query = next.Query.TrimStart('?') }.Uri;
            }
        return null;
    }

    private static string Repo(string repository) =>
        RepositoryPattern().IsMatch(repository) && repository.Length <= 255 ? repository
            : throw new InputException($"'{repository}' is not a repository name (lowercase path components such as 'library/debian').");

    private static string Reference(string tagOrDigest) =>
        TagPattern().IsMatch(tagOrDigest) || Digest.TryParse(tagOrDigest, out _) ? tagOrDigest
            : throw new InputException($"'{tagOrDigest}' is neither a tag nor a digest.");

    private static IReadOnlyList<string> Pull(string repository) => [$"repository:{Repo(repository)}:pull"];
    private static IReadOnlyList<string> Push(string repository) => [$"repository:{Repo(repository)}:pull,push"];

    private static string RepositoryOf(IReadOnlyList<string> scopes) =>
        scopes.Count > 0 && scopes[0].Split(':') is [_, var name, ..] ? name : "";

    private static bool IsLocal(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host is "localhost" or "::1" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && (IPAddress.IsLoopback(ip) || IsPrivate(ip)));
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168);
    }

    private static string? ContentMediaType(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { Length: > 0 } t && t != "application/json" && t != "text/plain" ? t : null;

    private static string? MediaTypeInJson(byte[] bytes)
    {
        try
        {
            using var doc = JsonText.ParseReadable(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Digest? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var d) ? d : null;

    private static JsonDocument ParseJson(byte[] body, string what)
    {
        try
        {
            // the registry's strings are read later, so text that is not text is refused here, as not JSON
            return JsonText.ParseReadable(body);
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryFailure.Protocol, $"The registry's answer for {what} is not JSON: {e.Message}", null, null, e);
        }
    }

    private static List<Descriptor> ReadIndexEntries(ReadOnlySpan<byte> body, string what)
    {
        using var doc = ParseJson(body.ToArray(), what);
        var result = new List<Descriptor>();
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("manifests", out var manifests)
            || manifests.ValueKind != JsonValueKind.Array)
            return result;
        foreach (var m in manifests.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object) continue;
            string? Str(string n) => m.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (!Digest.TryParse(Str("digest"), out var digest))
                throw new RegistryException(RegistryFailure.Protocol, $"The registry's answer for {what} lists an entry without a valid digest.");
            var size = m.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sz) ? sz : 0;
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (m.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
                foreach (var p in a.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) annotations[p.Name] = p.Value.GetString()!;
            result.Add(new Descriptor(Str("mediaType") ?? "", digest, size) { ArtifactType = Str("artifactType"), Annotations = annotations });
        }
        return result;
    }

    // distribution spec: <name> and <reference> grammars; host[:port] with an optional [IPv6]
    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?|\\[[0-9a-fA-F:.]+\\])(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();

    /// Lets StreamContent read the caller's stream without closing it (the caller owns it).
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
