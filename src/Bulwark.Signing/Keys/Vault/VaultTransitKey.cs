// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Core;

namespace Bulwark.Signing.Keys.Vault;

/// A HashiCorp Vault transit key (`hashivault://NAME`): Vault signs, the private key never leaves it.
/// <remarks>
/// Vault's transit HTTP API, as Cosign's hashivault provider uses it:
///   GET  $VAULT_ADDR/v1/{mount}/keys/NAME               → data.type, data.latest_version, data.keys["N"].public_key (PEM)
///   POST $VAULT_ADDR/v1/{mount}/sign/NAME/sha2-256      {"input": base64(digest), "prehashed": true, "key_version": N,
///                                                        "marshaling_algorithm": "asn1"[, "signature_algorithm": "pkcs1v15"]}
///                                                       → data.signature = "vault:vN:" + base64(signature)
/// with the token in the X-Vault-Token header (and VAULT_NAMESPACE, when set, in X-Vault-Namespace). The mount is
/// `transit` unless TRANSIT_SECRET_ENGINE_PATH says otherwise (Cosign's variable). Every signature is checked against the
/// public key before it is returned, so a misbehaving server cannot hand out a signature that does not verify.
/// </remarks>
public sealed class VaultTransitKey : SigningKey
{
    public const string AddressVariable = "VAULT_ADDR", TokenVariable = "VAULT_TOKEN", NamespaceVariable = "VAULT_NAMESPACE",
        MountVariable = "TRANSIT_SECRET_ENGINE_PATH";

    /// Responses are small JSON documents; a larger body is refused rather than read without bound.
    private const int MaxResponseBytes = 1 << 20;

    private readonly HttpClient _client;
    private readonly Uri _address;
    private readonly string _mount, _name;
    private readonly int _version;
    private readonly VerificationKey _public;

    private VaultTransitKey(HttpClient client, Uri address, string mount, string name, int version, VerificationKey publicKey)
    {
        _client = client;
        _address = address;
        _mount = mount;
        _name = name;
        _version = version;
        _public = publicKey;
    }

    /// The reference as the user wrote it.
    public string Reference => "hashivault://" + _name;

    /// The key version Vault signs with (the latest when the key was opened).
    public int Version => _version;

