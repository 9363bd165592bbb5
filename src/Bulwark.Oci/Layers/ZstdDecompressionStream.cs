// SPDX-License-Identifier: Apache-2.0
using System.Runtime.InteropServices;

namespace Bulwark.Oci.Layers;

/// Streaming zstd decompression through the system's libzstd (Debian package libzstd1), frames one after another
/// as RFC 8878 allows. Throws <see cref="InvalidDataException"/> on corrupt or truncated input.
internal sealed class ZstdDecompressionStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly ZstdNative.DStreamHandle _handle;
    private readonly byte[] _input;
    private int _inputPos;
    private int _inputLength;
    private bool _inputEnded;
    private bool _frameOpen;

    public ZstdDecompressionStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        try
        {
            _handle = ZstdNative.CreateDStream();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidDataException("Reading zstd layers needs libzstd.so.1; install it with 'apt-get install libzstd1'.", e);
        }
        _input = new byte[128 * 1024];
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_inputPos == _inputLength && !_inputEnded)
            {
                _inputLength = _inner.Read(_input);
                _inputPos = 0;
                _inputEnded = _inputLength == 0;
            }
            var n = Step(buffer, out var done);
            if (n > 0) return n;
            if (done) return 0;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_inputPos == _inputLength && !_inputEnded)
            {
                _inputLength = await _inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false);
                _inputPos = 0;
                _inputEnded = _inputLength == 0;
            }
            var n = Step(buffer.Span, out var done);
            if (n > 0) return n;
            if (done) return 0;
        }
    }

    /// One call of ZSTD_decompressStream; <paramref name="done"/> is set at a clean end of input.
    private unsafe int Step(Span<byte> output, out bool done)
    {
        done = false;
        if (_inputEnded && _inputPos == _inputLength && !_frameOpen)
        {
            done = true;
            return 0;
        }
        nuint result;
        ZstdNative.OutBuffer outBuf;
        fixed (byte* src = _input)
        fixed (byte* dst = output)
        {
            var inBuf = new ZstdNative.InBuffer { Src = src, Size = (nuint)_inputLength, Pos = (nuint)_inputPos };
            outBuf = new ZstdNative.OutBuffer { Dst = dst, Size = (nuint)output.Length, Pos = 0 };
            result = ZstdNative.ZSTD_decompressStream(_handle, &outBuf, &inBuf);
            _inputPos = (int)inBuf.Pos;
        }
        if (ZstdNative.ZSTD_isError(result) != 0)
            throw new InvalidDataException($"zstd data is corrupt: {ZstdNative.ErrorName(result)}.");
        // result 0: a frame is complete and flushed; anything else: the frame needs more input or output room
        _frameOpen = result != 0;
        if (outBuf.Pos > 0) return (int)outBuf.Pos;
        if (_inputEnded && _inputPos == _inputLength)
        {
            if (_frameOpen) throw new InvalidDataException("zstd data is truncated: the input ended inside a frame.");
            done = true;
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// The few libzstd functions the layer reader uses (zstd.h, streaming API), and one-shot compression for tests.
internal static unsafe partial class ZstdNative
{
    private const string Library = "libzstd.so.1";

    [StructLayout(LayoutKind.Sequential)]
    internal struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    internal sealed class DStreamHandle : SafeHandle
    {
        public DStreamHandle() : base(IntPtr.Zero, ownsHandle: true) { }
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            ZSTD_freeDStream(handle);
            return true;
        }
    }

    internal static DStreamHandle CreateDStream()
    {
        var handle = ZSTD_createDStream();
        if (handle.IsInvalid) throw new InvalidOperationException("ZSTD_createDStream failed (out of memory).");
        var init = ZSTD_initDStream(handle);
        if (ZSTD_isError(init) != 0) throw new InvalidOperationException($"ZSTD_initDStream failed: {ErrorName(init)}.");
        return handle;
    }

    internal static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(ZSTD_getErrorName(code)) ?? "unknown error";

    /// Compresses <paramref name="data"/> into one zstd frame.
    internal static byte[] Compress(ReadOnlySpan<byte> data, int level = 3)
    {
        var bound = ZSTD_compressBound((nuint)data.Length);
        var output = new byte[(int)bound];
        nuint written;
        fixed (byte* src = data)
        fixed (byte* dst = output)
        {
            written = ZSTD_compress(dst, bound, src, (nuint)data.Length, level);
        }
        if (ZSTD_isError(written) != 0) throw new InvalidOperationException($"ZSTD_compress failed: {ErrorName(written)}.");
        return output.AsSpan(0, (int)written).ToArray();
    }

    [LibraryImport(Library)]
    internal static partial DStreamHandle ZSTD_createDStream();

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_freeDStream(IntPtr zds);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_initDStream(DStreamHandle zds);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_decompressStream(DStreamHandle zds, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library)]
    internal static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    internal static partial IntPtr ZSTD_getErrorName(nuint code);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Library)]
    internal static partial nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);
}
