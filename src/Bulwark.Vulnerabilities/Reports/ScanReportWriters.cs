// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Reports;

/// The output formats of `bulwark scan`.
public enum ScanFormat { Table, Json, Sarif, CycloneDx, OpenVex }

/// Writes a <see cref="ScanReport"/> in a machine-readable format (the table is rendered by the CLI).
public static class ScanReportWriters
{
    /// Writes the report as UTF-8 in the given format; Table is the CLI's and is refused here.
    public static void Write(ScanReport report, ScanFormat format, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case ScanFormat.Json:
            case ScanFormat.Sarif:
            case ScanFormat.CycloneDx:
                throw new NotImplementedException();
            case ScanFormat.OpenVex:
                // written by Bulwark.Vulnerabilities.Vex.OpenVexReport.Write(report, output); the lead wires it here
                throw new NotSupportedException("OpenVEX reports are written by OpenVexReport.Write.");
            default:
                throw new NotSupportedException($"The {format} format is rendered by the CLI, not written by ScanReportWriters.");
        }
    }
}
