// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

using Bulwark.Testing;

namespace Bulwark.Oci.Tests.Registry;

/// A distribution token server on 127.0.0.1 for tests: it grants the scopes it is asked for to one user (Basic
/// credentials on the token request), nothing to anonymous callers, and 401 to a wrong password. Tokens are ES256
/// JWTs whose header carries the signing certificate as x5c; that certificate is the registry's rootcertbundle.
public sealed class TokenServer : IDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-issuer";

    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly string _user;
    private readonly string _password;
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public int Port { get; }
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// Query strings of the token requests received, in order ("service=…&scope=…").
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    public TokenServer(string user, string password)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest("CN=bulwark test token issuer", _key, HashAlgorithmName.SHA256);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        Port = LocalRegistry.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// The PEM the registry trusts (auth.token.rootcertbundle).
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// The YAML under "auth:" for a registry that trusts this server; {dir} is the registry's directory.
    public string RegistryAuthSection => $"""
          token:
            realm: {Realm}
            service: {Service}
            issuer: {Issuer}
            rootcertbundle: {"{dir}"}/token-root.pem

        """;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return; // stopped
            }
            catch (ObjectDisposedException)
            {
                return; // stopped
            }
            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        var query = context.Request.Url!.Query.TrimStart('?');
        lock (_requests) _requests.Add(Uri.UnescapeDataString(query));
        var user = ReadBasic(context.Request.Headers["Authorization"]);
        if (user is { } u && (u.Name != _user || u.Password != _password))
        {
            response.StatusCode = 401;
            return;
        }
        var scopes = context.Request.QueryString.GetValues("scope") ?? [];
        var access = user is null ? [] : scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var token = Sign(user?.Name ?? "", access);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { token, expires_in = 300 }));
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    private static (string Name, string Password)? ReadBasic(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return (decoded[..colon], decoded[(colon + 1)..]);
    }

    private string Sign(string subject, object access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new
        {
            iss = Issuer, sub = subject, aud = Service, exp = now + 300, nbf = now - 10, iat = now,
            jti = Guid.NewGuid().ToString("N"), access,
        };
        var signingInput = B64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        // JWS ES256 signatures are R||S (IEEE P1363), which is .NET's default format
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + B64Url(signature);
    }

    private static string B64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _certificate.Dispose();
        _key.Dispose();
    }
}
