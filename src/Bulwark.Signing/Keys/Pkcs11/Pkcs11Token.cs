// SPDX-License-Identifier: Apache-2.0
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core;

namespace Bulwark.Signing.Keys.Pkcs11;

/// An open, logged-in session on the one token a PKCS#11 URI selects.
internal sealed class Pkcs11Token : IDisposable
{
    // pkcs11t.h
    internal const nuint CkaClass = 0x0, CkaToken = 0x1, CkaPrivate = 0x2, CkaLabel = 0x3, CkaKeyType = 0x100, CkaId = 0x102,
        CkaSensitive = 0x103, CkaSign = 0x108, CkaVerify = 0x10A, CkaModulus = 0x120, CkaPublicExponent = 0x122,
        CkaExtractable = 0x162, CkaEcParams = 0x180, CkaEcPoint = 0x181;
    internal const nuint CkoPublicKey = 2, CkoPrivateKey = 3;
    internal const nuint CkkRsa = 0, CkkEc = 3;

    private readonly Pkcs11Module _module;
    private bool _loggedIn, _disposed;

    private Pkcs11Token(Pkcs11Module module, Pkcs11Uri uri, TokenInfo info, nuint session)
    {
        _module = module;
        Uri = uri;
        Info = info;
        Session = session;
    }

    public Pkcs11Uri Uri { get; }
    public TokenInfo Info { get; }
    public nuint Session { get; }
    public Pkcs11Module Module => _module;

    /// Loads the module, selects the token, opens a session and logs in when the URI (or its pin-source) gives a PIN.
    public static Pkcs11Token Open(Pkcs11Uri uri, bool readWrite = false)
    {
        var path = ModulePathOf(uri);
        var module = Pkcs11Module.Acquire(path, uri.Redacted);
        Pkcs11Token? token = null;
        try
        {
            var info = SelectToken(module, uri);
            var session = module.OpenSession(info.Slot, readWrite);
            token = new Pkcs11Token(module, uri, info, session);
            if (uri.ReadPin() is { } pin)
            {
                var rv = module.Login(session, Encoding.UTF8.GetBytes(pin));
                if (rv is Ckr.PinIncorrect or Ckr.PinInvalid or Ckr.PinLenRange)
                    throw new InputException($"Cannot log in to PKCS#11 token '{info.Label}' for {uri.Redacted}: the PIN is wrong ({Ckr.Name(rv)}). Check pin-value or pin-source.");
                if (rv is Ckr.PinLocked or Ckr.PinExpired or Ckr.UserPinNotInitialized)
                    throw new InputException($"Cannot log in to PKCS#11 token '{info.Label}' for {uri.Redacted}: {Ckr.Name(rv)}. Ask the token's security officer to reset the user PIN.");
                if (rv != Ckr.Ok && rv != Ckr.UserAlreadyLoggedIn)
                    throw new InputException($"Cannot log in to PKCS#11 token '{info.Label}' for {uri.Redacted}: C_Login returned {Ckr.Name(rv)}.");
                token._loggedIn = rv == Ckr.Ok;
            }
            return token;
        }
        catch (Pkcs11Exception e)
        {
            token?.Dispose();
            if (token is null) module.Release();
            throw new InputException($"Cannot use {uri.Redacted}: {e.Message}", e);
        }
        catch
        {
            token?.Dispose();
            if (token is null) module.Release();
            throw;
        }
    }