    /// Opens a transit key: reads its latest public key. An <see cref="InputException"/> says what Vault answered.
    public static VaultTransitKey Open(string name, Func<string, string?> environment, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reference = "hashivault://" + name;
        var addressText = environment(AddressVariable);
        if (string.IsNullOrWhiteSpace(addressText))
            throw new InputException($"Cannot use {reference}: {AddressVariable} is not set. Set it to the Vault server, e.g. https://vault.example.com:8200.");
        if (!Uri.TryCreate(addressText.TrimEnd('/') + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new InputException($"Cannot use {reference}: {AddressVariable}='{addressText}' is not an http(s) URL.");
        var token = environment(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
            throw new InputException($"Cannot use {reference}: {TokenVariable} is not set. Set it to a Vault token allowed to read {DefaultMount}/keys/{name} and update {DefaultMount}/sign/{name}.");
        var mount = (environment(MountVariable) is { Length: > 0 } m ? m : DefaultMount).Trim('/');
        if (!IsPathSafe(mount, allowSlash: true))
            throw new InputException($"Cannot use {reference}: {MountVariable}='{mount}' is not a Vault mount path.");
        // no automatic redirects: the token travels in a header that a redirect to another host would carry along
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        try
        {
            client.DefaultRequestHeaders.Add("X-Vault-Token", token);
            if (environment(NamespaceVariable) is { Length: > 0 } ns) client.DefaultRequestHeaders.Add("X-Vault-Namespace", ns);
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var data = Call(client, address, reference, HttpMethod.Get, $"v1/{mount}/keys/{Uri.EscapeDataString(name)}", null);
            var type = Text(data, "type");
            if (type is not ("ecdsa-p256" or "ecdsa-p384" or "ecdsa-p521" or "rsa-2048" or "rsa-3072" or "rsa-4096"))
                throw new InputException($"Cannot sign with {reference}: Vault key type '{type ?? "(none)"}' does not sign digests (ecdsa-p256/p384/p521 and rsa-2048/3072/4096 do).");
            var version = data["latest_version"] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0
                ? n : throw Malformed(reference, address, "data.latest_version");
            var pem = data["keys"]?[version.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["public_key"] is JsonValue p && p.TryGetValue<string>(out var s)
                ? s : throw Malformed(reference, address, $"data.keys.{version}.public_key");
            var publicKey = VerificationKey.FromPem(pem, $"{reference} (version {version})");
            return new VaultTransitKey(client, address, mount, name, version, publicKey);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private const string DefaultMount = "transit";

    /// Key names become one URL path segment: letters, digits, '-', '_' and '.', as Vault names keys.
    public static bool IsValidName(string name) => IsPathSafe(name, allowSlash: false);

    private static bool IsPathSafe(string text, bool allowSlash) =>
        text.Length is > 0 and <= 256 && text is not ("." or "..") &&
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' || (allowSlash && c == '/')) &&
        !text.Split('/').Any(part => part is "" or "." or "..");

    public override VerificationKey PublicKey => _public;

    public override byte[] SignDigest(ReadOnlySpan<byte> digest, HashAlgorithmName algorithm)
    {
        var hash = algorithm.Name switch
        {
            "SHA256" => "sha2-256",
            "SHA384" => "sha2-384",
            "SHA512" => "sha2-512",
            _ => throw new NotSupportedException($"Vault transit signing with {algorithm.Name} is not supported."),
        };
        var body = new JsonObject
        {
            ["input"] = Convert.ToBase64String(digest),
            ["prehashed"] = true,
            ["key_version"] = _version,
            ["marshaling_algorithm"] = "asn1",
        };
        // Vault's RSA default is PSS; Cosign-compatible RSA signatures are PKCS#1 v1.5
        if (_public.Algorithm == KeyAlgorithm.Rsa) body["signature_algorithm"] = "pkcs1v15";
        var data = Call(_client, _address, Reference, HttpMethod.Post, $"v1/{_mount}/sign/{Uri.EscapeDataString(_name)}/{hash}", body);
        var text = Text(data, "signature") ?? throw Malformed(Reference, _address, "data.signature");
        var prefix = $"vault:v{_version}:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
            throw new InputException($"Vault at {_address} signed {Reference} with another key version than {_version} ('{Shorten(text)}'): the signature would not match the public key read.");
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(text[prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new InputException($"Vault at {_address} returned a signature for {Reference} that is not base64.", e);
        }
        if (!_public.VerifyDigest(digest, algorithm, signature))
            throw new InputException($"Vault at {_address} returned a signature for {Reference} that does not verify with its public key (version {_version}); nothing was signed.");
        return signature;
    }

    private static JsonNode Call(HttpClient client, Uri address, string reference, HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            throw new InputException($"Cannot reach Vault at {address} for {reference}: {e.Message} Check {AddressVariable}.", e);
        }
        catch (TaskCanceledException e)
        {
            throw new InputException($"Vault at {address} did not answer for {reference} within {client.Timeout.TotalSeconds:0} s.", e);
        }
        using (response)
        {
            var (json, text) = ReadBody(response, address, reference);
            if (response.IsSuccessStatusCode)
                return json?["data"] as JsonObject ?? throw Malformed(reference, address, "data");
            if ((int)response.StatusCode is >= 300 and < 400)
                throw new InputException($"Vault at {address} redirected {method} /{path} for {reference} to {response.Headers.Location}: " +
                                         $"set {AddressVariable} to the address that answers (redirects are not followed, so the token is not sent elsewhere).");
            var errors = json?["errors"] is JsonArray list ? string.Join("; ", list.Select(e => e?.ToString() ?? "")) : Shorten(text);
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
            throw response.StatusCode switch
            {
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new InputException(
                    $"Vault at {address} refused {method} /{path} for {reference} ({status}: {errors}). Check {TokenVariable}: the token must be valid and its policy must allow it."),
                HttpStatusCode.NotFound => new InputException(
                    $"Vault at {address} has no transit key for {reference} ({status}{(errors.Length > 0 ? ": " + errors : "")} on /{path}). Check the key name and the transit mount."),
                _ => new InputException($"Vault at {address} failed {method} /{path} for {reference} ({status}: {errors})."),
            };
        }
    }

    private static (JsonNode? Json, string Text) ReadBody(HttpResponseMessage response, Uri address, string reference)
    {
        using var stream = response.Content.ReadAsStream();
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
        if (total > MaxResponseBytes) throw new InputException($"Vault at {address} sent more than {MaxResponseBytes >> 20} MiB for {reference}; refusing it.");
        var text = Encoding.UTF8.GetString(buffer, 0, total);
        try
        {
            return (total == 0 ? null : JsonNode.Parse(text), text);
        }
        catch (JsonException)
        {
            if (response.IsSuccessStatusCode) throw new InputException($"Vault at {address} answered {reference} with something that is not JSON: '{Shorten(text)}'.");
            return (null, text);
        }
    }

    private static string? Text(JsonNode data, string name) => data[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static InputException Malformed(string reference, Uri address, string field) =>
        new($"Vault at {address} answered {reference} without {field}: is {AddressVariable} a Vault server with the transit engine?");

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
            _public.Dispose();
        }
        base.Dispose(disposing);
    }
}
