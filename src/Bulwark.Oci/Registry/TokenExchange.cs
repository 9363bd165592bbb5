// SPDX-License-Identifier: Apache-2.0
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Oci.Registry;

/// Answers registry challenges: remembers each registry's challenge, fetches bearer tokens from its realm
/// (distribution token spec: GET with service and scope, or the OAuth2 POST when only an identity token is known)
/// and caches them per (registry, scopes) until shortly before they expire.
internal sealed class TokenExchange(HttpClient http, ICredentialSource credentials, RegistryClientOptions options)
{
    private const string ClientId = "bulwark";
    private readonly bool _insecure = options.Insecure;
    private readonly TimeProvider _time = options.Time;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<RegistryCredentials?>> _credentials = new(StringComparer.Ordinal);

    /// The credentials for a registry, asked for once per client (a credential helper is a process start, bounded by
    /// its own timeout; one caller's cancellation must not poison the shared answer).
    public Task<RegistryCredentials?> CredentialsAsync(string registry, CancellationToken ct) =>
        _credentials.GetOrAdd(registry, r => credentials.GetAsync(r, CancellationToken.None)).WaitAsync(ct);

    public void Remember(string registry, AuthChallenge challenge) => _challenges[registry] = challenge;

    /// Drops the cached token for these scopes (the registry rejected it).
    public void Forget(string registry, IReadOnlyList<string> scopes) => _tokens.TryRemove(Key(registry, scopes), out _);

    /// The Authorization header for a request needing <paramref name="scopes"/>, or null when the registry has not
    /// challenged (anonymous so far).
    public async Task<AuthenticationHeaderValue?> HeaderAsync(string registry, IReadOnlyList<string> scopes, string what, CancellationToken ct)
    {
        if (!_challenges.TryGetValue(registry, out var challenge)) return null;
        if (challenge.IsBasic)
        {
            var c = await CredentialsAsync(registry, ct).ConfigureAwait(false);
            if (c is not { Username: { } user, Password: { } pass }) return null;
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + pass)));
        }
        if (!challenge.IsBearer) return null;
        var key = Key(registry, scopes);
        if (_tokens.TryGetValue(key, out var cached) && cached.Expires > _time.GetUtcNow())
            return new AuthenticationHeaderValue("Bearer", cached.Token);
        var (token, expires) = await FetchAsync(registry, challenge, scopes, what, ct).ConfigureAwait(false);
        _tokens[key] = (token, expires);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private static string Key(string registry, IReadOnlyList<string> scopes) =>
        registry + " " + string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private async Task<(string Token, DateTimeOffset Expires)> FetchAsync(string registry, AuthChallenge challenge,
        IReadOnlyList<string> scopes, string what, CancellationToken ct)
    {
        if (challenge.Realm is not { Length: > 0 } realmText || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm)
            || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
            throw new RegistryException(RegistryFailure.Protocol, $"Registry {registry} asked for a bearer token without a usable realm ('{challenge.Realm}').");
        if (realm.Scheme == Uri.UriSchemeHttp && !_insecure)
            throw new RegistryException(RegistryFailure.Protocol,
                $"Registry {registry} sends clients to the plain-HTTP token server {realm}; refusing to send credentials there. Use --insecure only for a local test registry.");

        var creds = await CredentialsAsync(registry, ct).ConfigureAwait(false);
        HttpRequestMessage Build()
        {
            if (creds is { IdentityToken: { Length: > 0 } refresh })
            {
                // OAuth2 refresh-token grant, as `docker login` identity tokens require
                var form = new List<KeyValuePair<string, string>>
                {
                    new("grant_type", "refresh_token"), new("refresh_token", refresh), new("client_id", ClientId),
                    new("scope", string.Join(' ', scopes)),
                };
                if (challenge.Service is { } svc) form.Add(new("service", svc));
                return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
            }
            var query = new StringBuilder();
            if (challenge.Service is { } service) query.Append("service=").Append(Uri.EscapeDataString(service));
            foreach (var scope in scopes) query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
            // with credentials, ask for a refresh token too (distribution token spec "offline_token")
            if (creds is { Username: not null, Password: not null })
                query.Append(query.Length > 0 ? "&" : "").Append("offline_token=true&client_id=").Append(ClientId);
            var builder = new UriBuilder(realm);
            builder.Query = string.IsNullOrEmpty(builder.Query) ? query.ToString() : builder.Query.TrimStart('?') + "&" + query;
            var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            if (creds is { Username: { } u, Password: { } p })
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(u + ":" + p)));
            return request;
        }

        var server = realm.GetLeftPart(UriPartial.Path);
        for (var attempt = 1; ; attempt++)
        {
            using var request = Build();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (attempt < options.MaxAttempts)
                {
                    await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1), _time, ct).ConfigureAwait(false);
                    continue;
                }
                throw new RegistryException(RegistryFailure.Unavailable, $"Cannot reach the token server {server} for {registry}: {e.Message}", null, null, e);
            }
            using (response)
            {
                if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < options.MaxAttempts)
                {
                    await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1), _time, ct).ConfigureAwait(false);
                    continue;
                }
                var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new RegistryException(
                        response.StatusCode == HttpStatusCode.Unauthorized ? RegistryFailure.AuthenticationRequired : RegistryFailure.AccessDenied,
                        $"Authentication {(response.StatusCode == HttpStatusCode.Unauthorized ? "required" : "denied")} for {what}: the token server refused " +
                        $"{(creds is null ? "anonymous access" : "the stored credentials")}. Run 'docker login {registry}' or set credentials.",
                        response.StatusCode, RegistryException.ParseErrors(body));
                if (!response.IsSuccessStatusCode)
                    throw new RegistryException(RegistryFailure.Unavailable,
                        $"The token server {server} for {registry} answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                        response.StatusCode, RegistryException.ParseErrors(body));
                return ReadToken(body, registry);
            }
        }
    }

    private (string, DateTimeOffset) ReadToken(byte[] body, string registry)
    {
        try
        {
            using var doc = JsonText.ParseReadable(body);
            var root = doc.RootElement;
            string? Str(string n) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var token = Str("token") is { Length: > 0 } t ? t : Str("access_token");
            if (string.IsNullOrEmpty(token))
                throw new RegistryException(RegistryFailure.Protocol, $"The token server for {registry} answered without a token.");
            // distribution token spec: expires_in defaults to 60 s; renew 10 s early so a request never carries a dying token
            var seconds = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var s) && s > 0 ? s : 60;
            return (token, _time.GetUtcNow().AddSeconds(Math.Max(1, seconds - 10)));
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryFailure.Protocol, $"The token server for {registry} answered with something that is not JSON.", null, null, ex);
        }
    }
}
