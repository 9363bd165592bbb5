// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Vulnerabilities.Tests.Database;

/// How the server misbehaves for one path.
public enum ServedFailure
{
    None,
    ServerError,
    /// Announces the full Content-Length, sends half, then closes the connection.
    Truncated,
    /// Sends the body with a Google Cloud Storage style x-goog-hash MD5 that does not match it.
    WrongDigest,
    /// Sends headers and half the body, then stalls until the server is disposed (a connection that hangs mid-download).
    Stall,
}

/// A real HTTP server on 127.0.0.1 serving a directory, with ETag/Last-Modified, 304s and injected failures.
public sealed class MirrorServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;
    private readonly Dictionary<string, ServedFailure> _failures = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    /// Completes when a stalled response has started.
    public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MirrorServer(string root)
    {
        _root = root;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }
    public int Requests => Volatile.Read(ref _requests);

    /// Makes requests for this path (e.g. "/osv/Go/all.zip") fail.
    public void Fail(string path, ServedFailure failure)
    {
        lock (_failures) _failures[path] = failure;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;   // stopped
            }
            Interlocked.Increment(ref _requests);
            try
            {
                await RespondAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // the client went away, or the truncation closed the connection on purpose
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
        var response = context.Response;
        ServedFailure failure;
        lock (_failures) failure = _failures.GetValueOrDefault(path);
        if (failure == ServedFailure.ServerError)
        {
            response.StatusCode = 500;
            response.Close();
            return;
        }
        var file = new FileInfo(Path.Combine(_root, path.TrimStart('/')));
        if (!file.Exists || path.Contains("..", StringComparison.Ordinal))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");
        response.Headers["ETag"] = etag;
        response.Headers["Last-Modified"] = file.LastWriteTimeUtc.ToString("R", CultureInfo.InvariantCulture);
        if (context.Request.Headers["If-None-Match"] == etag)
        {
            response.StatusCode = 304;
            response.Close();
            return;
        }
        var bytes = await File.ReadAllBytesAsync(file.FullName);
        response.ContentLength64 = bytes.Length;
        if (failure == ServedFailure.WrongDigest) response.Headers["x-goog-hash"] = "crc32c=AAAAAA==,md5=" + Convert.ToBase64String(new byte[16]);
        if (failure == ServedFailure.Stall)
        {
            await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await response.OutputStream.FlushAsync();
            Stalled.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                response.Abort();
            }
            return;
        }
        if (failure == ServedFailure.Truncated)
        {
            await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await response.OutputStream.FlushAsync();
            response.Abort();
            return;
        }
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public void Dispose()
    {
        if (!_listener.IsListening) return;
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
