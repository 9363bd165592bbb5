// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging.FileSources;

/// A file on disk opened for reading whose asynchronous reads are done as blocking reads on the calling thread.
/// .NET has no asynchronous reads of regular files on Linux: FileStream.ReadAsync queues a blocking read to the thread
/// pool and resumes the caller on another thread, which costs a thread switch per read and, at start-up, the JIT
/// compilation of an async state machine per awaiting method (ReadyToRun does not pregenerate them). Catalogers read
/// through async APIs because image sources may stream; for files on disk the blocking read is what happens anyway.
internal sealed class BlockingFileStream(string path)
    : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer, offset, count));
    }
}
