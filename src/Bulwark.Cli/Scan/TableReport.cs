// SPDX-License-Identifier: Apache-2.0
using Bulwark.Vulnerabilities.Reports;

namespace Bulwark.Cli.Scan;

/// The human `--format table` output of `bulwark scan`: findings grouped by package, then a summary line.
internal static class TableReport
{
    public static void Render(ScanReport report, TextWriter output, bool colour, bool showSuppressed) =>
        throw new NotImplementedException();
}
