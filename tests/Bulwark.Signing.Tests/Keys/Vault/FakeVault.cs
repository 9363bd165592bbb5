// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bulwark.Signing.Tests.Keys.Vault;

/// A stand-in for a Vault server on 127.0.0.1 with the transit engine mounted at `transit/`, implementing the two
/// endpoints Bulwark calls as Vault's API documents them: read key (GET /v1/transit/keys/:name) and sign data
/// (POST /v1/transit/sign/:name[/:hash_algorithm]). Its ECDSA keys never leave it; only public keys are served.
/// Vault is not packaged in Debian, hence this server.
public sealed class FakeVault : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, List<ECDsa>> _keys = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private readonly Lock _lock = new();

    public FakeVault(string token = "s.test-token")
    {
        Token = token;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Address = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Address { get; }
    public string Token { get; }

    /// When set, sign answers with a signature by this key instead (a misbehaving server).
    public ECDsa? SignWith { get; set; }

    /// When set, every request is answered with a 307 redirect there (as a standby node might).
    public string? RedirectTo { get; set; }

    /// Every request body received by the sign endpoint, with its path.
    public List<(string Path, JsonObject Body, string? TokenHeader)> SignRequests { get; } = [];

    /// Creates a key (type ecdsa-p256), or a new version of it (like POST /v1/transit/keys/:name/rotate); returns its public key PEM.
    public string CreateKey(string name)
    {
        lock (_lock)
        {
            if (!_keys.TryGetValue(name, out var versions)) _keys[name] = versions = [];
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            versions.Add(key);
            return key.ExportSubjectPublicKeyInfoPem() + "\n";
        }
    }

    /// The environment a client needs.
    public Dictionary<string, string> Environment(string? token = null) => new()
    {
        ["VAULT_ADDR"] = Address,
        ["VAULT_TOKEN"] = token ?? Token,
    };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                if (RedirectTo is { } target)
                {
                    context.Response.StatusCode = 307;
                    context.Response.RedirectLocation = target + context.Request.Url!.AbsolutePath;
                    context.Response.Close();
                    continue;
                }
                var (status, body) = Handle(context.Request);
                var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // the client went away
            }
        }
    }

    private static JsonObject Errors(params string[] errors) => new() { ["errors"] = new JsonArray([.. errors.Select(e => JsonValue.Create(e))]) };

    private (int Status, JsonObject Body) Handle(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        var token = request.Headers["X-Vault-Token"];
        // Vault answers 403 "permission denied" for a missing or invalid token
        if (token != Token) return (403, Errors("permission denied"));
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        lock (_lock)
        {
            if (request.HttpMethod == "GET" && parts is ["v1", "transit", "keys", var name])
            {
                // reading a missing key is a 404 with an empty error list
                if (!_keys.TryGetValue(name, out var versions)) return (404, Errors());
                var keys = new JsonObject();
                for (var i = 0; i < versions.Count; i++)
                {
                    keys[(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
                    {
                        ["creation_time"] = "2026-01-01T00:00:00.000000000Z",
                        ["name"] = "P-256",
                        ["public_key"] = versions[i].ExportSubjectPublicKeyInfoPem() + "\n",
                    };
                }
                return (200, Wrap(new JsonObject
                {
                    ["allow_plaintext_backup"] = false, ["auto_rotate_period"] = 0, ["deletion_allowed"] = false, ["derived"] = false,
                    ["exportable"] = false, ["imported_key"] = false, ["keys"] = keys, ["latest_version"] = versions.Count,
                    ["min_available_version"] = 0, ["min_decryption_version"] = 1, ["min_encryption_version"] = 0, ["name"] = name,
                    ["supports_decryption"] = false, ["supports_derivation"] = false, ["supports_encryption"] = false,
                    ["supports_signing"] = true, ["type"] = "ecdsa-p256",
                }));
            }
            if (request.HttpMethod is "POST" or "PUT" && parts is ["v1", "transit", "sign", var signName, .. var rest] && rest.Length <= 1)
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var body = JsonNode.Parse(reader.ReadToEnd()) as JsonObject ?? [];
                SignRequests.Add((path, body, token));
                if (!_keys.TryGetValue(signName, out var versions)) return (400, Errors("signing key not found"));
                var hash = rest.Length == 1 ? rest[0] : body["hash_algorithm"]?.GetValue<string>() ?? "sha2-256";
                HashAlgorithmName algorithm;
                switch (hash)
                {
                    case "sha2-256": algorithm = HashAlgorithmName.SHA256; break;
                    case "sha2-384": algorithm = HashAlgorithmName.SHA384; break;
                    case "sha2-512": algorithm = HashAlgorithmName.SHA512; break;
                    default: return (400, Errors($"unsupported hash algorithm {hash}"));
                }
                byte[] input;
                try
                {
                    input = Convert.FromBase64String(body["input"]?.GetValue<string>() ?? "");
                }
                catch (FormatException)
                {
                    return (400, Errors("unable to decode input as base64"));
                }
                var version = body["key_version"]?.GetValue<int>() is int v and > 0 ? v : versions.Count;
                if (version > versions.Count) return (400, Errors("requested version for signing is greater than the latest key version"));
                var prehashed = body["prehashed"]?.GetValue<bool>() ?? false;
                var digest = prehashed ? input : algorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(input) : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(input) : SHA512.HashData(input);
                var marshaling = body["marshaling_algorithm"]?.GetValue<string>() ?? "asn1";
                var format = marshaling switch
                {
                    "asn1" => DSASignatureFormat.Rfc3279DerSequence,
                    "jws" => DSASignatureFormat.IeeeP1363FixedFieldConcatenation,
                    _ => (DSASignatureFormat?)null,
                };
                if (format is null) return (400, Errors($"unsupported marshaling algorithm {marshaling}"));
                var signer = SignWith ?? versions[version - 1];
                var signature = signer.SignHash(digest, format.Value);
                var encoded = marshaling == "jws" ? Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_') : Convert.ToBase64String(signature);
                return (200, Wrap(new JsonObject { ["key_version"] = version, ["signature"] = $"vault:v{version}:{encoded}" }));
            }
        }
        return (404, Errors());
    }

    private static JsonObject Wrap(JsonObject data) => new()
    {
        ["request_id"] = Guid.NewGuid().ToString(), ["lease_id"] = "", ["renewable"] = false, ["lease_duration"] = 0,
        ["data"] = data, ["wrap_info"] = null, ["warnings"] = null, ["auth"] = null,
    };

    public void Dispose()
    {
        // Close alone: Stop then Close makes the managed listener look the endpoint up again, binding the port anew
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends when the listener closes
        }
        foreach (var key in _keys.Values.SelectMany(k => k)) key.Dispose();
    }
}
