// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;
using CpuArchitecture = System.Runtime.InteropServices.Architecture;
using Bulwark.Core;

namespace Bulwark.Oci;

// Normalisation and matching follow the OCI image-index platform fields and containerd's conventions:
// architectures use GOARCH names (x86_64 → amd64, aarch64 → arm64), arm64 without a variant means v8 and
// arm without a variant means v7, so "linux/arm64" and "linux/arm64/v8" are the same platform.
public sealed partial record Platform
{
    /// The platform images are pulled for by default: linux (what Docker runs everywhere) on the host's CPU.
    public static Platform Host { get; } = FromArchitecture(RuntimeInformation.OSArchitecture);

    internal static Platform FromArchitecture(CpuArchitecture architecture) => architecture switch
    {
        CpuArchitecture.X64 => new("linux", "amd64"),
        CpuArchitecture.Arm64 => new("linux", "arm64", "v8"),
        CpuArchitecture.Arm or CpuArchitecture.Armv6 => new("linux", "arm", architecture == CpuArchitecture.Armv6 ? "v6" : "v7"),
        CpuArchitecture.X86 => new("linux", "386"),
        CpuArchitecture.S390x => new("linux", "s390x"),
        CpuArchitecture.Ppc64le => new("linux", "ppc64le"),
        CpuArchitecture.RiscV64 => new("linux", "riscv64"),
        CpuArchitecture.LoongArch64 => new("linux", "loong64"),
        _ => new("linux", architecture.ToString().ToLowerInvariant()),
    };

    /// Parses "os/arch[/variant]" ("linux/arm64/v8", "linux/amd64"), normalising architecture aliases.
    public static Platform Parse(string text) =>
        TryParse(text, out var p) ? p
        : throw new UsageException($"'{text}' is not a platform: write OS/ARCH[/VARIANT], for example linux/amd64 or linux/arm64/v8.");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Platform? platform)
    {
        platform = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
            return false;
        platform = Normalise(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }

    /// The same platform with aliases resolved and the architecture's default variant filled in.
    public Platform Normalised => Normalise(Os, Architecture, Variant, OsVersion);

    private static Platform Normalise(string os, string arch, string? variant, string? osVersion = null)
    {
        os = os.ToLowerInvariant();
        if (os == "macos") os = "darwin";
        arch = arch.ToLowerInvariant();
        variant = string.IsNullOrEmpty(variant) ? null : variant.ToLowerInvariant();
        switch (arch)
        {
            case "x86_64" or "x86-64" or "amd64":
                arch = "amd64";
                break;
            case "aarch64" or "arm64":
                arch = "arm64";
                if (variant is null or "8" or "v8") variant = "v8";
                break;
            case "armhf":
                arch = "arm";
                variant ??= "v7";
                break;
            case "armel":
                arch = "arm";
                variant ??= "v6";
                break;
            case "arm":
                variant = variant switch { null or "7" => "v7", "6" => "v6", "5" => "v5", "8" => "v8", _ => variant };
                break;
            case "i386" or "i686" or "x86":
                arch = "386";
                break;
        }
        return new Platform(os, arch, variant, string.IsNullOrEmpty(osVersion) ? null : osVersion);
    }

    /// True when an image built for <paramref name="candidate"/> is what a user asking for this platform wants.
    /// OS version (Windows builds) is not compared; no variant asked for on an architecture without a default
    /// variant (amd64) accepts any variant.
    public bool Matches(Platform candidate)
    {
        var want = Normalised;
        var have = candidate.Normalised;
        return want.Os == have.Os && want.Architecture == have.Architecture && (want.Variant == have.Variant || want.Variant is null);
    }
}
