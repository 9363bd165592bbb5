// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Sbom;

/// Writes an SBOM in any supported format.
public static class SbomWriters
{
    public static void Write(Sbom sbom, SbomFormat format, Stream output)
    {
        switch (format)
        {
            default:
                throw new NotSupportedException($"Writing {format} is not built yet.");
        }
    }
}
