// SPDX-License-Identifier: Apache-2.0
using System.Security.Cryptography;
using Bulwark.Signing.Sigstore;
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Signing.Tests.Properties;

/// Merkle inclusion proofs (RFC 6962/9162) over trees FsCheck generates, against a reference written from the RFC's
/// recursive definitions (MTH and PATH): every real proof verifies, and any changed hash, bit, index, or a proof one
/// hash too short or too long, fails.
public class InclusionProofPropertiesTests
{
    private static readonly Gen<(byte[][] Leaves, int Index)> Trees =
        from size in Gen.Frequency((4, Gen.Choose(1, 40)), (1, Gen.Choose(41, 300)))
        from index in Gen.Choose(0, size - 1)
        from salt in Gen.Choose(0, int.MaxValue)
        select (Enumerable.Range(0, size).Select(i => BitConverter.GetBytes(salt ^ (i * 7919))).ToArray(), index);

    [Fact]
    public void Every_proof_from_the_reference_verifies()
    {
        Check(Prop.ForAll(Trees.ToArbitrary(), t =>
        {
            var (root, proof, leaf) = Build(t.Leaves, t.Index);
            Assert.Null(TransparencyLog.VerifyInclusion(t.Index, t.Leaves.Length, leaf, proof, root));
        }));
    }

    [Fact]
    public void A_changed_proof_leaf_root_or_index_fails()
    {
        var changes = from t in Trees
                      from what in Gen.Choose(0, 5)
                      from pick in Gen.Choose(0, int.MaxValue)
                      from bit in Gen.Choose(0, 255)
                      select (t, what, pick, bit);
        Check(Prop.ForAll(changes.ToArbitrary(), c =>
        {
            var (leaves, index) = c.t;
            var (root, proof, leaf) = Build(leaves, index);
            var size = leaves.Length;
            string? error;
            switch (c.what)
            {
                case 0 when proof.Count > 0:
                    var flipped = proof.Select(h => (byte[])h.Clone()).ToList();
                    flipped[c.pick % flipped.Count][c.bit % 32] ^= (byte)(1 << (c.bit % 8));
                    error = TransparencyLog.VerifyInclusion(index, size, leaf, flipped, root);
                    break;
                case 1:
                    error = TransparencyLog.VerifyInclusion(index, size, Flip(leaf, c.bit), proof, root);
                    break;
                case 2:
                    error = TransparencyLog.VerifyInclusion(index, size, leaf, proof, Flip(root, c.bit));
                    break;
                case 3 when size > 1:
                    var other = (index + 1 + c.pick % (size - 1)) % size;
                    error = TransparencyLog.VerifyInclusion(other, size, leaf, proof, root);
                    break;
                case 4 when proof.Count > 0:
                    error = TransparencyLog.VerifyInclusion(index, size, leaf, proof.Take(proof.Count - 1).ToList(), root);
                    break;
                case 5:
                    error = TransparencyLog.VerifyInclusion(index, size, leaf, [.. proof, root], root);
                    break;
                default:
                    return;   // a one-leaf tree has no proof hash to change and no other index
            }
            Assert.NotNull(error);
        }), maxTest: 2000);
    }

    private static (byte[] Root, List<byte[]> Proof, byte[] Leaf) Build(byte[][] leaves, int index)
    {
        var hashes = leaves.Select(l => TransparencyLog.LeafHash(l)).ToArray();
        return (Mth(hashes), Path(index, hashes), hashes[index]);
    }

    // RFC 6962 §2.1: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two below n
    private static byte[] Mth(ReadOnlySpan<byte[]> d)
    {
        if (d.Length == 1) return d[0];
        var k = Split(d.Length);
        return Node(Mth(d[..k]), Mth(d[k..]));
    }

    // RFC 6962 §2.1.1: PATH(m, D[n])
    private static List<byte[]> Path(int m, ReadOnlySpan<byte[]> d)
    {
        if (d.Length == 1) return [];
        var k = Split(d.Length);
        if (m < k) return [.. Path(m, d[..k]), Mth(d[k..])];
        return [.. Path(m - k, d[k..]), Mth(d[..k])];
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([1, .. left, .. right]);

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = (byte[])hash.Clone();
        copy[bit % 32] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static void Check(Property property, int maxTest = 1000) =>
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(20261122, 61).WithQuietOnSuccess(true));
}
