// SPDX-License-Identifier: Apache-2.0
using System.Text;
using Bulwark.Core;

namespace Bulwark.Signing.Keys.Pkcs11;

/// A PKCS#11 URI (RFC 7512): which token and object, and (in the query) how to load the module and log in.
/// <remarks>
/// `pkcs11:` path-attributes separated by `;`, then optionally `?` and query attributes separated by `&amp;`. Values are
/// percent-encoded (RFC 7512 §2.3); `id` is a byte string, every other value UTF-8 text. Unknown standard attributes are
/// refused so a typo does not silently widen the match; vendor attributes (`x-…`) are kept and ignored.
/// </remarks>
public sealed record Pkcs11Uri
{
    public const string Scheme = "pkcs11:";

    /// Path attributes that select a token or slot (RFC 7512 §2.3).
    public string? Token { get; init; }
    public string? Manufacturer { get; init; }
    public string? Serial { get; init; }
    public string? Model { get; init; }
    public ulong? SlotId { get; init; }
    public string? SlotDescription { get; init; }
    public string? SlotManufacturer { get; init; }
    public string? LibraryManufacturer { get; init; }
    public string? LibraryDescription { get; init; }
    public string? LibraryVersion { get; init; }

    /// Path attributes that select an object: its CKA_LABEL, CKA_ID and class (`public`, `private`, `cert`, `secret-key`, `data`).
    public string? Object { get; init; }
    public byte[]? Id { get; init; }
    public string? Type { get; init; }

    /// Query attributes: the module to load, and the PIN (`pin-value`, or `pin-source` naming a file).
    public string? ModulePath { get; init; }
    public string? ModuleName { get; init; }
    public string? PinValue { get; init; }
    public string? PinSource { get; init; }

    /// The URI as written, with any pin-value replaced by `***`: safe for messages.
    public required string Redacted { get; init; }

