// SPDX-License-Identifier: Apache-2.0
using System.Xml;
using System.Xml.Linq;
using Bulwark.Core;

namespace Bulwark.Cataloging;

/// Loads XML into an <see cref="XDocument"/> with a nesting limit. Building an XDocument takes time quadratic in the
/// nesting depth (100,000 nested elements: over half a minute), so a streaming pass checks the depth first; the
/// reader itself is fast at any depth.
internal static class BoundedXml
{
    /// Deeper than any pom, project file or manifest nests.
    public const int MaxDepth = 256;

    /// Loads <paramref name="text"/> with <paramref name="settings"/> (which should refuse DTDs) and line numbers kept;
    /// throws <see cref="InputException"/> past <see cref="MaxDepth"/> and <see cref="XmlException"/> for malformed XML.
    public static XDocument Load(string text, XmlReaderSettings settings)
    {
        using (var check = XmlReader.Create(new StringReader(text), settings))
        {
            while (check.Read())
            {
                if (check.Depth > MaxDepth)
                    throw new InputException($"line {((IXmlLineInfo)check).LineNumber}: XML nested more than {MaxDepth} levels deep; not read.");
            }
        }
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }
}
