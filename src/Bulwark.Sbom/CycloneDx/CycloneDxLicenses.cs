// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Sbom.CycloneDx;

/// How a declared license string can be written: an SPDX id, an SPDX expression, or only as free text.
public enum LicenseForm { Id, Expression, Name }

/// A declared license classified for writing: its form and its normalised text.
public readonly record struct LicenseText(LicenseForm Form, string Text);

/// Classifies license strings for CycloneDX's three license shapes, using the one SPDX list and expression parser in Core.
public static class SpdxLicenses
{
    /// The canonical spelling of a listed license id (ids match case-insensitively, SPDX 2.3 Annex D.2), or null.
    public static string? CanonicalId(string id) => SpdxLicenseList.TryGetLicenseId(id.Trim(), out var canonical) ? canonical : null;

    /// A listed id, a valid expression (normalised: ids in canonical case, operators upper-case), or anything else as a name.
    public static LicenseText Classify(string text)
    {
        var trimmed = text.Trim();
        if (CanonicalId(trimmed) is { } id) return new(LicenseForm.Id, id);
        return TryNormaliseExpression(trimmed, out var expression) ? new(LicenseForm.Expression, expression) : new(LicenseForm.Name, trimmed);
    }

    /// Parses an SPDX license expression and returns it normalised; false when it is not a valid expression.
    public static bool TryNormaliseExpression(string text, out string normalised)
    {
        normalised = LicenseExpression.TryParse(text, out var e) ? e.ToString() : "";
        return normalised.Length > 0;
    }
}
