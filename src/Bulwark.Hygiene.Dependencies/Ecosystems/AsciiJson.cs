// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;

namespace Bulwark.Hygiene.Dependencies.Ecosystems;

/// JSON strings as the lockfile tools that hash their manifests write them (Python's json.dumps with ensure_ascii,
/// PHP's json_encode): \" \\ \n \r \t \b \f, other controls and everything past ASCII as \uXXXX. PHP also escapes '/'.
internal static class AsciiJson
{
    public static void WriteString(StringBuilder json, string s, bool escapeSlash)
    {
        json.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '/' when escapeSlash: json.Append("\\/"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }
}
