// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Cataloging;

/// A cataloger whose files may be larger than <see cref="Catalog.MaxTextFileSize"/> (archives, executables). The
/// others read text lockfiles and manifests whole, and a text file past that limit is a mistake or an attack.
public interface IFileSizeLimit
{
    /// The largest file this cataloger is handed; <see cref="CatalogOptions.MaxFileSize"/> still applies.
    long MaxFileSize { get; }
}
