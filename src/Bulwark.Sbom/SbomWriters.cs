// SPDX-License-Identifier: Apache-2.0
using Bulwark.Sbom.CycloneDx;
using Bulwark.Sbom.Spdx;

namespace Bulwark.Sbom;

/// Writes an SBOM in any supported format.
public static class SbomWriters
{
    public static void Write(Sbom sbom, SbomFormat format, Stream output)
    {
        switch (format)
        {
            case SbomFormat.CycloneDxJson: CycloneDxJsonWriter.Write(sbom, output); break;
            case SbomFormat.CycloneDxXml: CycloneDxXmlWriter.Write(sbom, output); break;
            case SbomFormat.SpdxJson: SpdxJsonWriter.Write(sbom, output); break;
            case SbomFormat.SpdxTagValue: SpdxTagValueWriter.Write(sbom, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown SBOM format.");
        }
    }
}
