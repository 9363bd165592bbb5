// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bulwark.Testing;

/// Debian's docker-registry (distribution 2.8) started on 127.0.0.1 on a free port, storing in a temp directory,
/// stopped and deleted on dispose. Missing binary = a failing test that says to run ./test.sh.
public sealed class LocalRegistry : IDisposable
{
    public const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public string Directory { get; }
    public int Port { get; }
    /// host:port, as references name it.
    public string Host => $"127.0.0.1:{Port}";

    /// Starts a registry; <paramref name="authSection"/> is the YAML under "auth:" (null = anonymous), with
    /// {dir} replaced by the registry's temp directory.
    public LocalRegistry(string? authSection = null, Action<string>? prepare = null)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: run ./test.sh (it installs the Debian package docker-registry).");
        Directory = System.IO.Directory.CreateTempSubdirectory("bulwark-registry-").FullName;
        prepare?.Invoke(Directory);
        Port = FreePort();
        var config = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Directory}/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}

            """);
        if (authSection is not null) config.Append("auth:\n").Append(authSection.Replace("{dir}", Directory, StringComparison.Ordinal));
        var configPath = Path.Combine(Directory, "config.yml");
        File.WriteAllText(configPath, config.ToString());

        var start = new ProcessStartInfo(Binary, ["serve", configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {Binary}.");
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilAnswering();
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilAnswering()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = http.GetAsync(new Uri($"http://{Host}/v2/")).GetAwaiter().GetResult();
                return; // any answer (200, or 401 for an auth-protected registry) means it is serving
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(20); // not listening yet
            }
            catch (TaskCanceledException)
            {
                // listening but not answering within 2 s (a loaded machine while it starts): ask again until the deadline
            }
        }
        Dispose();
        throw new InvalidOperationException($"docker-registry did not answer on {Host} within 15 s:\n{Log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
