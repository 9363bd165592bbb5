// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.FileSources;

namespace Bulwark.Cataloging;

/// A cataloger that also reads files beside the ones it wants (go.sum beside go.mod, package.json beside a lockfile,
/// Directory.Packages.props above a project). Image sources keep only the files some cataloger may read, so they ask
/// this too. Path only, no I/O.
public interface IReadsNeighbours
{
    bool MayRead(FilePath path);
}