    /// Parses a `pkcs11:` URI; a <see cref="UsageException"/> names the attribute that is wrong.
    public static Pkcs11Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var redacted = Redact(text);
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"'{redacted}' is not a PKCS#11 URI: it must start with 'pkcs11:'.");
        var rest = text[Scheme.Length..];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rest : rest[..question];
        var query = question < 0 ? "" : rest[(question + 1)..];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[]? id = null;
        foreach (var (part, separator, isQuery) in path.Split(';').Select(p => (p, ';', false))
                     .Concat(query.Length == 0 ? [] : query.Split('&').Select(p => (p, '&', true))))
        {
            if (part.Length == 0)
            {
                if (!isQuery && path.Length == 0) continue;   // `pkcs11:` alone, or `pkcs11:?module-path=…`
                throw new UsageException($"PKCS#11 URI '{redacted}' has an empty attribute (two '{separator}' in a row, or one at the end).");
            }
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new UsageException($"PKCS#11 URI '{redacted}': attribute '{Shown(part)}' has no '=value'.");
            var name = part[..equals].ToLowerInvariant();
            var raw = part[(equals + 1)..];
            if (name.StartsWith("x-", StringComparison.Ordinal)) continue;   // vendor-specific (RFC 7512 §2.3)
            var known = isQuery ? QueryAttributes.Contains(name) : PathAttributes.Contains(name);
            if (!known)
            {
                var where = isQuery ? "query" : "path";
                throw new UsageException($"PKCS#11 URI '{redacted}': unknown {where} attribute '{name}'. Path attributes: {string.Join(", ", PathAttributes)}; " +
                                         $"query attributes: {string.Join(", ", QueryAttributes)}.");
            }
            if (values.ContainsKey(name) || (name == "id" && id is not null))
                throw new UsageException($"PKCS#11 URI '{redacted}': attribute '{name}' is given twice.");
            var bytes = Decode(raw, name, redacted);
            if (name == "id")
            {
                id = bytes;
                continue;
            }
            string value;
            try
            {
                value = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new UsageException($"PKCS#11 URI '{redacted}': attribute '{name}' is not UTF-8 text.", e);
            }
            values[name] = value;
        }
        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
        ulong? slotId = null;
        if (Get("slot-id") is { } slot)
        {
            if (!ulong.TryParse(slot, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                throw new UsageException($"PKCS#11 URI '{redacted}': slot-id '{slot}' is not a decimal number.");
            slotId = parsed;
        }
        if (Get("type") is { } type && type is not ("public" or "private" or "cert" or "secret-key" or "data"))
            throw new UsageException($"PKCS#11 URI '{redacted}': type '{type}' is not one of public, private, cert, secret-key, data.");
        if (Get("pin-value") is not null && Get("pin-source") is not null)
            throw new UsageException($"PKCS#11 URI '{redacted}': give pin-value or pin-source, not both.");
        if (Get("module-path") is { } modulePath && !Path.IsPathFullyQualified(modulePath))
            throw new UsageException($"PKCS#11 URI '{redacted}': module-path '{modulePath}' must be an absolute path to the module (.so).");
        return new Pkcs11Uri
        {
            Token = Get("token"),
            Manufacturer = Get("manufacturer"),
            Serial = Get("serial"),
            Model = Get("model"),
            SlotId = slotId,
            SlotDescription = Get("slot-description"),
            SlotManufacturer = Get("slot-manufacturer"),
            LibraryManufacturer = Get("library-manufacturer"),
            LibraryDescription = Get("library-description"),
            LibraryVersion = Get("library-version"),
            Object = Get("object"),
            Id = id,
            Type = Get("type"),
            ModulePath = Get("module-path"),
            ModuleName = Get("module-name"),
            PinValue = Get("pin-value"),
            PinSource = Get("pin-source"),
            Redacted = redacted,
        };
    }

    private static readonly string[] PathAttributes =
    [
        "token", "manufacturer", "serial", "model", "library-manufacturer", "library-description", "library-version",
        "object", "type", "id", "slot-description", "slot-manufacturer", "slot-id",
    ];

    private static readonly string[] QueryAttributes = ["pin-source", "pin-value", "module-name", "module-path"];

    /// The user's PIN: pin-value, else the first line of the pin-source file (`file:` URI or path), else none.
    public string? ReadPin()
    {
        if (PinValue is not null) return PinValue;
        if (PinSource is null) return null;
        var path = PinSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? FilePath(PinSource) : PinSource;
        try
        {
            using var reader = new StreamReader(path);
            var buffer = new char[1024];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            var text = new string(buffer, 0, read);
            var newline = text.IndexOfAny(['\r', '\n']);
            return newline < 0 ? text : text[..newline];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"Cannot read the PIN for {Redacted}: pin-source {PinSource}: {e.Message}", e);
        }
    }

    // file:/abs/path or file:///abs/path (RFC 8089)
    private static string FilePath(string uri)
    {
        var rest = uri["file:".Length..];
        return rest.StartsWith("///", StringComparison.Ordinal) ? rest[2..] : rest.StartsWith("//localhost/", StringComparison.Ordinal) ? rest["//localhost".Length..] : rest;
    }

    private static byte[] Decode(string raw, string name, string redacted)
    {
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                    throw new UsageException($"PKCS#11 URI '{redacted}': attribute '{name}' has a '%' not followed by two hex digits.");
                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < raw.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(raw.Substring(i, length)));
                i += length - 1;
            }
        }
        return [.. bytes];
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static string Shown(string part) => part.StartsWith("pin-value", StringComparison.OrdinalIgnoreCase) ? "pin-value…" : part;

    /// The URI with every pin-value replaced by `***`.
    public static string Redact(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var builder = new StringBuilder();
        var at = 0;
        while (true)
        {
            var found = uri.IndexOf("pin-value=", at, StringComparison.OrdinalIgnoreCase);
            if (found < 0) return builder.Append(uri, at, uri.Length - at).ToString();
            var valueStart = found + "pin-value=".Length;
            var end = uri.IndexOfAny(['&', ';', '?'], valueStart);
            builder.Append(uri, at, valueStart - at).Append("***");
            if (end < 0) return builder.ToString();
            at = end;
        }
    }
}
