// SPDX-License-Identifier: Apache-2.0
using Bulwark.Oci.Registry;

namespace Bulwark.Oci.Sources;

/// How <see cref="ImageSources"/> resolves a source: which platform, and how to reach a registry.
public sealed record ImageSourceOptions
{
    /// The platform to read from a multi-platform image (--platform); null means the host's (<see cref="Oci.Platform.Host"/>).
    public Platform? Platform { get; init; }

    /// Every platform's image instead of one (--all-platforms); only <see cref="ImageSources.ResolveImagesAsync"/> honours it.
    public bool AllPlatforms { get; init; }

    /// Plain HTTP to the registry instead of HTTPS (--insecure); only when the user asks for it.
    public bool Insecure { get; init; }

    /// Registry credentials; null means Docker's config.json (<see cref="DockerConfig.FromEnvironment"/>).
    public ICredentialSource? Credentials { get; init; }

    /// The registry transport, for tests that play a registry; null means the network.
    internal HttpMessageHandler? Handler { get; init; }

    /// The registry client's options these make.
    internal RegistryClientOptions RegistryOptions => new() { Insecure = Insecure, Credentials = Credentials, Handler = Handler };
}
