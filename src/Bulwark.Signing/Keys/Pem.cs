// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Core;

namespace Bulwark.Signing.Keys;

/// One PEM block (RFC 7468): its label and decoded bytes.
public sealed record PemBlock(string Label, byte[] Data)
{
    /// The first PEM block in text, or an <see cref="InputException"/> naming the source when there is none.
    public static PemBlock ReadFirst(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!PemEncoding.TryFind(text, out var fields))
            throw new InputException($"Cannot read key {source}: no PEM block (-----BEGIN …-----) found, or its base64 is broken.");
        var label = text[fields.Label];
        var data = Convert.FromBase64String(text[fields.Base64Data]);
        return new PemBlock(label, data);
    }

    public string ToPem() => PemEncoding.WriteString(Label, Data) + "\n";
}
