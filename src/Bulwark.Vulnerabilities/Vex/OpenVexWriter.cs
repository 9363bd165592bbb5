// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Vulnerabilities.Vex;

/// The document-level fields of an OpenVEX document.
/// <param name="Id">The document's @id; null derives one from the content (https://openvex.dev/docs/public/vex-&lt;sha256&gt;).</param>
public sealed record OpenVexDocumentInfo(
    string Author,
    string? Role,
    string? Id,
    DateTimeOffset Timestamp,
    int Version,
    string? Tooling);

/// Writes OpenVEX 0.2.0 documents.
public static class OpenVexWriter
{
    /// Writes one OpenVEX 0.2.0 document holding <paramref name="statements"/> to <paramref name="output"/>.
    public static void Write(OpenVexDocumentInfo info, IEnumerable<VexStatement> statements, Stream output) => throw new NotImplementedException();
}
