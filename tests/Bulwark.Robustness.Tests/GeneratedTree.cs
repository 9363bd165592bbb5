// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Robustness.Tests;

/// A file tree of one file whose bytes are generated as they are read: <see cref="Length"/> bytes of a pattern with no
/// line break (a single 1 GB line, never on disk). <see cref="DeclaredSize"/> is what the listing says, which a hostile
/// or growing file may not honour. <see cref="BytesRead"/> counts what readers pulled.
internal sealed class GeneratedTree(string name, long length, long declaredSize) : IFileTree
{
    private long _read;

    public FilePath Name { get; } = new(name);
    public long Length { get; } = length;
    public long DeclaredSize { get; } = declaredSize;
    public long BytesRead => Interlocked.Read(ref _read);

    public string Description => $"generated tree with {name}";

    public IEnumerable<FileEntry> Files(Action<FilePath, string>? onWarning = null) => [new FileEntry(Name, DeclaredSize)];

    public Stream? TryOpen(FilePath path) => path == Name ? new LineStream(this) : null;

    public bool Exists(FilePath path) => path == Name;

    private sealed class LineStream(GeneratedTree tree) : Stream
    {
        private static readonly byte[] Pattern = "{\"a\":\"requests==2.31.0 \\\\ ghp_notasecret [x] = 'y' #"u8.ToArray();

        /// The pattern repeated to 64 KiB and more, so a read is one copy.
        private static readonly byte[] Block = [.. Enumerable.Range(0, (1 << 16) + Pattern.Length).Select(i => Pattern[i % Pattern.Length])];
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(Math.Min(buffer.Length, 1 << 16), tree.Length - _position);
            Block.AsSpan((int)(_position % Pattern.Length), n).CopyTo(buffer);
            _position += n;
            Interlocked.Add(ref tree._read, n);
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
