// SPDX-License-Identifier: Apache-2.0
using System.Collections.Immutable;

namespace Bulwark.Vulnerabilities.Vex;

/// Reads VEX statements from an OpenVEX, CycloneDX JSON or CycloneDX XML document, detected from its content.
public static class VexDocuments
{
    /// Reads every statement of the VEX document at <paramref name="path"/>; throws InputException on a bad file.
    public static ImmutableArray<VexStatement> Read(string path) => throw new NotImplementedException();
}
