// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Oci.Registry;

/// How a <see cref="RegistryClient"/> connects: transport, credentials and retry policy.
public sealed record RegistryClientOptions
{
    /// Plain HTTP instead of HTTPS, for every registry this client talks to. Only when the user asks (--insecure).
    public bool Insecure { get; init; }

    /// Where credentials come from; null means Docker's config.json (<see cref="DockerConfig.FromEnvironment"/>).
    public ICredentialSource? Credentials { get; init; }

    /// The transport (tests pass a fake); null means a SocketsHttpHandler that does not follow redirects by itself.
    public HttpMessageHandler? Handler { get; init; }

    /// Attempts per idempotent request when the registry answers 429/5xx or the connection drops (bounded).
    public int MaxAttempts { get; init; } = 4;

    /// The first retry waits this long, each later one twice as long (a Retry-After header wins, capped at 30 s).
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// Chunk size for chunked uploads (raised to the registry's OCI-Chunk-Min-Length when that is larger).
    public int ChunkSize { get; init; } = 8 * 1024 * 1024;

    /// How long a request may take until the registry's response headers arrive (the body is governed by ReadIdleTimeout).
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// How long a blob download may go without a single byte before it is abandoned, so a stalled registry cannot hang a scan.
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string UserAgent { get; init; } = "bulwark";
}
