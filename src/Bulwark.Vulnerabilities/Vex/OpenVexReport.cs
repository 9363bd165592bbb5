// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Vex;

/// Turns a scan report into an OpenVEX document (`bulwark scan --format openvex`).
public static class OpenVexReport
{
    /// Writes the report's findings as affected statements and its suppressed findings with their VEX status.
    public static void Write(Bulwark.Vulnerabilities.Reports.ScanReport report, Stream output) => throw new NotImplementedException();
}