    private static string ModulePathOf(Pkcs11Uri uri)
    {
        if (uri.ModulePath is { } path) return path;
        if (uri.ModuleName is { } name)
        {
            if (name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
                throw new UsageException($"PKCS#11 URI '{uri.Redacted}': module-name '{name}' must be a plain name (e.g. softhsm2); use module-path for a path.");
            // RFC 7512 §2.3: the name without "lib" prefix or suffix, looked up where p11-kit and distributions install modules
            string[] directories = ["/usr/lib/x86_64-linux-gnu/pkcs11", "/usr/lib/aarch64-linux-gnu/pkcs11", "/usr/lib/pkcs11", "/usr/lib64/pkcs11",
                "/usr/lib/softhsm", "/usr/lib64/softhsm", "/usr/local/lib/softhsm", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"];
            foreach (var directory in directories)
            {
                foreach (var file in new[] { $"lib{name}.so", $"{name}.so", $"lib{name}.dylib" })
                {
                    var candidate = System.IO.Path.Combine(directory, file);
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new InputException($"Cannot find PKCS#11 module '{name}' for {uri.Redacted} in {string.Join(", ", directories)}: give module-path=/absolute/path.so instead.");
        }
        throw new UsageException($"PKCS#11 URI '{uri.Redacted}' names no module: add ?module-path=/path/to/module.so (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so) or ?module-name=NAME.");
    }

    private static TokenInfo SelectToken(Pkcs11Module module, Pkcs11Uri uri)
    {
        if (uri.LibraryManufacturer is not null || uri.LibraryDescription is not null || uri.LibraryVersion is not null)
        {
            var (manufacturer, description, version) = module.GetInfo();
            if ((uri.LibraryManufacturer ?? manufacturer) != manufacturer || (uri.LibraryDescription ?? description) != description ||
                (uri.LibraryVersion is { } wanted && wanted != version && wanted != version.Split('.')[0]))
                throw new InputException($"PKCS#11 module {module.Path} (\"{manufacturer}\", \"{description}\", {version}) does not match the library attributes of {uri.Redacted}.");
        }
        var present = new List<TokenInfo>();
        var matches = new List<TokenInfo>();
        foreach (var slot in module.GetSlotList())
        {
            TokenInfo info;
            try
            {
                info = module.GetTokenInfo(slot);
            }
            catch (Pkcs11Exception e) when (e.ReturnValue == Ckr.TokenNotPresent)
            {
                continue;
            }
            if (!info.Initialized) continue;   // e.g. SoftHSM's spare empty slot: nothing to find there
            present.Add(info);
            if (uri.SlotId is { } id && id != (ulong)slot) continue;
            if (uri.SlotDescription is not null || uri.SlotManufacturer is not null)
            {
                var (description, manufacturer) = module.GetSlotInfo(slot);
                if ((uri.SlotDescription ?? description) != description || (uri.SlotManufacturer ?? manufacturer) != manufacturer) continue;
            }
            if ((uri.Token ?? info.Label) != info.Label || (uri.Manufacturer ?? info.Manufacturer) != info.Manufacturer ||
                (uri.Model ?? info.Model) != info.Model || (uri.Serial ?? info.Serial) != info.Serial) continue;
            matches.Add(info);
        }
        var listing = present.Count == 0 ? "the module has no initialized token" :
            "tokens present: " + string.Join(", ", present.Select(t => $"'{t.Label}' (serial {t.Serial}, slot {t.Slot})"));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException($"No PKCS#11 token matches {uri.Redacted}: {listing}. Check token= (the token label) or serial=."),
            _ => throw new UsageException($"Several PKCS#11 tokens match {uri.Redacted} ({listing}): add token= or serial= to choose one."),
        };
    }

    /// The one key object of a class the URI's object=/id= select; an <see cref="InputException"/> when there is none.
    public nuint FindKey(nuint objectClass)
    {
        var template = new List<(nuint, byte[])> { (CkaClass, Ulong(objectClass)) };
        if (Uri.Object is { } label) template.Add((CkaLabel, Encoding.UTF8.GetBytes(label)));
        if (Uri.Id is { } id) template.Add((CkaId, id));
        if (Uri.Object is null && Uri.Id is null)
            throw new UsageException($"PKCS#11 URI '{Uri.Redacted}' names no key: add object=LABEL or id=%xx… to the path.");
        var found = Find(template, 2);
        var what = objectClass == CkoPrivateKey ? "private key" : "public key";
        var selector = string.Join(" and ", new[] { Uri.Object is null ? null : $"label '{Uri.Object}'", Uri.Id is null ? null : $"id {Convert.ToHexStringLower(Uri.Id)}" }.OfType<string>());
        return found.Count switch
        {
            1 => found[0],
            0 when objectClass == CkoPrivateKey && !_loggedIn && Info.LoginRequired =>
                throw new InputException($"No private key with {selector} is visible on PKCS#11 token '{Info.Label}' ({Uri.Redacted}) without logging in: add pin-value= or pin-source= to the URI."),
            0 => throw new InputException($"No {what} with {selector} on PKCS#11 token '{Info.Label}' ({Uri.Redacted}). Check object= (the key's label) or id=."),
            _ => throw new UsageException($"Several {what}s with {selector} on PKCS#11 token '{Info.Label}' ({Uri.Redacted}): add id= to choose one."),
        };
    }

    /// The public key of a key pair as a verification key: from CKA_EC_PARAMS/CKA_EC_POINT or CKA_MODULUS/CKA_PUBLIC_EXPONENT.
    public VerificationKey ReadPublicKey(nuint handle)
    {
        var keyType = Attribute(handle, CkaKeyType) is { Length: > 0 } type ? ToUlong(type) : ulong.MaxValue;
        switch (keyType)
        {
            case CkkEc:
            {
                var parameters = Attribute(handle, CkaEcParams) ?? throw Missing("CKA_EC_PARAMS");
                var point = Attribute(handle, CkaEcPoint) ?? throw Missing("CKA_EC_POINT");
                // PKCS#11 v2.40 §2.3.3: CKA_EC_POINT is the DER OCTET STRING of the point; some modules give the bare point
                if (IsOctetString(point)) point = new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
                else if (point.Length == 0 || point[0] != 0x04)
                    throw new InputException($"PKCS#11 key {Uri.Redacted}: CKA_EC_POINT is neither a DER OCTET STRING nor an uncompressed point.");
                var writer = new AsnWriter(AsnEncodingRules.DER);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(KeyOids.EcPublicKey);
                        try
                        {
                            writer.WriteEncodedValue(parameters);
                        }
                        catch (ArgumentException e)
                        {
                            throw new InputException($"PKCS#11 key {Uri.Redacted}: CKA_EC_PARAMS is not DER ({e.Message}).", e);
                        }
                    }
                    writer.WriteBitString(point);
                }
                return VerificationKey.FromSubjectPublicKeyInfo(writer.Encode(), Uri.Redacted);
            }
            case CkkRsa:
            {
                var modulus = Attribute(handle, CkaModulus) ?? throw Missing("CKA_MODULUS");
                var exponent = Attribute(handle, CkaPublicExponent) ?? throw Missing("CKA_PUBLIC_EXPONENT");
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = modulus.AsSpan().TrimStart((byte)0).ToArray(), Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray() });
                }
                catch (CryptographicException e)
                {
                    rsa.Dispose();
                    throw new InputException($"PKCS#11 key {Uri.Redacted}: the RSA public key is not usable ({e.Message}).", e);
                }
                return RsaVerificationKey.Checked(rsa, Uri.Redacted);
            }
            default:
                throw new InputException($"PKCS#11 key {Uri.Redacted} has key type {(keyType == ulong.MaxValue ? "unknown" : "0x" + keyType.ToString("x", System.Globalization.CultureInfo.InvariantCulture))}: only EC and RSA keys sign.");
        }
    }

    private InputException Missing(string attribute) =>
        new($"PKCS#11 key {Uri.Redacted} on token '{Info.Label}' has no readable {attribute}: the public key cannot be read from the token.");

    private static bool IsOctetString(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            reader.ReadOctetString();
            return !reader.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// At most <paramref name="max"/> objects matching a template; module errors become an <see cref="InputException"/>.
    public List<nuint> Find(IReadOnlyList<(nuint Type, byte[] Value)> template, int max)
    {
        try
        {
            return _module.FindObjects(Session, template, max);
        }
        catch (Pkcs11Exception e)
        {
            throw new InputException($"Cannot search PKCS#11 token '{Info.Label}' for {Uri.Redacted}: {e.Message}", e);
        }
    }

    public byte[]? Attribute(nuint handle, nuint type)
    {
        try
        {
            return _module.GetAttribute(Session, handle, type);
        }
        catch (Pkcs11Exception e)
        {
            throw new InputException($"Cannot read a key attribute on PKCS#11 token '{Info.Label}' for {Uri.Redacted}: {e.Message}", e);
        }
    }

    internal static byte[] Ulong(nuint value) => BitConverter.GetBytes((ulong)value);

    internal static ulong ToUlong(byte[] value) => value.Length switch
    {
        8 => BitConverter.ToUInt64(value),
        4 => BitConverter.ToUInt32(value),
        _ => ulong.MaxValue,
    };

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_loggedIn) _module.Logout(Session);
        _module.CloseSession(Session);
        _module.Release();
    }
}
