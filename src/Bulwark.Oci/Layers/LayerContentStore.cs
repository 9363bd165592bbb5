// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Oci.Layers;

/// Holds the content of the files catalogers want: small files in memory (up to a per-file and a total cap), the
/// rest in one private temporary directory (mode 0700, files named by a counter, never by a tar path), removed on
/// Dispose. Content is reference-counted because hard links share it.
internal sealed class LayerContentStore : IDisposable
{
    private readonly long _maxFileInMemory;
    private readonly long _maxInMemory;
    private readonly string? _temporaryParent;
    private readonly List<Item?> _items = [];
    private string? _spillDirectory;
    private int _spillCounter;
    private bool _disposed;

    private sealed class Item
    {
        public byte[]? Bytes;
        public string? File;
        public long Length;
        public int References = 1;
    }

    public LayerContentStore(long maxFileInMemory = 1L << 20, long maxInMemory = 64L << 20, string? temporaryParent = null)
    {
        _maxFileInMemory = maxFileInMemory;
        _maxInMemory = maxInMemory;
        _temporaryParent = temporaryParent;
    }

    public long InMemoryBytes { get; private set; }
    public long SpilledBytes { get; private set; }

    /// The private temporary directory, once something has spilled.
    public string? SpillDirectory => _spillDirectory;

    /// Reads exactly <paramref name="length"/> bytes of <paramref name="data"/> and returns a handle to them.
    public async ValueTask<int> AddAsync(Stream data, long length, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new Item { Length = length };
        if (length <= _maxFileInMemory && InMemoryBytes + length <= _maxInMemory)
        {
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            await data.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            item.Bytes = bytes;
            InMemoryBytes += length;
        }
        else
        {
            var file = Path.Combine(EnsureSpillDirectory(), (++_spillCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var output = new FileStream(file, options))
            {
                await CopyExactlyAsync(data, output, length, ct).ConfigureAwait(false);
            }
            item.File = file;
            SpilledBytes += length;
        }
        _items.Add(item);
        return _items.Count - 1;
    }

    public long LengthOf(int handle) => Get(handle).Length;

    public Stream Open(int handle)
    {
        var item = Get(handle);
        return item.Bytes is { } bytes
            ? new MemoryStream(bytes, writable: false)
            // a small buffer: catalogers open spilled executables by the hundred and read their headers, and a large
            // buffer per open was most of an image scan's allocation (80 MB on Debian 12)
            : new FileStream(item.File!, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
    }

    public void AddReference(int handle) => Get(handle).References++;

    /// Drops one reference; the content is freed (or its spill file deleted) with the last one.
    public void Release(int handle)
    {
        var item = Get(handle);
        if (--item.References > 0) return;
        if (item.Bytes is not null) InMemoryBytes -= item.Length;
        else if (item.File is not null)
        {
            File.Delete(item.File);
            SpilledBytes -= item.Length;
        }
        _items[handle] = null;
    }

    private Item Get(int handle) => _items[handle] ?? throw new InvalidOperationException($"Content {handle} was released.");

    private string EnsureSpillDirectory()
    {
        if (_spillDirectory is not null) return _spillDirectory;
        var dir = _temporaryParent is null
            ? Directory.CreateTempSubdirectory("bulwark-layers-").FullName
            : CreateSubdirectory(_temporaryParent);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _spillDirectory = dir;
        return dir;
    }

    /// A new directory under <paramref name="parent"/> with an unpredictable name; creation fails rather than reuse.
    private static string CreateSubdirectory(string parent)
    {
        var dir = Path.Combine(parent, "bulwark-layers-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        if (Directory.Exists(dir) || File.Exists(dir)) throw new IOException($"The temporary directory {dir} already exists.");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task CopyExactlyAsync(Stream from, Stream to, long length, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (length > 0)
            {
                var n = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), ct).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException("The entry's data ended before its declared size.");
                await to.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                length -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _items.Clear();
        InMemoryBytes = 0;
        if (_spillDirectory is not null && Directory.Exists(_spillDirectory)) Directory.Delete(_spillDirectory, recursive: true);
        _spillDirectory = null;
    }
}
