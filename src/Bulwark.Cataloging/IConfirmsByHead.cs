// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging;

/// A cataloger whose Wants is a broad guess by path that the file's first bytes settle: any extensionless file might
/// be an executable, and its magic number says whether it is. Image sources keep such a file whole only when the head
/// passes <see cref="WantsHead"/>; otherwise they keep just the first bytes, and the cataloger, applying the same
/// test, reads nothing more. That spares copying every large data file of an image to disk.
public interface IConfirmsByHead
{
    /// <paramref name="head"/> is the file's first bytes (at most 16; fewer for a shorter file).
    bool WantsHead(ReadOnlySpan<byte> head);
}
