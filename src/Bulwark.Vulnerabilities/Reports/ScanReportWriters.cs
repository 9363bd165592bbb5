// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Reports;

/// The output formats of `bulwark scan`.
public enum ScanFormat { Table, Json, Sarif, CycloneDx, OpenVex }

/// Writes a <see cref="ScanReport"/> in a machine-readable format (the table is rendered by the CLI).
public static class ScanReportWriters
{
    /// Where users learn about Bulwark: the SARIF driver's informationUri (GitHub links the tool name to it).
    public const string InformationUri = Bulwark.Core.SarifLog.InformationUri;

    /// Writes the report as UTF-8 in the given format; Table is the CLI's and is refused here.
    public static void Write(ScanReport report, ScanFormat format, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case ScanFormat.Json:
                JsonScanReport.Write(report, output);
                break;
            case ScanFormat.Sarif:
                SarifReport.Write(report, output);
                break;
            case ScanFormat.CycloneDx:
                CycloneDxVdr.Write(report, output);
                break;
            case ScanFormat.OpenVex:
                Vex.OpenVexReport.Write(report, output);
                break;
            default:
                throw new NotSupportedException($"The {format} format is rendered by the CLI (TableReport), not written by ScanReportWriters.");
        }
    }
}
