// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;
using Bulwark.Core;

namespace Bulwark.Signing.Keys.Pkcs11;

/// A loaded PKCS#11 module (Cryptoki v2.40 C API): its CK_FUNCTION_LIST, called through function pointers.
/// <remarks>
/// Types follow the Unix ABI of pkcs11.h: CK_ULONG (and every handle, flag set and return value) is C `unsigned long`,
/// 64 bits on Linux and macOS x64/arm64, hence <see cref="nuint"/>; structures have natural alignment. Windows packs
/// Cryptoki structures to 1 byte and has a 32-bit `unsigned long`, so it is refused rather than called wrongly.
/// C_Initialize and C_Finalize are process-wide per module, so modules are shared and counted: the last user finalizes.
/// </remarks>
internal sealed unsafe class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock LoadedLock = new();

    private readonly nint* _functions;
    private readonly string _path;
    private int _users;
    private bool _finalizeOnRelease;

    private Pkcs11Module(string path, nint* functions)
    {
        _path = path;
        _functions = functions;
    }

    // CK_FUNCTION_LIST is { CK_VERSION version; CK_C_xxx functions… }: the 2-byte version is padded to pointer alignment,
    // so function i sits at pointer slot 1 + i. The order is pkcs11f.h's.
    private nint Function(int index) => _functions[1 + index];

    private const int CInitialize = 0, CFinalize = 1, CGetInfo = 2, CGetSlotList = 4, CGetSlotInfo = 5, CGetTokenInfo = 6,
        COpenSession = 12, CCloseSession = 13, CLogin = 18, CLogout = 19, CGetAttributeValue = 24, CFindObjectsInit = 26,
        CFindObjects = 27, CFindObjectsFinal = 28, CSignInit = 42, CSign = 43, CGenerateKeyPair = 59;

    /// Loads (or shares) the module at an absolute path and initializes it.
    public static Pkcs11Module Acquire(string path, string uri)
    {
        if (OperatingSystem.IsWindows())
            throw new UsageException($"PKCS#11 keys ({uri}) are supported on Linux and macOS only.");
        lock (LoadedLock)
        {
            if (!Loaded.TryGetValue(path, out var module))
            {
                if (!NativeLibrary.TryLoad(path, out var library))
                {
                    var why = File.Exists(path) ? "it is not a loadable shared library for this machine" : "no such file";
                    throw new InputException($"Cannot load the PKCS#11 module {path} for {uri}: {why}. Check module-path (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).");
                }
                if (!NativeLibrary.TryGetExport(library, "C_GetFunctionList", out var getFunctionList))
                    throw new InputException($"Cannot use {path} for {uri}: it has no C_GetFunctionList, so it is not a PKCS#11 module.");
                nint* list = null;
                var rv = ((delegate* unmanaged<nint**, nuint>)getFunctionList)(&list);
                if (rv != Ckr.Ok || list == null)
                    throw new InputException($"Cannot use PKCS#11 module {path} for {uri}: C_GetFunctionList failed ({Ckr.Name(rv)}).");
                module = new Pkcs11Module(path, list);
                Loaded[path] = module;
            }
            if (module._users == 0)
            {
                // CK_C_INITIALIZE_ARGS { CreateMutex, DestroyMutex, LockMutex, UnlockMutex, flags, pReserved }: no mutex
                // callbacks and CKF_OS_LOCKING_OK, so the module may be called from several threads; a module that
                // cannot lock (CKR_CANT_LOCK) is initialized for one thread instead
                var args = stackalloc nint[6];
                args[4] = 0x2;
                var initialize = (delegate* unmanaged<void*, nuint>)module.Function(CInitialize);
                var rv = initialize(args);
                if (rv == Ckr.CantLock) rv = initialize(null);
                // already initialized by someone else in this process: use it, and leave finalizing to them
                if (rv != Ckr.Ok && rv != Ckr.CryptokiAlreadyInitialized)
                    throw new InputException($"Cannot initialize PKCS#11 module {path} for {uri}: C_Initialize returned {Ckr.Name(rv)}.");
                module._finalizeOnRelease = rv == Ckr.Ok;
            }
            module._users++;
            return module;
        }
    }

    /// One user is done; the last one finalizes the module (the library stays loaded: unloading native code is unsafe).
    public void Release()
    {
        lock (LoadedLock)
        {
            if (_users == 0) return;
            if (--_users == 0 && _finalizeOnRelease) ((delegate* unmanaged<void*, nuint>)Function(CFinalize))(null);
        }
    }

    public string Path => _path;

    /// CK_INFO: manufacturerID at 2, libraryDescription at 48, libraryVersion at 80 (LP64 layout).
    public (string Manufacturer, string Description, string Version) GetInfo()
    {
        var info = stackalloc byte[128];
        Check(((delegate* unmanaged<byte*, nuint>)Function(CGetInfo))(info), "C_GetInfo");
        return (Text(info + 2, 32), Text(info + 48, 32), $"{info[80]}.{info[81]}");
    }

    public nuint[] GetSlotList()
    {
        nuint count = 0;
        var getSlotList = (delegate* unmanaged<byte, nuint*, nuint*, nuint>)Function(CGetSlotList);
        Check(getSlotList(1, null, &count), "C_GetSlotList");
        if (count > 4096) throw new InputException($"PKCS#11 module {_path} reports {count} slots; refusing so many.");
        var slots = new nuint[(int)count];
        fixed (nuint* p = slots) Check(getSlotList(1, p, &count), "C_GetSlotList");
        return slots[..(int)Math.Min(count, (nuint)slots.Length)];
    }

    /// CK_SLOT_INFO: slotDescription[64] at 0, manufacturerID[32] at 64.
    public (string Description, string Manufacturer) GetSlotInfo(nuint slot)
    {
        var info = stackalloc byte[256];
        Check(((delegate* unmanaged<nuint, byte*, nuint>)Function(CGetSlotInfo))(slot, info), "C_GetSlotInfo");
        return (Text(info, 64), Text(info + 64, 32));
    }

    /// CK_TOKEN_INFO: label[32] at 0, manufacturerID[32] at 32, model[16] at 64, serialNumber[16] at 80, flags at 96.
    public TokenInfo GetTokenInfo(nuint slot)
    {
        var info = stackalloc byte[512];
        Check(((delegate* unmanaged<nuint, byte*, nuint>)Function(CGetTokenInfo))(slot, info), "C_GetTokenInfo");
        return new TokenInfo(slot, Text(info, 32), Text(info + 32, 32), Text(info + 64, 16), Text(info + 80, 16), *(nuint*)(info + 96));
    }

    public nuint OpenSession(nuint slot, bool readWrite)
    {
        nuint session = 0;
        var flags = Ckf.SerialSession | (readWrite ? Ckf.RwSession : 0);
        Check(((delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint>)Function(COpenSession))(slot, flags, null, null, &session), "C_OpenSession");
        return session;
    }

    public void CloseSession(nuint session) => ((delegate* unmanaged<nuint, nuint>)Function(CCloseSession))(session);

    /// Logs the user in; returns the raw CK_RV so the caller can name the token in the message.
    public nuint Login(nuint session, ReadOnlySpan<byte> pin)
    {
        fixed (byte* p = pin) return ((delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)Function(CLogin))(session, 1 /* CKU_USER */, p, (nuint)pin.Length);
    }

    public void Logout(nuint session) => ((delegate* unmanaged<nuint, nuint>)Function(CLogout))(session);

    /// Finds at most <paramref name="max"/> objects matching a template of (attribute, value) pairs.
    public List<nuint> FindObjects(nuint session, IReadOnlyList<(nuint Type, byte[] Value)> template, int max)
    {
        var handles = new List<GCHandle>();
        try
        {
            var attributes = new CkAttribute[template.Count];
            for (var i = 0; i < template.Count; i++)
            {
                var pinned = GCHandle.Alloc(template[i].Value, GCHandleType.Pinned);
                handles.Add(pinned);
                attributes[i] = new CkAttribute { Type = template[i].Type, Value = (void*)pinned.AddrOfPinnedObject(), Length = (nuint)template[i].Value.Length };
            }
            fixed (CkAttribute* t = attributes)
                Check(((delegate* unmanaged<nuint, CkAttribute*, nuint, nuint>)Function(CFindObjectsInit))(session, t, (nuint)attributes.Length), "C_FindObjectsInit");
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
        try
        {
            var found = new nuint[max];
            nuint count = 0;
            fixed (nuint* p = found)
                Check(((delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint>)Function(CFindObjects))(session, p, (nuint)max, &count), "C_FindObjects");
            return [.. found[..(int)Math.Min(count, (nuint)max)]];
        }
        finally
        {
            ((delegate* unmanaged<nuint, nuint>)Function(CFindObjectsFinal))(session);
        }
    }

    /// One attribute's value, or null when the object does not have it (CKR_ATTRIBUTE_TYPE_INVALID) or hides it.
    public byte[]? GetAttribute(nuint session, nuint handle, nuint type)
    {
        var getAttributeValue = (delegate* unmanaged<nuint, nuint, CkAttribute*, nuint, nuint>)Function(CGetAttributeValue);
        var attribute = new CkAttribute { Type = type };
        var rv = getAttributeValue(session, handle, &attribute, 1);
        if (rv is Ckr.AttributeTypeInvalid or Ckr.AttributeSensitive || attribute.Length == unchecked((nuint)(-1))) return null;
        Check(rv, "C_GetAttributeValue");
        if (attribute.Length > 1 << 20) throw new InputException($"PKCS#11 module {_path}: attribute 0x{type:x} is {attribute.Length} bytes; refusing so large a value.");
        var value = new byte[(int)attribute.Length];
        fixed (byte* p = value)
        {
            attribute.Value = p;
            Check(getAttributeValue(session, handle, &attribute, 1), "C_GetAttributeValue");
        }
        return value[..(int)Math.Min(attribute.Length, (nuint)value.Length)];
    }

    /// C_SignInit then C_Sign with a mechanism that takes no parameter.
    public byte[] Sign(nuint session, nuint key, nuint mechanism, ReadOnlySpan<byte> data)
    {
        var m = new CkMechanism { Mechanism = mechanism };
        Check(((delegate* unmanaged<nuint, CkMechanism*, nuint, nuint>)Function(CSignInit))(session, &m, key), "C_SignInit");
        var sign = (delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint>)Function(CSign);
        // ample for RSA up to 16384 bits and ECDSA up to P-521: one call, no length query (which would end the operation
        // on modules that treat a NULL buffer loosely)
        var signature = new byte[4096];
        nuint length = (nuint)signature.Length;
        fixed (byte* d = data)
        fixed (byte* s = signature)
            Check(sign(session, d, (nuint)data.Length, s, &length), "C_Sign");
        return signature[..(int)Math.Min(length, (nuint)signature.Length)];
    }

    /// C_GenerateKeyPair with a parameterless mechanism; returns (public, private) handles.
    public (nuint Public, nuint Private) GenerateKeyPair(nuint session, nuint mechanism,
        IReadOnlyList<(nuint Type, byte[] Value)> publicTemplate, IReadOnlyList<(nuint Type, byte[] Value)> privateTemplate)
    {
        var handles = new List<GCHandle>();
        try
        {
            CkAttribute[] Build(IReadOnlyList<(nuint Type, byte[] Value)> template)
            {
                var attributes = new CkAttribute[template.Count];
                for (var i = 0; i < template.Count; i++)
                {
                    var pinned = GCHandle.Alloc(template[i].Value, GCHandleType.Pinned);
                    handles.Add(pinned);
                    attributes[i] = new CkAttribute { Type = template[i].Type, Value = (void*)pinned.AddrOfPinnedObject(), Length = (nuint)template[i].Value.Length };
                }
                return attributes;
            }
            var pub = Build(publicTemplate);
            var priv = Build(privateTemplate);
            var m = new CkMechanism { Mechanism = mechanism };
            nuint publicKey = 0, privateKey = 0;
            fixed (CkAttribute* p = pub)
            fixed (CkAttribute* q = priv)
            {
                Check(((delegate* unmanaged<nuint, CkMechanism*, CkAttribute*, nuint, CkAttribute*, nuint, nuint*, nuint*, nuint>)Function(CGenerateKeyPair))(
                    session, &m, p, (nuint)pub.Length, q, (nuint)priv.Length, &publicKey, &privateKey), "C_GenerateKeyPair");
            }
            return (publicKey, privateKey);
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
    }

    private void Check(nuint rv, string function)
    {
        if (rv != Ckr.Ok) throw new Pkcs11Exception(rv, $"PKCS#11 module {_path}: {function} returned {Ckr.Name(rv)}.");
    }

    // Cryptoki text fields are fixed-size, blank-padded UTF-8 without a terminator
    private static string Text(byte* field, int length) =>
        System.Text.Encoding.UTF8.GetString(field, length).TrimEnd(' ', '\0');

    [StructLayout(LayoutKind.Sequential)]
    private struct CkAttribute
    {
        public nuint Type;
        public void* Value;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CkMechanism
    {
        public nuint Mechanism;
        public void* Parameter;
        public nuint ParameterLength;
    }
}

/// What C_GetTokenInfo tells about a token.
internal sealed record TokenInfo(nuint Slot, string Label, string Manufacturer, string Model, string Serial, nuint Flags)
{
    /// CKF_LOGIN_REQUIRED: private objects are visible only after C_Login.
    public bool LoginRequired => (Flags & 0x4) != 0;

    /// CKF_TOKEN_INITIALIZED: the token has been initialized (has a label, can hold objects).
    public bool Initialized => (Flags & 0x400) != 0;
}

/// A Cryptoki call that returned an error; <see cref="ReturnValue"/> is the CK_RV.
internal sealed class Pkcs11Exception(nuint returnValue, string message) : Exception(message)
{
    public nuint ReturnValue { get; } = returnValue;
}

/// CK_FLAGS for C_OpenSession (pkcs11t.h).
internal static class Ckf
{
    public const nuint RwSession = 0x2, SerialSession = 0x4;
}

/// CK_RV values (pkcs11t.h) this code reacts to or names.
internal static class Ckr
{
    public const nuint Ok = 0x0, CantLock = 0xA, AttributeSensitive = 0x11, AttributeTypeInvalid = 0x12, PinIncorrect = 0xA0, PinInvalid = 0xA1,
        PinLenRange = 0xA2, PinExpired = 0xA3, PinLocked = 0xA4, TokenNotPresent = 0xE0, UserAlreadyLoggedIn = 0x100,
        UserPinNotInitialized = 0x102, CryptokiAlreadyInitialized = 0x191;

    public static string Name(nuint rv) => rv switch
    {
        0x0 => "CKR_OK",
        0x5 => "CKR_GENERAL_ERROR",
        0x6 => "CKR_FUNCTION_FAILED",
        0x7 => "CKR_ARGUMENTS_BAD",
        0xA => "CKR_CANT_LOCK",
        0x11 => "CKR_ATTRIBUTE_SENSITIVE",
        0x12 => "CKR_ATTRIBUTE_TYPE_INVALID",
        0x30 => "CKR_DEVICE_ERROR",
        0x32 => "CKR_DEVICE_REMOVED",
        0x60 => "CKR_KEY_HANDLE_INVALID",
        0x63 => "CKR_KEY_TYPE_INCONSISTENT",
        0x68 => "CKR_KEY_FUNCTION_NOT_PERMITTED",
        0x70 => "CKR_MECHANISM_INVALID",
        0xA0 => "CKR_PIN_INCORRECT",
        0xA1 => "CKR_PIN_INVALID",
        0xA2 => "CKR_PIN_LEN_RANGE",
        0xA3 => "CKR_PIN_EXPIRED",
        0xA4 => "CKR_PIN_LOCKED",
        0xB3 => "CKR_SESSION_HANDLE_INVALID",
        0xE0 => "CKR_TOKEN_NOT_PRESENT",
        0x100 => "CKR_USER_ALREADY_LOGGED_IN",
        0x101 => "CKR_USER_NOT_LOGGED_IN",
        0x102 => "CKR_USER_PIN_NOT_INITIALIZED",
        0x150 => "CKR_BUFFER_TOO_SMALL",
        0x190 => "CKR_CRYPTOKI_NOT_INITIALIZED",
        0x191 => "CKR_CRYPTOKI_ALREADY_INITIALIZED",
        _ => $"CK_RV 0x{rv:x}",
    };
}
