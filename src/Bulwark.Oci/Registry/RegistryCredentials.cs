// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Oci.Registry;

/// A user name and password, or an identity (refresh) token that a token server exchanges for access tokens.
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken = null)
{
    /// Keeps secrets out of logs and exception messages.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}

/// Where the client finds credentials for a registry host ("ghcr.io", "127.0.0.1:5000", "docker.io").
public interface ICredentialSource
{
    /// The credentials for <paramref name="registry"/>, or null to go anonymous.
    Task<RegistryCredentials?> GetAsync(string registry, CancellationToken ct);
}

/// Fixed credentials per registry host (tests, --username/--password, environment variables).
public sealed class StaticCredentials(IReadOnlyDictionary<string, RegistryCredentials> byRegistry) : ICredentialSource
{
    public static StaticCredentials None { get; } = new(new Dictionary<string, RegistryCredentials>());

    public Task<RegistryCredentials?> GetAsync(string registry, CancellationToken ct) =>
        Task.FromResult(byRegistry.TryGetValue(DockerConfig.CanonicalHost(registry), out var c) ? c
            : byRegistry.TryGetValue(registry, out c) ? c : null);
}

/// Credentials as Docker keeps them: <c>$DOCKER_CONFIG/config.json</c> (default <c>~/.docker/config.json</c>) with
/// <c>auths</c> (base64 "user:pass" or an identity token), <c>credHelpers</c> per registry and a default <c>credsStore</c>,
/// the latter two run as <c>docker-credential-&lt;name&gt; get</c>.
public sealed class DockerConfig : ICredentialSource
{
    /// Docker Hub's credentials live under this key whatever name the user typed.
    public const string DockerHubKey = "https://index.docker.io/v1/";

    private readonly string _path;
    private readonly Func<string, string, CancellationToken, Task<HelperResult>> _runHelper;

    /// Reads <paramref name="configPath"/> (which may not exist: then every registry is anonymous).
    public DockerConfig(string configPath) : this(configPath, RunHelperAsync) { }

    internal DockerConfig(string configPath, Func<string, string, CancellationToken, Task<HelperResult>> runHelper)
    {
        _path = configPath;
        _runHelper = runHelper;
    }

    /// The config.json Docker itself would use: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
    public static DockerConfig FromEnvironment()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return new DockerConfig(Path.Combine(dir, "config.json"));
    }

    /// docker.io, index.docker.io and registry-1.docker.io are one registry; other hosts are compared lowercased.
    public static string CanonicalHost(string registry)
    {
        var host = registry.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        host = host.ToLowerInvariant();
        return host is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? "docker.io" : host;
    }

    public async Task<RegistryCredentials?> GetAsync(string registry, CancellationToken ct)
    {
        if (!File.Exists(_path)) return null;
        JsonDocument doc;
        try
        {
            doc = JsonText.ParseReadable(await File.ReadAllBytesAsync(_path, ct).ConfigureAwait(false));
        }
        catch (JsonException e)
        {
            throw new InputException($"Cannot read Docker credentials from {_path}: {e.Message}. Fix the JSON or point DOCKER_CONFIG elsewhere.", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var host = CanonicalHost(registry);
            var serverUrl = host == "docker.io" ? DockerHubKey : host;

            if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
                foreach (var h in helpers.EnumerateObject())
                    if (CanonicalHost(h.Name) == host && h.Value.ValueKind == JsonValueKind.String && h.Value.GetString() is { Length: > 0 } name)
                        return await FromHelperAsync(name, serverUrl, ct).ConfigureAwait(false);

            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                foreach (var a in auths.EnumerateObject())
                    if (CanonicalHost(a.Name) == host && FromAuthEntry(a.Value, a.Name) is { } found)
                        return found;

            if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName)
                return await FromHelperAsync(storeName, serverUrl, ct).ConfigureAwait(false);
            return null;
        }
    }

    private RegistryCredentials? FromAuthEntry(JsonElement entry, string key)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        string? Str(string name) => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var identity = Str("identitytoken");
        string? user = Str("username"), pass = Str("password");
        if (Str("auth") is { Length: > 0 } auth)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth)); }
            catch (FormatException e)
            {
                throw new InputException($"Cannot read Docker credentials for '{key}' in {_path}: 'auth' is not base64. Run 'docker login' again.", e);
            }
            var colon = decoded.IndexOf(':');
            if (colon < 0)
                throw new InputException($"Cannot read Docker credentials for '{key}' in {_path}: 'auth' is not 'user:password'. Run 'docker login' again.");
            user = decoded[..colon];
            pass = decoded[(colon + 1)..];
        }
        if (string.IsNullOrEmpty(identity) && string.IsNullOrEmpty(user)) return null; // an empty entry: a helper holds the secret
        return new RegistryCredentials(user, pass, string.IsNullOrEmpty(identity) ? null : identity);
    }

    private async Task<RegistryCredentials?> FromHelperAsync(string helper, string serverUrl, CancellationToken ct)
    {
        var result = await _runHelper(helper, serverUrl, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // the credential-helper protocol reports a missing entry as this message on stdout, with a failing exit code
            if (result.Output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw new InputException($"docker-credential-{helper} get failed for {serverUrl} (exit {result.ExitCode}): {result.Output.Trim()}. Check the helper or run 'docker login'.");
        }
        try
        {
            using var doc = JsonText.ParseReadable(System.Text.Encoding.UTF8.GetBytes(result.Output));
            var root = doc.RootElement;
            string? Str(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var user = Str("Username");
            var secret = Str("Secret");
            if (string.IsNullOrEmpty(secret)) return null;
            // helpers store identity tokens with the user name "<token>"
            return user == "<token>" ? new RegistryCredentials(null, null, secret) : new RegistryCredentials(user, secret);
        }
        catch (JsonException e)
        {
            throw new InputException($"docker-credential-{helper} get printed something that is not JSON for {serverUrl}. Check the helper.", e);
        }
    }

    internal readonly record struct HelperResult(int ExitCode, string Output);

    private static async Task<HelperResult> RunHelperAsync(string helper, string serverUrl, CancellationToken ct)
    {
        var program = "docker-credential-" + helper;
        var start = new ProcessStartInfo(program, ["get"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InputException($"Cannot start {program}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputException($"Docker's config names the credential helper '{helper}', but {program} is not on PATH. Install it, or remove it from credsStore/credHelpers in your Docker config.", e);
        }
        using (process)
        {
            await process.StandardInput.WriteAsync(serverUrl).ConfigureAwait(false);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InputException($"{program} get did not answer within 30 s for {serverUrl} (it may be waiting for a desktop prompt).");
            }
            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            return new HelperResult(process.ExitCode, output.Length > 0 ? output : errors);
        }
    }
}
