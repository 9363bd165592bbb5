// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Signing.Sigstore;

namespace Bulwark.Signing.Tests.Sigstore;

/// RFC 9162 inclusion proofs against a tree built here by the RFC 6962 §2.1 definition.
public sealed class MerkleProofTests
{
    private static byte[] Node(byte[] l, byte[] r) => SHA256.HashData([1, .. l, .. r]);

    // MTH(D[n]): split at the largest power of two smaller than n
    private static byte[] Root(byte[][] leaves, int start, int n)
    {
        if (n == 1) return leaves[start];
        var k = 1;
        while (k * 2 < n) k *= 2;
        return Node(Root(leaves, start, k), Root(leaves, start + k, n - k));
    }

    private static List<byte[]> Path(byte[][] leaves, int m, int start, int n)
    {
        if (n == 1) return [];
        var k = 1;
        while (k * 2 < n) k *= 2;
        if (m < k)
        {
            var p = Path(leaves, m, start, k);
            p.Add(Root(leaves, start + k, n - k));
            return p;
        }
        var q = Path(leaves, m - k, start + k, n - k);
        q.Add(Root(leaves, start, k));
        return q;
    }

    private static byte[][] Leaves(int n) => Enumerable.Range(0, n).Select(i => TransparencyLog.LeafHash([(byte)i])).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    public void Every_leaf_of_a_tree_proves_its_inclusion(int size)
    {
        var leaves = Leaves(size);
        var root = Root(leaves, 0, size);
        for (var i = 0; i < size; i++)
            Assert.Null(TransparencyLog.VerifyInclusion(i, size, leaves[i], Path(leaves, i, 0, size), root));
    }

    [Fact]
    public void A_flipped_audit_path_hash_fails()
    {
        var leaves = Leaves(13);
        var path = Path(leaves, 5, 0, 13);
        path[1] = (byte[])path[1].Clone();
        path[1][0] ^= 1;
        Assert.Equal("the inclusion proof does not lead to the root hash", TransparencyLog.VerifyInclusion(5, 13, leaves[5], path, Root(leaves, 0, 13)));
    }

    [Fact]
    public void A_proof_for_another_index_fails()
    {
        var leaves = Leaves(13);
        Assert.NotNull(TransparencyLog.VerifyInclusion(4, 13, leaves[5], Path(leaves, 5, 0, 13), Root(leaves, 0, 13)));
    }

    [Fact]
    public void A_truncated_proof_fails() =>
        Assert.Equal("the inclusion proof is shorter than the path to the root",
            TransparencyLog.VerifyInclusion(5, 13, Leaves(13)[5], Path(Leaves(13), 5, 0, 13).Take(2).ToList(), Root(Leaves(13), 0, 13)));

    [Fact]
    public void An_index_outside_the_tree_fails() =>
        Assert.NotNull(TransparencyLog.VerifyInclusion(13, 13, Leaves(13)[0], [], Root(Leaves(13), 0, 13)));
}
